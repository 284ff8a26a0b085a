// examples/endpoint-access with aws-cdk-lib aws-eks-v2: a private endpoint, and
// a public endpoint restricted to one CIDR.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'EndpointAccess');
new eks.Cluster(stack, 'hello-eks', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  endpointAccess: eks.EndpointAccess.PRIVATE,
});
new eks.Cluster(stack, 'restricted', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24'),
  defaultCapacity: 0,
});
app.synth();

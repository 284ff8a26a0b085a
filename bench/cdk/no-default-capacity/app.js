// examples/no-default-capacity with aws-cdk-lib aws-eks-v2: a cluster without
// capacity.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'NoDefaultCapacity');
new eks.Cluster(stack, 'cluster-with-no-capacity', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  defaultCapacity: 0,
});
app.synth();

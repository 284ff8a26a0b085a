// examples/default-capacity with aws-cdk-lib aws-eks-v2: the default capacity
// (2 m5.large) and a default capacity of 10 m5.xlarge.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const ec2 = require('aws-cdk-lib/aws-ec2');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'DefaultCapacity');
new eks.Cluster(stack, 'cluster-two-m5-large', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
});
new eks.Cluster(stack, 'cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  defaultCapacity: 10,
  defaultCapacityInstance: new ec2.InstanceType('m5.xlarge'),
});
app.synth();

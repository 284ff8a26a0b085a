// examples/self-managed-ec2 with aws-cdk-lib aws-eks-v2: the default capacity
// as a self-managed Auto Scaling group.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'SelfManagedEc2');
new eks.Cluster(stack, 'cluster-self-managed-ec2', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.EC2,
});
app.synth();

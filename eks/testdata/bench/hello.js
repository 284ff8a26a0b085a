// The aws-cdk-lib (aws-eks-v2) counterpart of BenchmarkSynthHelloEks.
const cdk = require('aws-cdk-lib');
const eks = require('aws-cdk-lib/aws-eks-v2');
const app = new cdk.App();
const stack = new cdk.Stack(app, 'HelloEks');
new eks.Cluster(stack, 'hello-eks', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
});
app.synth();

// examples/multi-cluster with aws-cdk-lib aws-eks-v2: two clusters with a node
// group each and a Fargate cluster, in one stack and one VPC.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');
const ec2 = require('aws-cdk-lib/aws-ec2');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'MultiCluster');
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
for (const name of ['blue', 'green']) {
  const c = new eks.Cluster(stack, name, {
    version: eks.KubernetesVersion.V1_34,
    vpc,
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    defaultCapacity: 0,
  });
  c.addNodegroupCapacity('workers', { instanceTypes: [new ec2.InstanceType('m6i.large')], minSize: 2 });
}
// aws-eks-v2 patches CoreDNS onto Fargate with kubectl, so it needs a kubectl
// provider; eksforge sets the CoreDNS add-on's compute type instead.
new eks.FargateCluster(stack, 'serverless', {
  version: eks.KubernetesVersion.V1_34,
  vpc,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'KubectlLayer') },
});
app.synth();

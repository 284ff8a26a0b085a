// examples/fargate-cluster with aws-cdk-lib aws-eks-v2: a Fargate-only cluster.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'FargateCluster');
// aws-eks-v2 patches CoreDNS onto Fargate with kubectl, so it needs a kubectl
// provider; eksforge sets the CoreDNS add-on's compute type instead.
new eks.FargateCluster(stack, 'MyCluster', {
  version: eks.KubernetesVersion.V1_34,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'KubectlLayer') },
});
app.synth();

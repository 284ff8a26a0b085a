// examples/kubectl-environment with aws-cdk-lib aws-eks-v2 (the kubectl
// provider in the VPC's private subnets).
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const ec2 = require('aws-cdk-lib/aws-ec2');
const stack = new cdk.Stack(app, 'KubectlEnvironment');
const cluster = new eks.Cluster(stack, 'hello-eks', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  kubectlProviderOptions: {
    kubectlLayer: new KubectlV33Layer(stack, 'kubectl'),
    environment: { HTTPS_PROXY: 'http://proxy.internal:3128', NO_PROXY: '169.254.169.254' },
    memory: cdk.Size.mebibytes(512),
    privateSubnets: undefined,
  },
});
cluster.addManifest('config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'proxy-test' }, data: { proxied: 'true' } });
app.synth();

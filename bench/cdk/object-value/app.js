// examples/object-value with aws-cdk-lib aws-eks-v2.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const lambda = require('aws-cdk-lib/aws-lambda');
const stack = new cdk.Stack(app, 'ObjectValue');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'kubectl') },
});
const myServiceAddress = new eks.KubernetesObjectValue(stack, 'LoadBalancerAttribute', {
  cluster,
  objectType: 'service',
  objectName: 'my-service',
  jsonPath: '.status.loadBalancer.ingress[0].hostname',
});
new lambda.Function(stack, 'ProxyFunction', {
  code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  environment: { myServiceAddress: myServiceAddress.value },
});
new cdk.CfnOutput(stack, 'LoadBalancerAddress', { value: cluster.getServiceLoadBalancerAddress('my-service') });
app.synth();

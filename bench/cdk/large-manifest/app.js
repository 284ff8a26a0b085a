// examples/large-manifest with aws-cdk-lib aws-eks-v2: the same 5 MB of
// ConfigMaps. aws-cdk-lib writes it inline into the template (over
// CloudFormation's 1 MB limit: the stack would not deploy).
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'LargeManifest');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'kubectl') },
});
const objects = [];
for (let i = 0; i < 6; i++) {
  const data = {};
  for (let j = 0; j < 100; j++) {
    const unit = `${i}-${j};`;
    data[`key-${String(j).padStart(3, '0')}`] = unit.repeat(Math.floor(8500 / unit.length));
  }
  objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `large-${i}` }, data });
}
cluster.addManifest('large', ...objects);
app.synth();

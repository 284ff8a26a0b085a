// examples/large-manifest with aws-cdk-lib aws-eks-v2: 6 ConfigMaps of about
// 850 KB each in one manifest (the same data as the Go example).
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
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'KubectlLayer') },
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

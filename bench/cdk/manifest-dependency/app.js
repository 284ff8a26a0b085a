// examples/manifest-dependency with aws-cdk-lib aws-eks-v2.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'ManifestDependency');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'kubectl') },
});
const namespace = cluster.addManifest('my-namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'my-app' } });
const service = cluster.addManifest('my-service', {
  apiVersion: 'v1', kind: 'Service',
  metadata: { name: 'myservice', namespace: 'my-app' },
  spec: { ports: [{ port: 80 }] },
});
service.node.addDependency(namespace);
app.synth();

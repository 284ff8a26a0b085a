// examples/manifest-from-yaml with aws-cdk-lib aws-eks-v2: the same YAML file,
// parsed with the yaml module aws-cdk-lib bundles.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const fs = require('fs');
const path = require('path');
const yaml = require(require.resolve('yaml', { paths: [require.resolve('aws-cdk-lib')] }));
const stack = new cdk.Stack(app, 'ManifestFromYaml');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'kubectl') },
});
const text = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'examples', 'manifest-from-yaml', 'guestbook.yaml'), 'utf8');
const objects = yaml.parseAllDocuments(text).map((d) => d.toJSON()).filter((o) => o);
cluster.addManifest('my-resource', ...objects);
app.synth();

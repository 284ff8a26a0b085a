// bench/scale/manifests-1000 with aws-cdk-lib aws-eks-v2: one cluster with
// 1,000 manifests (a ConfigMap each). aws-cdk-lib's checks of
// CloudFormation's 500-resource limit (the stack resource limit and the
// CloudFormation Validate rule F0007) are turned off: what is measured is
// synthesis, as on the eksforge side (which makes no such check).
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

const app = new cdk.App({ context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS, '@aws-cdk/core:stackResourceLimit': 0 } });
const stack = new cdk.Stack(app, 'Manifests1000');
cdk.Validations.of(stack).acknowledge({ id: 'CloudFormation-Validate::F0007', reason: 'a synthesis benchmark' });
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'KubectlLayer') },
});
for (let i = 0; i < 1000; i++) {
  cluster.addManifest(`config-${i}`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `config-${i}`, namespace: 'default' },
    data: { index: String(i), team: 'platform' },
  });
}
app.synth();

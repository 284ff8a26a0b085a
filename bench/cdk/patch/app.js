// examples/patch with aws-cdk-lib aws-eks-v2: a strategic merge patch and a
// JSON patch (aws-cdk-lib takes the JSON patch's operations as an object, so
// the list is passed as it is).
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'Patch');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'kubectl') },
});
new eks.KubernetesPatch(stack, 'hello-kub-deployment-label', {
  cluster,
  resourceName: 'deployment/hello-kubernetes',
  applyPatch: { spec: { replicas: 5 } },
  restorePatch: { spec: { replicas: 3 } },
});
new eks.KubernetesPatch(stack, 'coredns-annotation', {
  cluster,
  resourceName: 'deployment/coredns',
  resourceNamespace: 'kube-system',
  patchType: eks.PatchType.JSON,
  applyPatch: [{ op: 'add', path: '/metadata/annotations/example.com~1owner', value: 'platform' }],
  restorePatch: [{ op: 'remove', path: '/metadata/annotations/example.com~1owner' }],
});
app.synth();

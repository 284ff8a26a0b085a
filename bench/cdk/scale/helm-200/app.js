// bench/scale/helm-200 with aws-cdk-lib aws-eks-v2: one cluster with 200 Helm
// charts, each in its own namespace.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'Helm200');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'KubectlLayer') },
});
for (let i = 0; i < 200; i++) {
  cluster.addHelmChart(`chart-${i}`, {
    chart: 'nginx-ingress',
    repository: 'https://helm.nginx.com/stable',
    version: '2.3.1',
    namespace: `team-${i}`,
    createNamespace: true,
    values: { controller: { replicaCount: 2 } },
  });
}
app.synth();

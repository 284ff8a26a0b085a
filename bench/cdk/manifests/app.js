// examples/manifests with aws-cdk-lib aws-eks-v2: the seed's hello-kubernetes
// Deployment and Service, with a KubernetesManifest and with addManifest.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'Manifests');
const cluster = new eks.Cluster(stack, 'hello-eks', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'kubectl') },
});
function helloKubernetes(namespace) {
  const appLabel = { app: 'hello-kubernetes' };
  const metadata = { name: 'hello-kubernetes' };
  if (namespace) metadata.namespace = namespace;
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata,
    spec: {
      replicas: 3,
      selector: { matchLabels: appLabel },
      template: {
        metadata: { labels: appLabel },
        spec: { containers: [{ name: 'hello-kubernetes', image: 'paulbouwer/hello-kubernetes:1.5', ports: [{ containerPort: 8080 }] }] },
      },
    },
  };
  const service = {
    apiVersion: 'v1', kind: 'Service', metadata,
    spec: { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 8080 }], selector: appLabel },
  };
  return [deployment, service];
}
const [deployment, service] = helloKubernetes();
new eks.KubernetesManifest(stack, 'hello-kub', { cluster, manifest: [deployment, service] });
const ns = cluster.addManifest('hello-namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'hello' } });
const [deployment2, service2] = helloKubernetes('hello');
cluster.addManifest('hello-kub', service2, deployment2).node.addDependency(ns);
app.synth();

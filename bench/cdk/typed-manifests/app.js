// examples/typed-manifests with aws-cdk-lib aws-eks-v2: the same objects as
// plain JavaScript (aws-cdk-lib has no typed Kubernetes objects; cdk8s would
// be its counterpart).
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'TypedManifests');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'kubectl') },
});
const labels = { app: 'hello-kubernetes' };
cluster.addManifest('hello',
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'hello' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info', namespace: 'hello' }, data: { clusterName: cluster.clusterName } },
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hello-kubernetes', namespace: 'hello' },
    spec: {
      replicas: 3,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'hello-kubernetes', image: 'paulbouwer/hello-kubernetes:1.5', ports: [{ containerPort: 8080 }] }] } },
    },
  },
  {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'hello-kubernetes', namespace: 'hello' },
    spec: { type: 'LoadBalancer', selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
  },
);
app.synth();

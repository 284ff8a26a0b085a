// The Kubernetes side of eks/kubernetes_parity_test.go with aws-cdk-lib
// aws-eks-v2 (no feature flags, like eksforge): the same manifest, Helm
// chart, patch, object value and service account, with the same construct
// paths. aws-eks-v2 needs a kubectl layer for its provider; an imported one
// is enough to synthesize.
const cdk = require('aws-cdk-lib');
const eks = require('aws-cdk-lib/aws-eks-v2');
const lambda = require('aws-cdk-lib/aws-lambda');

const app = new cdk.App();
const stack = new cdk.Stack(app, 'K8s');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  defaultCapacity: 0,
  kubectlProviderOptions: {
    kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'kubectl', 'arn:aws:lambda:us-east-1:123456789012:layer:kubectl:1'),
  },
});
const appLabel = { app: 'hello-kubernetes' };
cluster.addManifest('hello-kub',
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hello-kubernetes' }, spec: { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 8080 }], selector: appLabel } },
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hello-kubernetes' },
    spec: {
      replicas: 3, selector: { matchLabels: appLabel },
      template: { metadata: { labels: appLabel }, spec: { containers: [{ name: 'hello-kubernetes', image: 'paulbouwer/hello-kubernetes:1.5', ports: [{ containerPort: 8080 }] }] } },
    },
  });
cluster.addHelmChart('NginxIngress', {
  chart: 'nginx-ingress', repository: 'https://helm.nginx.com/stable', namespace: 'kube-system',
  version: '2.3.1', values: { controller: { replicaCount: 2 } }, wait: true, atomic: true, skipCrds: true,
});
new eks.KubernetesPatch(stack, 'Patch', {
  cluster, resourceName: 'deployment/hello-kubernetes',
  applyPatch: { spec: { replicas: 5 } }, restorePatch: { spec: { replicas: 3 } },
});
new eks.KubernetesObjectValue(stack, 'Value', {
  cluster, objectType: 'service', objectName: 'my-service', jsonPath: '.status.loadBalancer.ingress[0].hostname',
});
const sa = cluster.addServiceAccount('MyServiceAccount', { namespace: 'apps' });
new cdk.CfnOutput(stack, 'Name', { value: sa.serviceAccountName });
app.synth();

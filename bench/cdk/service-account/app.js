// examples/service-account with aws-cdk-lib aws-eks-v2 (IRSA with the
// native OIDC provider the recommended flags choose, and pod identity).
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const s3 = require('aws-cdk-lib/aws-s3');
const stack = new cdk.Stack(app, 'ServiceAccount');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'kubectl') },
});
const sa = cluster.addServiceAccount('MyServiceAccount');
const bucket = new s3.Bucket(stack, 'Bucket');
bucket.grantReadWrite(sa);
const mypod = cluster.addManifest('mypod', {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'mypod' },
  spec: {
    serviceAccountName: sa.serviceAccountName,
    containers: [{ name: 'hello', image: 'paulbouwer/hello-kubernetes:1.5', ports: [{ containerPort: 8080 }] }],
  },
});
mypod.node.addDependency(sa);
new cdk.CfnOutput(stack, 'ServiceAccountIamRole', { value: sa.role.roleArn });
cluster.addServiceAccount('PodIdentityAccount', { name: 'pod-identity', identityType: eks.IdentityType.POD_IDENTITY });
app.synth();

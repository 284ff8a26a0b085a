// examples/hello-eks with aws-cdk-lib aws-eks-v2: a cluster with the default
// capacity (a managed node group of 2 m5.large nodes) in a new VPC, and the
// seed's mypod manifest. aws-eks-v2's own default is Auto Mode, so the node
// group is asked for; manifests need its kubectl provider (a kubectl layer).
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'HelloEks');
const cluster = new eks.Cluster(stack, 'hello-eks', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'kubectl') },
});
cluster.addManifest('mypod', {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'mypod' },
  spec: {
    containers: [{ name: 'hello', image: 'paulbouwer/hello-kubernetes:1.5', ports: [{ containerPort: 8080 }] }],
  },
});
app.synth();

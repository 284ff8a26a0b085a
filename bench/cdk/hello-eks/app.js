// examples/hello-eks with aws-cdk-lib aws-eks-v2: a cluster with the default
// capacity (a managed node group of 2 m5.large nodes) in a new VPC.
// aws-eks-v2's own default is Auto Mode, so the node group is asked for.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'HelloEks');
new eks.Cluster(stack, 'hello-eks', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
});
app.synth();

// examples/aws-auth with aws-cdk-lib aws-eks (v1): only aws-eks has awsAuth.
// aws-eks needs a kubectl layer.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks');
const ec2 = require('aws-cdk-lib/aws-ec2');
const iam = require('aws-cdk-lib/aws-iam');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'AwsAuth');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacity: 0,
  kubectlLayer: new KubectlV33Layer(stack, 'KubectlLayer'),
});
cluster.addAutoScalingGroupCapacity('Nodes', { instanceType: new ec2.InstanceType('t3.medium'), minCapacity: 1 });
const adminUser = new iam.User(stack, 'Admin');
cluster.awsAuth.addUserMapping(adminUser, { groups: ['system:masters'] });
const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
cluster.awsAuth.addMastersRole(role);
cluster.awsAuth.addAccount('123456789012');
app.synth();

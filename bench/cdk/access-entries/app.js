// examples/access-entries with aws-cdk-lib aws-eks-v2 (always API
// authentication, the Go example's AuthenticationModeApi): a
// masters role, a namespace-scoped view grant and a cluster-scoped edit entry.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const iam = require('aws-cdk-lib/aws-iam');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'AccessEntries');
const admin = new iam.Role(stack, 'AdminRole', { assumedBy: new iam.AccountRootPrincipal() });
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  mastersRole: admin,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  defaultCapacity: 0,
});
const viewer = new iam.Role(stack, 'ViewerRole', { assumedBy: new iam.AccountRootPrincipal() });
cluster.grantAccess('ViewerAccess', viewer.roleArn, [
  eks.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', {
    accessScopeType: eks.AccessScopeType.NAMESPACE,
    namespaces: ['frontend', 'backend'],
  }),
]);
new eks.AccessEntry(stack, 'CiAccess', {
  cluster,
  principal: 'arn:aws:iam::123456789012:role/ci-deployer',
  accessPolicies: [
    eks.AccessPolicy.fromAccessPolicyName('AmazonEKSEditPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER }),
  ],
});
app.synth();

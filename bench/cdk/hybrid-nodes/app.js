// examples/hybrid-nodes with aws-cdk-lib aws-eks-v2. Its Cluster has
// remoteNodeNetworks and remotePodNetworks, and AccessEntry the
// HYBRID_LINUX type; the nodes' role (trust, policies) is written by hand.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const iam = require('aws-cdk-lib/aws-iam');
const { Construct } = require('constructs');

const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'HybridNodes');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  defaultCapacity: 0,
  remoteNodeNetworks: [{ cidrs: ['10.80.0.0/16'] }],
  remotePodNetworks: [{ cidrs: ['10.85.0.0/16'] }],
});

const hybrid = new Construct(cluster, 'HybridNodes');
const role = new iam.Role(hybrid, 'Role', {
  assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com').withConditions({
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnEquals: { 'aws:SourceArn': `arn:${stack.partition}:ssm:${stack.region}:${stack.account}:*` },
  }),
  managedPolicies: [
    iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEC2ContainerRegistryPullOnly'),
    iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'),
  ],
});
role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['eks:DescribeCluster'], resources: [cluster.clusterArn] }));
role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ssm:DeregisterManagedInstance', 'ssm:DescribeInstanceInformation'], resources: ['*'] }));
new eks.AccessEntry(cluster, 'HybridNodesAccessEntry', {
  cluster,
  principal: role.roleArn,
  accessEntryType: eks.AccessEntryType.HYBRID_LINUX,
  accessPolicies: [],
});
new cdk.CfnOutput(stack, 'HybridNodesRoleName', { value: role.roleName });
app.synth();

// examples/cluster-options with aws-cdk-lib aws-eks-v2. Its Cluster has
// controlPlaneScalingTier; the upgrade policy, zonal shift, deletion
// protection, forced version updates and the Outpost placement are
// CfnCluster properties it never sets (escape hatches).
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');

const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'ClusterOptions');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  defaultCapacity: 0,
  controlPlaneScalingTier: eks.ControlPlaneScalingTier.TIER_XL,
});
const cfn = cluster.node.defaultChild;
cfn.addPropertyOverride('UpgradePolicy', { SupportType: 'STANDARD' });
cfn.addPropertyOverride('ZonalShiftConfig', { Enabled: true });
cfn.addPropertyOverride('DeletionProtection', true);
cfn.addPropertyOverride('Force', true);

const local = new cdk.Stack(app, 'LocalCluster');
const localCluster = new eks.Cluster(local, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  defaultCapacity: 0,
  endpointAccess: eks.EndpointAccess.PRIVATE,
});
localCluster.node.defaultChild.addPropertyOverride('OutpostConfig', {
  OutpostArns: ['arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0'],
  ControlPlaneInstanceType: 'm5d.large',
});
app.synth();

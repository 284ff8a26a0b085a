// examples/nodegroup-updates with aws-cdk-lib aws-eks-v2. Its Nodegroup has
// maxUnavailable(Percentage), enableNodeAutoRepair, forceUpdate,
// releaseVersion and launchTemplateSpec; the update strategy and the node
// repair thresholds and overrides are CfnNodegroup properties it never sets
// (escape hatches), and tracking the template's latest version is the
// user's to write.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const ec2 = require('aws-cdk-lib/aws-ec2');

const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'NodegroupUpdates');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  defaultCapacity: 0,
});

const gpu = cluster.addNodegroupCapacity('Gpu', {
  instanceTypes: [new ec2.InstanceType('g6.xlarge')],
  releaseVersion: '1.34.2-20251120',
  maxUnavailablePercentage: 25,
  enableNodeAutoRepair: true,
});
const gpuCfn = gpu.node.defaultChild;
gpuCfn.addPropertyOverride('UpdateConfig.UpdateStrategy', 'MINIMAL');
gpuCfn.addPropertyOverride('NodeRepairConfig.MaxUnhealthyNodeThresholdPercentage', 20);
gpuCfn.addPropertyOverride('NodeRepairConfig.MaxParallelNodesRepairedCount', 2);
gpuCfn.addPropertyOverride('NodeRepairConfig.NodeRepairConfigOverrides', [{
  NodeMonitoringCondition: 'AcceleratedHardwareReady',
  NodeUnhealthyReason: 'NvidiaXID13Error',
  MinRepairWaitTimeMins: 10,
  RepairAction: 'Reboot',
}]);

const template = new ec2.LaunchTemplate(stack, 'NodeTemplate', {
  blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(100, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true }) }],
});
cluster.addNodegroupCapacity('Web', {
  instanceTypes: [new ec2.InstanceType('m7i.large')],
  launchTemplateSpec: { id: template.launchTemplateId, version: template.latestVersionNumber },
  maxUnavailable: 2,
  forceUpdate: true,
});
app.synth();

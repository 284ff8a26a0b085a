// examples/bottlerocket with aws-cdk-lib aws-eks-v2: self-managed Bottlerocket
// nodes and a managed Bottlerocket (arm64) node group.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const ec2 = require('aws-cdk-lib/aws-ec2');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'Bottlerocket');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  defaultCapacity: 0,
});
cluster.addAutoScalingGroupCapacity('BottlerocketNodes', {
  instanceType: new ec2.InstanceType('t3.small'),
  minCapacity: 2,
  machineImageType: eks.MachineImageType.BOTTLEROCKET,
});
cluster.addNodegroupCapacity('BottlerocketManaged', {
  instanceTypes: [new ec2.InstanceType('m6g.medium')],
  amiType: eks.NodegroupAmiType.BOTTLEROCKET_ARM_64,
});
app.synth();

// examples/nodegroup with aws-cdk-lib aws-eks-v2: a Nodegroup with the
// defaults, one with labels, taints, disk size and AMI type, and a spot
// Graviton group.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const ec2 = require('aws-cdk-lib/aws-ec2');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'Nodegroup');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  defaultCapacity: 0,
});
new eks.Nodegroup(stack, 'nodegroup', { cluster });
cluster.addNodegroupCapacity('custom-node-group', {
  instanceTypes: [new ec2.InstanceType('m5.large')],
  minSize: 4,
  diskSize: 100,
  amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
  labels: { team: 'web' },
  taints: [{ key: 'dedicated', value: 'web', effect: eks.TaintEffect.NO_SCHEDULE }],
});
cluster.addNodegroupCapacity('spot-arm', {
  instanceTypes: [new ec2.InstanceType('m6g.large'), new ec2.InstanceType('m7g.large')],
  capacityType: eks.CapacityType.SPOT,
  minSize: 1,
  maxSize: 5,
  maxUnavailable: 1,
});
app.synth();

// examples/ssh-access with aws-cdk-lib aws-eks-v2: self-managed nodes in public
// subnets with a key pair and SSH open from one CIDR.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const ec2 = require('aws-cdk-lib/aws-ec2');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'SshAccess');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  defaultCapacity: 0,
});
const asg = cluster.addAutoScalingGroupCapacity('Nodes', {
  instanceType: new ec2.InstanceType('t3.medium'),
  vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
  associatePublicIpAddress: true,
  keyName: 'my-key-name',
});
// Replace with the address range you connect from.
asg.connections.allowFrom(ec2.Peer.ipv4('203.0.113.0/24'), ec2.Port.tcp(22), 'SSH');
app.synth();

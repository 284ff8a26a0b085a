// The AWS CDK side of aws/ec2's parity test (parity_test.go builds the same
// stacks with eksforge). Run by internal/testenv/cdklib with aws-cdk-lib
// 2.276.0 on NODE_PATH; writes the cloud assembly to $CDK_OUTDIR.
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const iam = require('aws-cdk-lib/aws-iam');

const app = new cdk.App({
  context: {
    // What `cdk synth` would look up for this account and region.
    'availability-zones:account=123456789012:region=us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  },
});

// The default VPC in an environment-agnostic stack.
new ec2.Vpc(new cdk.Stack(app, 'Default'), 'Vpc');

// One NAT gateway shared by the private subnets.
new ec2.Vpc(new cdk.Stack(app, 'OneNat'), 'Vpc', { natGateways: 1 });

// No NAT gateway: public and isolated subnets.
new ec2.Vpc(new cdk.Stack(app, 'NoNat'), 'Vpc', { natGateways: 0 });

// A configured VPC in a known environment with 3 zones.
new ec2.Vpc(new cdk.Stack(app, 'Custom', { env: { account: '123456789012', region: 'us-east-1' } }), 'Vpc', {
  ipAddresses: ec2.IpAddresses.cidr('10.20.0.0/16'),
  maxAzs: 3,
  natGateways: 2,
  vpcName: 'my-vpc',
  subnetConfiguration: [
    { name: 'Ingress', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
    { name: 'App', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    { name: 'Db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 28 },
  ],
});

// Security groups, connections and a launch template.
const s = new cdk.Stack(app, 'Rules');
const vpc = ec2.Vpc.fromVpcAttributes(s, 'Imported', {
  vpcId: 'vpc-12345678', availabilityZones: ['us-east-1a', 'us-east-1b'], privateSubnetIds: ['subnet-1', 'subnet-2'],
});
const a = new ec2.SecurityGroup(s, 'A', { vpc });
const b = new ec2.SecurityGroup(s, 'B', { vpc, allowAllOutbound: false, description: 'bee' });
const c = new ec2.SecurityGroup(s, 'C', { vpc, allowAllOutbound: false });
new ec2.SecurityGroup(s, 'Closed', { vpc, allowAllOutbound: false });
a.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(443));
a.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcpRange(1000, 2000), 'range');
a.connections.allowFrom(b, ec2.Port.tcp(22));
b.connections.allowTo(c, ec2.Port.allTraffic(), 'b to c');
c.connections.allowInternally(ec2.Port.udp(53));
a.connections.allowFrom(ec2.SecurityGroup.fromSecurityGroupId(s, 'Existing', 'sg-12345678'), ec2.Port.tcp(80));
a.addIngressRule(ec2.Peer.prefixList('pl-12345678'), ec2.Port.allIcmp());
a.addIngressRule(ec2.Peer.securityGroupId('sg-87654321'), ec2.Port.icmpType(8));
c.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));

const role = new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
const ud = ec2.UserData.forLinux();
ud.addCommands('echo hi', 'echo there');
new ec2.LaunchTemplate(s, 'LaunchTemplate', {
  instanceType: new ec2.InstanceType('m5.large'),
  machineImage: ec2.MachineImage.fromSsmParameter('/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_id'),
  userData: ud,
  keyName: 'my-key',
  securityGroup: a,
  role,
  requireImdsv2: true,
  blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(50, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true }) }],
});
const mp = new ec2.MultipartUserData();
mp.addUserDataPart(ud, ec2.MultipartBody.SHELL_SCRIPT, true);
mp.addPart(ec2.MultipartBody.fromRawBody({ contentType: 'text/x-foo', body: 'raw body' }));
new ec2.LaunchTemplate(s, 'Multipart', { userData: mp, httpPutResponseHopLimit: 2, httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED });

app.synth();

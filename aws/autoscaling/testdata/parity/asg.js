// The AWS CDK side of aws/autoscaling's parity test (parity_test.go builds
// the same stacks with eksforge). Run by internal/testenv/cdklib with
// aws-cdk-lib 2.276.0 on NODE_PATH; writes the cloud assembly to
// $CDK_OUTDIR. eksforge always builds what the AWS CDK builds with the
// feature flag below: a launch template, not a launch configuration.
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const iam = require('aws-cdk-lib/aws-iam');
const autoscaling = require('aws-cdk-lib/aws-autoscaling');

const app = new cdk.App({
  context: { '@aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig': true },
});
const eksAmi = (arch) => ec2.MachineImage.fromSsmParameter(
  `/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/${arch}/standard/recommended/image_id`);

// Defaults: a new security group, role, instance profile and launch
// template; private subnets; 1 instance. And scheduled actions.
{
  const s = new cdk.Stack(app, 'Basic');
  const vpc = new ec2.Vpc(s, 'Vpc');
  const asg = new autoscaling.AutoScalingGroup(s, 'ASG', { vpc, instanceType: new ec2.InstanceType('m5.large'), machineImage: eksAmi('x86_64') });
  asg.scaleOnSchedule('Morning', {
    schedule: autoscaling.Schedule.cron({ minute: '0', hour: '8', weekDay: '1-5' }),
    minCapacity: 2, timeZone: 'Europe/Berlin', startTime: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
  });
  asg.scaleOnSchedule('Night', { schedule: autoscaling.Schedule.expression('0 20 * * *'), desiredCapacity: 0, maxCapacity: 1 });
}

// Self-managed EKS-style nodes: spot price, rolling update with signals,
// block devices, cluster tags propagated at launch, SSH.
{
  const s = new cdk.Stack(app, 'Full');
  const vpc = new ec2.Vpc(s, 'Vpc');
  const ud = ec2.UserData.forLinux();
  ud.addCommands('echo hi');
  const asg = new autoscaling.AutoScalingGroup(s, 'Nodes', {
    vpc,
    instanceType: new ec2.InstanceType('t3.medium'),
    machineImage: eksAmi('x86_64'),
    userData: ud,
    keyName: 'my-key',
    spotPrice: '0.050',
    minCapacity: 0,
    maxCapacity: 5,
    desiredCapacity: 2,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    associatePublicIpAddress: true,
    requireImdsv2: true,
    blockDevices: [
      { deviceName: '/dev/xvda', volume: autoscaling.BlockDeviceVolume.ebs(50, { volumeType: autoscaling.EbsDeviceVolumeType.GP3, encrypted: true, deleteOnTermination: true }) },
      { deviceName: '/dev/xvdb', volume: autoscaling.BlockDeviceVolume.ebs(100, { volumeType: autoscaling.EbsDeviceVolumeType.GP3, iops: 4000, throughput: 250 }) },
    ],
    updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({ maxBatchSize: 2, minInstancesInService: 1, pauseTime: cdk.Duration.minutes(10) }),
    signals: autoscaling.Signals.waitForAll({ timeout: cdk.Duration.minutes(15) }),
    cooldown: cdk.Duration.seconds(120),
    healthCheck: autoscaling.HealthCheck.ec2({ grace: cdk.Duration.seconds(60) }),
    groupMetrics: [autoscaling.GroupMetrics.all()],
    autoScalingGroupName: 'my-asg',
  });
  cdk.Tags.of(asg).add('kubernetes.io/cluster/demo', 'owned');
  cdk.Tags.of(asg).add('team', 'platform', { applyToLaunchedInstances: false });
  asg.addUserData('/etc/eks/bootstrap.sh demo');
  asg.connections.allowFrom(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(22));
}

// Given role and security group in an imported VPC, arm64, and the other
// update and signal options.
{
  const s = new cdk.Stack(app, 'Existing');
  const vpc = ec2.Vpc.fromVpcAttributes(s, 'Vpc', {
    vpcId: 'vpc-12345678', availabilityZones: ['us-east-1a', 'us-east-1b'],
    privateSubnetIds: ['subnet-1', 'subnet-2'], publicSubnetIds: ['subnet-3', 'subnet-4'],
  });
  const role = new iam.Role(s, 'NodeRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  const sg = new ec2.SecurityGroup(s, 'NodeSG', { vpc, allowAllOutbound: false });
  const extra = ec2.SecurityGroup.fromSecurityGroupId(s, 'Extra', 'sg-12345678');
  const a = new autoscaling.AutoScalingGroup(s, 'Arm', {
    vpc,
    instanceType: new ec2.InstanceType('m7g.xlarge'),
    machineImage: eksAmi('arm64'),
    role,
    securityGroup: sg,
    minCapacity: 2,
    maxCapacity: 10,
    instanceMonitoring: autoscaling.Monitoring.DETAILED,
    updatePolicy: autoscaling.UpdatePolicy.replacingUpdate(),
    signals: autoscaling.Signals.waitForMinCapacity({ minSuccessPercentage: 80 }),
    notifications: [{ topic: { topicArn: 'arn:aws:sns:us-east-1:123456789012:fleet' }, scalingEvents: autoscaling.ScalingEvents.ERRORS }],
    terminationPolicies: [autoscaling.TerminationPolicy.OLDEST_INSTANCE, autoscaling.TerminationPolicy.DEFAULT],
    maxInstanceLifetime: cdk.Duration.days(7),
    ssmSessionPermissions: true,
    capacityRebalance: true,
    defaultInstanceWarmup: cdk.Duration.seconds(30),
    newInstancesProtectedFromScaleIn: true,
    blockDevices: [
      { deviceName: '/dev/sdb', volume: autoscaling.BlockDeviceVolume.ephemeral(0) },
      { deviceName: '/dev/sdc', volume: autoscaling.BlockDeviceVolume.ebsFromSnapshot('snap-1234567890abcdef0', { volumeSize: 20 }) },
    ],
  });
  a.addSecurityGroup(extra);
  a.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] }));
  a.connections.allowTo(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));

  new autoscaling.AutoScalingGroup(s, 'Rolling', {
    vpc,
    instanceType: new ec2.InstanceType('c5.large'),
    machineImage: eksAmi('x86_64'),
    allowAllOutbound: false,
    updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({ suspendProcesses: [autoscaling.ScalingProcess.AZ_REBALANCE] }),
    signals: autoscaling.Signals.waitForCount(3, { minSuccessPercentage: 50, timeout: cdk.Duration.minutes(7) }),
    ignoreUnmodifiedSizeProperties: false,
    healthCheck: autoscaling.HealthCheck.elb({ grace: cdk.Duration.minutes(2) }),
    groupMetrics: [new autoscaling.GroupMetrics(autoscaling.GroupMetric.MIN_SIZE, autoscaling.GroupMetric.MAX_SIZE)],
  });
}

app.synth();

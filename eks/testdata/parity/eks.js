// The aws-cdk-lib (aws-eks-v2) side of eks/parity_test.go: the same apps as
// buildParity* there. Regenerate the recorded templates with
//   cd /tmp/x && CDK_OUTDIR=out NODE_PATH=<node_modules> node <repo>/eks/testdata/parity/eks.js
// and copy out/<Stack>.template.json to eks/testdata/parity/.
const cdk = require('aws-cdk-lib');
const eks = require('aws-cdk-lib/aws-eks-v2');
const ec2 = require('aws-cdk-lib/aws-ec2');
const iam = require('aws-cdk-lib/aws-iam');
const kms = require('aws-cdk-lib/aws-kms');

const app = new cdk.App();

{
  const stack = new cdk.Stack(app, 'Basic');
  const masters = new iam.Role(stack, 'Masters', { assumedBy: new iam.AccountRootPrincipal() });
  const key = new kms.Key(stack, 'SecretsKey');
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_34,
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    mastersRole: masters,
    endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24'),
    secretsEncryptionKey: key,
    clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT],
    tags: { team: 'platform' },
  });
  cluster.addNodegroupCapacity('ng', {
    instanceTypes: [new ec2.InstanceType('m5.large'), new ec2.InstanceType('c5.large')],
    capacityType: eks.CapacityType.SPOT,
    minSize: 2, maxSize: 4, diskSize: 50,
    labels: { team: 'web' },
    taints: [{ key: 'dedicated', value: 'web', effect: eks.TaintEffect.NO_SCHEDULE }],
  });
  cluster.addFargateProfile('fp', { selectors: [{ namespace: 'default', labels: { app: 'shop' } }] });
  cluster.addFargateProfile('fp2', { selectors: [{ namespace: 'kube-system' }] });
  cluster.grantAccess('viewer', 'arn:aws:iam::123456789012:role/viewer', [
    eks.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces: ['a', 'b'] }),
  ]);
}

{
  const stack = new cdk.Stack(app, 'SelfManaged');
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_34,
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    defaultCapacity: 0,
  });
  cluster.addAutoScalingGroupCapacity('Nodes', { instanceType: new ec2.InstanceType('t3.large'), minCapacity: 2 });
}

{
  const stack = new cdk.Stack(app, 'AutoMode');
  new eks.Cluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_34 });
}

// The examples (examples/<name>), as aws-eks-v2 writes them.
{
  const stack = new cdk.Stack(app, 'ExampleNodegroup');
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
  });
  new eks.Nodegroup(stack, 'nodegroup', { cluster });
  cluster.addNodegroupCapacity('custom-node-group', {
    instanceTypes: [new ec2.InstanceType('m5.large')], minSize: 4, diskSize: 100,
    amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
    labels: { team: 'web' },
    taints: [{ key: 'dedicated', value: 'web', effect: eks.TaintEffect.NO_SCHEDULE }],
  });
  cluster.addNodegroupCapacity('spot-arm', {
    instanceTypes: [new ec2.InstanceType('m6g.large'), new ec2.InstanceType('m7g.large')],
    capacityType: eks.CapacityType.SPOT, minSize: 1, maxSize: 5, maxUnavailable: 1,
  });
}
{
  const stack = new cdk.Stack(app, 'ExampleEndpointAccess');
  new eks.Cluster(stack, 'hello-eks', {
    version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    endpointAccess: eks.EndpointAccess.PRIVATE,
  });
  new eks.Cluster(stack, 'restricted', {
    version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
    endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24'),
  });
}
{
  const stack = new cdk.Stack(app, 'ExampleDefaultCapacity');
  new eks.Cluster(stack, 'cluster-two-m5-large', { version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP });
  new eks.Cluster(stack, 'cluster', {
    version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    defaultCapacity: 10, defaultCapacityInstance: new ec2.InstanceType('m5.xlarge'),
  });
}
{
  const stack = new cdk.Stack(app, 'ExampleSecretsEncryption');
  const secretsKey = new kms.Key(stack, 'SecretsKey');
  const cluster = new eks.Cluster(stack, 'MyCluster', {
    version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, secretsEncryptionKey: secretsKey,
  });
  new cdk.CfnOutput(stack, 'ClusterEncryptionConfigKeyArn', { value: cluster.clusterEncryptionConfigKeyArn });
}
{
  const stack = new cdk.Stack(app, 'ExampleMultiCluster');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  for (const name of ['blue', 'green']) {
    const c = new eks.Cluster(stack, name, {
      version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0, vpc,
    });
    c.addNodegroupCapacity('workers', { instanceTypes: [new ec2.InstanceType('m6i.large')], minSize: 2 });
  }
}
{
  const stack = new cdk.Stack(app, 'ExampleHelloEks');
  new eks.Cluster(stack, 'hello-eks', { version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP });
}
{
  const stack = new cdk.Stack(app, 'ExampleNoDefaultCapacity');
  new eks.Cluster(stack, 'cluster-with-no-capacity', {
    version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
  });
}
{
  const stack = new cdk.Stack(app, 'ExampleFargateProfile');
  const cluster = new eks.Cluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP });
  cluster.addFargateProfile('MyProfile', { selectors: [{ namespace: 'default' }] });
}
{
  const stack = new cdk.Stack(app, 'ExampleClusterSecurityGroup');
  const cluster = new eks.Cluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP });
  new cdk.CfnOutput(stack, 'ClusterSecurityGroupId', { value: cluster.clusterSecurityGroupId });
}
{
  const stack = new cdk.Stack(app, 'ExampleAccessEntries');
  const admin = new iam.Role(stack, 'AdminRole', { assumedBy: new iam.AccountRootPrincipal() });
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0, mastersRole: admin,
  });
  const viewer = new iam.Role(stack, 'ViewerRole', { assumedBy: new iam.AccountRootPrincipal() });
  cluster.grantAccess('ViewerAccess', viewer.roleArn, [
    eks.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces: ['frontend', 'backend'] }),
  ]);
  new eks.AccessEntry(stack, 'CiAccess', {
    cluster, principal: 'arn:aws:iam::123456789012:role/ci-deployer',
    accessPolicies: [eks.AccessPolicy.fromAccessPolicyName('AmazonEKSEditPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER })],
  });
}
{
  const stack = new cdk.Stack(app, 'ExampleSelfManagedEc2');
  new eks.Cluster(stack, 'cluster-self-managed-ec2', { version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.EC2 });
}
{
  const autoscaling = require('aws-cdk-lib/aws-autoscaling');
  const stack = new cdk.Stack(app, 'ExampleAddCapacity');
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
  });
  cluster.addAutoScalingGroupCapacity('frontend-nodes', {
    instanceType: new ec2.InstanceType('t3.medium'), minCapacity: 3, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
  });
  const asg = new autoscaling.AutoScalingGroup(stack, 'BackendNodes', {
    vpc: cluster.vpc, instanceType: new ec2.InstanceType('m6g.large'),
    machineImage: new eks.EksOptimizedImage({ kubernetesVersion: '1.34', cpuArch: eks.CpuArch.ARM_64 }), minCapacity: 2,
  });
  cluster.connectAutoScalingGroupCapacity(asg, {});
}
{
  const stack = new cdk.Stack(app, 'ExampleSshAccess');
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
  });
  const asg = cluster.addAutoScalingGroupCapacity('Nodes', {
    instanceType: new ec2.InstanceType('t3.medium'), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    associatePublicIpAddress: true, keyName: 'my-key-name',
  });
  asg.connections.allowFrom(ec2.Peer.ipv4('203.0.113.0/24'), ec2.Port.tcp(22), 'SSH');
}
{
  const stack = new cdk.Stack(app, 'ExampleBottlerocket');
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_34, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
  });
  cluster.addAutoScalingGroupCapacity('BottlerocketNodes', {
    instanceType: new ec2.InstanceType('t3.small'), minCapacity: 2, machineImageType: eks.MachineImageType.BOTTLEROCKET,
  });
  cluster.addNodegroupCapacity('BottlerocketManaged', {
    instanceTypes: [new ec2.InstanceType('m6g.medium')], amiType: eks.NodegroupAmiType.BOTTLEROCKET_ARM_64,
  });
}

app.synth();

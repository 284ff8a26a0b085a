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

app.synth();

// examples/karpenter with aws-cdk-lib aws-eks-v2. aws-cdk-lib has no
// Karpenter construct, so this is what a user of aws-cdk-lib writes by hand
// after Karpenter's getting-started guide (v1.14): the controller's managed
// policies (JSON strings: their condition keys hold the cluster's name),
// EKS Pod Identity, the node role and its EC2_LINUX access entry, the
// interruption queue and its rules, the karpenter-crd and karpenter charts,
// the discovery tags, and the NodePools and EC2NodeClasses as manifests.
// Same stack name and construct ids as the Go example (eks/karpenter).
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const iam = require('aws-cdk-lib/aws-iam');
const sqs = require('aws-cdk-lib/aws-sqs');
const events = require('aws-cdk-lib/aws-events');
const { Construct } = require('constructs');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'Karpenter');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  clusterName: 'karpenter-demo',
  defaultCapacity: 1,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'kubectl') },
});

const k = new Construct(stack, 'Karpenter');
const version = '1.14.1';
const ns = 'kube-system';
const name = cluster.clusterName;

const nodeRole = new iam.Role(k, 'NodeRole', {
  assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
  description: 'Nodes launched by Karpenter',
  managedPolicies: ['AmazonEKS_CNI_Policy', 'AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore']
    .map((n) => iam.ManagedPolicy.fromAwsManagedPolicyName(n)),
});
const access = new eks.AccessEntry(cluster, 'KarpenterNodeAccessEntry', {
  cluster, principal: nodeRole.roleArn, accessEntryType: eks.AccessEntryType.EC2_LINUX, accessPolicies: [],
});
for (const s of cluster.vpc.privateSubnets) {
  cdk.Tags.of(s).add('karpenter.sh/discovery', 'karpenter-demo', { includeResourceTypes: ['AWS::EC2::Subnet'] });
}

const queue = new sqs.CfnQueue(k, 'InterruptionQueue', { messageRetentionPeriod: 300, sqsManagedSseEnabled: true });
new sqs.CfnQueuePolicy(k, 'InterruptionQueuePolicy', {
  queues: [queue.ref],
  policyDocument: {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AllowEventBridgeAndSQS', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queue.attrArn,
        Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] } },
      { Sid: 'DenyHTTP', Effect: 'Deny', Action: 'sqs:*', Resource: queue.attrArn, Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  },
});
for (const [id, source, detail] of [
  ['ScheduledChangeRule', 'aws.health', 'AWS Health Event'],
  ['SpotInterruptionRule', 'aws.ec2', 'EC2 Spot Instance Interruption Warning'],
  ['RebalanceRule', 'aws.ec2', 'EC2 Instance Rebalance Recommendation'],
  ['InstanceStateChangeRule', 'aws.ec2', 'EC2 Instance State-change Notification'],
  ['CapacityReservationInterruptionRule', 'aws.ec2', 'EC2 Capacity Reservation Instance Interruption Warning'],
]) {
  new events.CfnRule(k, id, {
    description: `Sends ${detail} events to Karpenter's interruption queue`,
    eventPattern: { source: [source], 'detail-type': [detail] },
    targets: [{ id: 'KarpenterInterruptionQueueTarget', arn: queue.attrArn }],
  });
}

const sa = new eks.ServiceAccount(k, 'ServiceAccount', {
  cluster, name: 'karpenter', namespace: ns, identityType: eks.IdentityType.POD_IDENTITY,
  labels: { 'app.kubernetes.io/instance': 'karpenter' }, overwriteServiceAccount: true,
});

// Karpenter's template (website/content/en/v1.14/getting-started/
// getting-started-with-karpenter/cloudformation.yaml).
const P = cdk.Aws.PARTITION, R = cdk.Aws.REGION, A = cdk.Aws.ACCOUNT_ID;
const ec2 = (acct, res) => `arn:${P}:ec2:${R}:${acct}:${res}`;
const launchable = ['fleet/*', 'instance/*', 'volume/*', 'network-interface/*', 'launch-template/*', 'spot-instances-request/*'].map((r) => ec2('*', r));
const ct = `kubernetes.io/cluster/${name}`;
const profiles = `arn:${P}:iam::${A}:instance-profile/*`;
const owned = { StringEquals: { [`aws:ResourceTag/${ct}`]: 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } };
const st = (Sid, Resource, Action, Condition) => ({ Sid, Effect: 'Allow', Resource, Action, ...(Condition ? { Condition } : {}) });
const policies = {
  NodeLifecyclePolicy: [
    st('AllowScopedEC2InstanceAccessActions', [ec2('', 'image/*'), ec2('', 'snapshot/*'), ec2('*', 'security-group/*'), ec2('*', 'subnet/*'), ec2('*', 'capacity-reservation/*'), ec2('*', 'placement-group/*')], ['ec2:RunInstances', 'ec2:CreateFleet']),
    st('AllowScopedEC2LaunchTemplateAccessActions', ec2('*', 'launch-template/*'), ['ec2:RunInstances', 'ec2:CreateFleet'], owned),
    st('AllowScopedEC2InstanceActionsWithTags', launchable, ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'], {
      StringEquals: { [`aws:RequestTag/${ct}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': name },
      StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } }),
    st('AllowScopedResourceCreationTagging', launchable, 'ec2:CreateTags', {
      StringEquals: { [`aws:RequestTag/${ct}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': name, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
      StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } }),
    st('AllowScopedResourceTagging', ec2('*', 'instance/*'), 'ec2:CreateTags', {
      ...owned, StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': name },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] } }),
    st('AllowScopedDeletion', [ec2('*', 'instance/*'), ec2('*', 'launch-template/*')], ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'], owned),
  ],
  IAMIntegrationPolicy: [
    st('AllowPassingInstanceRole', nodeRole.roleArn, 'iam:PassRole', { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } }),
    st('AllowScopedInstanceProfileCreationActions', profiles, ['iam:CreateInstanceProfile'], {
      StringEquals: { [`aws:RequestTag/${ct}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': name, 'aws:RequestTag/topology.kubernetes.io/region': R },
      StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' } }),
    st('AllowScopedInstanceProfileTagActions', profiles, ['iam:TagInstanceProfile'], {
      StringEquals: { [`aws:ResourceTag/${ct}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': R,
        [`aws:RequestTag/${ct}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': name, 'aws:RequestTag/topology.kubernetes.io/region': R },
      StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' } }),
    st('AllowScopedInstanceProfileActions', profiles, ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'], {
      StringEquals: { [`aws:ResourceTag/${ct}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': R },
      StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' } }),
  ],
  EKSIntegrationPolicy: [st('AllowAPIServerEndpointDiscovery', cluster.clusterArn, 'eks:DescribeCluster')],
  InterruptionPolicy: [st('AllowInterruptionQueueActions', queue.attrArn, ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'])],
  ZonalShiftPolicy: [st('AllowZonalShiftStatusReadOnly', '*', ['arc-zonal-shift:GetManagedResource'], { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': cluster.clusterArn } })],
  ResourceDiscoveryPolicy: [
    st('AllowRegionalReadActions', '*', ['ec2:DescribeCapacityReservations', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'ec2:DescribeInstanceStatus',
      'ec2:DescribeInstanceTypeOfferings', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates', 'ec2:DescribePlacementGroups',
      'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets'], { StringEquals: { 'aws:RequestedRegion': R } }),
    st('AllowSSMReadActions', `arn:${P}:ssm:${R}::parameter/aws/service/*`, 'ssm:GetParameter'),
    st('AllowPricingReadActions', '*', 'pricing:GetProducts'),
    st('AllowUnscopedInstanceProfileListAction', '*', 'iam:ListInstanceProfiles'),
    st('AllowInstanceProfileReadActions', profiles, 'iam:GetInstanceProfile'),
  ],
};
// The documents are JSON strings (condition keys hold the cluster's name),
// which the tokens inside turn into one Fn::Join.
const managed = Object.entries(policies).map(([id, statements]) => new iam.CfnManagedPolicy(k, `Controller${id}`, {
  description: `Karpenter controller: ${id}`, path: '/', roles: [sa.role.roleName],
  policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
}));

const crdChart = new eks.HelmChart(k, 'CrdChart', {
  cluster, chart: 'karpenter-crd', repository: 'oci://public.ecr.aws/karpenter/karpenter-crd', version, namespace: ns,
  createNamespace: false, release: 'karpenter-crd', atomic: true,
});
const chart = new eks.HelmChart(k, 'Chart', {
  cluster, chart: 'karpenter', repository: 'oci://public.ecr.aws/karpenter/karpenter', version, namespace: ns,
  createNamespace: false, release: 'karpenter', skipCrds: true, wait: true, atomic: true,
  values: {
    settings: { clusterName: name, clusterEndpoint: cluster.clusterEndpoint, interruptionQueue: queue.attrQueueName },
    serviceAccount: { create: false, name: 'karpenter' },
    controller: { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } },
  },
});
chart.node.addDependency(crdChart, sa, ...managed);

const discovery = [{ tags: { 'karpenter.sh/discovery': 'karpenter-demo' } }];
const sg = [{ id: cluster.clusterSecurityGroupId }];
const object = (scope, id, kind, apiVersion, objName, spec, deps) => {
  const m = new eks.KubernetesManifest(scope, id, { cluster, manifest: [{ apiVersion, kind, metadata: { name: objName }, spec }] });
  m.node.addDependency(crdChart, chart, access, ...deps);
  return m;
};
const cls = (objName, extra) => object(new Construct(k, `EC2NodeClass-${objName}`), 'Resource', 'EC2NodeClass', 'karpenter.k8s.aws/v1', objName, {
  subnetSelectorTerms: discovery, securityGroupSelectorTerms: sg, amiSelectorTerms: [{ alias: 'al2023@latest' }], role: nodeRole.roleName, ...extra,
}, []);
const pool = (objName, classManifest, tmpl, limits) => object(new Construct(k, `NodePool-${objName}`), 'Resource', 'NodePool', 'karpenter.sh/v1', objName, {
  template: { metadata: {}, spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: classManifest.objName }, expireAfter: '720h', ...tmpl } },
  disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' },
  limits,
}, [classManifest.m]);

const def = { m: cls('default', {}), objName: 'default' };
pool('default', def, {
  requirements: [
    { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
    { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand', 'spot'] },
    { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
    { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['2'] },
  ],
}, { cpu: '1k' });
const gpu = { m: cls('gpu', { blockDeviceMappings: [{ deviceName: '/dev/xvda', rootVolume: true, ebs: { volumeSize: '200Gi', volumeType: 'gp3' } }] }), objName: 'gpu' };
pool('gpu', gpu, {
  requirements: [
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
    { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g5', 'g6'] },
  ],
  taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
}, { 'nvidia.com/gpu': '8' });
app.synth();

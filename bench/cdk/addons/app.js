// examples/addons with aws-cdk-lib aws-eks-v2. Its Addon has a name, a
// version, configuration values and preserveOnDelete; the Pod Identity
// associations and the conflict resolution go through the CfnAddon escape
// hatch, the roles and the application's association are written by hand,
// and the ordering against the nodes (BeforeCompute) with node.addDependency.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const iam = require('aws-cdk-lib/aws-iam');
const s3 = require('aws-cdk-lib/aws-s3');
const { Construct } = require('constructs');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'Addons');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'kubectl') },
});
const agent = cluster.eksPodIdentityAgent;

// A role EKS Pod Identity can give pods.
function podRole(scope, id, policy) {
  const pods = new iam.ServicePrincipal('pods.eks.amazonaws.com');
  const role = new iam.Role(scope, id, { assumedBy: pods, managedPolicies: policy ? [iam.ManagedPolicy.fromAwsManagedPolicyName(policy)] : [] });
  role.assumeRolePolicy.addStatements(new iam.PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], principals: [pods] }));
  return role;
}

const cni = new eks.Addon(cluster, 'VpcCni', {
  cluster,
  addonName: 'vpc-cni',
  configurationValues: { env: { ENABLE_PREFIX_DELEGATION: 'true' } },
});
const cniRole = podRole(cni, 'aws-nodeRole', 'AmazonEKS_CNI_Policy');
cni.node.defaultChild.addPropertyOverride('PodIdentityAssociations', [{ RoleArn: cniRole.roleArn, ServiceAccount: 'aws-node' }]);
cni.node.addDependency(agent);

const coreDns = new eks.Addon(cluster, 'CoreDns', {
  cluster,
  addonName: 'coredns',
  configurationValues: { replicaCount: 3, autoScaling: { enabled: true, minReplicas: 3, maxReplicas: 10 } },
});
coreDns.node.defaultChild.addPropertyOverride('ResolveConflicts', 'OVERWRITE');

const kubeProxy = new eks.Addon(cluster, 'KubeProxy', {
  cluster,
  addonName: 'kube-proxy',
  addonVersion: 'v1.34.0-eksbuild.2',
  preserveOnDelete: true,
});

const ebs = new eks.Addon(cluster, 'EbsCsiDriver', { cluster, addonName: 'aws-ebs-csi-driver' });
const ebsRole = podRole(ebs, 'ebs-csi-controller-saRole', 'service-role/AmazonEBSCSIDriverPolicy');
ebs.node.defaultChild.addPropertyOverride('PodIdentityAssociations', [{ RoleArn: ebsRole.roleArn, ServiceAccount: 'ebs-csi-controller-sa' }]);
ebs.node.addDependency(agent);

// Before the nodes: the agent, vpc-cni, kube-proxy; after them: CoreDNS
// and the EBS CSI driver.
const ng = cluster.defaultNodegroup.node.defaultChild;
for (const a of [agent, cni, kubeProxy]) ng.node.addDependency(a.node.defaultChild);
coreDns.node.defaultChild.node.addDependency(ng);
ebs.node.defaultChild.node.addDependency(ng);

const reports = new Construct(cluster, 'Reports');
const reportsRole = podRole(reports, 'Role');
const assoc = new eks.CfnPodIdentityAssociation(reports, 'Resource', {
  clusterName: cluster.clusterName,
  namespace: 'analytics',
  roleArn: reportsRole.roleArn,
  serviceAccount: 'reports',
});
assoc.node.addDependency(agent);
const bucket = new s3.Bucket(stack, 'Bucket');
bucket.grantRead(reportsRole);
app.synth();

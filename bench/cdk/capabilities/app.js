// examples/capabilities with aws-cdk-lib aws-eks-v2, which has no
// capability construct: the L1 CfnCapability, with each capability's role
// (trusting capabilities.eks.amazonaws.com) and the Argo CD configuration
// written by hand.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const iam = require('aws-cdk-lib/aws-iam');
const { Construct } = require('constructs');

const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'Capabilities');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  defaultCapacity: 0,
});

// capability adds a capability of type with its own role under id.
function capability(id, type, configuration) {
  const scope = new Construct(cluster, id);
  const svc = new iam.ServicePrincipal('capabilities.eks.amazonaws.com');
  const role = new iam.Role(scope, 'Role', { assumedBy: svc });
  role.assumeRolePolicy.addStatements(new iam.PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], principals: [svc] }));
  const cfn = new eks.CfnCapability(scope, 'Resource', {
    capabilityName: type.toLowerCase(),
    clusterName: cluster.clusterName,
    type,
    roleArn: role.roleArn,
    deletePropagationPolicy: 'RETAIN',
    configuration,
  });
  return { role, cfn };
}

const argo = capability('ArgoCd', 'ARGOCD', {
  argoCd: {
    awsIdc: { idcInstanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef', idcRegion: 'us-east-1' },
    rbacRoleMappings: [
      { role: 'ADMIN', identities: [{ id: 'a1b2c3d4-platform', type: 'SSO_GROUP' }] },
      { role: 'VIEWER', identities: [{ id: 'e5f6a7b8-developers', type: 'SSO_GROUP' }] },
    ],
  },
});
new cdk.CfnOutput(stack, 'ArgoCdServerUrl', { value: argo.cfn.attrConfigurationArgoCdServerUrl });

const ack = capability('Ack', 'ACK');
ack.role.addToPrincipalPolicy(new iam.PolicyStatement({
  actions: ['s3:CreateBucket', 's3:DeleteBucket', 's3:PutBucketTagging', 's3:GetBucketTagging', 's3:ListBucket'],
  resources: ['arn:aws:s3:::team-*'],
}));

capability('Kro', 'KRO');
app.synth();

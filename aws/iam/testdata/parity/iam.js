// The AWS CDK side of TestParityWithAwsCdk (parity_test.go), the wider
// case: every principal kind, inline and managed policies, users, groups,
// imported roles and grants. Same flags and regeneration as role.js:
//
//	NODE_PATH=DIR CDK_OUTDIR=/tmp/iam node iam.js
//	cp /tmp/iam/Stack.template.json iam.template.json
const cdk = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const cxapi = require('aws-cdk-lib/cx-api');

const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'Stack');
const issuer = 'oidc.eks.us-east-1.amazonaws.com/id/ABC';

const provider = new iam.OidcProviderNative(stack, 'Provider', {
  url: `https://${issuer}`,
  clientIds: ['sts.amazonaws.com'],
});
const doc = (action) => new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: [action], resources: ['*'] })] });
const oidcRole = new iam.Role(stack, 'OidcRole', {
  assumedBy: new iam.OpenIdConnectPrincipal(provider, {
    StringEquals: { [`${issuer}:sub`]: 'system:serviceaccount:default:app', [`${issuer}:aud`]: 'sts.amazonaws.com' },
  }),
  maxSessionDuration: cdk.Duration.hours(2),
  path: '/eks/',
  description: 'desc',
  roleName: 'my-role',
  permissionsBoundary: iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess'),
  inlinePolicies: { Alpha: doc('sns:Publish'), Zeta: doc('sqs:SendMessage') },
});
const svcRole = new iam.Role(stack, 'ServiceRole', {
  assumedBy: new iam.ServicePrincipal('eks.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': '123456789012' } }),
  externalIds: ['x1'],
});
oidcRole.grantPassRole(svcRole);
oidcRole.grantAssumeRole(svcRole);
const accountRole = new iam.Role(stack, 'AccountRole', { assumedBy: new iam.AccountPrincipal('222233334444') });
const fedRole = new iam.Role(stack, 'FederatedRole', {
  assumedBy: new iam.FederatedPrincipal('cognito-identity.amazonaws.com',
    { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'pool' } }, 'sts:AssumeRoleWithWebIdentity'),
});
new iam.Role(stack, 'CompositeRole', {
  assumedBy: new iam.CompositePrincipal(new iam.ServicePrincipal('lambda.amazonaws.com'), new iam.AccountRootPrincipal(),
    new iam.ArnPrincipal('arn:aws:iam::111111111111:role/x')),
});
const imported = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/service-role/imp');
imported.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
const immutable = iam.Role.fromRoleArn(stack, 'Immutable', 'arn:aws:iam::123456789012:role/imp2', { mutable: false });
immutable.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
const user = new iam.User(stack, 'User', { managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')] });
const group = new iam.Group(stack, 'Group');
group.addUser(user);
user.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeInstances'], resources: ['*'] }));
group.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeVpcs'], resources: ['*'] }));
new iam.ManagedPolicy(stack, 'Managed', {
  statements: [new iam.PolicyStatement({ actions: ['logs:*'], resources: ['*'] })],
  roles: [accountRole],
});
new iam.Policy(stack, 'Inline', {
  statements: [new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] })],
  roles: [fedRole], users: [user], groups: [group],
});
const st = new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] });
st.addCondition('StringEquals', { a: '1' });
st.addCondition('StringEquals', { b: '2' });
st.addCondition('Bool', { c: 'true' });
accountRole.addToPolicy(st);
accountRole.addToPolicy(new iam.PolicyStatement({ notActions: ['iam:*'], notResources: ['arn:aws:s3:::x'], effect: iam.Effect.DENY, sid: 'DenyAll' }));
const fromJson = iam.PolicyDocument.fromJson({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      Resource: '*',
      Condition: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } },
    },
    { Effect: 'Allow', Action: 'ec2:DescribeVpcs', Resource: '*' },
    { Effect: 'Allow', Action: ['ec2:DescribeSubnets'], Resource: ['*'] },
  ],
});
new iam.ManagedPolicy(stack, 'FromJson', { document: fromJson, roles: [fedRole] });
const trustRole = new iam.Role(stack, 'TrustRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
trustRole.assumeRolePolicy.addStatements(iam.PolicyStatement.fromJson({
  Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::123456789012:role/a', 'arn:aws:iam::123456789012:role/b'] }, Action: 'sts:AssumeRole',
}));
trustRole.assumeRolePolicy.addStatements(iam.PolicyStatement.fromJson({
  Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
}));
const importedProvider = iam.OidcProviderNative.fromOidcProviderArn(stack, 'ImportedProvider',
  'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/DEF');
new iam.Role(stack, 'ImportedProviderRole', { assumedBy: new iam.OpenIdConnectPrincipal(importedProvider) });
new cdk.CfnOutput(stack, 'ImportedName', { value: imported.roleName });
new cdk.CfnOutput(stack, 'ProviderIssuer', { value: provider.openIdConnectProviderIssuer });
new cdk.CfnOutput(stack, 'ImportedProviderIssuer', { value: importedProvider.openIdConnectProviderIssuer });

app.synth();

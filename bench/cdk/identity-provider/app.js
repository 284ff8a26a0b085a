// examples/identity-provider with aws-cdk-lib aws-eks-v2, which has no
// identity-provider construct: the L1 CfnIdentityProviderConfig, with the
// name, the claims and their prefixes written by hand.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const { Construct } = require('constructs');

const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'IdentityProvider');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  defaultCapacity: 0,
});
new eks.CfnIdentityProviderConfig(new Construct(cluster, 'Okta'), 'Resource', {
  clusterName: cluster.clusterName,
  identityProviderConfigName: 'okta',
  type: 'oidc',
  oidc: {
    issuerUrl: 'https://example.okta.com/oauth2/default',
    clientId: 'kubernetes',
    usernameClaim: 'email',
    usernamePrefix: 'okta:',
    groupsClaim: 'groups',
    groupsPrefix: 'okta:',
    requiredClaims: [{ key: 'tenant', value: 'example' }],
  },
});
app.synth();

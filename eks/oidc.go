package eks

import (
	"github.com/eksforge/eksforge/aws/iam"
)

// OpenIdConnectProvider returns the cluster's IAM OpenID Connect provider
// (native AWS::IAM::OIDCProvider, id "OpenIdConnectProvider"), made once on
// first use, with audience sts.amazonaws.com and the cluster's issuer URL.
//
// It has no thumbprints: IAM no longer uses them for EKS's issuers (it
// trusts the issuer's certificate through its own library of root CAs), and
// AWS::IAM::OIDCProvider accepts a provider without ThumbprintList. The AWS
// CDK's custom resource fetches the current root CA's thumbprint at deploy
// time; nothing here needs it.
func (c *Cluster) OpenIdConnectProvider() iam.IOpenIDConnectProvider {
	return openIdConnectProviderOf(c)
}

func openIdConnectProviderOf(c ICluster) iam.IOpenIDConnectProvider {
	st := stateOf(c)
	if st.oidc != nil {
		return st.oidc
	}
	if ic, ok := c.(*importedCluster); ok {
		if ic.attrs.OpenIdConnectProvider == nil {
			panic(c.Node().Path() + ": the imported cluster has no OpenIdConnectProvider: set ClusterAttributes.OpenIdConnectProvider (iam.OpenIDConnectProviderFromArn) for IRSA service accounts, or use eks.IdentityTypePodIdentity")
		}
		st.oidc = ic.attrs.OpenIdConnectProvider
		return st.oidc
	}
	st.oidc = iam.NewOpenIDConnectProvider(c, "OpenIdConnectProvider", iam.OpenIDConnectProviderProps{
		URL:       c.ClusterOpenIdConnectIssuerUrl(),
		ClientIDs: []string{"sts.amazonaws.com"},
	})
	return st.oidc
}

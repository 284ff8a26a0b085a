package eks

import (
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
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

// podIdentityAgent installs the eks-pod-identity-agent add-on once per
// owned cluster (EKS Auto Mode has it built in; imported clusters are
// expected to have it).
func podIdentityAgent(c ICluster) {
	st := stateOf(c)
	oc, ok := c.(*Cluster)
	if st.podIdentityAgent != nil || !ok || oc.props.DefaultCapacityType == DefaultCapacityTypeAutoMode {
		return
	}
	addon := cfneks.NewCfnAddon(oc, "EksPodIdentityAgentAddon", cfneks.CfnAddonProps{
		AddonName:   "eks-pod-identity-agent",
		ClusterName: oc.ClusterName(),
	})
	oc.applyRemovalPolicy(&addon.CfnResource)
	st.podIdentityAgent = addon
	_ = cdk.Construct(addon)
}

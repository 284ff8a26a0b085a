package eks

import (
	"net/url"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/cdk"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
)

// OidcIdentityProviderOptions configure an OpenID Connect identity provider
// whose users sign in to the cluster's Kubernetes API (Okta, Dex, Entra ID,
// Keycloak, ...). Not to be confused with the cluster's own OIDC issuer,
// which IRSA trusts ([Cluster.OpenIdConnectProvider]).
type OidcIdentityProviderOptions struct {
	// IdentityProviderConfigName is the configuration's name. Changing it
	// replaces the configuration.
	// Default: the construct's unique ID, lower-cased (at most 100
	// characters).
	IdentityProviderConfigName string
	// IssuerUrl is the provider's issuer: an https URL that serves
	// /.well-known/openid-configuration and matches the tokens' iss claim.
	// Required.
	IssuerUrl string
	// ClientId is the client (audience) the tokens are issued for.
	// Required.
	ClientId string
	// UsernameClaim is the token claim used as the Kubernetes user name.
	// Default: EKS's ("sub").
	UsernameClaim string
	// UsernamePrefix is prepended to user names, to tell them from other
	// users; it cannot contain "system:".
	// Default: EKS's (the issuer URL and "#", unless UsernameClaim is
	// "email").
	UsernamePrefix string
	// GroupsClaim is the token claim holding the user's groups.
	// Default: none (users have no groups from the provider).
	GroupsClaim string
	// GroupsPrefix is prepended to group names; it cannot contain
	// "system:".
	// Default: none.
	GroupsPrefix string
	// RequiredClaims must be in every token with these values.
	// Default: none.
	RequiredClaims map[string]string
	// Tags of the configuration.
	// Default: none.
	Tags map[string]string
}

// OidcIdentityProviderProps define an OidcIdentityProvider.
type OidcIdentityProviderProps struct {
	OidcIdentityProviderOptions
	// Cluster the provider signs users in to. Required.
	Cluster ICluster
}

// OidcIdentityProvider associates an OpenID Connect identity provider with
// a cluster (AWS::EKS::IdentityProviderConfig of type oidc): users
// authenticate with the provider's tokens, and Kubernetes RBAC bindings
// name their (prefixed) user names and groups. EKS allows one per cluster.
//
// EKS cannot change a provider configuration in place: a change of any
// setting (other than Tags) replaces it, and since the replacement is
// created before the old one is deleted and a cluster has at most one, such
// a change takes two deployments: remove the provider, deploy, add it back
// with the new settings, deploy (`eksforge diff` shows the replacement).
type OidcIdentityProvider struct {
	cdk.Base

	// Resource is the AWS::EKS::IdentityProviderConfig resource.
	Resource *cfneks.CfnIdentityProviderConfig
	name     string
}

// NewOidcIdentityProvider associates an OIDC identity provider with a
// cluster.
func NewOidcIdentityProvider(scope cdk.Construct, id string, props OidcIdentityProviderProps) *OidcIdentityProvider {
	p := &OidcIdentityProvider{}
	cdk.InitConstruct(p, scope, id)
	c := props.Cluster
	if c == nil {
		panic(p.Node().Path() + ": OidcIdentityProviderProps.Cluster is required")
	}
	o := props.OidcIdentityProviderOptions
	p.name = o.IdentityProviderConfigName
	if p.name == "" {
		p.name = strings.ToLower(cdk.UniqueID(p))
		if len(p.name) > 100 {
			p.name = p.name[len(p.name)-100:]
		}
	}
	p.validate(o)
	in := c.internals()
	if in.identityProvider != nil {
		p.Node().AddError("the cluster already has an OIDC identity provider (%s): EKS associates one per cluster", in.identityProvider.Node().Path())
	} else {
		in.identityProvider = p
	}

	cfg := &cfneks.CfnIdentityProviderConfigOidcIdentityProviderConfig{
		IssuerUrl:      o.IssuerUrl,
		ClientId:       o.ClientId,
		UsernameClaim:  o.UsernameClaim,
		UsernamePrefix: o.UsernamePrefix,
		GroupsClaim:    o.GroupsClaim,
		GroupsPrefix:   o.GroupsPrefix,
	}
	keys := make([]string, 0, len(o.RequiredClaims))
	for k := range o.RequiredClaims {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cfg.RequiredClaims = append(cfg.RequiredClaims, cfneks.CfnIdentityProviderConfigRequiredClaim{Key: k, Value: o.RequiredClaims[k]})
	}
	p.Resource = cfneks.NewCfnIdentityProviderConfig(p, "Resource", cfneks.CfnIdentityProviderConfigProps{
		ClusterName:                c.ClusterName(),
		IdentityProviderConfigName: p.name,
		Type:                       "oidc",
		Oidc:                       cfg,
		Tags:                       sortedTags(o.Tags),
	})
	p.Node().SetDefaultChild(p.Resource)
	if oc, ok := c.(*Cluster); ok {
		oc.applyRemovalPolicy(&p.Resource.CfnResource)
	}
	return p
}

func (p *OidcIdentityProvider) validate(o OidcIdentityProviderOptions) {
	switch {
	case o.IssuerUrl == "":
		p.Node().AddError("IssuerUrl is required: set the https URL of the identity provider's issuer")
	case cdk.IsUnresolved(o.IssuerUrl):
	default:
		u, err := url.Parse(o.IssuerUrl)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			p.Node().AddError("IssuerUrl %q is not an https URL without query or fragment: EKS fetches the provider's keys over https, e.g. https://login.example.com/oauth2/default", o.IssuerUrl)
		}
	}
	if o.ClientId == "" {
		p.Node().AddError("ClientId is required: set the client (audience) the provider issues tokens for")
	}
	if !cdk.IsUnresolved(p.name) && (len(p.name) > 100 || !eksNamePattern.MatchString(p.name)) {
		p.Node().AddError("IdentityProviderConfigName %q must be 1 to 100 letters, digits, '-' and '_', starting with a letter or digit", p.name)
	}
	for _, f := range []struct{ name, v string }{{"UsernamePrefix", o.UsernamePrefix}, {"GroupsPrefix", o.GroupsPrefix}} {
		if strings.Contains(f.v, "system:") {
			p.Node().AddError("%s %q contains \"system:\", which is reserved for Kubernetes' own users and groups: use another prefix, e.g. \"oidc:\"", f.name, f.v)
		}
	}
	if o.GroupsPrefix != "" && o.GroupsClaim == "" {
		p.Node().AddError("GroupsPrefix is set without GroupsClaim: name the token claim holding the groups")
	}
	for k, v := range o.RequiredClaims {
		if k == "" || len(k) > 63 || len(v) > 253 {
			p.Node().AddError("RequiredClaims %q=%q: keys are 1 to 63 characters and values at most 253", k, v)
		}
	}
	if len(o.RequiredClaims) > 10 {
		p.Node().AddError("RequiredClaims has %d claims; EKS allows at most 10", len(o.RequiredClaims))
	}
}

// AddOidcIdentityProvider associates an OIDC identity provider with the
// cluster (an OidcIdentityProvider with id id under the cluster).
func (c *Cluster) AddOidcIdentityProvider(id string, opts OidcIdentityProviderOptions) *OidcIdentityProvider {
	return NewOidcIdentityProvider(c, id, OidcIdentityProviderProps{OidcIdentityProviderOptions: opts, Cluster: c})
}

// IdentityProviderConfigName is the configuration's name.
func (p *OidcIdentityProvider) IdentityProviderConfigName() string { return p.name }

// IdentityProviderConfigArn is the configuration's ARN.
func (p *OidcIdentityProvider) IdentityProviderConfigArn() string {
	return p.Resource.AttrIdentityProviderConfigArn()
}

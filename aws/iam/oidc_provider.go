package iam

import (
	"fmt"
	"regexp"

	"github.com/eksforge/eksforge/cdk"
	cfniam "github.com/eksforge/eksforge/cfn/iam"
)

// OpenIDConnectProviderProps define an [OpenIDConnectProvider].
type OpenIDConnectProviderProps struct {
	// URL is the provider's issuer URL, "https://…", at most 255
	// characters. Required.
	URL string
	// ClientIDs are the audiences (client IDs) tokens may carry, at most
	// 100, e.g. "sts.amazonaws.com".
	// Default: none.
	ClientIDs []string
	// Thumbprints are the SHA-1 fingerprints (40 hex digits) of the
	// certificates of the provider's TLS endpoint, at most 5.
	// Default: none (IAM trusts the provider's certificate authority).
	Thumbprints []string
	// RemovalPolicy applies when the provider leaves the stack.
	// Default: CloudFormation's (delete).
	RemovalPolicy cdk.RemovalPolicy
}

// OpenIDConnectProvider is an IAM OpenID Connect identity provider, with
// the native AWS::IAM::OIDCProvider resource (the AWS CDK's
// OidcProviderNative): an EKS cluster's provider lets Kubernetes service
// accounts assume roles (see [NewOpenIDConnectPrincipal]).
type OpenIDConnectProvider struct {
	cdk.Base
	resource *cfniam.CfnOIDCProvider
}

var thumbprintPattern = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)

// NewOpenIDConnectProvider adds a provider to scope. It panics without a
// URL; other invalid props are reported at synthesis.
func NewOpenIDConnectProvider(scope cdk.Construct, id string, props OpenIDConnectProviderProps) *OpenIDConnectProvider {
	p := &OpenIDConnectProvider{}
	cdk.InitConstruct(p, scope, id)
	if props.URL == "" {
		panic(fmt.Sprintf("iam: OpenID Connect provider %q needs OpenIDConnectProviderProps.URL, the issuer URL (https://…)", p.Node().Path()))
	}
	if !cdk.IsUnresolved(props.URL) && len(props.URL) > 255 {
		p.Node().AddError("the provider URL is %d characters long; IAM allows at most 255", len(props.URL))
	}
	if len(props.ClientIDs) > 100 {
		p.Node().AddError("%d client IDs given; IAM allows at most 100", len(props.ClientIDs))
	}
	for _, c := range props.ClientIDs {
		if !cdk.IsUnresolved(c) && len(c) > 255 {
			p.Node().AddError("client ID %q is longer than 255 characters", c)
		}
	}
	if len(props.Thumbprints) > 5 {
		p.Node().AddError("%d thumbprints given; IAM allows at most 5", len(props.Thumbprints))
	}
	for _, t := range props.Thumbprints {
		if !cdk.IsUnresolved(t) && !thumbprintPattern.MatchString(t) {
			p.Node().AddError("thumbprint %q is invalid: it must be 40 hexadecimal digits (a certificate's SHA-1 fingerprint)", t)
		}
	}
	p.resource = cfniam.NewCfnOIDCProvider(p, "Resource", cfniam.CfnOIDCProviderProps{
		Url:            props.URL,
		ClientIdList:   props.ClientIDs,
		ThumbprintList: props.Thumbprints,
	})
	if props.RemovalPolicy != "" {
		p.resource.ApplyRemovalPolicy(props.RemovalPolicy)
	}
	return p
}

// Resource is the AWS::IAM::OIDCProvider resource.
func (p *OpenIDConnectProvider) Resource() *cfniam.CfnOIDCProvider { return p.resource }

// OpenIDConnectProviderArn is the provider's ARN ({"Ref": provider}).
func (p *OpenIDConnectProvider) OpenIDConnectProviderArn() string { return p.resource.Ref() }

// OpenIDConnectProviderIssuer is the issuer without "https://", taken from
// the ARN as the AWS CDK does ({"Fn::Select": [1, {"Fn::Split":
// [":oidc-provider/", arn]}]}).
func (p *OpenIDConnectProvider) OpenIDConnectProviderIssuer() string {
	return oidcIssuerFromArn(p.OpenIDConnectProviderArn())
}

func oidcIssuerFromArn(arn string) string {
	if cdk.IsUnresolved(arn) {
		return cdk.Fn.Select(1, cdk.Fn.Split(":oidc-provider/", arn))
	}
	c, err := cdk.SplitArn(arn, cdk.ArnFormatSlashResourceName)
	if err != nil {
		return ""
	}
	return c.ResourceName
}

type importedOIDCProvider struct {
	cdk.Base
	arn, issuer string
}

func (p *importedOIDCProvider) OpenIDConnectProviderArn() string    { return p.arn }
func (p *importedOIDCProvider) OpenIDConnectProviderIssuer() string { return p.issuer }

// OpenIDConnectProviderFromArn imports an existing provider by ARN
// (arn:<partition>:iam::<account>:oidc-provider/<issuer>). It panics on a
// malformed ARN.
func OpenIDConnectProviderFromArn(scope cdk.Construct, id string, arn string) IOpenIDConnectProvider {
	p := &importedOIDCProvider{arn: arn}
	cdk.InitConstruct(p, scope, id)
	if !cdk.IsUnresolved(arn) {
		c, err := cdk.SplitArn(arn, cdk.ArnFormatSlashResourceName)
		if err != nil || c.Service != "iam" || c.Resource != "oidc-provider" || c.ResourceName == "" {
			panic(fmt.Sprintf("iam: %s: %q is not an OpenID Connect provider ARN; expected arn:<partition>:iam::<account>:oidc-provider/<issuer>", p.Node().Path(), arn))
		}
	}
	p.issuer = oidcIssuerFromArn(arn)
	return p
}

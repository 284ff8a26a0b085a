package iam_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

func TestOpenIDConnectProvider(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	p := iam.NewOpenIDConnectProvider(stack, "Provider", iam.OpenIDConnectProviderProps{
		URL:           "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
		ClientIDs:     []string{"sts.amazonaws.com"},
		Thumbprints:   []string{"9e99a48a9960b14926bb7f3b02e22da2b0ab7280"},
		RemovalPolicy: cdk.RemovalPolicyRetain,
	})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResource("AWS::IAM::OIDCProvider", map[string]any{
		"DeletionPolicy": "Retain",
		"Properties": map[string]any{
			"Url":            "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
			"ClientIdList":   []any{"sts.amazonaws.com"},
			"ThumbprintList": []any{"9e99a48a9960b14926bb7f3b02e22da2b0ab7280"},
		},
	})
	if !cdk.IsUnresolved(p.OpenIDConnectProviderIssuer()) || p.Resource() == nil {
		t.Error("issuer of a new provider is a token")
	}
}

func TestOpenIDConnectProviderErrors(t *testing.T) {
	t.Parallel()
	app, stack := synthtest.NewStack()
	iam.NewOpenIDConnectProvider(stack, "Provider", iam.OpenIDConnectProviderProps{
		URL:         "https://" + strings.Repeat("x", 250),
		Thumbprints: []string{"nothex", "1", "2", "3", "4", "5"},
	})
	synthtest.WantErrors(t, synthtest.SynthError(t, app), "Stack/Provider", "is 258 characters long", "6 thumbprints given", `thumbprint "nothex" is invalid`)
	if msg := synthtest.MustPanic(t, func() { iam.NewOpenIDConnectProvider(stack, "NoURL", iam.OpenIDConnectProviderProps{}) }); !strings.Contains(msg, `"Stack/NoURL" needs OpenIDConnectProviderProps.URL`) {
		t.Errorf("panic %q", msg)
	}
}

func TestOpenIDConnectProviderFromArn(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	p := iam.OpenIDConnectProviderFromArn(stack, "P", "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/DEF")
	if p.OpenIDConnectProviderIssuer() != "oidc.eks.eu-west-1.amazonaws.com/id/DEF" {
		t.Errorf("issuer %q", p.OpenIDConnectProviderIssuer())
	}
	if msg := synthtest.MustPanic(t, func() { iam.OpenIDConnectProviderFromArn(stack, "Bad", "arn:aws:iam::123456789012:role/x") }); !strings.Contains(msg, "is not an OpenID Connect provider ARN") {
		t.Errorf("panic %q", msg)
	}
}

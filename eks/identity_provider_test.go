package eks_test

import (
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

func TestOidcIdentityProvider(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	p := c.AddOidcIdentityProvider("Okta", eks.OidcIdentityProviderOptions{
		IssuerUrl:      "https://example.okta.com/oauth2/default",
		ClientId:       "kubernetes",
		UsernameClaim:  "email",
		UsernamePrefix: "okta:",
		GroupsClaim:    "groups",
		GroupsPrefix:   "okta:",
		RequiredClaims: map[string]string{"tenant": "acme", "aud": "kubernetes"},
	})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::EKS::IdentityProviderConfig", map[string]any{
		"ClusterName":                map[string]any{"Ref": "ClusterEB0386A7"},
		"IdentityProviderConfigName": "stackclusterokta3bbcf5eb",
		"Type":                       "oidc",
		"Oidc": map[string]any{
			"IssuerUrl": "https://example.okta.com/oauth2/default", "ClientId": "kubernetes",
			"UsernameClaim": "email", "UsernamePrefix": "okta:", "GroupsClaim": "groups", "GroupsPrefix": "okta:",
			"RequiredClaims": []any{map[string]any{"Key": "aud", "Value": "kubernetes"}, map[string]any{"Key": "tenant", "Value": "acme"}},
		},
	})
	if p.IdentityProviderConfigName() != "stackclusterokta3bbcf5eb" || !cdk.IsUnresolved(p.IdentityProviderConfigArn()) {
		t.Errorf("accessors: %s", p.IdentityProviderConfigName())
	}
}

func TestOidcIdentityProviderValidation(t *testing.T) {
	t.Parallel()
	ok := eks.OidcIdentityProviderOptions{IssuerUrl: "https://idp.example.com", ClientId: "k8s"}
	with := func(f func(*eks.OidcIdentityProviderOptions)) eks.OidcIdentityProviderOptions {
		o := ok
		f(&o)
		return o
	}
	cases := []struct {
		name string
		opts []eks.OidcIdentityProviderOptions
		want []string
	}{
		{"fails with an http issuer", []eks.OidcIdentityProviderOptions{with(func(o *eks.OidcIdentityProviderOptions) { o.IssuerUrl = "http://idp.example.com" })},
			[]string{"Stack/Cluster/Idp", `IssuerUrl "http://idp.example.com" is not an https URL`}},
		{"fails with an issuer that is not a URL", []eks.OidcIdentityProviderOptions{with(func(o *eks.OidcIdentityProviderOptions) { o.IssuerUrl = "idp.example.com" })},
			[]string{`IssuerUrl "idp.example.com" is not an https URL`}},
		{"fails without issuer and client", []eks.OidcIdentityProviderOptions{{}},
			[]string{"IssuerUrl is required", "ClientId is required"}},
		{"fails with a system: prefix", []eks.OidcIdentityProviderOptions{with(func(o *eks.OidcIdentityProviderOptions) { o.UsernamePrefix = "system:oidc:" })},
			[]string{`UsernamePrefix "system:oidc:" contains "system:"`}},
		{"fails with a groups prefix without claim", []eks.OidcIdentityProviderOptions{with(func(o *eks.OidcIdentityProviderOptions) { o.GroupsPrefix = "oidc:" })},
			[]string{"GroupsPrefix is set without GroupsClaim"}},
		{"fails with a bad name", []eks.OidcIdentityProviderOptions{with(func(o *eks.OidcIdentityProviderOptions) { o.IdentityProviderConfigName = "my idp" })},
			[]string{`IdentityProviderConfigName "my idp" must be`}},
		{"fails with two providers", []eks.OidcIdentityProviderOptions{ok, ok},
			[]string{"Stack/Cluster/Idp1", "the cluster already has an OIDC identity provider (Stack/Cluster/Idp)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			c := clusterWithoutCapacity(stack)
			for i, o := range tc.opts {
				id := "Idp"
				if i > 0 {
					id += "1"
				}
				c.AddOidcIdentityProvider(id, o)
			}
			wantError(t, app, tc.want...)
		})
	}
}

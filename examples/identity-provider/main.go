// Command identity-provider synthesizes a cluster whose users sign in with
// an OpenID Connect identity provider (Okta, Entra ID, Dex, Keycloak, ...):
// the provider's tokens authenticate them, their user names and groups get
// a prefix, and only tokens with the required claims are accepted.
// Kubernetes RBAC bindings then name the prefixed groups.
//
//	go run ./examples/identity-provider
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

func main() {
	app := cdk.NewApp(cdk.AppProps{})
	build(app)
	asm, err := app.Synth()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, s := range asm.Stacks {
		fmt.Printf("%s: %s/%s\n", s.StackName, asm.Directory, s.TemplateFile)
	}
}

// build adds the example's stack to app.
func build(app *cdk.App) {
	stack := cdk.NewStack(app, "IdentityProvider", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})

	cluster.AddOidcIdentityProvider("Okta", eks.OidcIdentityProviderOptions{
		IdentityProviderConfigName: "okta",
		IssuerUrl:                  "https://example.okta.com/oauth2/default",
		ClientId:                   "kubernetes",
		UsernameClaim:              "email",
		UsernamePrefix:             "okta:",
		GroupsClaim:                "groups",
		GroupsPrefix:               "okta:",
		RequiredClaims:             map[string]string{"tenant": "example"},
	})
}

// Command access-entries synthesizes access entries: a cluster in API authentication mode, a masters role with
// cluster-admin (and the update-kubeconfig outputs), a role that may view
// two namespaces, and an AccessEntry construct.
//
//	go run ./examples/access-entries
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/aws/iam"
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
	stack := cdk.NewStack(app, "AccessEntries", cdk.StackProps{})
	admin := iam.NewRole(stack, "AdminRole", iam.RoleProps{AssumedBy: iam.NewAccountRootPrincipal()})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{
		Version:            eks.V1_34,
		AuthenticationMode: eks.AuthenticationModeApi,
		MastersRole:        admin,
		DefaultCapacity:    cdk.Ptr(0),
	})
	viewer := iam.NewRole(stack, "ViewerRole", iam.RoleProps{AssumedBy: iam.NewAccountRootPrincipal()})
	cluster.GrantAccess("ViewerAccess", viewer.RoleArn(),
		eks.AccessPolicyFromAccessPolicyName("AmazonEKSViewPolicy", eks.AccessScope{
			Type:       eks.AccessScopeTypeNamespace,
			Namespaces: []string{"frontend", "backend"},
		}))
	eks.NewAccessEntry(stack, "CiAccess", eks.AccessEntryProps{
		Cluster:   cluster,
		Principal: "arn:aws:iam::123456789012:role/ci-deployer",
		AccessPolicies: []eks.AccessPolicy{
			eks.AccessPolicyFromAccessPolicyName("AmazonEKSEditPolicy", eks.AccessScope{Type: eks.AccessScopeTypeCluster}),
		},
	})
}

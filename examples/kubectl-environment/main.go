// Command kubectl-environment synthesizes the seed's kubectl environment
// example: the cluster's kubectl handler gets an HTTP proxy in its
// environment, more memory, and runs in the VPC's private subnets.
//
//	go run ./examples/kubectl-environment
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
	stack := cdk.NewStack(app, "KubectlEnvironment", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "hello-eks", eks.ClusterProps{
		Version: eks.V1_34,
		Kubectl: eks.KubectlOptions{
			Environment: map[string]string{"HTTPS_PROXY": "http://proxy.internal:3128", "NO_PROXY": "169.254.169.254"},
			Memory:      cdk.Mebibytes(512),
			Placement:   eks.KubectlPlacementVpc,
		},
	})
	cluster.AddManifest("config", map[string]any{
		"apiVersion": "v1",
		"kind":       "ConfigMap",
		"metadata":   map[string]any{"name": "proxy-test"},
		"data":       map[string]any{"proxied": "true"},
	})
}

// Command hello-eks synthesizes the seed's first example: a cluster with the default capacity (a managed
// node group of 2 m5.large nodes) in a new VPC, and a pod applied with a
// Kubernetes manifest.
//
//	go run ./examples/hello-eks
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
	stack := cdk.NewStack(app, "HelloEks", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "hello-eks", eks.ClusterProps{Version: eks.V1_34})

	// apply a kubernetes manifest to the cluster
	cluster.AddManifest("mypod", map[string]any{
		"apiVersion": "v1",
		"kind":       "Pod",
		"metadata":   map[string]any{"name": "mypod"},
		"spec": map[string]any{
			"containers": []any{map[string]any{
				"name":  "hello",
				"image": "paulbouwer/hello-kubernetes:1.5",
				"ports": []any{map[string]any{"containerPort": 8080}},
			}},
		},
	})
}

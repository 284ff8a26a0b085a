// Command manifest-dependency synthesizes the seed's dependency example: a
// namespace and a service in it, ordered with Node().AddDependency (the
// implicit ordering of namespaces would add the same DependsOn).
//
//	go run ./examples/manifest-dependency
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
	stack := cdk.NewStack(app, "ManifestDependency", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})

	namespace := cluster.AddManifest("my-namespace", map[string]any{
		"apiVersion": "v1",
		"kind":       "Namespace",
		"metadata":   map[string]any{"name": "my-app"},
	})
	service := cluster.AddManifest("my-service", map[string]any{
		"apiVersion": "v1",
		"kind":       "Service",
		"metadata":   map[string]any{"name": "myservice", "namespace": "my-app"},
		"spec":       map[string]any{"ports": []any{map[string]any{"port": 80}}},
	})
	service.Node().AddDependency(namespace)
}

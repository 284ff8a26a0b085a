// Command manifests-1000 is a scale case of make bench: one cluster with
// 1,000 manifests (a ConfigMap each), in one stack.
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
	if _, err := app.Synth(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// build adds the case's stack to app.
func build(app *cdk.App) {
	stack := cdk.NewStack(app, "Manifests1000", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})
	for i := range 1000 {
		cluster.AddManifest(fmt.Sprintf("config-%d", i), map[string]any{
			"apiVersion": "v1",
			"kind":       "ConfigMap",
			"metadata":   map[string]any{"name": fmt.Sprintf("config-%d", i), "namespace": "default"},
			"data":       map[string]any{"index": fmt.Sprint(i), "team": "platform"},
		})
	}
}

// Command large-manifest synthesizes a 5 MB manifest (ConfigMaps of
// generated data): over eks.ManifestAssetThreshold, it travels as an S3
// asset (property ManifestAsset) and the template stays small.
//
//	go run ./examples/large-manifest
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"
	"strings"

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
	stack := cdk.NewStack(app, "LargeManifest", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})

	// 6 ConfigMaps of about 850 KB each (a ConfigMap holds at most 1 MiB).
	var objects []any
	for i := range 6 {
		data := map[string]any{}
		for j := range 100 {
			data[fmt.Sprintf("key-%03d", j)] = strings.Repeat(fmt.Sprintf("%d-%d;", i, j), 8500/len(fmt.Sprintf("%d-%d;", i, j)))
		}
		objects = append(objects, map[string]any{
			"apiVersion": "v1",
			"kind":       "ConfigMap",
			"metadata":   map[string]any{"name": fmt.Sprintf("large-%d", i)},
			"data":       data,
		})
	}
	cluster.AddManifest("large", objects...)
}

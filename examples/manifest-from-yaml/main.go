// Command manifest-from-yaml synthesizes the seed's "adding resources from
// a URL" example with a YAML file read at synthesis: eks.ManifestsFromYAML
// takes any io.Reader, so an HTTP response body works the same way.
//
//	go run ./examples/manifest-from-yaml
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"

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
	stack := cdk.NewStack(app, "ManifestFromYaml", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})

	// The example's own directory, wherever it is run from.
	_, self, _, _ := runtime.Caller(0)
	f, err := os.Open(filepath.Join(filepath.Dir(self), "guestbook.yaml"))
	if err != nil {
		panic(err)
	}
	defer f.Close()
	objects, err := eks.ManifestsFromYAML(f)
	if err != nil {
		panic(err)
	}
	cluster.AddManifest("my-resource", objects...)
}

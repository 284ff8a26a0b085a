// Command patch synthesizes the seed's patch example: the hello-kubernetes
// deployment scaled to 5 replicas (strategic merge patch, restored to 3 when
// the patch leaves the stack), and a JSON patch as a list of operations.
//
//	go run ./examples/patch
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
	stack := cdk.NewStack(app, "Patch", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})

	eks.NewKubernetesPatch(stack, "hello-kub-deployment-label", eks.KubernetesPatchProps{
		Cluster:      cluster,
		ResourceName: "deployment/hello-kubernetes",
		ApplyPatch:   map[string]any{"spec": map[string]any{"replicas": 5}},
		RestorePatch: map[string]any{"spec": map[string]any{"replicas": 3}},
	})

	eks.NewKubernetesPatch(stack, "coredns-annotation", eks.KubernetesPatchProps{
		Cluster:           cluster,
		ResourceName:      "deployment/coredns",
		ResourceNamespace: "kube-system",
		PatchType:         eks.PatchTypeJSON,
		ApplyPatch: []eks.JSONPatchOperation{
			{Op: "add", Path: "/metadata/annotations/example.com~1owner", Value: "platform"},
		},
		RestorePatch: []eks.JSONPatchOperation{
			{Op: "remove", Path: "/metadata/annotations/example.com~1owner"},
		},
	})
}

// Command manifests synthesizes the seed's hello-kubernetes example: a
// Deployment and a LoadBalancer Service, applied once with a
// KubernetesManifest construct and once (in another namespace) with
// Cluster.AddManifest.
//
//	go run ./examples/manifests
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

// helloKubernetes returns the seed's Deployment and Service in namespace.
func helloKubernetes(namespace string) (deployment, service map[string]any) {
	appLabel := map[string]any{"app": "hello-kubernetes"}
	metadata := map[string]any{"name": "hello-kubernetes"}
	if namespace != "" {
		metadata["namespace"] = namespace
	}
	deployment = map[string]any{
		"apiVersion": "apps/v1",
		"kind":       "Deployment",
		"metadata":   metadata,
		"spec": map[string]any{
			"replicas": 3,
			"selector": map[string]any{"matchLabels": appLabel},
			"template": map[string]any{
				"metadata": map[string]any{"labels": appLabel},
				"spec": map[string]any{
					"containers": []any{map[string]any{
						"name":  "hello-kubernetes",
						"image": "paulbouwer/hello-kubernetes:1.5",
						"ports": []any{map[string]any{"containerPort": 8080}},
					}},
				},
			},
		},
	}
	service = map[string]any{
		"apiVersion": "v1",
		"kind":       "Service",
		"metadata":   metadata,
		"spec": map[string]any{
			"type":     "LoadBalancer",
			"ports":    []any{map[string]any{"port": 80, "targetPort": 8080}},
			"selector": appLabel,
		},
	}
	return deployment, service
}

// build adds the example's stack to app.
func build(app *cdk.App) {
	stack := cdk.NewStack(app, "Manifests", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "hello-eks", eks.ClusterProps{Version: eks.V1_34})

	// option 1: use a construct
	deployment, service := helloKubernetes("")
	eks.NewKubernetesManifest(stack, "hello-kub", eks.KubernetesManifestProps{
		Cluster:  cluster,
		Manifest: []any{deployment, service},
	})

	// or, option 2: use AddManifest (here in namespace "hello", which the
	// implicit ordering creates first)
	cluster.AddManifest("hello-namespace", map[string]any{
		"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "hello"},
	})
	deployment2, service2 := helloKubernetes("hello")
	cluster.AddManifest("hello-kub", service2, deployment2)
}

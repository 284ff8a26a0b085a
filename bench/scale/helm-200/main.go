// Command helm-200 is a scale case of make bench: one cluster with 200 Helm
// charts, each in its own namespace, in one stack.
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
	stack := cdk.NewStack(app, "Helm200", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})
	for i := range 200 {
		cluster.AddHelmChart(fmt.Sprintf("chart-%d", i), eks.HelmChartOptions{
			Chart:      "nginx-ingress",
			Repository: "https://helm.nginx.com/stable",
			Version:    "2.3.1",
			Namespace:  fmt.Sprintf("team-%d", i),
			Values:     map[string]any{"controller": map[string]any{"replicaCount": 2}},
		})
	}
}

// Command helm-chart synthesizes the seed's Helm example: the NGINX Ingress
// Controller from its chart repository, once with a HelmChart construct and
// once with Cluster.AddHelmChart, ordered after the first.
//
//	go run ./examples/helm-chart
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
	stack := cdk.NewStack(app, "HelmChart", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})

	// option 1: use a construct
	chart1 := eks.NewHelmChart(stack, "NginxIngress", eks.HelmChartProps{
		Cluster: cluster,
		HelmChartOptions: eks.HelmChartOptions{
			Chart:      "nginx-ingress",
			Repository: "https://helm.nginx.com/stable",
			Namespace:  "kube-system",
		},
	})

	// or, option 2: use AddHelmChart
	chart2 := cluster.AddHelmChart("NginxIngress", eks.HelmChartOptions{
		Chart:      "nginx-ingress",
		Repository: "https://helm.nginx.com/stable",
		Namespace:  "ingress",
		Version:    "2.3.1",
		Values:     map[string]any{"controller": map[string]any{"replicaCount": 2}},
		Wait:       true,
		Timeout:    cdk.Minutes(10),
	})
	chart2.Node().AddDependency(chart1)
}

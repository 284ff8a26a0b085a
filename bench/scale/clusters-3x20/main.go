// Command clusters-3x20 is a scale case of make bench: three clusters with
// 20 managed node groups each, in one stack.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/aws/ec2"
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
	stack := cdk.NewStack(app, "Clusters3x20", cdk.StackProps{})
	for c := range 3 {
		cluster := eks.NewCluster(stack, fmt.Sprintf("Cluster%d", c), eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
		for n := range 20 {
			cluster.AddNodegroupCapacity(fmt.Sprintf("ng%d", n), eks.NodegroupOptions{
				InstanceTypes: []ec2.InstanceType{ec2.InstanceTypeOf("m5.large")},
				MinSize:       cdk.Ptr(1),
				MaxSize:       cdk.Ptr(3),
				Labels:        map[string]string{"group": fmt.Sprint(n)},
			})
		}
	}
}

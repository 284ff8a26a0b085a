// Command invalidapp is an eksforge app whose synthesis fails validation,
// for the CLI's synth test: it prints the error app.Synth returns and
// exits 1, as every eksforge program should.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/cdk"
)

func main() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Invalid", cdk.StackProps{})
	cluster := cdk.NewConstruct(stack, "Cluster")
	cluster.Node().AddError("version \"1.12\" is not supported: use 1.29 or later")
	cdk.NewCfnResource(cluster, "Resource", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	if _, err := app.Synth(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Command object-value synthesizes the seed's object-value example: the
// address of a LoadBalancer service, read at deploy time with a
// KubernetesObjectValue and with Cluster.GetServiceLoadBalancerAddress, and
// passed to a Lambda function's environment.
//
//	go run ./examples/object-value
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/aws/lambda"
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
	stack := cdk.NewStack(app, "ObjectValue", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})

	// query the load balancer address
	myServiceAddress := eks.NewKubernetesObjectValue(stack, "LoadBalancerAttribute", eks.KubernetesObjectValueProps{
		Cluster:    cluster,
		ObjectType: "service",
		ObjectName: "my-service",
		JsonPath:   ".status.loadBalancer.ingress[0].hostname", // https://kubernetes.io/docs/reference/kubectl/jsonpath/
	})

	// pass the address to a lambda function
	lambda.NewFunction(stack, "ProxyFunction", lambda.FunctionProps{
		Code:        lambda.CodeFromInline("exports.handler = async () => ({ statusCode: 200 });"),
		Runtime:     lambda.RuntimeNodejs22X,
		Handler:     "index.handler",
		Environment: map[string]string{"myServiceAddress": myServiceAddress.Value()},
	})

	// the same, shorter
	address := cluster.GetServiceLoadBalancerAddress("my-service")
	cdk.NewCfnOutput(stack, "LoadBalancerAddress", cdk.CfnOutputProps{Value: address})
}

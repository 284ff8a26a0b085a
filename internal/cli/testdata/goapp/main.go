// Command goapp is the eksforge app of the CLI's Node-free test: a stack
// with a VPC, a file asset and outputs, deployed after `eksforge
// bootstrap` with only the eksforge binary and Go on PATH. STACK_NAME sets
// the CloudFormation stack name (tests share one moto server). Its
// metadata "Received" shows what the CLI passed: the context values
// "fromJson", "fromContextFile", "both" and "cli", the length of "big",
// and CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/cdk"
)

func main() {
	app := cdk.NewApp(cdk.AppProps{})
	st := cdk.NewStack(app, "GoApp", cdk.StackProps{StackName: os.Getenv("STACK_NAME")})
	vpc := cdk.NewCfnResource(st, "Vpc", cdk.CfnResourceProps{Type: "AWS::EC2::VPC", Properties: map[string]any{"CidrBlock": "10.9.0.0/16"}})
	loc := st.AddFileAsset(cdk.FileAssetSource{Data: []byte("deployed without Node.js: " + os.Getenv("STACK_NAME")), FileName: "hello.txt", DisplayName: "hello"})
	cdk.NewCfnOutput(st, "VpcId", cdk.CfnOutputProps{Value: vpc.Ref()})
	cdk.NewCfnOutput(st, "HelloUrl", cdk.CfnOutputProps{Value: loc.S3ObjectURL})
	received := map[string]any{"account": os.Getenv("CDK_DEFAULT_ACCOUNT"), "region": os.Getenv("CDK_DEFAULT_REGION")}
	for _, k := range []string{"fromJson", "fromContextFile", "both", "cli"} {
		received[k] = app.Node().TryGetContext(k)
	}
	big, _ := app.Node().TryGetContext("big").(string)
	received["bigLength"] = len(big)
	vpc.AddMetadata("Received", received)
	if _, err := app.Synth(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

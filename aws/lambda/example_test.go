package lambda_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/aws/logs"
	"github.com/eksforge/eksforge/cdk"
)

// printResources prints each resource of the stack's template of the given
// types as compact JSON, without metadata, in logical ID order, with Go
// asset hashes (which depend on the Go release) elided.
func printResources(app *cdk.App, stack *cdk.Stack, types ...string) {
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := asm.TemplateOf(stack)
	var tmpl struct{ Resources map[string]map[string]any }
	if err := json.Unmarshal(body, &tmpl); err != nil {
		fmt.Println(err)
		return
	}
	var ids []string
	for id, r := range tmpl.Resources {
		for _, t := range types {
			if r["Type"] == t {
				ids = append(ids, id)
			}
		}
	}
	sort.Strings(ids)
	hash := regexp.MustCompile(`[0-9a-f]{64}`)
	for _, id := range ids {
		delete(tmpl.Resources[id], "Metadata")
		b, _ := json.Marshal(tmpl.Resources[id])
		fmt.Printf("%s %s\n", id, hash.ReplaceAll(b, []byte("<hash>")))
	}
}

// A Go handler: the main package is compiled for provided.al2023 on arm64
// when the app is synthesized, zipped as bootstrap and uploaded as an asset;
// runtime, handler and architecture follow from the code.
func ExampleCodeFromGoPackage() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	lambda.NewFunction(stack, "Handler", lambda.FunctionProps{
		Code:         lambda.CodeFromGoPackage(".", lambda.GoBuildOptions{Dir: "testdata/hello"}),
		Timeout:      cdk.Seconds(30),
		LogRetention: logs.RetentionOneWeek,
	})
	printResources(app, stack, "AWS::Lambda::Function", "AWS::Logs::LogGroup")
	// Output:
	// Handler886CB40B {"DependsOn":["HandlerServiceRoleFCDC14AE"],"Properties":{"Architectures":["arm64"],"Code":{"S3Bucket":{"Fn::Sub":"cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},"S3Key":"<hash>.zip"},"Handler":"bootstrap","LoggingConfig":{"LogGroup":{"Ref":"HandlerLogGroup50A7B41D"}},"Role":{"Fn::GetAtt":["HandlerServiceRoleFCDC14AE","Arn"]},"Runtime":"provided.al2023","Timeout":30},"Type":"AWS::Lambda::Function"}
	// HandlerLogGroup50A7B41D {"DeletionPolicy":"Retain","Properties":{"RetentionInDays":7},"Type":"AWS::Logs::LogGroup","UpdateReplacePolicy":"Retain"}
}

// Granting invoke to a role adds to the role's policy; to a service, adds
// to the function's resource policy (an AWS::Lambda::Permission).
func ExampleFunction_GrantInvoke() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	fn := lambda.NewFunction(stack, "Fn", lambda.FunctionProps{
		Runtime: lambda.RuntimePython313,
		Handler: "index.handler",
		Code:    lambda.CodeFromInline("def handler(event, context):\n    return {}\n"),
	})
	fn.GrantInvoke(iam.NewServicePrincipal("events.amazonaws.com"))
	printResources(app, stack, "AWS::Lambda::Permission")
	// Output:
	// FnInvoke1fBIBwkGKTIwSRmFV8O1yjU9AKdA1Znl7HToNrxfAB9616757 {"Properties":{"Action":"lambda:InvokeFunction","FunctionName":{"Fn::GetAtt":["Fn9270CBC0","Arn"]},"Principal":"events.amazonaws.com"},"Type":"AWS::Lambda::Permission"}
}

// A layer from a local directory, used by a function on the same runtime.
func ExampleNewLayerVersion() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	layer := lambda.NewLayerVersion(stack, "Layer", lambda.LayerVersionProps{
		Code:               lambda.CodeFromAsset("testdata/code"),
		CompatibleRuntimes: []lambda.Runtime{lambda.RuntimeNodejs22X},
		License:            "MIT",
	})
	lambda.NewFunction(stack, "Fn", lambda.FunctionProps{
		Runtime: lambda.RuntimeNodejs22X,
		Handler: "index.handler",
		Code:    lambda.CodeFromAsset("testdata/code"),
		Layers:  []lambda.ILayerVersion{layer},
	})
	printResources(app, stack, "AWS::Lambda::LayerVersion")
	// Output:
	// LayerB20D2F06 {"Properties":{"CompatibleRuntimes":["nodejs22.x"],"Content":{"S3Bucket":{"Fn::Sub":"cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},"S3Key":"<hash>.zip"},"LicenseInfo":"MIT"},"Type":"AWS::Lambda::LayerVersion"}
}

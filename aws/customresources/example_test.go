package customresources_test

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/eksforge/eksforge/aws/customresources"
	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/cdk"
)

// A provider whose isComplete handler is polled every 30 seconds for up to
// an hour, serving a custom resource whose attribute feeds an output.
func ExampleNewProvider() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	handler := func(id string) lambda.IFunction {
		return lambda.NewFunction(stack, id, lambda.FunctionProps{
			Runtime: lambda.RuntimePython313,
			Handler: "index.handler",
			Code:    lambda.CodeFromInline("def handler(event, context):\n    return {}\n"),
		})
	}
	provider := customresources.NewProvider(stack, "Provider", customresources.ProviderProps{
		OnEventHandler:    handler("OnEvent"),
		IsCompleteHandler: handler("IsComplete"),
		QueryInterval:     cdk.Seconds(30),
		TotalTimeout:      cdk.Hours(1),
	})
	db := customresources.NewCustomResource(stack, "Database", customresources.CustomResourceProps{
		ServiceToken: provider.ServiceToken(),
		ResourceType: "Custom::Database",
		Properties:   map[string]any{"Engine": "postgres"},
	})
	cdk.NewCfnOutput(stack, "Endpoint", cdk.CfnOutputProps{Value: db.GetAttString("Endpoint")})

	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := asm.TemplateOf(stack)
	var tmpl struct {
		Resources map[string]struct {
			Type       string
			Properties map[string]any
		}
		Outputs map[string]any
	}
	_ = json.Unmarshal(body, &tmpl)
	var lines []string
	for id, r := range tmpl.Resources {
		switch r.Type {
		case "AWS::Lambda::Function":
			lines = append(lines, fmt.Sprintf("%s %s %v", id, r.Properties["Runtime"], r.Properties["Handler"]))
		case "AWS::StepFunctions::StateMachine", "Custom::Database":
			lines = append(lines, id+" "+r.Type)
		}
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
	out, _ := json.Marshal(tmpl.Outputs["Endpoint"])
	fmt.Println(string(out))
	// Output:
	// Database Custom::Database
	// IsComplete544AE5AD python3.13 index.handler
	// OnEvent74718524 python3.13 index.handler
	// ProviderframeworkisComplete26D7B0CB provided.al2023 isComplete
	// ProviderframeworkonEvent83C1D0A7 provided.al2023 onEvent
	// ProviderframeworkonTimeout0B47CA38 provided.al2023 onTimeout
	// Providerwaiterstatemachine5D4A9DF0 AWS::StepFunctions::StateMachine
	// {"Value":{"Fn::GetAtt":["Database","Endpoint"]}}
}

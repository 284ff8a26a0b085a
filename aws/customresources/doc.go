// Package customresources is eksforge's custom-resource provider framework
// on the construct side: [Provider], which deploys the framework's Go
// runtime (handlers/provider/cmd/framework) in front of a user's onEvent and
// optional isComplete Lambda functions, and [CustomResource], the
// CloudFormation resource a provider serves.
//
// # Providers
//
//	onEvent := lambda.NewFunction(stack, "OnEvent", lambda.FunctionProps{
//		Code: lambda.CodeFromGoPackage("./cmd/onevent"),
//	})
//	provider := customresources.NewProvider(stack, "Provider", customresources.ProviderProps{
//		OnEventHandler: onEvent,
//	})
//	res := customresources.NewCustomResource(stack, "Thing", customresources.CustomResourceProps{
//		ServiceToken: provider.ServiceToken(),
//		ResourceType: "Custom::Thing",
//		Properties:   map[string]any{"Name": "x"},
//	})
//	_ = res.GetAttString("Endpoint") // a value the handler returned in Data
//
// The framework answers CloudFormation for the handlers (also on errors,
// panics and timeouts), keeps answers under 4 KB, and settles physical IDs;
// see [github.com/eksforge/eksforge/handlers/provider] for the contract.
// With an isComplete handler it polls through a Step Functions state machine
// ([WaiterStateMachine]) every QueryInterval for up to TotalTimeout (at most
// 2 hours), so no Lambda function has to live longer than 15 minutes.
//
// The framework functions are built from Go sources, like any
// [lambda.CodeFromGoPackage] code: not at synthesis, but when their asset
// is first published (about 80 seconds with an empty Go build cache on 2
// cores); later publishes reuse the cached binary. They are built in the eksforge module's directory (found
// from this package's source path, or with `go list -m`), so with the
// dependency versions eksforge was tested with; ProviderProps.FrameworkCode
// replaces the code altogether.
//
// The framework functions run for up to 15 minutes and answer "timed out" 90
// seconds before their deadline; a user handler with a longer timeout than
// that gets a synthesis warning.
//
// Construct ids, environment variables and permissions are the AWS CDK's
// (custom-resources Provider), so logical IDs match and handlers written for
// the AWS CDK work unchanged. Differences: the runtime is Go on
// provided.al2023 (arm64 by default) with handlers "onEvent", "isComplete"
// and "onTimeout"; the waiter retries "not complete" separately from
// crashes (spec.WaiterDefinition); the framework functions get no
// lambda:GetFunction permission (the Go runtime does not call it).
//
// This package does not implement any resource, and does not offer the AWS
// CDK's AwsCustomResource (SDK calls as resources).
package customresources

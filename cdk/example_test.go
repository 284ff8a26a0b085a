package cdk_test

import (
	"fmt"

	"github.com/eksforge/eksforge/cdk"
)

// Tokens are plain strings: concatenating one renders an Fn::Join.
func ExampleAsString() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	topic := cdk.NewCfnResource(stack, "Topic", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	name := "events-" + topic.GetAttString("TopicName")

	fmt.Println(cdk.IsUnresolved(name))
	resolved, _ := stack.Resolve(name)
	fmt.Println(resolved)
	// Output:
	// true
	// map[Fn::Join:[ [events- map[Fn::GetAtt:[Topic TopicName]]]]]
}

// Synth returns one error listing every problem with its construct path.
func ExampleApp_Synth() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cdk.NewCfnOutput(stack, "Empty", cdk.CfnOutputProps{})
	cdk.NewConstruct(stack, "Group").Node().AddError("replicas must be between 1 and 10, got %d", 12)

	_, err := app.Synth(cdk.InMemory())
	fmt.Println(err)
	// Output:
	// synthesis found 2 problem(s):
	//   [Stack/Empty] the output has no Value; set CfnOutputProps.Value
	//   [Stack/Group] replicas must be between 1 and 10, got 12
}

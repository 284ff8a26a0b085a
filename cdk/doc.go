// Package cdk is the core of eksforge: the construct tree, tokens,
// CloudFormation elements and synthesis to a cloud assembly that the AWS CDK
// CLI (and eksforge's own CLI) can deploy. It knows nothing of EKS or of any
// AWS service; the typed resources live in the cfn/... packages, the
// higher-level constructs in aws/... and eks.
//
// # Getting started
//
// An [App] is the root of a tree of constructs. [Stack]s are added to it,
// resources to the stacks, and [App.Synth] writes the templates:
//
//	app := cdk.NewApp(cdk.AppProps{})
//	stack := cdk.NewStack(app, "Network", cdk.StackProps{})
//	vpc := cdk.NewCfnResource(stack, "Vpc", cdk.CfnResourceProps{
//		Type:       "AWS::EC2::VPC",
//		Properties: map[string]any{"CidrBlock": "10.0.0.0/16"},
//	})
//	cdk.NewCfnOutput(stack, "VpcId", cdk.CfnOutputProps{Value: vpc.Ref()})
//	if _, err := app.Synth(); err != nil {
//		log.Fatal(err) // every problem, each with its construct path
//	}
//
// # Constructs
//
// Every construct has a [Node]: its id (unique among its siblings), path,
// children, dependencies ([Node.AddDependency]), metadata and validations.
// Your own construct types embed [Base] and call [InitConstruct]. Mistakes
// found while building the tree (a duplicate id, a "/" in an id) panic with a
// message naming the path; configuration problems are recorded with
// [Node.AddError] or [Node.AddValidation] and returned together by Synth.
//
// # Tokens
//
// Values known only at deploy time — an ARN, a generated name, the region of
// an environment-agnostic stack — are tokens inside ordinary Go values, as in
// the AWS CDK: [CfnResource.Ref] returns a string, and
//
//	"arn:" + vpc.Ref() + "/x"
//	fmt.Sprintf("%s-%s", stack.Region(), vpc.Ref())
//
// become Fn::Join expressions when the template is rendered. Lists
// ([AsList], [Fn] Split, GetAZs) and numbers ([AsNumber], [AsInt]) are
// encoded the same way. [IsUnresolved] tells whether a value holds a token, so
// a construct can skip validating it. [LazyString] and friends compute values
// at synthesis, after the tree is complete. [Fn] has the intrinsic functions,
// [Aws] the pseudo parameters.
//
// # References between stacks
//
// Using a resource's Ref or attribute in another stack of the same account
// and region exports it (an Output with an Export, named as the AWS CDK names
// it) and imports it with Fn::ImportValue, and orders the stacks. Between a
// [NestedStack] and its parent the value travels as a parameter or an output.
//
// # Synthesis
//
// [App.Synth] runs aspects (tags are aspects: [TagsOf]), wires references
// and dependencies, validates, renders every template and writes the cloud
// assembly: manifest.json, tree.json, a template and an asset manifest per
// stack, nested templates and staged assets, following the cloud assembly
// schema the AWS CDK CLI reads, so `cdk deploy --app 'go run ./app'` works.
// Logical IDs are made with the AWS CDK's algorithm, so the same construct
// path gives the same logical ID in both. The output is byte-identical from
// one run to the next.
//
// # Testing
//
// Package cdk/assertions checks templates in tests:
// assertions.FromStack(t, stack).HasResourceProperties(...).
package cdk

// Package assertions checks synthesized CloudFormation templates in Go
// tests. It is the Go counterpart of the AWS CDK's aws-cdk-lib/assertions
// module, so a test ported from the CDK reads the same:
//
//	// TypeScript
//	const template = Template.fromStack(stack);
//	template.hasResourceProperties('AWS::EKS::Cluster', {
//	  Version: '1.33',
//	  Tags: Match.arrayWith([{ Key: 'team', Value: 'platform' }]),
//	});
//
//	// Go
//	var Match = assertions.Match // once per test package
//
//	template := assertions.FromJSON(t, synthesized)
//	template.HasResourceProperties("AWS::EKS::Cluster", map[string]any{
//		"Version": "1.33",
//		"Tags":    Match.ArrayWith([]any{map[string]any{"Key": "team", "Value": "platform"}}),
//	})
//
// # Templates
//
// A [Template] wraps a template as decoded by encoding/json: [FromJSON] takes
// the map, [FromString] the JSON text. Its assertions report failures with
// t.Errorf and carry on, so one test can report every problem; the Find
// methods return what matched for further checks.
//
// # Patterns and matchers
//
// Every assertion takes a pattern. A literal Go value is matched as the CDK
// matches a literal: objects partially (the template may have more keys, at
// any depth), arrays element by element, scalars by value; numbers of any Go
// type compare with the float64s of decoded JSON, and []string with []any.
// Matchers from [Match] change the rule wherever they appear in a pattern:
// [Matchers.ObjectEquals], [Matchers.Exact], [Matchers.ArrayWith],
// [Matchers.Absent], [Matchers.AnyValue], [Matchers.Not],
// [Matchers.StringLikeRegexp], [Matchers.SerializedJSON]. A [Capture] matches
// and records a value for later inspection. Implement [Matcher] for anything
// else.
//
// # Failures
//
// When no candidate matches, the failure says how many candidates of that
// type there were, picks the closest one (the fewest, cheapest mismatches)
// and lists each mismatch with its path, such as
// /Properties/Tags/0/Value, then shows the candidate with the mismatches
// marked by "!!". When there are no candidates at all, it says so and lists
// what the template does have.
//
// This package works on templates only; it does not synthesize stacks.
package assertions

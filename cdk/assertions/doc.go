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
//	template := assertions.FromStack(t, stack)
//	template.HasResourceProperties("AWS::EKS::Cluster", map[string]any{
//		"Version": "1.33",
//		"Tags":    Match.ArrayWith([]any{map[string]any{"Key": "team", "Value": "platform"}}),
//	})
//
// # Templates
//
// A [Template] wraps a template as decoded by encoding/json. [FromStack]
// synthesizes a stack's app in memory and takes the stack's template;
// [FromJSON] takes a decoded template, [FromString] its JSON text. The
// assertions report failures with t.Errorf and carry on, so one test can
// report every problem; the Find methods return what matched for further
// checks.
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
// # Differences from the AWS CDK
//
// Tests port line for line, with these differences:
//   - Assertions report with t.Errorf and return, rather than throw; only
//     [FromString] stops the test (t.Fatalf) when the text is not JSON.
//   - Values in messages are JSON, so strings are quoted:
//     Expected "waldo" but received "qux".
//   - Go has no undefined: [Matchers.Absent] means "this key is missing"
//     and is useful only as the value of a key in an object pattern.
//   - Malformed patterns (ArrayWith holding Absent or AnyValue, Exact
//     wrapping a matcher, an invalid regular expression) panic when the
//     matcher is built, not when it is first used.
//   - [Matchers.StringLikeRegexp] takes Go (RE2) syntax.
//   - Entries are tested in logical ID order; ties between equally close
//     candidates go to the first logical ID.
//   - Additions: [Template.ResourceID], [Template.HasRule] and
//     [Template.FindRules], [Capture.Value] and [Capture.Values].
package assertions

package assertions_test

import (
	"encoding/json"
	"fmt"

	"github.com/eksforge/eksforge/cdk/assertions"
)

// A Matcher of your own works anywhere a pattern is accepted.
func ExampleMatcher() {
	var t assertions.TB = printT{} // in a test: the *testing.T

	template := assertions.FromString(t, clusterTemplate)
	template.HasResourceProperties("AWS::EKS::Cluster", map[string]any{"Version": minorVersionAtLeast(34)})
	// Output:
	// FAIL: Template has 1 resources with type AWS::EKS::Cluster, but none match as expected.
	// The closest match is Cluster9EE0221C (1 mismatch):
	// 	/Properties/Version: Expected Kubernetes 1.34 or later but received "1.33" (minorVersionAtLeast)
	// Cluster9EE0221C :: {
	//   "Properties": {
	//     "AccessConfig": { ... },
	//     "Name": "hello-eks",
	//     "RoleArn": { "Fn::GetAtt": [ "ClusterRoleFA261979", "Arn" ] },
	//     "Tags": [ { ... } ],
	// !!   Expected Kubernetes 1.34 or later but received "1.33"
	//     "Version": "1.33"
	//   },
	//   "Type": "AWS::EKS::Cluster"
	// }
}

// minorVersionAtLeast matches a Kubernetes version "1.N" whose minor version
// N is at least its value.
type minorVersionAtLeast int

func (minorVersionAtLeast) Name() string { return "minorVersionAtLeast" }

func (m minorVersionAtLeast) Test(actual any) *assertions.MatchResult {
	result := assertions.NewMatchResult(actual)
	received, _ := json.Marshal(actual)
	s, _ := actual.(string)
	var minor int
	if _, err := fmt.Sscanf(s, "1.%d", &minor); err != nil || minor < int(m) {
		result.RecordFailure(assertions.MatchFailure{
			Matcher: m,
			Message: fmt.Sprintf("Expected Kubernetes 1.%d or later but received %s", int(m), received),
		})
	}
	return result
}

package assertions_test

import (
	"fmt"
	"maps"
	"slices"

	"github.com/eksforge/eksforge/cdk/assertions"
)

// printT stands in for the *testing.T of a test, so that the examples can
// show what a failing assertion reports: it prints each failure.
type printT struct{}

func (printT) Helper() {}

func (printT) Errorf(format string, args ...any) { fmt.Printf("FAIL: "+format+"\n", args...) }

func (printT) Fatalf(format string, args ...any) { fmt.Printf("FATAL: "+format+"\n", args...) }

// clusterTemplate is a template as synthesis would write it for a small EKS
// cluster.
const clusterTemplate = `{
  "Resources": {
    "ClusterRoleFA261979": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {
          "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}}],
          "Version": "2012-10-17"
        },
        "ManagedPolicyArns": [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AmazonEKSClusterPolicy"]]}]
      }
    },
    "Cluster9EE0221C": {
      "Type": "AWS::EKS::Cluster",
      "Properties": {
        "Name": "hello-eks",
        "Version": "1.33",
        "RoleArn": {"Fn::GetAtt": ["ClusterRoleFA261979", "Arn"]},
        "AccessConfig": {"AuthenticationMode": "API", "BootstrapClusterCreatorAdminPermissions": true},
        "Tags": [{"Key": "team", "Value": "platform"}]
      }
    },
    "ClustermanifestNamespace6A2F1B2C": {
      "Type": "Custom::AWSCDK-EKS-KubernetesResource",
      "Properties": {
        "Manifest": "[{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team-a\"}}]",
        "ClusterName": {"Ref": "Cluster9EE0221C"}
      }
    }
  },
  "Outputs": {
    "ClusterName": {"Value": {"Ref": "Cluster9EE0221C"}}
  }
}`

// A test reads a synthesized template and asserts on its resources, with
// literal values and matchers mixed freely.
func Example() {
	var t assertions.TB = printT{} // in a test: the *testing.T

	template := assertions.FromString(t, clusterTemplate)
	template.ResourceCountIs("AWS::EKS::Cluster", 1)
	template.HasResourceProperties("AWS::EKS::Cluster", map[string]any{
		"Version":      "1.33",
		"AccessConfig": map[string]any{"AuthenticationMode": "API"},
		"Tags":         Match.ArrayWith([]any{map[string]any{"Key": "team", "Value": "platform"}}),
		"Logging":      Match.Absent(),
	})
	template.HasResourceProperties("Custom::AWSCDK-EKS-KubernetesResource", map[string]any{
		"Manifest": Match.SerializedJSON([]any{
			Match.ObjectLike(map[string]any{"kind": "Namespace", "metadata": map[string]any{"name": "team-a"}}),
		}),
	})
	template.HasOutput("*", map[string]any{"Value": map[string]any{"Ref": "Cluster9EE0221C"}})
	fmt.Println("all assertions passed")
	// Output:
	// all assertions passed
}

// A failing assertion names the closest candidate, lists each mismatch with
// its path, and shows the candidate with the mismatches marked.
func ExampleTemplate_HasResourceProperties() {
	var t assertions.TB = printT{} // in a test: the *testing.T

	template := assertions.FromString(t, clusterTemplate)
	template.HasResourceProperties("AWS::EKS::Cluster", map[string]any{
		"Version": "1.34",
		"Tags":    []any{map[string]any{"Key": "team", "Value": "data"}},
	})
	// Output:
	// FAIL: Template has 1 resources with type AWS::EKS::Cluster, but none match as expected.
	// The closest match is Cluster9EE0221C (2 mismatches):
	// 	/Properties/Tags/0/Value: Expected "data" but received "platform" (objectLike)
	// 	/Properties/Version: Expected "1.34" but received "1.33" (objectLike)
	// Cluster9EE0221C :: {
	//   "Properties": {
	//     "AccessConfig": { ... },
	//     "Name": "hello-eks",
	//     "RoleArn": { "Fn::GetAtt": [ "ClusterRoleFA261979", "Arn" ] },
	//     "Tags": [
	//       {
	//         "Key": "team",
	// !!       Expected "data" but received "platform"
	//         "Value": "platform"
	//       }
	//     ],
	// !!   Expected "1.34" but received "1.33"
	//     "Version": "1.33"
	//   },
	//   "Type": "AWS::EKS::Cluster"
	// }
}

// When the template has no resource of the type at all, the failure says so
// and lists the types it does have.
func ExampleTemplate_HasResource_noResourceOfTheType() {
	var t assertions.TB = printT{} // in a test: the *testing.T

	template := assertions.FromString(t, clusterTemplate)
	template.HasResource("AWS::EKS::Nodegroup", map[string]any{"DeletionPolicy": "Retain"})
	// Output:
	// FAIL: Template has 0 resources with type AWS::EKS::Nodegroup.
	// Resource types in the template: AWS::EKS::Cluster (1), AWS::IAM::Role (1), Custom::AWSCDK-EKS-KubernetesResource (1)
}

// FindResources returns the matching resources by logical ID, for checks the
// matchers cannot express.
func ExampleTemplate_FindResources() {
	var t assertions.TB = printT{} // in a test: the *testing.T

	template := assertions.FromString(t, clusterTemplate)
	roles := template.FindResources("AWS::IAM::Role", map[string]any{
		"Properties": map[string]any{
			"AssumeRolePolicyDocument": map[string]any{
				"Statement": Match.ArrayWith([]any{
					Match.ObjectLike(map[string]any{"Principal": map[string]any{"Service": "eks.amazonaws.com"}}),
				}),
			},
		},
	})
	fmt.Println(slices.Sorted(maps.Keys(roles)))
	// Output:
	// [ClusterRoleFA261979]
}

// A Capture records a value found while matching, for a check of its own.
func ExampleCapture() {
	var t assertions.TB = printT{} // in a test: the *testing.T

	template := assertions.FromString(t, clusterTemplate)
	roleArn := assertions.NewCapture()
	template.HasResourceProperties("AWS::EKS::Cluster", map[string]any{"RoleArn": roleArn})

	fmt.Println(roleArn.AsObject())

	// The role it names is the one with the EKS trust policy.
	role := roleArn.AsObject()["Fn::GetAtt"].([]any)[0].(string)
	_, found := template.FindResources("AWS::IAM::Role", map[string]any{
		"Properties": map[string]any{"AssumeRolePolicyDocument": map[string]any{
			"Statement": []any{map[string]any{"Principal": map[string]any{"Service": "eks.amazonaws.com"}}},
		}},
	})[role]
	fmt.Println(role, found)
	// Output:
	// map[Fn::GetAtt:[ClusterRoleFA261979 Arn]]
	// ClusterRoleFA261979 true
}

// Next steps through the values captured from several matches.
func ExampleCapture_Next() {
	var t assertions.TB = printT{} // in a test: the *testing.T

	template := assertions.FromString(t, `{"Resources": {
	  "A": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "logs"}},
	  "B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "assets"}}
	}}`)
	name := assertions.NewCapture(Match.StringLikeRegexp("^[a-z]+$"))
	template.AllResourcesProperties("AWS::S3::Bucket", map[string]any{"BucketName": name})
	for {
		fmt.Println(name.AsString())
		if !name.Next() {
			break
		}
	}
	// Output:
	// logs
	// assets
}

// ObjectEquals and Exact reject keys the pattern does not mention; literal
// objects elsewhere are matched partially.
func ExampleMatchers_ObjectEquals() {
	var t assertions.TB = printT{} // in a test: the *testing.T

	template := assertions.FromString(t, clusterTemplate)
	template.HasResourceProperties("AWS::EKS::Cluster", map[string]any{
		"AccessConfig": Match.ObjectEquals(map[string]any{"AuthenticationMode": "API"}),
	})
	// Output:
	// FAIL: Template has 1 resources with type AWS::EKS::Cluster, but none match as expected.
	// The closest match is Cluster9EE0221C (1 mismatch):
	// 	/Properties/AccessConfig/BootstrapClusterCreatorAdminPermissions: Unexpected key BootstrapClusterCreatorAdminPermissions (objectEquals)
	// Cluster9EE0221C :: {
	//   "Properties": {
	//     "AccessConfig": {
	//       "AuthenticationMode": "API",
	// !!     Unexpected key BootstrapClusterCreatorAdminPermissions
	//       "BootstrapClusterCreatorAdminPermissions": true
	//     },
	//     "Name": "hello-eks",
	//     "RoleArn": { "Fn::GetAtt": [ "ClusterRoleFA261979", "Arn" ] },
	//     "Tags": [ { ... } ],
	//     "Version": "1.33"
	//   },
	//   "Type": "AWS::EKS::Cluster"
	// }
}

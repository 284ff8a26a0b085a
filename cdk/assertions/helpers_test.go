package assertions_test

// Helpers shared by the test files of this package.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk/assertions"
)

// Match lets the tests read like the CDK's: Match.ObjectLike(...).
var Match = assertions.Match

// obj is a JSON object literal.
type obj = map[string]any

// arr is a JSON array literal.
type arr = []any

var re = regexp.MustCompile

// jsonText renders v as JSON, as the built-in matchers show values.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// panicMessage runs f and returns what it panicked with, or "" if it did not.
func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

// recorder is a fake assertions.TB that records failures instead of failing
// the test, so that tests can check what an assertion reports.
type recorder struct {
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = true
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) output() string { return strings.Join(r.errors, "\n---\n") }

// checkReport fails t unless the recorded failures are as wanted: none if
// want is empty, otherwise exactly one containing every string of want.
func checkReport(t *testing.T, rec *recorder, want []string) {
	t.Helper()
	if len(want) == 0 {
		if len(rec.errors) > 0 {
			t.Fatalf("want no failure, got:\n%s", rec.output())
		}
		return
	}
	if len(rec.errors) != 1 {
		t.Fatalf("want one failure, got %d:\n%s", len(rec.errors), rec.output())
	}
	for _, w := range want {
		if !strings.Contains(rec.errors[0], w) {
			t.Errorf("failure does not contain %q:\n%s", w, rec.errors[0])
		}
	}
}

// decode decodes JSON text, as a template would be.
func decode(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad JSON in test: %v\n%s", err, s)
	}
	return v
}

// fixture is the template most template tests run against.
const fixture = `{
  "Parameters": {
    "BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/hnb659fds/version"},
    "Env": {"Type": "String", "AllowedValues": ["dev", "prod"]}
  },
  "Mappings": {
    "RegionMap": {"us-east-1": {"Ami": "ami-1"}, "eu-west-1": {"Ami": "ami-2"}}
  },
  "Conditions": {
    "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}
  },
  "Rules": {
    "CheckBootstrapVersion": {"Assertions": [{"Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2"], {"Ref": "BootstrapVersion"}]}]}}]}
  },
  "Resources": {
    "ClusterRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {
          "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}}],
          "Version": "2012-10-17"
        },
        "ManagedPolicyArns": ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]
      }
    },
    "Cluster": {
      "Type": "AWS::EKS::Cluster",
      "Properties": {
        "Name": "demo",
        "Version": "1.33",
        "RoleArn": {"Fn::GetAtt": ["ClusterRole", "Arn"]},
        "ResourcesVpcConfig": {"SubnetIds": ["subnet-1", "subnet-2"], "EndpointPublicAccess": true},
        "Tags": [{"Key": "team", "Value": "platform"}, {"Key": "env", "Value": "dev"}]
      },
      "DependsOn": ["ClusterRole"],
      "DeletionPolicy": "Retain",
      "UpdateReplacePolicy": "Retain"
    },
    "Nodegroup": {
      "Type": "AWS::EKS::Nodegroup",
      "Properties": {
        "ClusterName": {"Ref": "Cluster"},
        "ScalingConfig": {"MinSize": 1, "MaxSize": 3, "DesiredSize": 2}
      }
    },
    "BucketA": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "a", "Tags": [{"Key": "env", "Value": "dev"}]}},
    "BucketB": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b", "Tags": [{"Key": "env", "Value": "prod"}]}},
    "Topic": {"Type": "AWS::SNS::Topic"},
    "Manifest": {
      "Type": "Custom::AWSCDK-EKS-KubernetesResource",
      "Properties": {
        "Manifest": "[{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team-a\"}}]",
        "ClusterName": {"Ref": "Cluster"}
      }
    }
  },
  "Outputs": {
    "ClusterName": {"Value": {"Ref": "Cluster"}, "Export": {"Name": "demo-cluster"}},
    "ClusterArn": {"Value": {"Fn::GetAtt": ["Cluster", "Arn"]}}
  }
}`

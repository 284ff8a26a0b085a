package assertions_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk/assertions"
)

// assertionCase runs one assertion against the fixture and lists what its
// single failure must contain; no want means the assertion must pass.
type assertionCase struct {
	name     string
	template string // Default: fixture
	assert   func(tp *assertions.Template)
	want     []string
}

func runAssertionCases(t *testing.T, cases []assertionCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			tmpl := tc.template
			if tmpl == "" {
				tmpl = fixture
			}
			tc.assert(assertions.FromString(rec, tmpl))
			checkReport(t, rec, tc.want)
		})
	}
}

func TestHasResourceProperties(t *testing.T) {
	t.Parallel()
	runAssertionCases(t, []assertionCase{
		{
			name: "matches a subset of the properties",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::EKS::Cluster", obj{"Version": "1.33"})
			},
		},
		{
			name: "matches nested objects partially",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::EKS::Cluster", obj{
					"ResourcesVpcConfig": obj{"EndpointPublicAccess": true},
				})
			},
		},
		{
			name: "matches objects inside a literal array partially",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::IAM::Role", obj{
					"AssumeRolePolicyDocument": obj{"Statement": []obj{{"Action": "sts:AssumeRole"}}},
				})
			},
		},
		{
			name: "matches a Go []string against a JSON array",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::EKS::Cluster", obj{
					"ResourcesVpcConfig": map[string][]string{"SubnetIds": {"subnet-1", "subnet-2"}},
				})
			},
		},
		{
			name: "matches Go ints against JSON numbers",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::EKS::Nodegroup", obj{
					"ScalingConfig": map[string]int{"MinSize": 1, "MaxSize": 3},
				})
			},
		},
		{
			name: "matches a Go struct as encoding/json encodes it",
			assert: func(tp *assertions.Template) {
				type tag struct {
					Key   string `json:"Key"`
					Value string `json:"Value"`
				}
				tp.HasResourceProperties("AWS::S3::Bucket", obj{"Tags": []tag{{"env", "prod"}}})
			},
		},
		{
			name: "matches intrinsic functions",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::EKS::Cluster", obj{
					"RoleArn": obj{"Fn::GetAtt": []string{"ClusterRole", "Arn"}},
				})
			},
		},
		{
			name: "matches one of several resources of the type",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::S3::Bucket", obj{"BucketName": "b"})
			},
		},
		{
			name: "matches with nested matchers",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::EKS::Cluster", obj{
					"Name":    Match.StringLikeRegexp("^de"),
					"Tags":    Match.ArrayWith([]any{obj{"Key": "env", "Value": "dev"}}),
					"Logging": Match.Absent(),
				})
			},
		},
		{
			name: "matches an empty pattern against a resource without Properties",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::SNS::Topic", obj{})
			},
		},
		{
			name: "matches Absent against a resource without Properties",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::SNS::Topic", Match.Absent())
			},
		},
		{
			name: "matches a Properties matcher",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::EKS::Nodegroup", Match.ObjectEquals(obj{
					"ClusterName":   Match.AnyValue(),
					"ScalingConfig": obj{"MinSize": 1, "MaxSize": 3, "DesiredSize": 2},
				}))
			},
		},
		{
			name: "fails when a property value differs, showing the closest candidate",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::S3::Bucket", obj{
					"BucketName": "b",
					"Tags":       []obj{{"Key": "env", "Value": "staging"}},
				})
			},
			want: []string{
				"Template has 2 resources with type AWS::S3::Bucket, but none match as expected.",
				"The closest match is BucketB (1 mismatch):\n" +
					"\t/Properties/Tags/0/Value: Expected \"staging\" but received \"prod\" (objectLike)",
				"The next closest matches:\nBucketA (2 mismatches):",
				"\t/Properties/BucketName: Expected \"b\" but received \"a\" (objectLike)",
				"BucketB :: {\n",
				"!!       Expected \"staging\" but received \"prod\"\n        \"Value\": \"prod\"",
			},
		},
		{
			name: "fails when a key is missing",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::EKS::Cluster", obj{"KubernetesNetworkConfig": obj{"IpFamily": "ipv6"}})
			},
			want: []string{
				"Template has 1 resources with type AWS::EKS::Cluster, but none match as expected.",
				"/Properties/KubernetesNetworkConfig: Missing key 'KubernetesNetworkConfig'",
				`"KubernetesNetworkConfig": <missing>`,
			},
		},
		{
			name: "fails when a literal array has a different length",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::EKS::Cluster", obj{"Tags": []obj{{"Key": "team"}}})
			},
			want: []string{"/Properties/Tags/1: Too many elements in array (expecting 1, got 2)"},
		},
		{
			name: "fails when a value has another type",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::EKS::Nodegroup", obj{"ScalingConfig": obj{"MinSize": "1"}})
			},
			want: []string{"/Properties/ScalingConfig/MinSize: Expected type string but received number"},
		},
		{
			name: "fails when there is no resource of the type, listing the types there are",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::Lambda::Function", obj{})
			},
			want: []string{
				"Template has 0 resources with type AWS::Lambda::Function.\n" +
					"Resource types in the template: AWS::EKS::Cluster (1), AWS::EKS::Nodegroup (1), AWS::IAM::Role (1), " +
					"AWS::S3::Bucket (2), AWS::SNS::Topic (1), Custom::AWSCDK-EKS-KubernetesResource (1)",
			},
		},
		{
			name: "fails Absent against a resource with Properties",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::EKS::Nodegroup", Match.Absent())
			},
			want: []string{"/Properties: Received {", "but key should be absent (absent)"},
		},
		{
			name: "fails an ObjectEquals pattern with fewer keys",
			assert: func(tp *assertions.Template) {
				tp.HasResourceProperties("AWS::EKS::Nodegroup", Match.ObjectEquals(obj{"ClusterName": Match.AnyValue()}))
			},
			want: []string{"/Properties/ScalingConfig: Unexpected key ScalingConfig (objectEquals)"},
		},
	})
}

func TestHasResource(t *testing.T) {
	t.Parallel()
	runAssertionCases(t, []assertionCase{
		{
			name: "matches DependsOn and policies",
			assert: func(tp *assertions.Template) {
				tp.HasResource("AWS::EKS::Cluster", obj{
					"DependsOn":      []string{"ClusterRole"},
					"DeletionPolicy": "Retain",
					"Properties":     obj{"Name": "demo"},
				})
			},
		},
		{
			name: "matches a resource without Properties",
			assert: func(tp *assertions.Template) {
				tp.HasResource("AWS::SNS::Topic", obj{"Properties": Match.Absent()})
			},
		},
		{
			name: "fails when the deletion policy differs",
			assert: func(tp *assertions.Template) {
				tp.HasResource("AWS::EKS::Cluster", obj{"DeletionPolicy": "Delete"})
			},
			want: []string{
				"Template has 1 resources with type AWS::EKS::Cluster, but none match as expected.",
				"The closest match is Cluster (1 mismatch):",
				`/DeletionPolicy: Expected "Delete" but received "Retain" (objectLike)`,
			},
		},
		{
			name: "fails when a resource has no DependsOn",
			assert: func(tp *assertions.Template) {
				tp.HasResource("AWS::EKS::Nodegroup", obj{"DependsOn": Match.AnyValue()})
			},
			want: []string{"/DependsOn: Missing key 'DependsOn'"},
		},
		{
			name:     "fails when the template has no resources at all",
			template: `{}`,
			assert: func(tp *assertions.Template) {
				tp.HasResource("AWS::S3::Bucket", nil)
			},
			want: []string{"Template has 0 resources with type AWS::S3::Bucket.\nThe template has no resources."},
		},
	})
}

func TestResourceCounts(t *testing.T) {
	t.Parallel()
	runAssertionCases(t, []assertionCase{
		{
			name:   "counts resources of a type",
			assert: func(tp *assertions.Template) { tp.ResourceCountIs("AWS::S3::Bucket", 2) },
		},
		{
			name:   "counts zero resources of an absent type",
			assert: func(tp *assertions.Template) { tp.ResourceCountIs("AWS::Lambda::Function", 0) },
		},
		{
			name:   "fails when the count differs, listing the resources found",
			assert: func(tp *assertions.Template) { tp.ResourceCountIs("AWS::S3::Bucket", 1) },
			want:   []string{"Expected 1 resources of type AWS::S3::Bucket but found 2: BucketA, BucketB"},
		},
		{
			name: "counts resources with matching properties",
			assert: func(tp *assertions.Template) {
				tp.ResourcePropertiesCountIs("AWS::S3::Bucket", obj{"Tags": []obj{{"Value": "prod"}}}, 1)
			},
		},
		{
			name: "counts resources with matching properties when none match",
			assert: func(tp *assertions.Template) {
				tp.ResourcePropertiesCountIs("AWS::S3::Bucket", obj{"BucketName": "c"}, 0)
			},
		},
		{
			name: "fails when the count of resources with matching properties differs",
			assert: func(tp *assertions.Template) {
				tp.ResourcePropertiesCountIs("AWS::S3::Bucket", obj{"BucketName": Match.AnyValue()}, 1)
			},
			want: []string{"Expected 1 resources of type AWS::S3::Bucket but found 2 with matching properties: BucketA, BucketB"},
		},
	})
}

func TestAllResources(t *testing.T) {
	t.Parallel()
	runAssertionCases(t, []assertionCase{
		{
			name: "matches when every resource of the type matches",
			assert: func(tp *assertions.Template) {
				tp.AllResourcesProperties("AWS::S3::Bucket", obj{"Tags": []obj{{"Key": "env"}}})
			},
		},
		{
			name: "matches whole definitions",
			assert: func(tp *assertions.Template) {
				tp.AllResources("AWS::S3::Bucket", obj{"DeletionPolicy": Match.Absent()})
			},
		},
		{
			name: "fails when only some resources match, listing the others with their mismatches",
			assert: func(tp *assertions.Template) {
				tp.AllResourcesProperties("AWS::S3::Bucket", obj{"Tags": []obj{{"Value": "dev"}}})
			},
			want: []string{
				"Template has 2 resource(s) with type AWS::S3::Bucket, but only 1 match as expected.",
				"The following resources do not match the given definition:\nBucketB (1 mismatch):\n" +
					"\t/Properties/Tags/0/Value: Expected \"dev\" but received \"prod\" (objectLike)",
			},
		},
		{
			name: "fails when no resource matches",
			assert: func(tp *assertions.Template) {
				tp.AllResources("AWS::S3::Bucket", obj{"DeletionPolicy": "Retain"})
			},
			want: []string{
				"Template has 2 resource(s) with type AWS::S3::Bucket, but none match as expected.",
				"BucketA (1 mismatch):\n\t/DeletionPolicy: Missing key 'DeletionPolicy' (objectLike)",
				"BucketB (1 mismatch):",
			},
		},
		{
			name: "fails when there are no resources of the type",
			assert: func(tp *assertions.Template) {
				tp.AllResourcesProperties("AWS::Lambda::Function", obj{})
			},
			want: []string{"Template has 0 resources with type AWS::Lambda::Function.\nResource types in the template:"},
		},
	})
}

func TestFindResources(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		typ   string
		props any
		want  []string
	}{
		{name: "finds every resource of the type with nil props", typ: "AWS::S3::Bucket", want: []string{"BucketA", "BucketB"}},
		{name: "finds every resource of the type with empty props", typ: "AWS::S3::Bucket", props: obj{}, want: []string{"BucketA", "BucketB"}},
		{name: "finds resources matching the whole definition", typ: "AWS::S3::Bucket", props: obj{"Properties": obj{"BucketName": "b"}}, want: []string{"BucketB"}},
		{name: "finds resources matching a matcher", typ: "AWS::EKS::Cluster", props: Match.ObjectLike(obj{"DependsOn": Match.ArrayWith([]string{"ClusterRole"})}), want: []string{"Cluster"}},
		{name: "finds nothing when no resource matches", typ: "AWS::S3::Bucket", props: obj{"Properties": obj{"BucketName": "c"}}, want: []string{}},
		{name: "finds nothing for a type not in the template", typ: "AWS::Lambda::Function", want: []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			got := assertions.FromString(rec, fixture).FindResources(tc.typ, tc.props)
			checkReport(t, rec, nil)
			if ids := slices.Sorted(maps.Keys(got)); !slices.Equal(ids, tc.want) {
				t.Errorf("FindResources returned %v, want %v", ids, tc.want)
			}
			for id, r := range got {
				if r["Type"] != tc.typ {
					t.Errorf("resource %s has type %v, want %s", id, r["Type"], tc.typ)
				}
			}
		})
	}
}

func TestResourceID(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		typ   string
		props any
		want  string
		fails []string
	}{
		{name: "returns the logical ID of the one matching resource", typ: "AWS::S3::Bucket", props: obj{"BucketName": "a"}, want: "BucketA"},
		{name: "fails when several resources match", typ: "AWS::S3::Bucket", props: nil,
			fails: []string{"Expected one resource of type AWS::S3::Bucket with matching properties but found 2: BucketA, BucketB"}},
		{name: "fails when no resource matches", typ: "AWS::S3::Bucket", props: obj{"BucketName": "c"},
			fails: []string{"Template has 2 resources with type AWS::S3::Bucket, but none match as expected."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			got := assertions.FromString(rec, fixture).ResourceID(tc.typ, tc.props)
			checkReport(t, rec, tc.fails)
			if got != tc.want {
				t.Errorf("ResourceID = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNamedSections(t *testing.T) {
	t.Parallel()
	runAssertionCases(t, []assertionCase{
		{
			name: "matches an output by logical ID",
			assert: func(tp *assertions.Template) {
				tp.HasOutput("ClusterName", obj{"Export": obj{"Name": "demo-cluster"}})
			},
		},
		{
			name: "matches any output with *",
			assert: func(tp *assertions.Template) {
				tp.HasOutput("*", obj{"Value": obj{"Fn::GetAtt": []any{"Cluster", "Arn"}}})
			},
		},
		{
			name: "fails when the named output does not match",
			assert: func(tp *assertions.Template) {
				tp.HasOutput("ClusterName", obj{"Export": obj{"Name": "other"}})
			},
			want: []string{
				"Template has 1 outputs named ClusterName, but none match as expected.",
				`/Export/Name: Expected "other" but received "demo-cluster" (objectLike)`,
			},
		},
		{
			name: "fails when no output matches, showing the closest",
			assert: func(tp *assertions.Template) {
				tp.HasOutput("*", obj{"Value": obj{"Ref": "Nodegroup"}, "Export": Match.AnyValue()})
			},
			want: []string{
				"Template has 2 outputs named *, but none match as expected.",
				"The closest match is ClusterName (1 mismatch):\n\t/Value/Ref: Expected \"Nodegroup\" but received \"Cluster\"",
				"The next closest matches:\nClusterArn (2 mismatches):",
			},
		},
		{
			name: "fails when there is no output of that name, listing the outputs",
			assert: func(tp *assertions.Template) {
				tp.HasOutput("VpcId", obj{})
			},
			want: []string{"Template has 0 outputs named VpcId.\nOutputs in the template: ClusterArn, ClusterName"},
		},
		{
			name: "matches a parameter",
			assert: func(tp *assertions.Template) {
				tp.HasParameter("Env", obj{"Type": "String", "AllowedValues": []string{"dev", "prod"}})
			},
		},
		{
			name: "fails when a parameter differs",
			assert: func(tp *assertions.Template) {
				tp.HasParameter("*", obj{"Type": "Number"})
			},
			want: []string{"Template has 2 parameters with logicalId '*', but none match as expected.", `/Type: Expected "Number" but received "String"`},
		},
		{
			name: "matches a mapping",
			assert: func(tp *assertions.Template) {
				tp.HasMapping("RegionMap", obj{"eu-west-1": obj{"Ami": "ami-2"}})
			},
		},
		{
			name: "fails when a mapping lacks a key",
			assert: func(tp *assertions.Template) {
				tp.HasMapping("RegionMap", obj{"ap-south-1": Match.AnyValue()})
			},
			want: []string{"Template has 1 mappings with logicalId RegionMap, but none match as expected.", "/ap-south-1: Missing key 'ap-south-1'"},
		},
		{
			name: "matches a condition",
			assert: func(tp *assertions.Template) {
				tp.HasCondition("IsProd", obj{"Fn::Equals": []any{obj{"Ref": "Env"}, "prod"}})
			},
		},
		{
			name:     "fails when the template has no section of that kind",
			template: `{"Resources": {}}`,
			assert: func(tp *assertions.Template) {
				tp.HasCondition("IsProd", obj{})
			},
			want: []string{"Template has 0 conditions with logicalId IsProd.\nThe template has no Conditions."},
		},
		{
			name: "matches a rule",
			assert: func(tp *assertions.Template) {
				tp.HasRule("CheckBootstrapVersion", obj{"Assertions": Match.ArrayWith([]any{obj{"Assert": Match.AnyValue()}})})
			},
		},
		{
			name: "fails when a rule does not match",
			assert: func(tp *assertions.Template) {
				tp.HasRule("CheckBootstrapVersion", obj{"Assertions": []any{}})
			},
			want: []string{"/Assertions/0: Too many elements in array (expecting 0, got 1)"},
		},
	})
}

func TestFindNamed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		find func(tp *assertions.Template) map[string]map[string]any
		want []string
	}{
		{"finds outputs by pattern", func(tp *assertions.Template) map[string]map[string]any {
			return tp.FindOutputs("*", obj{"Export": Match.AnyValue()})
		}, []string{"ClusterName"}},
		{"finds every output with nil props", func(tp *assertions.Template) map[string]map[string]any {
			return tp.FindOutputs("*", nil)
		}, []string{"ClusterArn", "ClusterName"}},
		{"finds an output by logical ID", func(tp *assertions.Template) map[string]map[string]any {
			return tp.FindOutputs("ClusterArn", nil)
		}, []string{"ClusterArn"}},
		{"finds no output of an unknown logical ID", func(tp *assertions.Template) map[string]map[string]any {
			return tp.FindOutputs("Nope", nil)
		}, []string{}},
		{"finds parameters", func(tp *assertions.Template) map[string]map[string]any {
			return tp.FindParameters("*", obj{"Type": "String"})
		}, []string{"Env"}},
		{"finds mappings", func(tp *assertions.Template) map[string]map[string]any {
			return tp.FindMappings("*", obj{"us-east-1": obj{"Ami": "ami-1"}})
		}, []string{"RegionMap"}},
		{"finds conditions", func(tp *assertions.Template) map[string]map[string]any {
			return tp.FindConditions("*", obj{"Fn::Equals": Match.AnyValue()})
		}, []string{"IsProd"}},
		{"finds rules", func(tp *assertions.Template) map[string]map[string]any {
			return tp.FindRules("*", nil)
		}, []string{"CheckBootstrapVersion"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			got := tc.find(assertions.FromString(rec, fixture))
			checkReport(t, rec, nil)
			if ids := slices.Sorted(maps.Keys(got)); !slices.Equal(ids, tc.want) {
				t.Errorf("got %v, want %v", ids, tc.want)
			}
		})
	}
}

func TestTemplateMatches(t *testing.T) {
	t.Parallel()
	runAssertionCases(t, []assertionCase{
		{
			name: "matches the template partially",
			assert: func(tp *assertions.Template) {
				tp.TemplateMatches(obj{"Resources": obj{"Topic": obj{"Type": "AWS::SNS::Topic"}}})
			},
		},
		{
			name: "matches a matcher against the whole template",
			assert: func(tp *assertions.Template) {
				tp.TemplateMatches(Match.ObjectLike(obj{"Outputs": Match.AnyValue(), "Transform": Match.Absent()}))
			},
		},
		{
			name: "fails with every mismatch and its path",
			assert: func(tp *assertions.Template) {
				tp.TemplateMatches(obj{
					"Resources":   obj{"Topic": obj{"Type": "AWS::SNS::Subscription"}},
					"Description": "demo",
				})
			},
			want: []string{
				"Template did not match as expected. The following mismatches were found:",
				"\t/Description: Missing key 'Description' (objectLike)",
				"\t/Resources/Topic/Type: Expected \"AWS::SNS::Subscription\" but received \"AWS::SNS::Topic\" (objectLike)",
			},
		},
	})
}

func TestFromJSON(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		template map[string]any
		opts     []assertions.TemplateParsingOptions
		want     []string
	}{
		{
			name: "accepts Go slices and numbers in the template",
			template: obj{"Resources": obj{"Q": obj{
				"Type":       "AWS::SQS::Queue",
				"Properties": obj{"Tags": []map[string]string{{"Key": "a", "Value": "b"}}, "DelaySeconds": 5},
			}}},
		},
		{
			name: "fails on a dependency cycle",
			template: obj{"Resources": obj{
				"A": obj{"Type": "AWS::SQS::Queue", "DependsOn": "B"},
				"B": obj{"Type": "AWS::SQS::Queue", "Properties": obj{"RedrivePolicy": obj{"deadLetterTargetArn": obj{"Fn::GetAtt": []string{"A", "Arn"}}}}},
			}},
			want: []string{"Template is undeployable, these resources have a dependency cycle: A -> B -> A:", `"DependsOn": "B"`},
		},
		{
			name: "fails on a dependency cycle through Fn::Sub and Ref",
			template: obj{"Resources": obj{
				"A": obj{"Type": "AWS::SNS::Topic", "Properties": obj{"DisplayName": obj{"Fn::Sub": "${B.TopicName}-x"}}},
				"B": obj{"Type": "AWS::SNS::Topic", "Properties": obj{"DisplayName": obj{"Ref": "A"}}},
			}},
			want: []string{"dependency cycle: A -> B -> A"},
		},
		{
			name: "ignores escaped Fn::Sub placeholders and references to parameters",
			template: obj{
				"Parameters": obj{"P": obj{"Type": "String"}},
				"Resources": obj{
					"A": obj{"Type": "AWS::SNS::Topic", "Properties": obj{"DisplayName": obj{"Fn::Sub": "${!B}-${P}"}}},
					"B": obj{"Type": "AWS::SNS::Topic", "Properties": obj{"DisplayName": obj{"Ref": "A"}}},
				},
			},
		},
		{
			name: "skips the cycle check when asked",
			template: obj{"Resources": obj{
				"A": obj{"Type": "AWS::SQS::Queue", "DependsOn": []string{"B"}},
				"B": obj{"Type": "AWS::SQS::Queue", "DependsOn": []string{"A"}},
			}},
			opts: []assertions.TemplateParsingOptions{{SkipCyclicalDependenciesCheck: true}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			assertions.FromJSON(rec, tc.template, tc.opts...)
			checkReport(t, rec, tc.want)
		})
	}
}

func TestFromJSONCopiesTheTemplate(t *testing.T) {
	t.Parallel()
	tmpl := obj{"Resources": obj{"Q": obj{"Type": "AWS::SQS::Queue", "Properties": obj{"Tags": []string{"a"}}}}}
	tp := assertions.FromJSON(t, tmpl)
	tmpl["Resources"].(obj)["Q"].(obj)["Type"] = "AWS::SNS::Topic"
	tp.ResourceCountIs("AWS::SQS::Queue", 1)
	tp.HasResourceProperties("AWS::SQS::Queue", obj{"Tags": []any{"a"}})
	got := tp.ToJSON()["Resources"].(obj)["Q"].(obj)["Properties"].(obj)["Tags"]
	if _, ok := got.([]any); !ok {
		t.Errorf("ToJSON: Tags is %T, want []any", got)
	}
}

func TestFromString(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		json      string
		wantFatal bool
		want      []string
	}{
		{name: "reads a JSON template", json: `{"Resources": {}}`},
		{name: "fails on invalid JSON", json: `{"Resources": `, wantFatal: true, want: []string{"assertions: the template is not a JSON object"}},
		{name: "fails on JSON that is not an object", json: `[1]`, wantFatal: true, want: []string{"the template is not a JSON object"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			tp := assertions.FromString(rec, tc.json)
			checkReport(t, rec, tc.want)
			if rec.fatal != tc.wantFatal {
				t.Errorf("Fatalf called: %v, want %v", rec.fatal, tc.wantFatal)
			}
			if tp == nil || tp.ToJSON() == nil {
				t.Fatalf("FromString returned no usable template")
			}
			tp.ResourceCountIs("AWS::S3::Bucket", 0) // must not panic
		})
	}
}

func TestFailureMessageRendersTheClosestCandidate(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	assertions.FromString(rec, fixture).HasResourceProperties("AWS::EKS::Nodegroup", obj{
		"ScalingConfig": obj{"MinSize": 2},
		"Labels":        obj{"role": "system"},
	})
	want := strings.Join([]string{
		"Template has 1 resources with type AWS::EKS::Nodegroup, but none match as expected.",
		"The closest match is Nodegroup (2 mismatches):",
		"\t/Properties/Labels: Missing key 'Labels' (objectLike)",
		"\t/Properties/ScalingConfig/MinSize: Expected 2 but received 1 (objectLike)",
		"Nodegroup :: {",
		`  "Properties": {`,
		`    "ClusterName": { "Ref": "Cluster" },`,
		`!!   Missing key 'Labels'`,
		`    "Labels": <missing>,`,
		`    "ScalingConfig": {`,
		`      "DesiredSize": 2,`,
		`      "MaxSize": 3,`,
		`!!     Expected 2 but received 1`,
		`      "MinSize": 1`,
		`    }`,
		`  },`,
		`  "Type": "AWS::EKS::Nodegroup"`,
		`}`,
	}, "\n")
	if got := rec.output(); got != want {
		t.Errorf("failure message:\n%s\n\nwant:\n%s", got, want)
	}
}

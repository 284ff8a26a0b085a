package customresources_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/customresources"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

const token = "arn:aws:lambda:us-east-1:123456789012:function:provider"

func TestCustomResource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		props customresources.CustomResourceProps
		want  map[string]any
	}{
		{"generic type, removal destroy", customresources.CustomResourceProps{ServiceToken: token, Properties: map[string]any{"a": 1, "b": "x"}},
			map[string]any{
				"Type":                "AWS::CloudFormation::CustomResource",
				"Properties":          match.ObjectEquals(map[string]any{"ServiceToken": token, "a": 1, "b": "x"}),
				"DeletionPolicy":      "Delete",
				"UpdateReplacePolicy": "Delete",
			}},
		{"Custom:: type", customresources.CustomResourceProps{ServiceToken: token, ResourceType: "Custom::My-Thing_v2@x"},
			map[string]any{"Type": "Custom::My-Thing_v2@x"}},
		{"retained", customresources.CustomResourceProps{ServiceToken: token, RemovalPolicy: cdk.RemovalPolicyRetain},
			map[string]any{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}},
		{"pascal-cased properties", customresources.CustomResourceProps{ServiceToken: token, PascalCaseProperties: true,
			Properties: map[string]any{"bucketName": "b", "nested": map[string]any{"keep": 1}}},
			map[string]any{"Properties": match.ObjectEquals(map[string]any{"ServiceToken": token, "BucketName": "b", "Nested": map[string]any{"keep": 1}})}},
		{"service timeout", customresources.CustomResourceProps{ServiceToken: token, ServiceTimeout: cdk.Minutes(5)},
			map[string]any{"Properties": map[string]any{"ServiceTimeout": "300"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, s := synthtest.NewStack()
			customresources.NewCustomResource(s, "Res", tt.props)
			tmpl := assertions.FromStack(t, s)
			typ := "AWS::CloudFormation::CustomResource"
			if tt.props.ResourceType != "" {
				typ = tt.props.ResourceType
			}
			tmpl.HasResource(typ, tt.want)
			// The logical ID is the construct's own, as in the AWS CDK.
			if id := tmpl.ResourceID(typ, nil); id != "Res" {
				t.Errorf("logical ID = %s, want Res", id)
			}
		})
	}
}

func TestCustomResourceAttributes(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	other := customresources.NewCustomResource(s, "Other", customresources.CustomResourceProps{ServiceToken: token})
	res := customresources.NewCustomResource(s, "Res", customresources.CustomResourceProps{
		ServiceToken: token,
		Properties:   map[string]any{"Source": other.GetAttString("Endpoint"), "Id": other.Ref()},
	})
	cdk.NewCfnOutput(s, "Ref", cdk.CfnOutputProps{Value: res.Ref()})
	cdk.NewCfnOutput(s, "Att", cdk.CfnOutputProps{Value: cdk.AsString(res.GetAtt("Value"))})
	if res.Resource().Type() != "AWS::CloudFormation::CustomResource" {
		t.Errorf("Resource().Type() = %s", res.Resource().Type())
	}
	tmpl := assertions.FromStack(t, s)
	tmpl.HasResourceProperties("AWS::CloudFormation::CustomResource", map[string]any{
		"Source": map[string]any{"Fn::GetAtt": []any{"Other", "Endpoint"}}, "Id": map[string]any{"Ref": "Other"},
	})
	tmpl.HasOutput("Ref", map[string]any{"Value": map[string]any{"Ref": "Res"}})
	tmpl.HasOutput("Att", map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{"Res", "Value"}}})
}

func TestCustomResourceErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		props customresources.CustomResourceProps
		want  string
	}{
		{"fails on a type not starting with Custom::", customresources.CustomResourceProps{ServiceToken: token, ResourceType: "MyThing"}, `must begin with "Custom::"`},
		{"fails on an AWS type", customresources.CustomResourceProps{ServiceToken: token, ResourceType: "AWS::S3::Bucket"}, `must begin with "Custom::"`},
		{"fails on a type over 60 characters", customresources.CustomResourceProps{ServiceToken: token, ResourceType: "Custom::" + strings.Repeat("x", 53)}, "61 characters long"},
		{"fails on a bad character", customresources.CustomResourceProps{ServiceToken: token, ResourceType: "Custom::My.Thing"}, "a-z, A-Z, 0-9, '_', '@' and '-'"},
		{"fails on an empty name", customresources.CustomResourceProps{ServiceToken: token, ResourceType: "Custom::"}, "1 or more"},
		{"fails on a ServiceToken property", customresources.CustomResourceProps{ServiceToken: token, Properties: map[string]any{"serviceToken": 1}, PascalCaseProperties: true}, `property "serviceToken" is set by the custom resource itself`},
		{"fails on a service timeout over an hour", customresources.CustomResourceProps{ServiceToken: token, ServiceTimeout: cdk.Hours(2)}, "ServiceTimeout is 2 hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app, s := synthtest.NewStack()
			customresources.NewCustomResource(s, "Res", tt.props)
			synthtest.WantErrors(t, synthtest.SynthError(t, app), "[Stack/Res]", tt.want)
		})
	}
	_, s := synthtest.NewStack()
	if msg := synthtest.MustPanic(t, func() { customresources.NewCustomResource(s, "Res", customresources.CustomResourceProps{}) }); !strings.Contains(msg, "Stack/Res") || !strings.Contains(msg, "ServiceToken") {
		t.Errorf("panic %q", msg)
	}
}

package ssm_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/ssm"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
)

func newStack() (*cdk.App, *cdk.Stack) {
	app := cdk.NewApp(cdk.AppProps{})
	return app, cdk.NewStack(app, "Stack", cdk.StackProps{})
}

func TestValueForStringParameter(t *testing.T) {
	t.Parallel()
	_, s := newStack()
	a := ssm.StringParameterValueForStringParameter(s, "/my/param")
	b := ssm.StringParameterValueForStringParameter(cdk.NewConstruct(s, "Child"), "/my/param")
	ami := ssm.StringParameterValueForTypedStringParameter(s, "/my/ami", ssm.ParameterValueTypeAwsEc2ImageId)
	v := ssm.StringParameterValueForStringParameter(s, "/my/param", 3)
	if a != b {
		t.Errorf("the same name gave two values: %q and %q", a, b)
	}
	if v != "{{resolve:ssm:/my/param:3}}" {
		t.Errorf("versioned value = %q, want a dynamic reference", v)
	}
	cdk.NewCfnOutput(s, "A", cdk.CfnOutputProps{Value: a})
	cdk.NewCfnOutput(s, "Ami", cdk.CfnOutputProps{Value: ami})
	tmpl := assertions.FromStack(t, s)
	// Logical IDs and rendering as aws-cdk-lib 2.276 synthesizes them.
	tmpl.HasParameter("SsmParameterValuemyparamC96584B6F00A464EAD1953AFF4B05118Parameter", map[string]any{
		"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/my/param",
	})
	tmpl.HasParameter("SsmParameterValuemyamiC96584B6F00A464EAD1953AFF4B05118Parameter", map[string]any{
		"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", "Default": "/my/ami",
	})
	tmpl.HasOutput("A", map[string]any{"Value": map[string]any{"Ref": "SsmParameterValuemyparamC96584B6F00A464EAD1953AFF4B05118Parameter"}})
	if n := len(tmpl.FindParameters("*", map[string]any{"Default": "/my/param"})); n != 1 {
		t.Errorf("%d parameters for /my/param, want 1", n)
	}
}

func TestStringParameter(t *testing.T) {
	t.Parallel()
	_, s := newStack()
	p := ssm.NewStringParameter(s, "P", ssm.StringParameterProps{StringValue: "hello", ParameterName: "/x/y", Description: "d"})
	ssm.NewStringParameter(s, "P2", ssm.StringParameterProps{StringValue: "hello"})
	imp := ssm.StringParameterFromStringParameterName(s, "Imp", "/imp/name")
	cdk.NewCfnOutput(s, "ImpV", cdk.CfnOutputProps{Value: imp.StringValue()})
	cdk.NewCfnOutput(s, "ImpArn", cdk.CfnOutputProps{Value: imp.ParameterArn()})
	cdk.NewCfnOutput(s, "Arn", cdk.CfnOutputProps{Value: p.ParameterArn()})
	cdk.NewCfnOutput(s, "Value", cdk.CfnOutputProps{Value: p.StringValue()})
	tmpl := assertions.FromStack(t, s)
	tmpl.HasResourceProperties("AWS::SSM::Parameter", map[string]any{"Description": "d", "Name": "/x/y", "Type": "String", "Value": "hello"})
	tmpl.ResourceCountIs("AWS::SSM::Parameter", 2)
	if id := tmpl.ResourceID("AWS::SSM::Parameter", map[string]any{"Name": "/x/y"}); id != "P4E0919BE" {
		t.Errorf("logical ID %q, want the AWS CDK's P4E0919BE", id)
	}
	tmpl.HasParameter("ImpParameter", map[string]any{"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/imp/name"})
	partition, region, account := map[string]any{"Ref": "AWS::Partition"}, map[string]any{"Ref": "AWS::Region"}, map[string]any{"Ref": "AWS::AccountId"}
	tmpl.HasOutput("ImpArn", map[string]any{"Value": map[string]any{"Fn::Join": []any{"", []any{
		"arn:", partition, ":ssm:", region, ":", account, ":parameter/imp/name"}}}})
	tmpl.HasOutput("Arn", map[string]any{"Value": map[string]any{"Fn::Join": []any{"", []any{
		"arn:", partition, ":ssm:", region, ":", account, ":parameter", map[string]any{"Ref": "P4E0919BE"}}}}})
	tmpl.HasOutput("Value", map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{"P4E0919BE", "Value"}}})
}

func TestStringParameterErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		props ssm.StringParameterProps
		want  string
	}{
		{"fails without a value", ssm.StringParameterProps{}, "StringValue is empty"},
		{"fails when the value does not match the pattern", ssm.StringParameterProps{StringValue: "abc", AllowedPattern: `^\d+$`}, `does not match AllowedPattern`},
		{"fails on a malformed name", ssm.StringParameterProps{StringValue: "v", ParameterName: "bad name"}, `ParameterName "bad name" is invalid`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, s := newStack()
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(r.(string), tc.want) || !strings.Contains(r.(string), `"Stack/P"`) {
					t.Errorf("panic = %v, want one naming Stack/P and containing %q", r, tc.want)
				}
			}()
			ssm.NewStringParameter(s, "P", tc.props)
		})
	}
}

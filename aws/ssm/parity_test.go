package ssm_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/eksforge/eksforge/aws/ssm"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cdklib"
)

// TestParityWithAwsCdk compares the parameters, resources and outputs of
// testdata/parity/ssm.js (aws-cdk-lib 2.276.0) with the same stack built
// here.
func TestParityWithAwsCdk(t *testing.T) {
	t.Parallel()
	want := cdklib.Template(t, cdklib.Synth(t, "testdata/parity/ssm.js"), "Stack")

	app, s := newStack()
	out := func(id, v string) { cdk.NewCfnOutput(s, id, cdk.CfnOutputProps{Value: v}) }
	out("Plain", ssm.StringParameterValueForStringParameter(s, "/my/param"))
	out("Again", ssm.StringParameterValueForStringParameter(s, "/my/param"))
	out("Ami", ssm.StringParameterValueForTypedStringParameter(s, "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id", ssm.ParameterValueTypeAwsEc2ImageId))
	p := ssm.NewStringParameter(s, "Named", ssm.StringParameterProps{StringValue: "hello", ParameterName: "/app/greeting", Description: "a greeting", Tier: ssm.ParameterTierStandard})
	ssm.NewStringParameter(s, "Generated", ssm.StringParameterProps{StringValue: "v", AllowedPattern: "^v$"})
	out("NamedArn", p.ParameterArn())
	out("NamedValue", p.StringValue())
	imported := ssm.StringParameterFromStringParameterName(s, "Imported", "/shared/value")
	out("ImportedValue", imported.StringValue())
	out("ImportedArn", imported.ParameterArn())
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := asm.TemplateOf(s)
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	for _, section := range []string{"Parameters", "Outputs"} {
		if !reflect.DeepEqual(got[section], want[section]) {
			t.Errorf("%s differ:\n ours: %s\n  cdk: %s", section, cdklib.JSON(got[section]), cdklib.JSON(want[section]))
		}
	}
	g, w := got["Resources"].(map[string]any), want["Resources"].(map[string]any)
	if len(g) != len(w) {
		t.Errorf("%d resources, the AWS CDK has %d", len(g), len(w))
	}
	for id, wr := range w {
		gr, ok := g[id].(map[string]any)
		if !ok {
			t.Errorf("no resource %s", id)
			continue
		}
		for _, k := range []string{"Type", "Properties"} {
			if !reflect.DeepEqual(gr[k], wr.(map[string]any)[k]) {
				t.Errorf("%s %s differs:\n ours: %s\n  cdk: %s", id, k, cdklib.JSON(gr[k]), cdklib.JSON(wr.(map[string]any)[k]))
			}
		}
	}
}

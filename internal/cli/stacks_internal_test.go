package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/eksforge/eksforge/internal/cfndiff"
)

func TestApprovalNeeded(t *testing.T) {
	t.Parallel()
	parse := func(s string) map[string]any {
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	role := `{"Resources":{"R":{"Type":"AWS::IAM::Role","Properties":{"AssumeRolePolicyDocument":{"Statement":[%s]}}}}}`
	allow := `{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ec2.amazonaws.com"}}`
	broadening := cfndiff.Compare(parse(fmt.Sprintf(role, "")), parse(fmt.Sprintf(role, allow)))
	narrowing := cfndiff.Compare(parse(fmt.Sprintf(role, allow)), parse(fmt.Sprintf(role, "")))
	inPlace := cfndiff.Compare(parse(`{"Resources":{"T":{"Type":"AWS::SNS::Topic","Properties":{"DisplayName":"a"}}}}`), parse(`{"Resources":{"T":{"Type":"AWS::SNS::Topic","Properties":{"DisplayName":"b"}}}}`))
	conditional := []types.Change{{ResourceChange: &types.ResourceChange{LogicalResourceId: aws.String("T"), Replacement: types.ReplacementConditional}}}
	tests := []struct {
		name    string
		level   string
		d       *cfndiff.TemplateDiff
		changes []types.Change
		want    string
	}{
		{"broadening asks when permissions widen", "broadening", broadening, nil, "IAM or security group permissions are broadened"},
		{"broadening does not ask when permissions narrow", "broadening", narrowing, nil, ""},
		{"any-change asks when permissions narrow", "any-change", narrowing, nil, "IAM or security group permissions change"},
		{"an update in place needs no approval", "any-change", inPlace, nil, ""},
		{"a replacement announced by CloudFormation needs approval", "broadening", inPlace, conditional, "1 resource(s) will or may be replaced"},
		{"never never asks", "never", broadening, conditional, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := approvalNeeded(tc.level, tc.d, tc.changes); got != tc.want {
				t.Errorf("approvalNeeded() = %q, want %q", got, tc.want)
			}
		})
	}
}

// --build-assets adds the context key to the app's CDK_CONTEXT_JSON,
// keeping what the environment already holds.
func TestBuildAssetsContext(t *testing.T) {
	r := &Runner{Dir: t.TempDir(), Env: []string{"A=1", `CDK_CONTEXT_JSON={"k":"v"}`}}
	ctx, err := r.appContext(&options{buildAssets: true})
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"A=1"}
	if _, err := writeContextToEnv(&env, ctx); err != nil || env[1] != `CDK_CONTEXT_JSON={"eksforge:buildAssets":true,"k":"v"}` {
		t.Errorf("env = %q, %v", env, err)
	}
	r.Env = []string{`CDK_CONTEXT_JSON=[1]`}
	if _, err := r.appContext(&options{}); err == nil {
		t.Error("a CDK_CONTEXT_JSON that is not an object was accepted")
	}
}

// A context larger than one environment variable holds goes partly to the
// overflow file, which is removed afterwards.
func TestContextOverflow(t *testing.T) {
	big := strings.Repeat("x", envValueLimit)
	env := []string{"A=1"}
	cleanup, err := writeContextToEnv(&env, map[string]any{"a": "small", "big": big})
	if err != nil {
		t.Fatal(err)
	}
	if len(env) != 3 || env[1] != `CDK_CONTEXT_JSON={"a":"small"}` || !strings.HasPrefix(env[2], "CONTEXT_OVERFLOW_LOCATION_ENV=") {
		t.Fatalf("env = %.200q", env)
	}
	file := strings.TrimPrefix(env[2], "CONTEXT_OVERFLOW_LOCATION_ENV=")
	body, err := os.ReadFile(file)
	if err != nil || string(body) != `{"big":"`+big+`"}` {
		t.Errorf("overflow file: %.100s, %v", body, err)
	}
	cleanup()
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("the overflow file is still there: %v", err)
	}
}

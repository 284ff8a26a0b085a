package logs_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/logs"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
)

func TestLogGroup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		props logs.LogGroupProps
		want  map[string]any
	}{
		{"defaults: two years, retained", logs.LogGroupProps{}, map[string]any{
			"Properties": assertions.Match.ObjectEquals(map[string]any{"RetentionInDays": 731}), "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}},
		{"infinite", logs.LogGroupProps{Retention: logs.RetentionInfinite}, map[string]any{"Properties": assertions.Match.Absent()}},
		{"named, one day", logs.LogGroupProps{LogGroupName: "/a/b", Retention: logs.RetentionOneDay}, map[string]any{
			"Properties": map[string]any{"LogGroupName": "/a/b", "RetentionInDays": 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app := cdk.NewApp(cdk.AppProps{})
			s := cdk.NewStack(app, "Stack", cdk.StackProps{})
			g := logs.NewLogGroup(s, "G", tt.props)
			cdk.NewCfnOutput(s, "Arn", cdk.CfnOutputProps{Value: g.LogGroupArn()})
			tmpl := assertions.FromStack(t, s)
			tmpl.HasResource("AWS::Logs::LogGroup", tt.want)
			tmpl.HasOutput("Arn", map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{"GCEB75847", "Arn"}}})
		})
	}
}

func TestLogGroupErrors(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		props logs.LogGroupProps
		want  string
	}{
		"fails on an unknown retention": {logs.LogGroupProps{Retention: 8}, "Retention is 8 days"},
		"fails on a bad name":           {logs.LogGroupProps{LogGroupName: "a b"}, `LogGroupName "a b"`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			app := cdk.NewApp(cdk.AppProps{})
			s := cdk.NewStack(app, "Stack", cdk.StackProps{})
			logs.NewLogGroup(s, "G", tc.props)
			_, err := app.Synth(cdk.InMemory())
			if err == nil || !strings.Contains(err.Error(), "[Stack/G]") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want the path and %q", err, tc.want)
			}
		})
	}
	if !logs.RetentionTenYears.Valid() || logs.RetentionDays(2).Valid() {
		t.Error("Valid is wrong")
	}
}

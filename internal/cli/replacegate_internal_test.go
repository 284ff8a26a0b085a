package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/internal/cfndiff"
)

func TestGuardedChanges(t *testing.T) {
	t.Parallel()
	parse := func(s string) map[string]any {
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	cluster := `"Cluster":{"Type":"AWS::EKS::Cluster","Properties":{"Name":%q,"RoleArn":"r"}}`
	ng := `"Ng":{"Type":"AWS::EKS::Nodegroup","Properties":{"ClusterName":{"Ref":"Cluster"},"NodeRole":"n","Subnets":["s"]}}`
	topic := `"Topic":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":%q}}`
	logs := `"Logs":{"Type":"AWS::Logs::LogGroup"}`
	retainedLogs := `"Logs":{"Type":"AWS::Logs::LogGroup","DeletionPolicy":"Retain"}`
	tmpl := func(parts ...string) map[string]any {
		return parse("{\"Resources\":{" + strings.Join(parts, ",") + "}}")
	}
	sprintf := func(f, v string) string { return strings.Replace(f, "%q", `"`+v+`"`, 1) }
	paths := map[string]string{"Cluster": "App/Cluster/Resource", "Ng": "App/Cluster/Ng/Resource"}
	tests := []struct {
		name     string
		old, new map[string]any
		changes  []types.Change
		want     []string
	}{
		{
			name: "a renamed cluster and the node group it takes along",
			old:  tmpl(sprintf(cluster, "a"), ng), new: tmpl(sprintf(cluster, "b"), ng),
			want: []string{
				"replace EKS cluster Cluster (AWS::EKS::Cluster, App/Cluster/Resource): Name changes",
				"replace node group Ng (AWS::EKS::Nodegroup, App/Cluster/Ng/Resource): ClusterName refers to Cluster, which is replaced",
			},
		},
		{
			name: "a replaced resource of another type is not guarded",
			old:  tmpl(sprintf(topic, "a")), new: tmpl(sprintf(topic, "b")),
		},
		{
			name: "a deleted log group",
			old:  tmpl(logs), new: tmpl(sprintf(topic, "a")),
			want: []string{"delete log group Logs (AWS::Logs::LogGroup)"},
		},
		{
			name: "a deleted log group it retains is not guarded",
			old:  tmpl(retainedLogs), new: tmpl(sprintf(topic, "a")),
		},
		{
			name: "a conditional replacement CloudFormation announces",
			old:  tmpl(sprintf(topic, "a")), new: tmpl(sprintf(topic, "a")),
			changes: []types.Change{{ResourceChange: &types.ResourceChange{LogicalResourceId: aws.String("Table"), ResourceType: aws.String("AWS::DynamoDB::Table"), Action: types.ChangeActionModify, Replacement: types.ReplacementConditional}}},
			want:    []string{"may replace table Table (AWS::DynamoDB::Table): CloudFormation says the replacement is conditional"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, g := range guardedChanges(cfndiff.Compare(tc.old, tc.new), tc.old, tc.changes, paths) {
				got = append(got, g.String())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("guarded changes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAllowReplaceNames(t *testing.T) {
	t.Parallel()
	g := guarded{logicalID: "ClusterNg1234ABCD", path: "App/Cluster/Ng/Resource"}
	for name, want := range map[string]bool{
		"ClusterNg1234ABCD":       true,
		"App/Cluster/Ng/Resource": true,
		"App/Cluster/Ng":          true,
		"App/Cluster/":            true,
		"App/Clus":                false,
		"Ng":                      false,
		"":                        false,
		"/":                       false,
	} {
		if got := g.allows(name); got != want {
			t.Errorf("--allow-replace %q allows %s: %v, want %v", name, g.path, got, want)
		}
	}
}

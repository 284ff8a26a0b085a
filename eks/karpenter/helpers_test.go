package karpenter_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/eks/karpenter"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

var Match = assertions.Match

func init() { eks.KubectlHandlerPackage = "github.com/eksforge/eksforge/internal/testenv/kubectlstub" }

// newKarpenter returns a stack with a cluster (a managed node group by
// default) and Karpenter 1.14.1 on it.
func newKarpenter(t testing.TB, props karpenter.Props, cluster ...eks.ClusterProps) (*cdk.App, *cdk.Stack, *karpenter.Karpenter) {
	t.Helper()
	app, stack := synthtest.NewStack()
	cp := eks.ClusterProps{Version: eks.V1_34}
	if len(cluster) > 0 {
		cp = cluster[0]
	}
	if props.Cluster == nil {
		props.Cluster = eks.NewCluster(stack, "Cluster", cp)
	}
	if props.Version == "" {
		props.Version = "1.14.1"
	}
	return app, stack, karpenter.New(stack, "Karpenter", props)
}

// flatten renders a resolved CloudFormation value as text: Fn::Join is
// joined, Ref becomes "<Ref:X>", Fn::GetAtt "<X.Attr>" and pseudo
// parameters their name, so documents written as JSON strings can be
// parsed back and checked statement by statement.
func flatten(t testing.TB, v any) string {
	t.Helper()
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return fmt.Sprint(x)
	case map[string]any:
		if r, ok := x["Ref"].(string); ok {
			if strings.HasPrefix(r, "AWS::") {
				return "<" + r + ">"
			}
			return "<Ref:" + r + ">"
		}
		if ga, ok := x["Fn::GetAtt"].([]any); ok {
			return fmt.Sprintf("<%v.%v>", ga[0], ga[1])
		}
		if j, ok := x["Fn::Join"].([]any); ok {
			var parts []string
			for _, p := range j[1].([]any) {
				parts = append(parts, flatten(t, p))
			}
			return strings.Join(parts, j[0].(string))
		}
	}
	t.Fatalf("cannot flatten %#v", v)
	return ""
}

// ofType returns the resources of a type by logical ID.
func ofType(tmpl map[string]any, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range tmpl["Resources"].(map[string]any) {
		if rm := r.(map[string]any); rm["Type"] == typ {
			out[id] = rm
		}
	}
	return out
}

// logicalIDs returns the sorted keys of resources.
func logicalIDs(rs map[string]map[string]any) []string {
	var ids []string
	for id := range rs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

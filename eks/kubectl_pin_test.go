package eks_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/aws/logs"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

// flatten renders a template value as text, intrinsics as "{Ref X}" and
// "{X.Attr}".
func flatten(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if r, ok := x["Ref"]; ok {
			return fmt.Sprintf("{Ref %v}", r)
		}
		if g, ok := x["Fn::GetAtt"].([]any); ok {
			return fmt.Sprintf("{%v.%v}", g[0], g[1])
		}
		if j, ok := x["Fn::Join"].([]any); ok {
			parts := j[1].([]any)
			s := make([]string, len(parts))
			for i, p := range parts {
				s[i] = flatten(p)
			}
			return strings.Join(s, j[0].(string))
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// servedClusters returns the clusters the stack's kubectl handler is pinned
// to, decoded from its environment.
func servedClusters(t *testing.T, tmpl map[string]any) []map[string]any {
	t.Helper()
	for _, fn := range resourcesOfType(tmpl, "AWS::Lambda::Function") {
		vars, _ := fn["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)
		if v, ok := vars[eks.KubectlClustersEnvironmentVariable]; ok {
			var out []map[string]any
			if err := json.Unmarshal([]byte(flatten(v)), &out); err != nil {
				t.Fatalf("%s is not JSON: %v: %s", eks.KubectlClustersEnvironmentVariable, err, flatten(v))
			}
			return out
		}
	}
	t.Fatalf("no function has %s", eks.KubectlClustersEnvironmentVariable)
	return nil
}

func TestKubectlHandlerIsPinnedToItsClusters(t *testing.T) {
	t.Parallel()
	t.Run("its own cluster", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		c := k8sCluster(stack)
		c.AddManifest("x", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
		got := servedClusters(t, templateOf(t, stack))
		want := []map[string]any{{"name": "{Ref ClusterEB0386A7}", "arn": "{ClusterEB0386A7.Arn}"}}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("served clusters (-want +got):\n%s", d)
		}
	})
	t.Run("every cluster sharing it, and clusters listed with ServeCluster", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		a := k8sCluster(stack)
		a.AddManifest("x", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
		p := eks.KubectlProviderOf(a).(*eks.KubectlProvider)
		b := eks.NewCluster(stack, "B", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0), Kubectl: eks.KubectlOptions{Provider: p}})
		b.AddManifest("y", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "y"}})
		p.ServeCluster(eks.ServedCluster{ClusterName: "elsewhere", RoleArn: "arn:aws:iam::123456789012:role/elsewhere-admin"})
		got := servedClusters(t, templateOf(t, stack))
		if len(got) != 3 || got[0]["name"] != "{Ref ClusterEB0386A7}" || !strings.HasPrefix(got[1]["name"].(string), "{Ref B") ||
			got[2]["name"] != "elsewhere" || got[2]["roleArn"] != "arn:aws:iam::123456789012:role/elsewhere-admin" {
			t.Errorf("served clusters = %v", got)
		}
	})
	t.Run("fails for a cluster of another stack without a name", func(t *testing.T) {
		t.Parallel()
		app, stack := newStack()
		a := k8sCluster(stack)
		other := cdk.NewStack(app, "Other", cdk.StackProps{})
		b := eks.NewCluster(other, "B", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0), Kubectl: eks.KubectlOptions{Provider: eks.KubectlProviderOf(a)}})
		b.AddManifest("y", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "y"}})
		wantError(t, app, "[Other/B]", "Stack/Cluster/KubectlProvider is in another stack", "set ClusterName")
	})
	t.Run("fails when the environment sets the variable", func(t *testing.T) {
		t.Parallel()
		app, stack := newStack()
		c := k8sCluster(stack, eks.ClusterProps{Kubectl: eks.KubectlOptions{Environment: map[string]string{eks.KubectlClustersEnvironmentVariable: "[]"}}})
		c.AddManifest("x", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
		wantError(t, app, "[Stack/Cluster/KubectlProvider]", "Kubectl.Environment sets EKSFORGE_KUBECTL_CLUSTERS", "remove it")
	})
}

func TestKubectlHandlerLogGroup(t *testing.T) {
	t.Parallel()
	t.Run("a month by default", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		c := k8sCluster(stack)
		c.AddManifest("x", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
		tp := assertions.FromStack(t, stack)
		tp.HasResource("AWS::Logs::LogGroup", map[string]any{
			"Properties":     map[string]any{"RetentionInDays": 30},
			"DeletionPolicy": "Retain",
		})
		tp.HasResourceProperties("AWS::Lambda::Function", map[string]any{
			"LoggingConfig": map[string]any{"LogGroup": map[string]any{"Ref": Match.StringLikeRegexp("^ClusterKubectlProviderHandlerLogGroup")}},
		})
	})
	t.Run("configurable, with a KMS key CloudWatch Logs may use", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		key := kms.NewKey(stack, "LogKey", kms.KeyProps{EnableKeyRotation: true})
		c := k8sCluster(stack, eks.ClusterProps{Kubectl: eks.KubectlOptions{LogRetention: logs.RetentionOneYear, LogEncryptionKey: key}})
		c.AddManifest("x", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
		tp := assertions.FromStack(t, stack)
		tp.HasResourceProperties("AWS::Logs::LogGroup", map[string]any{
			"RetentionInDays": 365,
			"KmsKeyId":        map[string]any{"Fn::GetAtt": []any{Match.StringLikeRegexp("^LogKey"), "Arn"}},
		})
		tp.HasResourceProperties("AWS::KMS::Key", map[string]any{
			"KeyPolicy": map[string]any{"Statement": Match.ArrayWith([]any{Match.ObjectLike(map[string]any{
				"Principal": map[string]any{"Service": map[string]any{"Fn::Join": []any{"", []any{"logs.", map[string]any{"Ref": "AWS::Region"}, ".amazonaws.com"}}}},
				"Action":    Match.ArrayWith([]any{"kms:Encrypt*", "kms:GenerateDataKey*"}),
			})})},
		})
	})
}

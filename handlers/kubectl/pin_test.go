package kubectl_test

import (
	"context"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
)

// TestPinnedHandlerRefusesOtherClusters sends a pinned handler events that
// name another cluster, role, endpoint or CA, of every resource type, and
// checks that each is refused with a reason naming what was wrong and that
// nothing reached the API server; then that the cluster it serves works.
func TestPinnedHandlerRefusesOtherClusters(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	h.Clusters = []kubectl.ServedCluster{{Name: "test"}, {Name: "other", RoleArn: "arn:aws:iam::123456789012:role/other-admin"}}
	ns := namespace(t, env)
	manifest := jsonString(t, []any{configMap(ns, "pinned", map[string]any{"k": "v"})})
	cases := []struct {
		name  string
		props map[string]any
		want  string
	}{
		{"another cluster", map[string]any{"ClusterName": "prod"}, `ClusterName "prod" is not a cluster this handler serves`},
		{"a role on the handler's own role", map[string]any{"RoleArn": "arn:aws:iam::123456789012:role/x"}, `RoleArn "arn:aws:iam::123456789012:role/x" is not the role configured for cluster test`},
		{"another role", map[string]any{"ClusterName": "other", "RoleArn": "arn:aws:iam::123456789012:role/x"}, "is not the role configured for cluster other"},
		{"no role where one is configured", map[string]any{"ClusterName": "other"}, `RoleArn "" is not the role configured for cluster other`},
		{"another endpoint", map[string]any{"ClusterEndpoint": "https://attacker.example.com"}, `ClusterEndpoint "https://attacker.example.com" is not the endpoint of cluster test`},
		{"another CA", map[string]any{"ClusterCertificateAuthorityData": "Zm9v"}, "ClusterCertificateAuthorityData is not the CA of cluster test"},
	}
	types := map[string]map[string]any{
		kubectl.TypeManifest:    {"Manifest": manifest},
		kubectl.TypeHelmChart:   {"Release": "pinned", "Chart": "demo", "Repository": "https://charts.example.com", "Namespace": ns},
		kubectl.TypePatch:       {"ResourceName": "configmap/pinned", "ResourceNamespace": ns, "ApplyPatchJson": `{"data":{"k":"patched"}}`, "RestorePatchJson": "{}"},
		kubectl.TypeObjectValue: {"ObjectType": "configmap", "ObjectName": "pinned", "ObjectNamespace": ns, "JsonPath": ".data.k", "TimeoutSeconds": "1"},
		kubectl.TypeAwsAuth:     {"MapRoles": "[]"},
	}
	for _, c := range cases {
		for typ, base := range types {
			for _, rt := range []cfnresponse.RequestType{cfnresponse.Create, cfnresponse.Update, cfnresponse.Delete} {
				p := map[string]any{}
				for k, v := range base {
					p[k] = v
				}
				for k, v := range c.props {
					p[k] = v
				}
				e := ev(t, typ, rt, p, nil)
				if rt != cfnresponse.Create {
					e.PhysicalResourceId = "x/test/y"
					e.OldResourceProperties = map[string]any{"ClusterName": "test"}
				}
				_, err := h.OnEvent(context.Background(), e)
				if err == nil || !strings.HasPrefix(err.Error(), "refused: ") || !strings.Contains(err.Error(), c.want) ||
					!strings.Contains(err.Error(), "(test, other)") {
					t.Errorf("%s: %s %s: error %v, want a refusal saying %q and naming the served clusters", c.name, rt, typ, err, c.want)
				}
			}
		}
	}
	if get(t, env, cmGVR, ns, "pinned") != nil {
		t.Fatal("a refused event applied its manifest")
	}

	// The cluster it serves, with the endpoint and CA left to
	// eks:DescribeCluster, is applied as before.
	r := mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, map[string]any{"Manifest": manifest}, nil))
	if get(t, env, cmGVR, ns, "pinned") == nil || !strings.HasPrefix(r.PhysicalResourceId, "manifest/test/") {
		t.Errorf("the served cluster's manifest was not applied: %+v", r)
	}
}

func TestParseServedClusters(t *testing.T) {
	t.Parallel()
	got, err := kubectl.ParseServedClusters(`[{"name":"a","arn":"arn:aws:eks:us-east-1:123456789012:cluster/a"},{"name":"b","roleArn":"arn:aws:iam::123456789012:role/r"}]`)
	if err != nil || len(got) != 2 || got[0].Arn == "" || got[1].RoleArn != "arn:aws:iam::123456789012:role/r" {
		t.Errorf("ParseServedClusters = %+v, %v", got, err)
	}
	for _, bad := range []struct{ in, want string }{
		{`not json`, "is not a JSON list of clusters"},
		{`[]`, "lists no cluster"},
		{`[{"arn":"x"}]`, "cluster 0 has no name"},
	} {
		if _, err := kubectl.ParseServedClusters(bad.in); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ParseServedClusters(%q) error %v, want %q", bad.in, err, bad.want)
		}
	}
}

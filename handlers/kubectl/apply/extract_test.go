package apply_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eksforge/eksforge/handlers/kubectl/apply"
)

// TestApplied extracts one manager's applied fields from an object as the
// API server stores it: map fields, a keyed list (containers by name), a
// set (finalizers), and fields of another manager left out.
func TestApplied(t *testing.T) {
	t.Parallel()
	var u unstructured.Unstructured
	if err := json.Unmarshal([]byte(`{
	  "apiVersion": "apps/v1", "kind": "Deployment",
	  "metadata": {"name": "web", "namespace": "apps", "uid": "u1", "resourceVersion": "9",
	    "labels": {"app": "web", "team": "x"}, "finalizers": ["a/b", "c/d"],
	    "managedFields": [
	      {"manager": "old", "operation": "Apply", "apiVersion": "apps/v1", "fieldsType": "FieldsV1", "fieldsV1": {
	        "f:metadata": {"f:labels": {"f:app": {}}, "f:finalizers": {"v:\"a/b\"": {}}},
	        "f:spec": {"f:replicas": {}, "f:template": {"f:spec": {"f:containers": {
	          "k:{\"name\":\"app\"}": {".": {}, "f:name": {}, "f:image": {}}}}}}}},
	      {"manager": "kubectl", "operation": "Update", "apiVersion": "apps/v1", "fieldsType": "FieldsV1", "fieldsV1": {
	        "f:metadata": {"f:labels": {"f:team": {}}}}}
	    ]},
	  "spec": {"replicas": 3, "paused": false, "template": {"spec": {"containers": [
	    {"name": "side", "image": "s:1"}, {"name": "app", "image": "a:2", "ports": [{"containerPort": 80}]}]}}}
	}`), &u.Object); err != nil {
		t.Fatal(err)
	}
	got, ok := apply.Applied(&u, "old")
	if !ok {
		t.Fatal("not extracted")
	}
	want := map[string]any{"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": "web", "namespace": "apps", "labels": map[string]any{"app": "web"}, "finalizers": []any{"a/b"}},
		"spec": map[string]any{"replicas": float64(3), "template": map[string]any{"spec": map[string]any{
			"containers": []any{map[string]any{"name": "app", "image": "a:2"}}}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Applied (-want +got):\n%s", diff)
	}
	if _, ok := apply.Applied(&u, "nobody"); ok {
		t.Error("a manager without an Apply entry gave content")
	}
}

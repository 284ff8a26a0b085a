package cli

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"

	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
)

// TestUpgradePlanLiveManagedFields checks the managedFields record of the
// live-object check against the real API server: a CustomResourceDefinition
// serves widgets in v1beta1 and v1, and a table entry says v1beta1 is
// removed in the target. The API server records, per field manager, the
// version of its last write: the widget an operator wrote through v1beta1 is
// a blocker naming the operator, even after another manager writes it
// through v1; the widget written only through v1 is not, although listing
// through v1beta1 would return it too.
func TestUpgradePlanLiveManagedFields(t *testing.T) {
	t.Parallel()
	env := kubeenv.Start(t)
	dyn, err := dynamic.NewForConfig(env.RestConfig())
	if err != nil {
		t.Fatal(err)
	}
	crd := map[string]any{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
		"metadata": map[string]any{"name": "widgets.example.eksforge.io"},
		"spec": map[string]any{"group": "example.eksforge.io", "scope": "Namespaced",
			"names": map[string]any{"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
			"versions": []any{
				map[string]any{"name": "v1beta1", "served": true, "storage": false, "schema": map[string]any{"openAPIV3Schema": map[string]any{"type": "object", "x-kubernetes-preserve-unknown-fields": true}}},
				map[string]any{"name": "v1", "served": true, "storage": true, "schema": map[string]any{"openAPIV3Schema": map[string]any{"type": "object", "x-kubernetes-preserve-unknown-fields": true}}},
			}}}
	crds := dyn.Resource(schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"})
	if _, err := crds.Create(t.Context(), &unstructured.Unstructured{Object: crd}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	widgets := func(version string) dynamic.ResourceInterface {
		return dyn.Resource(schema.GroupVersionResource{Group: "example.eksforge.io", Version: version, Resource: "widgets"}).Namespace("default")
	}
	write := func(version, name, manager, size string) {
		t.Helper()
		obj := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "example.eksforge.io/" + version, "kind": "Widget",
			"metadata": map[string]any{"name": name}, "spec": map[string]any{"size": size}}}
		// Wait for the CRD's versions to be served (the API server
		// answers 404 until it is established).
		for {
			cur, err := widgets(version).Get(t.Context(), name, metav1.GetOptions{})
			switch {
			case err == nil:
				obj.SetResourceVersion(cur.GetResourceVersion())
				_, err = widgets(version).Update(t.Context(), obj, metav1.UpdateOptions{FieldManager: manager})
			default:
				_, err = widgets(version).Create(t.Context(), obj, metav1.CreateOptions{FieldManager: manager})
			}
			if err == nil {
				return
			}
			if !strings.Contains(err.Error(), "the server could not find the requested resource") {
				t.Fatal(err)
			}
			select {
			case <-t.Context().Done():
				t.Fatal(t.Context().Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	write("v1beta1", "old", "legacy-operator", "small")
	write("v1", "old", "new-operator", "large")
	write("v1", "current", "new-operator", "large")

	old, err := widgets("v1").Get(t.Context(), "old", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	day := ""
	for _, e := range old.GetManagedFields() {
		if e.Manager == "legacy-operator" && e.Time != nil {
			day = e.Time.UTC().Format("2006-01-02")
		}
	}
	table := []eks.RemovedAPI{{APIVersion: "example.eksforge.io/v1beta1", Kind: "Widget", Deprecated: "1.30", Removed: "1.38", Replacement: "example.eksforge.io/v1"}}
	p := &upgradePlan{from: "1.37", to: "1.38"}
	checkLiveObjects(t.Context(), env.RestConfig(), table, p)
	var got []string
	for _, c := range p.checks {
		got = append(got, c.level+" "+c.what)
	}
	want := []string{
		`blocker live Widget default/old is written through example.eksforge.io/v1beta1 by field manager "legacy-operator" (Update, ` + day + `): example.eksforge.io/v1beta1 is removed in 1.38: use example.eksforge.io/v1 Widget`,
		"ok live objects checked for the API versions 1.38 removes (2 objects of 1 kinds served now)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("checks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

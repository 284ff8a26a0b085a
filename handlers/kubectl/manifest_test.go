package kubectl_test

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
)

func TestManifestCreateUpdateDelete(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	v1 := []any{configMap(ns, "one", map[string]any{"k": "v1"}), deployment(ns, "web"), service(ns, "web")}
	p := map[string]any{"Manifest": jsonString(t, v1)}
	r := mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil))
	wantID := kubectl.PhysicalID("manifest", "test", ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil))
	if r.PhysicalResourceId != wantID || r.Data["Objects"] != "3" {
		t.Fatalf("Create answered %+v, want ID %s and 3 objects", r, wantID)
	}
	cm := get(t, env, cmGVR, ns, "one")
	if cm == nil || cm.Object["data"].(map[string]any)["k"] != "v1" {
		t.Fatalf("ConfigMap after Create: %v", cm)
	}
	if mf := cm.GetManagedFields(); len(mf) == 0 || !strings.HasPrefix(mf[0].Manager, "eksforge-") || mf[0].Operation != metav1.ManagedFieldsOperationApply {
		t.Errorf("managed fields %+v, want an Apply by eksforge-<owner>", mf)
	}

	v2 := []any{configMap(ns, "one", map[string]any{"k": "v2"}), deployment(ns, "web")}
	up := ev(t, kubectl.TypeManifest, cfnresponse.Update, map[string]any{"Manifest": jsonString(t, v2)}, p)
	up.PhysicalResourceId = r.PhysicalResourceId
	r = mustRun(t, h, up)
	if r.PhysicalResourceId != wantID {
		t.Errorf("Update changed the physical ID to %s", r.PhysicalResourceId)
	}
	if got := get(t, env, cmGVR, ns, "one").Object["data"].(map[string]any)["k"]; got != "v2" {
		t.Errorf("ConfigMap after Update: k=%v", got)
	}
	if get(t, env, svcGVR, ns, "web") == nil {
		t.Errorf("Update without PruneLabel deleted the Service")
	}

	del := ev(t, kubectl.TypeManifest, cfnresponse.Delete, map[string]any{"Manifest": jsonString(t, v2)}, nil)
	del.PhysicalResourceId = r.PhysicalResourceId
	mustRun(t, h, del)
	if get(t, env, cmGVR, ns, "one") != nil || get(t, env, deployGVR, ns, "web") != nil {
		t.Errorf("objects left after Delete")
	}
}

func TestManifestPrune(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	label := "aws.cdk.eks/prune-c8" + strings.Repeat("0", 10)
	v1 := []any{configMap(ns, "keep", nil), configMap(ns, "drop", nil), deployment(ns, "gone")}
	p1 := map[string]any{"Manifest": jsonString(t, v1), "PruneLabel": label}
	r := mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, p1, nil))
	// A stray object carrying the label, of a kind the manifest has.
	stray := configMap(ns, "stray", nil)
	stray["metadata"].(map[string]any)["labels"] = map[string]any{label: ""}
	if _, err := h.OnEvent(context.Background(), ev(t, kubectl.TypeManifest, cfnresponse.Create, map[string]any{"Manifest": jsonString(t, []any{stray})}, nil)); err != nil {
		t.Fatal(err)
	}
	v2 := []any{configMap(ns, "keep", map[string]any{"x": "y"})}
	up := ev(t, kubectl.TypeManifest, cfnresponse.Update, map[string]any{"Manifest": jsonString(t, v2), "PruneLabel": label}, p1)
	up.PhysicalResourceId = r.PhysicalResourceId
	mustRun(t, h, up)
	if get(t, env, cmGVR, ns, "keep") == nil {
		t.Errorf("prune deleted an object the new manifest contains")
	}
	for _, n := range []string{"drop", "stray"} {
		if get(t, env, cmGVR, ns, n) != nil {
			t.Errorf("ConfigMap %s not pruned", n)
		}
	}
	if get(t, env, deployGVR, ns, "gone") != nil {
		t.Errorf("Deployment not pruned")
	}
}

func TestManifestCRDAndCustomResource(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	crd := map[string]any{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
		"metadata": map[string]any{"name": "widgets.example.eksforge.io"},
		"spec": map[string]any{"group": "example.eksforge.io", "scope": "Namespaced",
			"names": map[string]any{"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": []any{"wdg"}},
			"versions": []any{map[string]any{"name": "v1", "served": true, "storage": true,
				"schema": map[string]any{"openAPIV3Schema": map[string]any{"type": "object",
					"properties": map[string]any{"spec": map[string]any{"type": "object",
						"properties": map[string]any{"size": map[string]any{"type": "integer"}}}}}}}}}}
	widget := map[string]any{"apiVersion": "example.eksforge.io/v1", "kind": "Widget",
		"metadata": map[string]any{"name": "w1", "namespace": ns}, "spec": map[string]any{"size": 3}}
	p := map[string]any{"Manifest": jsonString(t, []any{crd, widget})}
	r := mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil))
	gvr := schema.GroupVersionResource{Group: "example.eksforge.io", Version: "v1", Resource: "widgets"}
	if get(t, env, gvr, ns, "w1") == nil {
		t.Fatal("Widget not created")
	}
	del := ev(t, kubectl.TypeManifest, cfnresponse.Delete, p, nil)
	del.PhysicalResourceId = r.PhysicalResourceId
	mustRun(t, h, del)
	if get(t, env, gvr, ns, "w1") != nil || get(t, env, crdGVR, "", "widgets.example.eksforge.io") != nil {
		t.Error("Widget or its CRD not deleted")
	}
}

func TestManifestOverwrite(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	// Another field manager owns data.k.
	other := []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"shared","namespace":"` + ns + `"},"data":{"k":"theirs"}}`)
	force := true
	if _, err := dyn(t, env).Resource(cmGVR).Namespace(ns).Patch(context.Background(), "shared", types.ApplyPatchType, other,
		metav1.PatchOptions{FieldManager: "someone-else", Force: &force}); err != nil {
		t.Fatal(err)
	}
	p := map[string]any{"Manifest": jsonString(t, []any{configMap(ns, "shared", map[string]any{"k": "ours"})})}
	_, err := run(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil))
	if err == nil || !strings.Contains(err.Error(), "v1 ConfigMap "+ns+"/shared") || !strings.Contains(err.Error(), "conflict") {
		t.Fatalf("Create without Overwrite: error %v, want a conflict naming the ConfigMap", err)
	}
	p["Overwrite"] = "true"
	mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil))
	if got := get(t, env, cmGVR, ns, "shared").Object["data"].(map[string]any)["k"]; got != "ours" {
		t.Errorf("after Overwrite k=%v, want ours", got)
	}
}

func TestManifestFailedCreateCleansUp(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	bad := map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "bad", "namespace": ns},
		"data": map[string]any{"k": "v"}, "notAField": true}
	p := map[string]any{"Manifest": jsonString(t, []any{configMap(ns, "first", nil), bad})}
	r, err := run(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil))
	if err == nil || !strings.Contains(err.Error(), "apply v1 ConfigMap "+ns+"/bad") || !strings.Contains(err.Error(), "notAField") {
		t.Fatalf("error %v, want a strict validation error naming the object and field", err)
	}
	if r.PhysicalResourceId != "" {
		t.Errorf("a cleaned-up failed Create returned ID %q", r.PhysicalResourceId)
	}
	if get(t, env, cmGVR, ns, "first") != nil {
		t.Error("the object applied before the failure was left behind")
	}
	p["SkipValidation"] = "true"
	mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil))
	if get(t, env, cmGVR, ns, "bad") == nil {
		t.Error("SkipValidation did not apply the object")
	}
}

func TestManifestDeleteWaitsForFinalizers(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	cm := configMap(ns, "held", nil)
	cm["metadata"].(map[string]any)["finalizers"] = []any{"example.com/hold"}
	p := map[string]any{"Manifest": jsonString(t, []any{cm})}
	r := mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil))
	del := ev(t, kubectl.TypeManifest, cfnresponse.Delete, p, nil)
	del.PhysicalResourceId = r.PhysicalResourceId
	done := make(chan error, 1)
	go func() {
		_, err := h.OnEvent(context.Background(), del)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("Delete returned (%v) while a finalizer held the object", err)
	case <-timeAfter(time.Second):
	}
	if _, err := dyn(t, env).Resource(cmGVR).Namespace(ns).Patch(context.Background(), "held", types.MergePatchType,
		[]byte(`{"metadata":{"finalizers":null}}`), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mustRun(t, h, del) // gone: 404 is done
}

func TestManifestErrorsNameTheObject(t *testing.T) {
	t.Parallel()
	h, _ := newHandler(t)
	tests := []struct {
		name     string
		manifest string
		want     string
	}{
		{"fails on an unknown kind", `[{"apiVersion":"nope.example.com/v1","kind":"Nothing","metadata":{"name":"x"}}]`, "apply nope.example.com/v1 Nothing x: "},
		{"fails on an invalid object", `[{"apiVersion":"v1","kind":"Service","metadata":{"name":"Bad_Name"},"spec":{"ports":[{"port":80}]}}]`, "v1 Service default/Bad_Name"},
		{"fails on JSON that is not a manifest", `[{"kind":`, "not a JSON array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ev(t, kubectl.TypeManifest, cfnresponse.Create, map[string]any{"Manifest": tt.manifest}, nil)
			ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
			defer cancel()
			_, err := h.OnEvent(ctx, e)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func timeAfter(d time.Duration) <-chan time.Time { return time.After(d) }

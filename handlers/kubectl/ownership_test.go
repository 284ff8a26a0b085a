package kubectl_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/handlers/provider"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
)

// cfnResource is one custom resource of a test stack, with the events
// CloudFormation sends it. Properties are kept between events, so Update
// and Delete carry the right old ones.
type cfnResource struct {
	t       *testing.T
	h       *kubectl.Handler
	stack   string
	logical string
	typ     string
	id      string
	props   map[string]any
}

// newResource is the resource logical of type typ in stack, its construct
// address derived from the name (as the construct sends it).
// Each test has a stack of its own (a suffix to stack), so that tests
// running in parallel share no physical IDs and no ledger entries.
func newResource(t *testing.T, h *kubectl.Handler, stack, logical, typ string) *cfnResource {
	return &cfnResource{t: t, h: h, stack: stack + "-" + t.Name(), logical: logical, typ: typ}
}

func (r *cfnResource) event(rt cfnresponse.RequestType, p map[string]any) provider.Event {
	r.t.Helper()
	if p == nil {
		p = r.props
	}
	if p["ClusterName"] == nil {
		p["ClusterName"] = "test"
	}
	if _, ok := p["Owner"]; !ok {
		p["Owner"] = fmt.Sprintf("c8%x", sha256.Sum256([]byte(r.stack+"/"+r.logical)))[:42]
	}
	e := provider.Event{RequestType: rt, ResponseURL: "http://127.0.0.1:1/unused", StackId: r.stack,
		RequestId:    fmt.Sprintf("%x", sha256.Sum256([]byte(r.t.Name()+r.logical+string(rt)+fmt.Sprint(p))))[:16],
		ResourceType: r.typ, LogicalResourceId: r.logical, PhysicalResourceId: r.id, ResourceProperties: p}
	if rt == cfnresponse.Update {
		e.OldResourceProperties = r.props
	}
	return e
}

// create, update and remove deliver the events (twice, as a replay would)
// and keep the resource's state as CloudFormation does.
func (r *cfnResource) create(p map[string]any) {
	r.t.Helper()
	res := mustRun(r.t, r.h, r.event(cfnresponse.Create, p))
	r.id, r.props = res.PhysicalResourceId, p
}

func (r *cfnResource) update(p map[string]any) {
	r.t.Helper()
	res := mustRun(r.t, r.h, r.event(cfnresponse.Update, p))
	r.id, r.props = res.PhysicalResourceId, p
}

func (r *cfnResource) remove() {
	r.t.Helper()
	mustRun(r.t, r.h, r.event(cfnresponse.Delete, nil))
}

func (r *cfnResource) tryCreate(p map[string]any) error {
	r.t.Helper()
	res, err := run(r.t, r.h, r.event(cfnresponse.Create, p))
	if err == nil {
		r.id, r.props = res.PhysicalResourceId, p
	}
	return err
}

func manifestProps(t *testing.T, prune string, objs ...map[string]any) map[string]any {
	list := make([]any, len(objs))
	for i, o := range objs {
		list[i] = o
	}
	p := map[string]any{"Manifest": jsonString(t, list)}
	if prune != "" {
		p["PruneLabel"] = "aws.cdk.eks/prune-" + prune
	}
	return p
}

// cmState is what a test asserts of a ConfigMap at the end: it exists,
// with the uid it had, the data it should have and its owner.
type cmState struct {
	uid   types.UID
	data  map[string]any
	owner string
}

func checkCM(t *testing.T, env *kubeenv.Env, ns, name string, want cmState) *unstructured.Unstructured {
	t.Helper()
	cm := get(t, env, cmGVR, ns, name)
	if cm == nil {
		t.Fatalf("ConfigMap %s was deleted", name)
	}
	if want.uid != "" && cm.GetUID() != want.uid {
		t.Errorf("ConfigMap %s was re-created: uid %s, want %s", name, cm.GetUID(), want.uid)
	}
	data, _, _ := unstructured.NestedMap(cm.Object, "data")
	if fmt.Sprint(data) != fmt.Sprint(want.data) {
		t.Errorf("ConfigMap %s data %v, want %v", name, data, want.data)
	}
	if want.owner != "" && !strings.HasSuffix(cm.GetAnnotations()[kubectl.OwnerAnnotation], "/"+want.owner) {
		t.Errorf("ConfigMap %s owner %q, want .../%s", name, cm.GetAnnotations()[kubectl.OwnerAnnotation], want.owner)
	}
	return cm
}

func uidOf(t *testing.T, env *kubeenv.Env, ns, name string) types.UID {
	t.Helper()
	cm := get(t, env, cmGVR, ns, name)
	if cm == nil {
		t.Fatalf("ConfigMap %s does not exist", name)
	}
	return cm.GetUID()
}

func managers(u *unstructured.Unstructured) []string {
	var out []string
	for _, e := range u.GetManagedFields() {
		out = append(out, e.Manager+":"+string(e.Operation))
	}
	return out
}

// TestOwnershipRename renames a manifest's construct: CloudFormation
// creates the new resource, then deletes the old one at cleanup.
func TestOwnershipRename(t *testing.T) {
	t.Parallel()
	for _, prune := range []bool{true, false} {
		t.Run(fmt.Sprintf("prune %v", prune), func(t *testing.T) {
			t.Parallel()
			h, env := newHandler(t)
			ns := namespace(t, env)
			label := func(s string) string {
				if prune {
					return s
				}
				return ""
			}
			old := newResource(t, h, testStack, "OldName", kubectl.TypeManifest)
			old.create(manifestProps(t, label("old"), configMap(ns, "x", map[string]any{"k": "1", "gone": "soon"}), configMap(ns, "y", nil)))
			uidX, uidY := uidOf(t, env, ns, "x"), uidOf(t, env, ns, "y")

			renamed := newResource(t, h, testStack, "NewName", kubectl.TypeManifest)
			renamed.create(manifestProps(t, label("new"), configMap(ns, "x", map[string]any{"k": "2"}), configMap(ns, "y", nil)))
			old.remove() // cleanup

			x := checkCM(t, env, ns, "x", cmState{uid: uidX, data: map[string]any{"k": "2"}, owner: renamed.props["Owner"].(string)})
			checkCM(t, env, ns, "y", cmState{uid: uidY, owner: renamed.props["Owner"].(string)})
			if prune {
				if _, ok := x.GetLabels()["aws.cdk.eks/prune-old"]; ok {
					t.Errorf("the old prune label stayed: %v", x.GetLabels())
				}
			}
			for _, m := range managers(x) {
				if strings.HasPrefix(m, "eksforge") && m != managers(x)[0] && strings.HasSuffix(m, ":Apply") {
					t.Errorf("managers %v: the old resource still holds fields", managers(x))
				}
			}
			// The new resource owns them: its Delete removes them.
			renamed.remove()
			if get(t, env, cmGVR, ns, "x") != nil || get(t, env, cmGVR, ns, "y") != nil {
				t.Error("the renamed resource's Delete left its objects")
			}
		})
	}
}

// TestOwnershipMove moves an object between two manifests of the stack in
// one deployment. CloudFormation updates them in either order; the old
// manifest's prune (or Delete) must leave the object the other applied.
func TestOwnershipMove(t *testing.T) {
	t.Parallel()
	t.Run("to an existing manifest updated first", func(t *testing.T) {
		t.Parallel()
		h, env := newHandler(t)
		ns := namespace(t, env)
		a := newResource(t, h, testStack, "A", kubectl.TypeManifest)
		b := newResource(t, h, testStack, "B", kubectl.TypeManifest)
		a.create(manifestProps(t, "a", configMap(ns, "x", map[string]any{"k": "a"}), configMap(ns, "stay", nil)))
		b.create(manifestProps(t, "b", configMap(ns, "z", nil)))
		uid := uidOf(t, env, ns, "x")

		b.update(manifestProps(t, "b", configMap(ns, "z", nil), configMap(ns, "x", map[string]any{"k": "b"})))
		a.update(manifestProps(t, "a", configMap(ns, "stay", nil))) // prunes x: no longer its own

		checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "b"}, owner: b.props["Owner"].(string)})
		a.remove()
		checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "b"}, owner: b.props["Owner"].(string)})
		b.update(manifestProps(t, "b", configMap(ns, "z", nil))) // b's own prune does remove it
		if get(t, env, cmGVR, ns, "x") != nil {
			t.Error("the new owner's prune left the object")
		}
	})
	t.Run("to a new manifest", func(t *testing.T) {
		t.Parallel()
		h, env := newHandler(t)
		ns := namespace(t, env)
		a := newResource(t, h, testStack, "A", kubectl.TypeManifest)
		a.create(manifestProps(t, "", configMap(ns, "x", map[string]any{"k": "a"})))
		uid := uidOf(t, env, ns, "x")
		c := newResource(t, h, testStack, "C", kubectl.TypeManifest)
		c.create(manifestProps(t, "", configMap(ns, "x", map[string]any{"k": "c"})))
		a.remove()
		checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "c"}, owner: c.props["Owner"].(string)})
	})
}

// TestOwnershipTwoManifestsOneObject declares one object in two manifests.
func TestOwnershipTwoManifestsOneObject(t *testing.T) {
	t.Parallel()
	t.Run("in one stack the last applier owns it", func(t *testing.T) {
		t.Parallel()
		h, env := newHandler(t)
		ns := namespace(t, env)
		a := newResource(t, h, testStack, "A", kubectl.TypeManifest)
		b := newResource(t, h, testStack, "B", kubectl.TypeManifest)
		a.create(manifestProps(t, "a", configMap(ns, "x", map[string]any{"k": "a"})))
		uid := uidOf(t, env, ns, "x")
		b.create(manifestProps(t, "b", configMap(ns, "x", map[string]any{"k": "b"})))
		a.remove()
		checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "b"}, owner: b.props["Owner"].(string)})
	})
	t.Run("fails across stacks unless Overwrite", func(t *testing.T) {
		t.Parallel()
		h, env := newHandler(t)
		ns := namespace(t, env)
		a := newResource(t, h, testStack, "A", kubectl.TypeManifest)
		a.create(manifestProps(t, "a", configMap(ns, "x", map[string]any{"k": "a"})))
		uid := uidOf(t, env, ns, "x")
		other := newResource(t, h, "arn:aws:cloudformation:us-east-1:123456789012:stack/other/2", "A", kubectl.TypeManifest)
		err := other.tryCreate(manifestProps(t, "o", configMap(ns, "x", map[string]any{"k": "o"})))
		if err == nil || !strings.Contains(err.Error(), "unable to apply v1 ConfigMap "+ns+"/x: the object is owned by") || !strings.Contains(err.Error(), "Overwrite") {
			t.Fatalf("Create in another stack: error %v, want a conflict naming the object and Overwrite", err)
		}
		checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "a"}, owner: a.props["Owner"].(string)})

		p := manifestProps(t, "o", configMap(ns, "x", map[string]any{"k": "o"}))
		p["Overwrite"] = "true"
		other.create(p)
		a.remove() // its Delete leaves what the other stack adopted
		x := checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "o"}, owner: other.props["Owner"].(string)})
		if _, ok := x.GetLabels()["aws.cdk.eks/prune-a"]; ok {
			t.Errorf("the former owner's prune label stayed: %v", x.GetLabels())
		}
	})
}

// TestOwnershipLegacyObjects updates objects applied before each resource
// had its own field manager and owner mark.
func TestOwnershipLegacyObjects(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	legacy := []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"` + ns + `"},"data":{"k":"1","dropped":"yes"}}`)
	force := true
	if _, err := dyn(t, env).Resource(cmGVR).Namespace(ns).Patch(context.Background(), "x", types.ApplyPatchType, legacy,
		metav1.PatchOptions{FieldManager: "eksforge", Force: &force}); err != nil {
		t.Fatal(err)
	}
	uid := uidOf(t, env, ns, "x")
	a := newResource(t, h, testStack, "A", kubectl.TypeManifest)
	a.props = map[string]any{"ClusterName": "test", "Manifest": string(legacy)} // the old template: no Owner
	a.id = "manifest/test/A-00000000"
	p := manifestProps(t, "", configMap(ns, "x", map[string]any{"k": "2"}))
	a.update(p)
	x := checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "2"}, owner: p["Owner"].(string)})
	for _, m := range managers(x) {
		if m == "eksforge:Apply" {
			t.Errorf("managers %v: the shared legacy manager still holds fields", managers(x))
		}
	}
}

// TestOwnershipPatch covers a patch construct renamed (same patch, new
// resource, old Delete at cleanup) and a patched field changed by someone
// else before the Delete.
func TestOwnershipPatch(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	for _, name := range []string{"renamed", "changed"} {
		cm := &unstructured.Unstructured{Object: configMap(ns, name, map[string]any{"k": "orig"})}
		if _, err := dyn(t, env).Resource(cmGVR).Namespace(ns).Create(context.Background(), cm, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	patchProps := func(target, rn string) map[string]any {
		return map[string]any{"ResourceName": rn + "/" + target, "ResourceNamespace": ns,
			"ApplyPatchJson": `{"data":{"k":"patched"}}`, "RestorePatchJson": `{"data":{"k":"orig"}}`}
	}

	uid := uidOf(t, env, ns, "renamed")
	old := newResource(t, h, testStack, "OldPatch", kubectl.TypePatch)
	old.create(patchProps("renamed", "configmap"))
	renamed := newResource(t, h, testStack, "NewPatch", kubectl.TypePatch)
	renamed.create(patchProps("renamed", "configmaps"))
	checkPatchMarks(t, env, ns, "renamed", renamed, old)
	old.remove()
	checkCM(t, env, ns, "renamed", cmState{uid: uid, data: map[string]any{"k": "patched"}})
	checkPatchMarks(t, env, ns, "renamed", renamed, nil)
	renamed.remove()
	checkCM(t, env, ns, "renamed", cmState{uid: uid, data: map[string]any{"k": "orig"}})

	uid = uidOf(t, env, ns, "changed")
	p := newResource(t, h, testStack, "Patch", kubectl.TypePatch)
	p.create(patchProps("changed", "cm"))
	if _, err := dyn(t, env).Resource(cmGVR).Namespace(ns).Patch(context.Background(), "changed", types.MergePatchType,
		[]byte(`{"data":{"k":"by hand"}}`), metav1.PatchOptions{FieldManager: "someone"}); err != nil {
		t.Fatal(err)
	}
	p.remove()
	checkCM(t, env, ns, "changed", cmState{uid: uid, data: map[string]any{"k": "by hand"}})
}

// checkPatchMarks fails unless the only patch mark on the ConfigMap is
// owner's, recording prev as the resource it was taken from (nil: none).
func checkPatchMarks(t *testing.T, env *kubeenv.Env, ns, name string, owner, prev *cfnResource) {
	t.Helper()
	cm := get(t, env, cmGVR, ns, name)
	var marks []string
	for k, v := range cm.GetAnnotations() {
		if strings.HasPrefix(k, kubectl.PatchMarkPrefix) {
			marks = append(marks, k+"="+v)
		}
	}
	want := kubectl.PatchMarkPrefix + owner.ownerLabel() + "="
	if len(marks) != 1 || !strings.HasPrefix(marks[0], want) {
		t.Errorf("ConfigMap %s patch marks %v, want one %s...", name, marks, want)
		return
	}
	f := strings.Fields(strings.TrimPrefix(marks[0], want))
	switch {
	case len(f) < 2 || !strings.HasSuffix(f[1], "/"+owner.addr()):
		t.Errorf("ConfigMap %s patch mark %v: owner is not %s", name, f, owner.logical)
	case prev == nil && len(f) != 2, prev != nil && (len(f) != 3 || !strings.HasSuffix(f[2], "/"+prev.addr())):
		t.Errorf("ConfigMap %s patch mark %v, want previous owner %v", name, f, prev)
	}
}

// TestOwnershipPatchRenameRolledBack renames a patch's construct (same
// patch, its ResourceName respelled) and the deployment fails after the
// new resource's Create: the rollback Delete gives the patch back to the
// old resource, which CloudFormation keeps, instead of restoring; the old
// resource's own Delete later restores. Each template's StackObjects is
// what the construct sends.
func TestOwnershipPatchRenameRolledBack(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	cm := &unstructured.Unstructured{Object: configMap(ns, "target", map[string]any{"k": "orig", "other": "x"})}
	if _, err := dyn(t, env).Resource(cmGVR).Namespace(ns).Create(context.Background(), cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	uid := uidOf(t, env, ns, "target")
	old := newResource(t, h, testStack, "OldPatch", kubectl.TypePatch)
	renamed := newResource(t, h, testStack, "NewPatch", kubectl.TypePatch)
	patchProps := func(r *cfnResource, rn string) map[string]any {
		return map[string]any{"ResourceName": rn + "/target", "ResourceNamespace": ns,
			"ApplyPatchJson": `{"data":{"k":"patched"}}`, "RestorePatchJson": `{"data":{"k":"orig"}}`,
			"StackObjects": jsonString(t, map[string][]string{r.addr(): {kubectl.PatchTargetKey(rn+"/target", ns)}})}
	}
	old.create(patchProps(old, "configmap"))
	renamed.create(patchProps(renamed, "cm"))
	checkCM(t, env, ns, "target", cmState{uid: uid, data: map[string]any{"k": "patched", "other": "x"}})
	checkPatchMarks(t, env, ns, "target", renamed, old)
	renamed.remove() // the rollback: Old is still in the stack
	checkCM(t, env, ns, "target", cmState{uid: uid, data: map[string]any{"k": "patched", "other": "x"}})
	checkPatchMarks(t, env, ns, "target", old, nil)
	old.remove() // a later deployment removes it: restored
	checkCM(t, env, ns, "target", cmState{uid: uid, data: map[string]any{"k": "orig", "other": "x"}})
}

// TestOwnershipPatchMoveRolledBack moves a patch to another existing patch
// resource (B takes A's patch over in its Update, A is to be deleted at
// cleanup), and the deployment fails after B's Update: B's rollback Update
// gives the patch back to A, which declares it in the template B rolls
// back to, instead of restoring it.
func TestOwnershipPatchMoveRolledBack(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	cm := &unstructured.Unstructured{Object: configMap(ns, "target", map[string]any{"k": "orig", "n": "orig"})}
	if _, err := dyn(t, env).Resource(cmGVR).Namespace(ns).Create(context.Background(), cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	uid := uidOf(t, env, ns, "target")
	a := newResource(t, h, testStack, "PatchA", kubectl.TypePatch)
	b := newResource(t, h, testStack, "PatchB", kubectl.TypePatch)
	key := kubectl.PatchTargetKey("configmap/target", ns)
	v1 := jsonString(t, map[string][]string{a.addr(): {key}, b.addr(): {key}})
	v2 := jsonString(t, map[string][]string{b.addr(): {key}})
	patch := func(field, decl string) map[string]any {
		return map[string]any{"ResourceName": "configmap/target", "ResourceNamespace": ns,
			"ApplyPatchJson": `{"data":{"` + field + `":"patched"}}`, "RestorePatchJson": `{"data":{"` + field + `":"orig"}}`, "StackObjects": decl}
	}
	a.create(patch("k", v1))
	b.create(patch("n", v1))
	checkCM(t, env, ns, "target", cmState{uid: uid, data: map[string]any{"k": "patched", "n": "patched"}})
	b.update(patch("k", v2)) // B now applies A's patch: it takes A's mark over
	checkCM(t, env, ns, "target", cmState{uid: uid, data: map[string]any{"k": "patched", "n": "orig"}})
	b.update(patch("n", v1)) // the rollback, before A's Delete at cleanup
	checkCM(t, env, ns, "target", cmState{uid: uid, data: map[string]any{"k": "patched", "n": "patched"}})
	b.remove()
	checkPatchMarks(t, env, ns, "target", a, nil)
	a.remove()
	checkCM(t, env, ns, "target", cmState{uid: uid, data: map[string]any{"k": "orig", "n": "orig"}})
}

// TestOwnershipLateReplay replays an Update after CloudFormation moved on:
// the deadline guard answered it FAILED, the rollback Update re-created the
// object it pruned, then Lambda retried the first invocation.
func TestOwnershipLateReplay(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	a := newResource(t, h, testStack, "A", kubectl.TypeManifest)
	p0 := manifestProps(t, "a", configMap(ns, "x", map[string]any{"k": "0"}), configMap(ns, "y", nil))
	a.create(p0)
	p1 := manifestProps(t, "a", configMap(ns, "y", map[string]any{"k": "1"}))
	u1 := a.event(cfnresponse.Update, p1)
	if _, err := h.OnEvent(context.Background(), u1); err != nil { // its answer was lost to the guard
		t.Fatal(err)
	}
	// The prune's foreground delete ends when the garbage collector
	// releases x, which on a loaded machine can be after the handler's
	// grace: wait for x to be gone, so the rollback re-creates it.
	waitDeleted(t, env, cmGVR, ns, "x")
	a.props = p1
	a.update(p0) // the rollback
	uid := uidOf(t, env, ns, "x")
	r, err := h.OnEvent(context.Background(), u1) // Lambda's retry, late
	if err != nil || r.PhysicalResourceId != a.id {
		t.Fatalf("late replay answered %+v, %v", r, err)
	}
	checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "0"}})
	checkCM(t, env, ns, "y", cmState{data: nil})
}

// waitDeleted waits until the object is gone (a watch from its last read:
// no timing assumption), failing the test if it is still there after two
// minutes (the deadline is a failure, not a wait).
func waitDeleted(t *testing.T, env *kubeenv.Env, gvr schema.GroupVersionResource, ns, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	ri := dyn(t, env).Resource(gvr).Namespace(ns)
	for {
		u, err := ri.Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return
		}
		if err != nil {
			t.Fatalf("reading %s %s/%s: %v", gvr.Resource, ns, name, err)
		}
		w, err := ri.Watch(ctx, metav1.ListOptions{FieldSelector: "metadata.name=" + name, ResourceVersion: u.GetResourceVersion()})
		if err != nil {
			t.Fatalf("watching %s %s/%s: %v", gvr.Resource, ns, name, err)
		}
		for ev := range w.ResultChan() {
			if ev.Type == watch.Deleted {
				w.Stop()
				return
			}
		}
		w.Stop()
		if ctx.Err() != nil {
			t.Fatalf("%s %s/%s is still there (finalizers %v)", gvr.Resource, ns, name, u.GetFinalizers())
		}
		// The watch ended (a server timeout): read again and watch on.
	}
}

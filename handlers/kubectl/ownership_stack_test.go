package kubectl_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
)

// addr is the resource's construct address, as the construct sends it in
// Owner.
func (r *cfnResource) addr() string {
	return fmt.Sprintf("c8%x", sha256Sum(r.stack+"/"+r.logical))[:42]
}

// declaration is what the resources of a stack declare in one template:
// resource → its objects. stackObjects renders it as the construct does.
type declaration map[*cfnResource][]map[string]any

func (d declaration) stackObjects(t *testing.T) string {
	t.Helper()
	out := map[string][]string{}
	for r, objs := range d {
		out[r.addr()] = []string{}
		for _, o := range objs {
			u := unstructured.Unstructured{Object: o}
			gvk := u.GroupVersionKind()
			out[r.addr()] = append(out[r.addr()], kubectl.ObjectKeyHash(gvk.Group, gvk.Kind, u.GetNamespace(), u.GetName()))
		}
	}
	return jsonString(t, out)
}

// manifest is the properties of r in the template d, with prune label
// aws.cdk.eks/prune-<name> (none when name is empty).
func (d declaration) manifest(t *testing.T, r *cfnResource, prune string) map[string]any {
	t.Helper()
	p := manifestProps(t, prune, d[r]...)
	p["StackObjects"] = d.stackObjects(t)
	return p
}

// checkAnnotations fails unless the ownership records of u are as given
// ("" for none).
func checkRecords(t *testing.T, u *unstructured.Unstructured, prev, released string) {
	t.Helper()
	ann := u.GetAnnotations()
	if got := ann[kubectl.PreviousOwnerAnnotation]; !strings.HasSuffix(got, prev) || (prev == "" && got != "") {
		t.Errorf("%s: previous owner %q, want %q", u.GetName(), got, prev)
	}
	if got := ann[kubectl.ReleasedAnnotation]; !strings.HasSuffix(got, released) || (released == "" && got != "") {
		t.Errorf("%s: released by %q, want %q", u.GetName(), got, released)
	}
}

// checkNoContentRecord fails if u still records a former owner's content.
func checkNoContentRecord(t *testing.T, u *unstructured.Unstructured) {
	t.Helper()
	if c, ok := u.GetAnnotations()[kubectl.PreviousContentAnnotation]; ok {
		t.Errorf("%s: previous content still recorded: %s", u.GetName(), c)
	}
}

// onlyManager fails unless the only eksforge field manager applying u is
// the one of owner r (so r's next apply removes what it no longer sets).
func onlyManager(t *testing.T, u *unstructured.Unstructured, r *cfnResource) {
	t.Helper()
	want := "eksforge-" + fmt.Sprintf("%x", sha256Sum(shortStack(r.stack)+"/"+r.addr()))[:16]
	for _, e := range u.GetManagedFields() {
		if e.Operation == "Apply" && strings.HasPrefix(e.Manager, "eksforge") && e.Manager != want {
			t.Errorf("%s: applied fields held by %s besides %s (%v)", u.GetName(), e.Manager, want, managers(u))
		}
	}
}

// ownerLabel is 16 hex of the hash of r's mark: its Helm release owner
// label, and the suffix of its patch mark's key.
func (r *cfnResource) ownerLabel() string {
	return fmt.Sprintf("%x", sha256Sum(shortStack(r.stack)+"/"+r.addr()))[:16]
}

func shortStack(stack string) string { return fmt.Sprintf("%x", sha256Sum(stack))[:8] }

// TestOwnershipMoveGiverFirst moves an object between two resources of a
// stack when CloudFormation runs the giver (the resource that no longer
// declares it) before the receiver: the giver's prune must leave it, and
// the receiver take it over with its uid.
func TestOwnershipMoveGiverFirst(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		prune string // "" runs with prune off (the giver's Delete then is what could remove it)
	}{{"prune on", "a"}, {"prune off", ""}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, env := newHandler(t)
			ns := namespace(t, env)
			a := newResource(t, h, testStack, "A", kubectl.TypeManifest)
			b := newResource(t, h, testStack, "B", kubectl.TypeManifest)
			x0, x1 := configMap(ns, "x", map[string]any{"k": "a", "only": "a"}), configMap(ns, "x", map[string]any{"k": "b"})
			v1 := declaration{a: {x0, configMap(ns, "stay", nil)}, b: {configMap(ns, "z", nil)}}
			a.create(v1.manifest(t, a, tc.prune))
			b.create(v1.manifest(t, b, "b"))
			uid := uidOf(t, env, ns, "x")

			v2 := declaration{a: {configMap(ns, "stay", nil)}, b: {configMap(ns, "z", nil), x1}}
			a.update(v2.manifest(t, a, tc.prune)) // the giver first
			x := checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "a", "only": "a"}, owner: a.addr()})
			if tc.prune != "" {
				checkRecords(t, x, "", a.addr())
			}
			b.update(v2.manifest(t, b, "b"))
			x = checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "b"}, owner: b.addr()})
			if tc.prune != "" {
				checkRecords(t, x, "", "")
			} else {
				checkRecords(t, x, a.addr(), "") // A, pruning nothing, did not let go
			}
			onlyManager(t, x, b)

			// A later deployment removes it from B: B's prune deletes it (A let
			// go of it: nothing is given back).
			v3 := declaration{a: {configMap(ns, "stay", nil)}, b: {configMap(ns, "z", nil)}}
			a.update(v3.manifest(t, a, tc.prune))
			b.update(v3.manifest(t, b, "b"))
			if get(t, env, cmGVR, ns, "x") != nil {
				t.Error("the receiver's prune left the object after it left the stack")
			}
		})
	}
	t.Run("to a new resource", func(t *testing.T) {
		t.Parallel()
		h, env := newHandler(t)
		ns := namespace(t, env)
		a := newResource(t, h, testStack, "A", kubectl.TypeManifest)
		c := newResource(t, h, testStack, "C", kubectl.TypeManifest)
		v1 := declaration{a: {configMap(ns, "x", map[string]any{"k": "a"}), configMap(ns, "stay", nil)}}
		a.create(v1.manifest(t, a, "a"))
		uid := uidOf(t, env, ns, "x")
		v2 := declaration{a: {configMap(ns, "stay", nil)}, c: {configMap(ns, "x", map[string]any{"k": "c"})}}
		a.update(v2.manifest(t, a, "a"))
		c.create(v2.manifest(t, c, "c"))
		x := checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "c"}, owner: c.addr()})
		checkRecords(t, x, "", "")
		c.remove()
		if get(t, env, cmGVR, ns, "x") != nil {
			t.Error("the receiver's Delete left the object")
		}
	})
	t.Run("the receiver fails and the stack rolls back", func(t *testing.T) {
		t.Parallel()
		h, env := newHandler(t)
		ns := namespace(t, env)
		a := newResource(t, h, testStack, "A", kubectl.TypeManifest)
		b := newResource(t, h, testStack, "B", kubectl.TypeManifest)
		v1 := declaration{a: {configMap(ns, "x", map[string]any{"k": "a"})}, b: {configMap(ns, "z", nil)}}
		a.create(v1.manifest(t, a, "a"))
		b.create(v1.manifest(t, b, "b"))
		uid := uidOf(t, env, ns, "x")
		v2 := declaration{a: {}, b: {configMap(ns, "z", nil), configMap(ns, "x", map[string]any{"k": "b"})}}
		a.update(v2.manifest(t, a, "a"))
		// B's Update fails before it runs; the rollback updates A back.
		a.update(v1.manifest(t, a, "a"))
		x := checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "a"}, owner: a.addr()})
		checkRecords(t, x, "", "")
		a.remove()
		if get(t, env, cmGVR, ns, "x") != nil {
			t.Error("its owner's Delete left the object")
		}
	})
}

// TestOwnershipMoveReceiverFirstRolledBack takes an object over (the
// receiver updated first), then rolls the deployment back before the
// giver ran: the receiver's rollback gives the object back, so the giver,
// which never saw an event, still owns it.
func TestOwnershipMoveReceiverFirstRolledBack(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	a := newResource(t, h, testStack, "A", kubectl.TypeManifest)
	b := newResource(t, h, testStack, "B", kubectl.TypeManifest)
	v1 := declaration{a: {configMap(ns, "x", map[string]any{"k": "a"})}, b: {configMap(ns, "z", nil)}}
	a.create(v1.manifest(t, a, "a"))
	b.create(v1.manifest(t, b, "b"))
	uid := uidOf(t, env, ns, "x")
	v2 := declaration{a: {}, b: {configMap(ns, "z", nil), configMap(ns, "x", map[string]any{"k": "b", "only-b": "b"})}}
	b.update(v2.manifest(t, b, "b"))
	x := checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "b", "only-b": "b"}, owner: b.addr()})
	checkRecords(t, x, a.addr(), "")

	b.update(v1.manifest(t, b, "b")) // the rollback; A's Update never ran
	// Given back as A applied it: A's value again, B's own key gone, A's
	// prune label back.
	x = checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "a"}, owner: a.addr()})
	checkRecords(t, x, "", "")
	checkNoContentRecord(t, x)
	onlyManager(t, x, a)
	if _, ok := x.GetLabels()["aws.cdk.eks/prune-a"]; !ok {
		t.Errorf("labels %v: A's prune label is gone", x.GetLabels())
	}
	v3 := declaration{a: {configMap(ns, "x", map[string]any{"k": "a3"})}, b: {configMap(ns, "z", nil)}}
	a.update(v3.manifest(t, a, "a")) // A's next change applies its content again
	checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "a3"}, owner: a.addr()})
	b.remove()
	checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "a3"}, owner: a.addr()})
	a.remove()
	if get(t, env, cmGVR, ns, "x") != nil {
		t.Error("its owner's Delete left the object")
	}
}

// TestOwnershipRenameRolledBack renames a manifest's construct, and the
// deployment fails after the new resource's Create: CloudFormation
// deletes the new resource and keeps the old one, which still declares
// the objects.
func TestOwnershipRenameRolledBack(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	old := newResource(t, h, testStack, "OldName", kubectl.TypeManifest)
	v1 := declaration{old: {configMap(ns, "x", map[string]any{"k": "1"})}}
	old.create(v1.manifest(t, old, "old"))
	uid := uidOf(t, env, ns, "x")
	renamed := newResource(t, h, testStack, "NewName", kubectl.TypeManifest)
	v2 := declaration{renamed: {configMap(ns, "x", map[string]any{"k": "2", "new": "n"})}}
	renamed.create(v2.manifest(t, renamed, "new"))
	renamed.remove() // the rollback
	x := checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "1"}, owner: old.addr()})
	checkRecords(t, x, "", "")
	checkNoContentRecord(t, x)
	onlyManager(t, x, old)
	if _, ok := x.GetLabels()["aws.cdk.eks/prune-new"]; ok {
		t.Errorf("labels %v: the taker's prune label stayed", x.GetLabels())
	}
	v3 := declaration{old: {configMap(ns, "x", map[string]any{"k": "3"})}}
	old.update(v3.manifest(t, old, "old")) // its next change
	checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "3"}, owner: old.addr()})
	old.remove()
	if get(t, env, cmGVR, ns, "x") != nil {
		t.Error("its owner's Delete left the object")
	}

	// The same rename carried through: the old Delete at cleanup lets go,
	// and the new resource's own Delete later removes the objects.
	old2 := newResource(t, h, testStack, "Old2", kubectl.TypeManifest)
	new2 := newResource(t, h, testStack, "New2", kubectl.TypeManifest)
	v1 = declaration{old2: {configMap(ns, "y", nil)}}
	old2.create(v1.manifest(t, old2, "old2"))
	uid = uidOf(t, env, ns, "y")
	v2 = declaration{new2: {configMap(ns, "y", nil)}}
	new2.create(v2.manifest(t, new2, "new2"))
	old2.remove()
	y := checkCM(t, env, ns, "y", cmState{uid: uid, owner: new2.addr()})
	checkRecords(t, y, "", "")
	checkNoContentRecord(t, y) // Old let go: its content record goes with it
	new2.remove()
	if get(t, env, cmGVR, ns, "y") != nil {
		t.Error("the renamed resource's Delete left its objects")
	}
}

// TestOwnershipStalePreviousOwner renames a manifest whose old resource
// cannot read its objects at its Delete (asset gone, no prune label): the
// objects keep a previous-owner record naming a resource that no longer
// exists. The new resource's Delete in a later deployment deletes them
// rather than giving them back to it; while the old resource is still in
// the stack (a rolled-back Create), they are given back.
func TestOwnershipStalePreviousOwner(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	old := newResource(t, h, testStack, "OldName", kubectl.TypeManifest)
	renamed := newResource(t, h, testStack, "NewName", kubectl.TypeManifest)
	v1 := declaration{old: {configMap(ns, "x", map[string]any{"k": "1"})}}
	old.create(v1.manifest(t, old, ""))
	uid := uidOf(t, env, ns, "x")

	// Deployment 2: the rename; the old Delete at cleanup cannot read its
	// manifest and has no label to find its objects by.
	v2 := declaration{renamed: {configMap(ns, "x", map[string]any{"k": "2"})}}
	renamed.create(v2.manifest(t, renamed, ""))
	p := v1.manifest(t, old, "")
	delete(p, "Manifest")
	p["ManifestAsset"] = map[string]any{"Bucket": emptyBucket(t), "Key": "gone.json"}
	old.props = p
	old.remove()
	x := checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "2"}, owner: renamed.addr()})
	checkRecords(t, x, old.addr(), "") // the stale record

	// Deployment 3 removes the renamed resource: its Delete carries the
	// template of deployment 2, where the old resource is absent, and the
	// ledger records the old resource as deleted.
	renamed.remove()
	if x := get(t, env, cmGVR, ns, "x"); x != nil && x.GetDeletionTimestamp() == nil {
		t.Errorf("the Delete gave the object to a deleted resource: owner %s, uid %s (was %s), data %v",
			x.GetAnnotations()[kubectl.OwnerAnnotation], x.GetUID(), uid, x.Object["data"])
	}

	// The same rename rolled back: the old resource is still in the stack
	// (its Delete never came), so the new resource's rollback Delete gives
	// the object back.
	old2 := newResource(t, h, testStack, "Old2", kubectl.TypeManifest)
	new2 := newResource(t, h, testStack, "New2", kubectl.TypeManifest)
	v1 = declaration{old2: {configMap(ns, "y", map[string]any{"k": "1"})}}
	old2.create(v1.manifest(t, old2, ""))
	uid = uidOf(t, env, ns, "y")
	v2 = declaration{new2: {configMap(ns, "y", map[string]any{"k": "2"})}}
	new2.create(v2.manifest(t, new2, ""))
	new2.remove()
	y := checkCM(t, env, ns, "y", cmState{uid: uid, owner: old2.addr(), data: map[string]any{"k": "1"}})
	checkRecords(t, y, "", "")
	old2.remove()
	if y := get(t, env, cmGVR, ns, "y"); y != nil && y.GetDeletionTimestamp() == nil {
		t.Error("its owner's Delete left the object")
	}
}

// TestOwnershipLabelPaths covers the deletes by prune label, used when a
// resource's manifest cannot be read: they too delete only what the
// resource owns and the stack no longer declares.
func TestOwnershipLabelPaths(t *testing.T) {
	t.Parallel()
	t.Run("Delete", func(t *testing.T) {
		t.Parallel()
		h, env := newHandler(t)
		ns := namespace(t, env)
		label := func(s string) string { return fmt.Sprintf("%x", sha256Sum(ns))[:8] + "-" + s } // labels are searched cluster-wide
		a := newResource(t, h, testStack, "LabelA"+t.Name()[len("TestOwnershipLabelPaths/"):][:3], kubectl.TypeManifest)
		b := newResource(t, h, testStack, "LabelB", kubectl.TypeManifest)
		c := newResource(t, h, testStack, "LabelC", kubectl.TypeManifest)
		v1 := declaration{a: {configMap(ns, "taken", nil), configMap(ns, "declared", nil), configMap(ns, "own", nil)}}
		a.create(v1.manifest(t, a, label("a")))
		uidTaken, uidDeclared := uidOf(t, env, ns, "taken"), uidOf(t, env, ns, "declared")
		// B takes "taken" over; C declares "declared" but has not applied it yet.
		v2 := declaration{b: {configMap(ns, "taken", map[string]any{"k": "b"})}, c: {configMap(ns, "declared", nil)}}
		b.create(v2.manifest(t, b, label("b")))
		// A's Delete at cleanup, its manifest's asset gone.
		p := v2.manifest(t, a, label("a"))
		delete(p, "Manifest")
		p["ManifestAsset"] = map[string]any{"Bucket": emptyBucket(t), "Key": "gone.json"}
		a.props = p
		a.remove()
		checkCM(t, env, ns, "taken", cmState{uid: uidTaken, data: map[string]any{"k": "b"}, owner: b.addr()})
		checkCM(t, env, ns, "declared", cmState{uid: uidDeclared, owner: a.addr()})
		if get(t, env, cmGVR, ns, "own") != nil {
			t.Error("the Delete by label left the resource's own object")
		}
		c.create(v2.manifest(t, c, label("c")))
		checkCM(t, env, ns, "declared", cmState{uid: uidDeclared, owner: c.addr()})
	})
	t.Run("prune of an unreadable old manifest", func(t *testing.T) {
		t.Parallel()
		h, env := newHandler(t)
		ns := namespace(t, env)
		label := func(s string) string { return fmt.Sprintf("%x", sha256Sum(ns))[:8] + "-" + s } // labels are searched cluster-wide
		a := newResource(t, h, testStack, "LabelA"+t.Name()[len("TestOwnershipLabelPaths/"):][:3], kubectl.TypeManifest)
		b := newResource(t, h, testStack, "LabelB", kubectl.TypeManifest)
		c := newResource(t, h, testStack, "LabelC", kubectl.TypeManifest)
		v1 := declaration{a: {configMap(ns, "keep", nil), configMap(ns, "taken", nil), configMap(ns, "declared", nil), configMap(ns, "drop", nil)}}
		a.create(v1.manifest(t, a, label("a")))
		uidTaken, uidDeclared := uidOf(t, env, ns, "taken"), uidOf(t, env, ns, "declared")
		v2 := declaration{a: {configMap(ns, "keep", nil)}, b: {configMap(ns, "taken", map[string]any{"k": "b"})}, c: {configMap(ns, "declared", nil)}}
		b.create(v2.manifest(t, b, label("b")))
		a.props["ManifestAsset"] = map[string]any{"Bucket": emptyBucket(t), "Key": "old.json"}
		delete(a.props, "Manifest")
		a.update(v2.manifest(t, a, label("a")))
		checkCM(t, env, ns, "taken", cmState{uid: uidTaken, data: map[string]any{"k": "b"}, owner: b.addr()})
		checkCM(t, env, ns, "declared", cmState{uid: uidDeclared, owner: a.addr()})
		if get(t, env, cmGVR, ns, "drop") != nil {
			t.Error("the prune by label left an object no resource declares")
		}
		checkCM(t, env, ns, "keep", cmState{owner: a.addr()})
	})
}

// TestOwnershipLateDeleteReplay re-creates a resource with the same
// logical ID after its Delete, then Lambda delivers the old Delete again.
func TestOwnershipLateDeleteReplay(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	a := newResource(t, h, testStack, "A", kubectl.TypeManifest)
	v := declaration{a: {configMap(ns, "x", map[string]any{"k": "1"})}}
	a.create(v.manifest(t, a, "a"))
	del := a.event(cfnresponse.Delete, nil)
	mustRun(t, h, del)
	v2 := declaration{a: {configMap(ns, "x", map[string]any{"k": "2"})}}
	a.create(v2.manifest(t, a, "a")) // added back in a later deployment
	uid := uidOf(t, env, ns, "x")
	if _, err := h.OnEvent(context.Background(), del); err != nil {
		t.Fatal(err)
	}
	checkCM(t, env, ns, "x", cmState{uid: uid, data: map[string]any{"k": "2"}, owner: a.addr()})
}

// TestOwnershipStackObjectsOnlyChange updates a resource whose own
// manifest is unchanged (another resource changed what it declares): the
// Update does nothing to its objects.
func TestOwnershipStackObjectsOnlyChange(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	a := newResource(t, h, testStack, "A", kubectl.TypeManifest)
	b := newResource(t, h, testStack, "B", kubectl.TypeManifest)
	v1 := declaration{a: {configMap(ns, "x", map[string]any{"k": "1"})}, b: {}}
	a.create(v1.manifest(t, a, "a"))
	before := get(t, env, cmGVR, ns, "x").GetResourceVersion()
	v2 := declaration{a: {configMap(ns, "x", map[string]any{"k": "1"})}, b: {configMap(ns, "y", nil)}}
	r := mustRun(t, h, a.event(cfnresponse.Update, v2.manifest(t, a, "a")))
	if r.PhysicalResourceId != a.id || r.Data["Objects"] != "1" {
		t.Errorf("answered %+v", r)
	}
	if after := get(t, env, cmGVR, ns, "x").GetResourceVersion(); after != before {
		t.Errorf("the object was written again (resourceVersion %s → %s)", before, after)
	}
}

func sha256Sum(s string) [32]byte { return sha256.Sum256([]byte(s)) }

// TestObjectKeyHash pins the keys of StackObjects; eks's
// TestManifestsDeclareStackObjects checks the construct makes the same.
func TestObjectKeyHash(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ group, kind, ns, name, want string }{
		{"", "ConfigMap", "default", "x", "0920cd20659c78ec"},
		{"", "Namespace", "", "apps", "80859608d54ba712"},
		{"apps", "Deployment", "web", "api", "f676bdc3fedfa9e3"},
	} {
		if got := kubectl.ObjectKeyHash(tc.group, tc.kind, tc.ns, tc.name); got != tc.want {
			t.Errorf("ObjectKeyHash(%q, %q, %q, %q) = %s, want %s", tc.group, tc.kind, tc.ns, tc.name, got, tc.want)
		}
	}
	// eks's TestChartsAndPatchesDeclareStackObjects makes the same.
	if got := kubectl.ReleaseKeyHash("web", "api"); got != "29fead52fc213892" {
		t.Errorf("ReleaseKeyHash(web, api) = %s", got)
	}
	if got := kubectl.PatchTargetKey("deployment/api", "web"); got != "deployment/api web" {
		t.Errorf("PatchTargetKey(deployment/api, web) = %s", got)
	}
}

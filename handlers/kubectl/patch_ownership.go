package kubectl

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"reflect"
	"slices"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"

	"github.com/eksforge/eksforge/handlers/provider"
)

// PatchMarkPrefix starts the annotation a patch resource leaves on the
// object it patched: PatchMarkPrefix + 16 hex of sha256(owner), whose
// value is "<16 hex of sha256(ApplyPatchJson)> <owner>". A patch resource
// whose mark was taken over (a renamed construct applying the same patch)
// does not restore on Delete.
const PatchMarkPrefix = "eksforge.io/patch-"

func patchMarkKey(o owner) string { return PatchMarkPrefix + shortHash16(o.id) }

func patchMarkValue(o owner, p props) string {
	return shortHash16(p.str("ApplyPatchJson")) + " " + o.id
}

// patchMark is a patch mark's value: "<hash> <owner>[ <previous owner>]",
// the previous owner being the resource of the stack this one took the
// mark over from (a renamed construct applying the same patch), until
// that resource lets go of it.
type patchMark struct {
	hash, owner, prev string
}

func parsePatchMark(v string) patchMark {
	f := strings.Fields(v)
	var m patchMark
	if len(f) > 0 {
		m.hash = f[0]
	}
	if len(f) > 1 {
		m.owner = f[1]
	}
	if len(f) > 2 {
		m.prev = f[2]
	}
	return m
}

func (m patchMark) String() string {
	return strings.TrimSpace(m.hash + " " + m.owner + " " + m.prev)
}

// PatchTargetKey is how StackObjects names the target of a patch in the
// properties of a patch: "<ResourceName> <namespace>" as written (the
// handler resolves the type through discovery, so "cm/x" and
// "configmaps/x" are one object).
func PatchTargetKey(resourceName, namespace string) string {
	return resourceName + " " + normNS(namespace)
}

// patchDeclares reports whether the resource with mark id patches the
// object o in the template of the event (from StackObjects).
func (h *Handler) patchDeclares(ctx context.Context, p props, decl *stackObjects, id string, o *patchObject) bool {
	if decl == nil {
		return false
	}
	for _, k := range decl.byOwner[id] {
		rn, ns, _ := strings.Cut(k, " ")
		q := props{"ClusterName": p.str("ClusterName"), "ResourceName": rn, "ResourceNamespace": ns}
		for _, c := range []string{"ClusterEndpoint", "ClusterCertificateAuthorityData", "RoleArn"} {
			q[c] = p[c]
		}
		t, err := h.resolvePatchTarget(ctx, q)
		if err == nil && t != nil && t.gr == o.gr && t.ns == o.ns && t.name == o.name {
			return true
		}
	}
	return false
}

// patchObject is a patch target, resolved.
type patchObject struct {
	ri   dynamic.ResourceInterface
	gr   string // group/resource, normalised
	name string
	ns   string // "" for cluster-scoped
	desc string // "v1 ConfigMap ns/name"
}

// resolvePatchTarget resolves the target of the patch with properties p;
// nil when its type is no longer served.
func (h *Handler) resolvePatchTarget(ctx context.Context, p props) (*patchObject, error) {
	t, err := patchTargetOf(p)
	if err != nil {
		return nil, err
	}
	cl, err := h.connect(ctx, p)
	if err != nil {
		return nil, err
	}
	m, err := cl.apply.Resource(ctx, t.typ)
	if err != nil {
		if meta.IsNoMatchError(err) || strings.Contains(err.Error(), "no matches for") {
			return nil, nil
		}
		return nil, fmt.Errorf("unable to patch %s: %w", t, err)
	}
	o := &patchObject{gr: m.Resource.GroupResource().String(), name: t.name}
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		o.ns = t.namespace
		o.ri = cl.apply.Dynamic.Resource(m.Resource).Namespace(t.namespace)
		o.desc = m.GroupVersionKind.GroupVersion().String() + " " + m.GroupVersionKind.Kind + " " + t.namespace + "/" + t.name
	} else {
		o.ri = cl.apply.Dynamic.Resource(m.Resource)
		o.desc = m.GroupVersionKind.GroupVersion().String() + " " + m.GroupVersionKind.Kind + " " + t.name
	}
	return o, nil
}

// samePatchTarget reports whether the old and new properties of an Update
// name the same object (ResourceName resolved through discovery:
// "configmap/x", "configmaps/x" and "cm/x" are one object).
func (h *Handler) samePatchTarget(ctx context.Context, old, cur props) (bool, error) {
	if old.str("ClusterName") != cur.str("ClusterName") {
		return false, nil
	}
	ot, oerr := patchTargetOf(old)
	nt, nerr := patchTargetOf(cur)
	if oerr != nil || nerr != nil {
		return false, nil
	}
	if ot == nt {
		return true, nil
	}
	if ot.name != nt.name {
		return false, nil
	}
	a, err := h.resolvePatchTarget(ctx, old)
	if err != nil || a == nil {
		return false, nil // the old type is gone: not the same object
	}
	b, err := h.resolvePatchTarget(ctx, cur)
	if err != nil {
		return false, err
	}
	return b != nil && a.gr == b.gr && a.ns == b.ns && a.name == b.name, nil
}

// restorePatch applies the restore patch of p on behalf of owner me,
// unless the object is gone, the patch was taken over by another resource
// of the stack, or the fields no longer hold what the patch applied
// (someone changed them since: restoring would revert their change).
//
// A mark this resource took over from another resource of the stack
// (patchMark.prev) is given back to it instead of restoring, when that
// resource patches the object in the event's template (the rollback of an
// Update that took the patch over), or is absent from the template and
// not recorded as deleted in the stack's ledger (the rollback of a Create
// that took the patch over from a renamed-away resource): see
// docs/custom-resources.md, Ownership.
func (h *Handler) restorePatch(ctx context.Context, p props, me owner, decl *stackObjects) error {
	o, err := h.resolvePatchTarget(ctx, p)
	if err != nil || o == nil {
		return err
	}
	cl, err := h.connect(ctx, p)
	if err != nil {
		return err
	}
	var cur *unstructured.Unstructured
	err = cl.apply.Retry(ctx, func() error {
		var err error
		cur, err = o.ri.Get(ctx, o.name, metav1.GetOptions{})
		return err
	})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("unable to read %s to restore it: %w", o.desc, err)
	}
	if m := parsePatchMark(cur.GetAnnotations()[patchMarkKey(me)]); m.hash != "" && m.hash != parsePatchMark(patchMarkValue(me, p)).hash {
		// This resource's mark is for another patch now: the one to restore
		// was restored or given back already (a redelivered Update).
		slog.InfoContext(ctx, "not restoring a patched object: this resource applies another patch now", "object", o.desc)
		return nil
	}
	if prev := h.patchGiveBack(ctx, cl, o, cur, p, me, decl); prev != "" {
		slog.InfoContext(ctx, "not restoring a patched object: the patch goes back to the resource it was taken from", "object", o.desc, "owner", prev)
		mine := parsePatchMark(cur.GetAnnotations()[patchMarkKey(me)])
		back := patchMark{hash: mine.hash, owner: prev}
		return h.patchAnnotations(ctx, cl.apply.Retry, o, map[string]any{patchMarkKey(me): nil, patchMarkKey(owner{id: prev}): back.String()})
	}
	// Marks taken over from this resource no longer record it: it lets go.
	letGo := map[string]any{patchMarkKey(me): nil}
	for k, v := range cur.GetAnnotations() {
		if m := parsePatchMark(v); strings.HasPrefix(k, PatchMarkPrefix) && k != patchMarkKey(me) && m.prev == me.id {
			m.prev = ""
			letGo[k] = m.String()
		}
	}
	if why := h.keepPatched(ctx, o, cur, p, me); why != "" {
		slog.InfoContext(ctx, "not restoring a patched object", "object", o.desc, "reason", why)
		return h.patchAnnotations(ctx, cl.apply.Retry, o, letGo)
	}
	if err := h.runPatch(ctx, p, "RestorePatchJson", true); err != nil {
		return err
	}
	return h.patchAnnotations(ctx, cl.apply.Retry, o, letGo)
}

// patchGiveBack is the resource to give the patch mark back to instead
// of restoring ("" for none; see [Handler.restorePatch]).
func (h *Handler) patchGiveBack(ctx context.Context, cl *cluster, o *patchObject, cur *unstructured.Unstructured, p props, me owner, decl *stackObjects) string {
	m := parsePatchMark(cur.GetAnnotations()[patchMarkKey(me)])
	if m.prev == "" || m.prev == me.id || stackOfMark(m.prev) != me.stack {
		return ""
	}
	if _, has := cur.GetAnnotations()[patchMarkKey(owner{id: m.prev})]; has {
		return "" // it applied a patch of its own since
	}
	if h.patchDeclares(ctx, p, decl, m.prev, o) {
		return m.prev
	}
	if decl != nil && !decl.owners[m.prev] && !h.ownerGone(ctx, cl, m.prev) {
		return m.prev
	}
	return ""
}

// keepPatched says why the restore patch must not run ("" to run it).
func (h *Handler) keepPatched(ctx context.Context, o *patchObject, cur *unstructured.Unstructured, p props, me owner) string {
	ann := cur.GetAnnotations()
	if _, ours := ann[patchMarkKey(me)]; !ours {
		want := parsePatchMark(patchMarkValue(me, p)).hash
		for k, v := range ann {
			if m := parsePatchMark(v); strings.HasPrefix(k, PatchMarkPrefix) && m.hash == want && stackOfMark(m.owner) == me.stack {
				return "another patch resource of the stack, " + m.owner + ", applies the same patch now"
			}
		}
	}
	pt, err := patchTypeOf(p)
	if err != nil {
		return ""
	}
	body := p.str("ApplyPatchJson")
	if pt == types.JSONPatchType && strings.Contains(body, `/-"`) {
		return "" // appends to a list: applying it again always changes the object
	}
	dry, err := o.ri.Patch(ctx, o.name, pt, []byte(body), metav1.PatchOptions{DryRun: []string{metav1.DryRunAll}, FieldManager: "eksforge"})
	if err != nil {
		return "" // cannot tell (a JSON patch removing what is gone): restore as asked
	}
	if !reflect.DeepEqual(patchedContent(cur), patchedContent(dry)) {
		return "the patched fields changed since the patch was applied; restoring would revert that change"
	}
	return ""
}

// patchedContent is u without the metadata an apply of the same content changes.
func patchedContent(u *unstructured.Unstructured) map[string]any {
	c := u.DeepCopy()
	for _, f := range []string{"managedFields", "resourceVersion", "generation"} {
		unstructured.RemoveNestedField(c.Object, "metadata", f)
	}
	b, _ := json.Marshal(c.Object)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

// markPatched records me as the patch's owner on the object, taking the
// mark over from other resources of the stack that applied the same patch
// (a renamed construct) and from me before the Owner property was set.
func (h *Handler) markPatched(ctx context.Context, e provider.Event, p props, me owner) error {
	o, err := h.resolvePatchTarget(ctx, p)
	if err != nil || o == nil {
		return err
	}
	cl, err := h.connect(ctx, p)
	if err != nil {
		return err
	}
	var cur *unstructured.Unstructured
	if err := cl.apply.Retry(ctx, func() error {
		var err error
		cur, err = o.ri.Get(ctx, o.name, metav1.GetOptions{})
		return err
	}); err != nil {
		return fmt.Errorf("unable to mark %s as patched: %w", o.desc, err)
	}
	mark := parsePatchMark(patchMarkValue(me, p))
	if had := parsePatchMark(cur.GetAnnotations()[patchMarkKey(me)]); had.hash == mark.hash {
		mark.prev = had.prev // applied again (a replay): still taken from it
	}
	ann := map[string]any{}
	keys := slices.Sorted(maps.Keys(cur.GetAnnotations()))
	for _, k := range keys {
		other := parsePatchMark(cur.GetAnnotations()[k])
		if strings.HasPrefix(k, PatchMarkPrefix) && k != patchMarkKey(me) && stackOfMark(other.owner) == me.stack && other.hash == mark.hash {
			// A renamed construct applying the same patch: the mark moves
			// here, and the former owner is recorded until it lets go.
			ann[k] = nil
			if other.owner != me.id {
				mark.prev = other.owner
			}
		}
	}
	ann[patchMarkKey(me)] = mark.String()
	if e.OldResourceProperties != nil {
		if old := ownerOf(e, props(e.OldResourceProperties)); old != me {
			ann[patchMarkKey(old)] = nil
		}
	}
	return h.patchAnnotations(ctx, cl.apply.Retry, o, ann)
}

func (h *Handler) patchAnnotations(ctx context.Context, retry func(context.Context, func() error) error, o *patchObject, ann map[string]any) error {
	body, err := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": ann}})
	if err != nil {
		return err
	}
	err = retry(ctx, func() error {
		_, err := o.ri.Patch(ctx, o.name, types.MergePatchType, body, metav1.PatchOptions{FieldManager: "eksforge"})
		return err
	})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("unable to record the patch owner on %s: %w", o.desc, err)
	}
	return nil
}

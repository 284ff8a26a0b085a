package kubectl

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
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
func (h *Handler) restorePatch(ctx context.Context, p props, me owner) error {
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
	if why := h.keepPatched(ctx, o, cur, p, me); why != "" {
		slog.InfoContext(ctx, "not restoring a patched object", "object", o.desc, "reason", why)
		return h.unmarkPatched(ctx, o, p, me)
	}
	if err := h.runPatch(ctx, p, "RestorePatchJson", true); err != nil {
		return err
	}
	return h.unmarkPatched(ctx, o, p, me)
}

// keepPatched says why the restore patch must not run ("" to run it).
func (h *Handler) keepPatched(ctx context.Context, o *patchObject, cur *unstructured.Unstructured, p props, me owner) string {
	ann := cur.GetAnnotations()
	if _, ours := ann[patchMarkKey(me)]; !ours {
		want, _, _ := strings.Cut(patchMarkValue(me, p), " ")
		for k, v := range ann {
			hash, other, _ := strings.Cut(v, " ")
			if strings.HasPrefix(k, PatchMarkPrefix) && hash == want && stackOfMark(other) == me.stack {
				return "another patch resource of the stack, " + other + ", applies the same patch now"
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
	ann := map[string]any{patchMarkKey(me): patchMarkValue(me, p)}
	want, _, _ := strings.Cut(patchMarkValue(me, p), " ")
	for k, v := range cur.GetAnnotations() {
		hash, other, _ := strings.Cut(v, " ")
		if strings.HasPrefix(k, PatchMarkPrefix) && k != patchMarkKey(me) && stackOfMark(other) == me.stack && hash == want {
			ann[k] = nil
		}
	}
	if e.OldResourceProperties != nil {
		if old := ownerOf(e, props(e.OldResourceProperties)); old != me {
			ann[patchMarkKey(old)] = nil
		}
	}
	return h.patchAnnotations(ctx, cl.apply.Retry, o, ann)
}

func (h *Handler) unmarkPatched(ctx context.Context, o *patchObject, p props, me owner) error {
	cl, err := h.connect(ctx, p)
	if err != nil {
		return err
	}
	return h.patchAnnotations(ctx, cl.apply.Retry, o, map[string]any{patchMarkKey(me): nil})
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

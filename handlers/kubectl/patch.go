package kubectl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/provider"
)

// patchTarget is the object a patch resource changes.
type patchTarget struct {
	typ, name, namespace string
}

func (t patchTarget) String() string { return t.typ + " " + t.namespace + "/" + t.name }

func patchTargetOf(p props) (patchTarget, error) {
	rn, err := p.required("ResourceName")
	if err != nil {
		return patchTarget{}, err
	}
	typ, name, ok := strings.Cut(rn, "/")
	if !ok || typ == "" || name == "" {
		return patchTarget{}, fmt.Errorf("property ResourceName %q must be <type>/<name>, e.g. deployment/hello", rn)
	}
	return patchTarget{typ: typ, name: name, namespace: normNS(p.str("ResourceNamespace"))}, nil
}

func patchTypeOf(p props) (types.PatchType, error) {
	switch t := strings.ToLower(p.str("PatchType")); t {
	case "", "strategic":
		return types.StrategicMergePatchType, nil
	case "merge":
		return types.MergePatchType, nil
	case "json":
		return types.JSONPatchType, nil
	default:
		return "", fmt.Errorf("property PatchType %q must be strategic, merge or json", t)
	}
}

func (h *Handler) patch(ctx context.Context, e provider.Event) (provider.OnEventResult, error) {
	id, replaced := physicalIDFor(kindPatch, e)
	p := props(e.ResourceProperties)
	me := ownerOf(e, p)
	cl, err := h.connect(ctx, p)
	if err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	stream := e.PhysicalResourceId // a respelled target keeps it: one ledger entry per resource
	if stream == "" {
		stream = id
	}
	decl, err := stackObjectsOf(e, p)
	if err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	// The live physical IDs of the owner: a respelled target keeps its ID
	// (below), so the new one recorded here may never be deleted, which
	// only makes the owner count as live (an object is then left, never
	// deleted, on its account).
	if h.staleEvent(ctx, cl, eventRef{stack: e.StackId, id: stream, request: e.RequestId, live: liveFor(e, me, id)}) {
		// A late replay: a later event of this patch already ran; applying
		// or restoring again would revert it.
		if e.RequestType == cfnresponse.Update && e.PhysicalResourceId != "" {
			id = e.PhysicalResourceId
		}
		return provider.OnEventResult{PhysicalResourceId: id}, nil
	}
	switch e.RequestType {
	case cfnresponse.Delete:
		if err := h.restorePatch(ctx, p, me, decl); err != nil {
			return provider.OnEventResult{}, err
		}
		return provider.OnEventResult{PhysicalResourceId: id}, nil
	case cfnresponse.Update:
		if !replaced && onlyStackObjectsChanged(e) {
			// Another resource of the stack changed what it declares; this
			// patch is as it was: nothing to apply.
			return provider.OnEventResult{PhysicalResourceId: id}, nil
		}
		old := props(e.OldResourceProperties)
		same, err := h.samePatchTarget(ctx, old, p)
		if err != nil {
			return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
		}
		if replaced && same {
			// The same object spelled differently (configmap/x, cm/x): an
			// update in place, not a replacement whose old Delete would
			// restore the object over the new patch.
			id = e.PhysicalResourceId
		}
		if same && old.str("ApplyPatchJson") != p.str("ApplyPatchJson") && old.str("RestorePatchJson") != "" {
			// Undo the old patch before the new one, so fields only the old
			// patch set do not stay behind.
			if err := h.restorePatch(ctx, old, ownerOf(e, old), decl); err != nil {
				return provider.OnEventResult{}, err
			}
		}
	}
	if err := h.runPatch(ctx, p, "ApplyPatchJson", false); err != nil {
		var maybe *maybePatchedError
		if e.RequestType == cfnresponse.Create && errors.As(err, &maybe) {
			// The API server may have applied it: keep the ID, so that
			// CloudFormation's rollback Delete restores the object (it
			// restores only an object the patch is applied to).
			return provider.OnEventResult{PhysicalResourceId: id}, err
		}
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	if err := h.markPatched(ctx, e, p, me); err != nil {
		if e.RequestType == cfnresponse.Create {
			// The patch is applied: the rollback Delete restores it.
			return provider.OnEventResult{PhysicalResourceId: id}, err
		}
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	return provider.OnEventResult{PhysicalResourceId: id}, nil
}

// maybePatchedError is the error of a patch request the API server did not
// refuse: it may have applied the patch (its answer lost to a deadline or
// a dropped connection, or an error answered after the write).
type maybePatchedError struct{ err error }

func (e *maybePatchedError) Error() string { return e.err.Error() }

func (e *maybePatchedError) Unwrap() error { return e.err }

// refused reports whether err is the API server's refusal of a request
// (a 4xx answer other than a timeout or a throttle): nothing was written.
func refused(err error) bool {
	var st apierrors.APIStatus
	if !errors.As(err, &st) {
		return false
	}
	code := st.Status().Code
	return code >= 400 && code < 500 && code != http.StatusRequestTimeout && code != http.StatusTooManyRequests
}

// runPatch applies the patch in property key to the target; a missing
// target is success when goneOK.
func (h *Handler) runPatch(ctx context.Context, p props, key string, goneOK bool) error {
	t, err := patchTargetOf(p)
	if err != nil {
		return err
	}
	pt, err := patchTypeOf(p)
	if err != nil {
		return err
	}
	body, err := p.required(key)
	if err != nil {
		return err
	}
	if !json.Valid([]byte(body)) {
		return fmt.Errorf("property %s is not valid JSON", key)
	}
	cl, err := h.connect(ctx, p)
	if err != nil {
		return err
	}
	m, err := cl.apply.Resource(ctx, t.typ)
	if err != nil {
		if goneOK && meta.IsNoMatchError(err) {
			return nil
		}
		return fmt.Errorf("unable to patch %s: %w", t, err)
	}
	ri := cl.apply.Dynamic.Resource(m.Resource)
	what := m.GroupVersionKind.Kind + " " + t.name
	var perr error
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		what = m.GroupVersionKind.Kind + " " + t.namespace + "/" + t.name
		perr = cl.apply.Retry(ctx, func() error {
			_, err := ri.Namespace(t.namespace).Patch(ctx, t.name, pt, []byte(body), metav1.PatchOptions{FieldManager: "eksforge"})
			return err
		})
	} else {
		perr = cl.apply.Retry(ctx, func() error {
			_, err := ri.Patch(ctx, t.name, pt, []byte(body), metav1.PatchOptions{FieldManager: "eksforge"})
			return err
		})
	}
	if perr != nil {
		if goneOK && apierrors.IsNotFound(perr) {
			return nil
		}
		err := fmt.Errorf("unable to patch %s %s with %s: %w", m.GroupVersionKind.GroupVersion(), what, key, perr)
		if refused(perr) {
			return err
		}
		return &maybePatchedError{err: err}
	}
	return nil
}

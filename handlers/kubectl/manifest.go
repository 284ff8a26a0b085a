package kubectl

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/provider"
)

// manifestObjects reads the objects of Manifest or ManifestAsset.
func (h *Handler) manifestObjects(ctx context.Context, p props) ([]*unstructured.Unstructured, error) {
	var data []byte
	var a asset
	if ok, err := p.decode("ManifestAsset", &a); err != nil {
		return nil, err
	} else if ok {
		if data, err = h.fetchAsset(ctx, a); err != nil {
			return nil, fmt.Errorf("unable to read the manifest: %w", err)
		}
	} else if s := p.str("Manifest"); s != "" {
		data = []byte(s)
	} else {
		return nil, fmt.Errorf("property Manifest or ManifestAsset is required")
	}
	return apply.Parse(data)
}

func (h *Handler) manifest(ctx context.Context, e provider.Event) (provider.OnEventResult, error) {
	start := h.now()
	id, replaced := physicalIDFor(kindManifest, e)
	p := props(e.ResourceProperties)
	decl, err := stackObjectsOf(e, p)
	if err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	me, ours := ownerOf(e, p), oldOwners(e)
	objs, err := h.manifestObjects(ctx, p)
	if err != nil {
		if e.RequestType == cfnresponse.Delete {
			return h.deleteUnreadable(ctx, e, p, id, decl, err)
		}
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	cl, err := h.connect(ctx, p)
	if err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	if h.staleEvent(ctx, cl, eventRef{stack: e.StackId, id: id, request: e.RequestId, live: liveFor(e, me, id)}) {
		return provider.OnEventResult{PhysicalResourceId: id, Data: map[string]any{"Objects": strconv.Itoa(len(objs))}}, nil
	}
	if e.RequestType == cfnresponse.Delete {
		total, err := p.duration("DeleteTimeout")
		if err != nil {
			return provider.OnEventResult{PhysicalResourceId: id}, err
		}
		guard := h.ownedGuard(ctx, cl, me, ours, decl, nil)
		if res, started, err := h.startLongDelete(ctx, cl, id, objs, start, total, guard); started || err != nil {
			return res, err
		}
		if total > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, total-h.now().Sub(start))
			defer cancel()
		}
		if err := cl.apply.Delete(ctx, objs, guard); err != nil {
			return provider.OnEventResult{}, err
		}
		return provider.OnEventResult{PhysicalResourceId: id}, nil
	}
	if e.RequestType == cfnresponse.Update && !replaced && onlyStackObjectsChanged(e) && e.ResourceProperties["SecretValues"] == nil {
		// Another resource of the stack changed what it declares; this
		// one's objects are as they were: nothing to apply or prune. (A
		// Secret with SecretValues is applied again: its values are read
		// on every Update, so a rotation reaches it.)
		return provider.OnEventResult{PhysicalResourceId: id, Data: map[string]any{"Objects": strconv.Itoa(len(objs))}}, nil
	}
	if err := h.resolveSecretValues(ctx, p, objs); err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	took := &takeovers{}
	opts := apply.Options{Force: p.bool("Overwrite"), SkipValidation: p.bool("SkipValidation"), PruneLabel: p.str("PruneLabel"),
		FieldManager: me.fieldManager(), Annotations: map[string]string{OwnerAnnotation: me.id},
		Ownership: ownership(me, ours, p.bool("Overwrite"), took)}
	done, err := cl.apply.Apply(ctx, objs, opts)
	if err != nil {
		if e.RequestType == cfnresponse.Create || replaced {
			// Leave nothing half-applied: undo this Create's objects, with a
			// little time of our own if the context is already over. Objects
			// taken over from another resource of the stack stay.
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTime(ctx))
			defer cancel()
			keepTaken := func(u *unstructured.Unstructured) string {
				if took.has(u) {
					return "this failed Create took it over from another resource, which still declares it"
				}
				return ""
			}
			guard := h.ownedGuard(cctx, cl, me, ours, decl, keepTaken)
			derr := h.undoMaybeApplied(cctx, cl, me, err, guard)
			if derr == nil {
				derr = cl.apply.Delete(cctx, done, guard)
			}
			if derr != nil {
				// Keep the ID so the rollback Delete finishes the job.
				return provider.OnEventResult{PhysicalResourceId: id}, fmt.Errorf("%w (and cleaning up failed: %v)", err, derr)
			}
			if e.RequestType == cfnresponse.Update {
				return provider.OnEventResult{PhysicalResourceId: id}, err
			}
		}
		return provider.OnEventResult{}, err
	}
	if e.RequestType == cfnresponse.Update && !replaced && p.str("PruneLabel") != "" {
		guard := h.ownedGuard(ctx, cl, me, ours, decl, nil)
		old, err := h.manifestObjects(ctx, props(e.OldResourceProperties))
		if err != nil {
			if err := pruneUnreadable(ctx, cl.apply, objs, p.str("PruneLabel"), guard, err); err != nil {
				return provider.OnEventResult{}, err
			}
		} else if _, err := cl.apply.Prune(ctx, old, objs, p.str("PruneLabel"), guard); err != nil {
			return provider.OnEventResult{}, err
		}
	}
	return provider.OnEventResult{PhysicalResourceId: id, Data: map[string]any{"Objects": strconv.Itoa(len(objs))}}, nil
}

// undoMaybeApplied deletes, for a failed Create, the object whose apply
// failed (err, an [*apply.ObjectError]) when the API server may have
// applied it all the same — its answer lost, or a step after the write
// failed — so no object is left marked as owned by a resource
// CloudFormation never got an ID for. The object as stored decides: it is
// deleted only when its owner mark is exactly this resource's own (me.id),
// the mark this Create wrote; not one of the old marks a replacement or an
// Owner change also counts as ours (the previous resource may still
// declare it), and never without a mark (the write did not reach it: a
// user's object stays). An object not found is already undone. guard (the
// undo's [Handler.ownedGuard]) has its say after that.
func (h *Handler) undoMaybeApplied(ctx context.Context, cl *cluster, me owner, err error, guard apply.DeleteOption) error {
	var oe *apply.ObjectError
	if !errors.As(err, &oe) || !oe.MaybeApplied {
		return nil
	}
	exactlyMine := apply.GuardOption(func(cur *unstructured.Unstructured) string {
		if m := markOf(cur); m != me.id {
			return fmt.Sprintf("its apply failed and its owner mark is %q, not this resource's %q: this Create did not leave it", m, me.id)
		}
		return ""
	})
	return cl.apply.Delete(ctx, []*unstructured.Unstructured{oe.Object}, exactlyMine, guard)
}

// onlyStackObjectsChanged reports whether an Update changes nothing but
// the StackObjects property.
func onlyStackObjectsChanged(e provider.Event) bool {
	if e.OldResourceProperties == nil {
		return false
	}
	strip := func(m map[string]any) map[string]any {
		out := make(map[string]any, len(m))
		for k, v := range m {
			if k != "StackObjects" {
				out[k] = v
			}
		}
		return out
	}
	return reflect.DeepEqual(strip(e.OldResourceProperties), strip(e.ResourceProperties))
}

// existingID is the ID to keep on a failure before anything was done.
func existingID(e provider.Event) string {
	if e.RequestType == cfnresponse.Create {
		return ""
	}
	return e.PhysicalResourceId
}

// cleanupTime is how long a failed Create may spend deleting what it
// applied: what is left of ctx, at least 10 s, at most a minute.
func cleanupTime(ctx context.Context) time.Duration {
	d := time.Minute
	if dl, ok := ctx.Deadline(); ok {
		d = min(d, time.Until(dl))
	}
	return max(d, 10*time.Second)
}

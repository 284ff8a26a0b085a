package apply

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
)

// Ownership is how an apply treats objects other appliers hold; see
// [Options.Ownership]. The kubectl handler's resources each apply with
// their own field manager and owner mark, and this is where the API
// server's view of who holds what is turned into a decision.
type Ownership struct {
	// OnConflict is called when an apply without Force conflicts with other
	// field managers; cur is the object as stored, err the conflict. It
	// returns the field managers whose applied fields the apply takes over
	// before it tries again (none: the conflict fails the apply), or an
	// error that fails the apply instead of err.
	OnConflict func(cur *unstructured.Unstructured, err error) (takeOver []string, _ error)
	// Absorb reports whether the applied fields of another field manager,
	// still recorded on an object after a successful apply (identical values
	// co-own fields without conflict, and Force leaves the others' entries),
	// become this apply's: a former owner's entries must not keep fields
	// alive that the new owner no longer sets.
	Absorb func(manager string) bool
	// Annotate returns annotations to set (a nil value removes one) on the
	// object as stored in cur: called with the object before a takeover,
	// the annotations are written with the fields OnConflict named (a
	// record of whom the object was taken from); called with the object
	// an apply just wrote, they are written after it (records the owner's
	// own apply makes stale). Default: none.
	Annotate func(cur *unstructured.Unstructured) map[string]any
}

// GuardOption makes deletes check each object, as stored, before deleting
// it: skip returns why the object must stay ("" to delete it). The delete
// is made with the object's UID and resourceVersion as preconditions, so
// an object changed since it was checked is checked again.
func GuardOption(skip func(cur *unstructured.Unstructured) string) DeleteOption {
	return DeleteOption{skip: skip}
}

// DeleteOption adjusts [Client.Delete], [Client.DeleteOne] and
// [Client.Prune].
type DeleteOption struct {
	skip func(cur *unstructured.Unstructured) string
}

func guardOf(opts []DeleteOption) func(*unstructured.Unstructured) string {
	var fs []func(*unstructured.Unstructured) string
	for _, o := range opts {
		if o.skip != nil {
			fs = append(fs, o.skip)
		}
	}
	if len(fs) == 0 {
		return nil
	}
	return func(cur *unstructured.Unstructured) string {
		for _, f := range fs {
			if r := f(cur); r != "" {
				return r
			}
		}
		return ""
	}
}

// guardedDelete reads u, asks guard, and deletes it with preconditions. It
// returns the object as read, and whether a delete was sent or is under
// way (false: gone already, or kept).
func (c *Client) guardedDelete(ctx context.Context, ri dynamic.ResourceInterface, u *unstructured.Unstructured, guard func(*unstructured.Unstructured) string) (*unstructured.Unstructured, bool, error) {
	fg := metav1.DeletePropagationForeground
	for attempt := 0; ; attempt++ {
		var cur *unstructured.Unstructured
		err := c.retry(ctx, func() error {
			var err error
			cur, err = ri.Get(ctx, u.GetName(), metav1.GetOptions{})
			return err
		})
		if apierrors.IsNotFound(err) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("unable to read %s before deleting it: %w", Describe(u), err)
		}
		if cur.GetDeletionTimestamp() != nil {
			u.SetUID(cur.GetUID())
			return cur, true, nil // already going: wait for it
		}
		if why := guard(cur); why != "" {
			slog.InfoContext(ctx, "not deleting an object", "object", Describe(u), "reason", why)
			return cur, false, nil
		}
		uid, rv := cur.GetUID(), cur.GetResourceVersion()
		err = c.retry(ctx, func() error {
			return ri.Delete(ctx, u.GetName(), metav1.DeleteOptions{PropagationPolicy: &fg,
				Preconditions: &metav1.Preconditions{UID: &uid, ResourceVersion: &rv}})
		})
		switch {
		case err == nil:
			u.SetUID(uid)
			return cur, true, nil
		case apierrors.IsNotFound(err):
			return cur, false, nil
		case apierrors.IsConflict(err) && attempt < 5:
			continue // changed since read: check again
		default:
			return cur, false, fmt.Errorf("unable to delete %s: %w", Describe(u), err)
		}
	}
}

// takeOver moves the applied fields of the managers from into manager's
// own Apply entry on the stored object (a union of the field sets), so
// that the next apply by manager owns them: it then removes those it no
// longer sets, and no former owner holds them alive. ann are annotations
// set in the same write (a nil value removes one). It reports whether
// anything moved. The write carries cur's resourceVersion: an object
// changed since it was read is a conflict error.
func (c *Client) takeOver(ctx context.Context, ri dynamic.ResourceInterface, cur *unstructured.Unstructured, manager string, from func(string) bool, ann map[string]any) (bool, error) {
	entries := cur.GetManagedFields()
	var out []metav1.ManagedFieldsEntry
	var ours *metav1.ManagedFieldsEntry
	var taken []metav1.ManagedFieldsEntry
	for _, e := range entries {
		switch {
		case e.Manager == manager && e.Operation == metav1.ManagedFieldsOperationApply && e.Subresource == "":
			out = append(out, e)
			ours = &out[len(out)-1]
		case e.Manager != manager && e.Operation == metav1.ManagedFieldsOperationApply && e.Subresource == "" && from(e.Manager):
			taken = append(taken, e)
		default:
			out = append(out, e)
		}
	}
	if len(taken) == 0 {
		if len(ann) == 0 {
			return false, nil
		}
		return false, c.annotate(ctx, ri, cur, manager, ann)
	}
	if ours == nil {
		out = append(out, metav1.ManagedFieldsEntry{Manager: manager, Operation: metav1.ManagedFieldsOperationApply,
			APIVersion: taken[0].APIVersion, FieldsType: "FieldsV1", Time: taken[0].Time})
		ours = &out[len(out)-1]
	}
	set := map[string]any{}
	for _, e := range append([]metav1.ManagedFieldsEntry{*ours}, taken...) {
		if e.FieldsV1 == nil || len(e.FieldsV1.GetRawBytes()) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(e.FieldsV1.GetRawBytes(), &m); err != nil {
			return false, fmt.Errorf("unable to read the managed fields of %s: %w", Describe(cur), err)
		}
		unionFields(set, m)
	}
	raw, err := json.Marshal(set)
	if err != nil {
		return false, err
	}
	ours.FieldsV1 = metav1.NewFieldsV1(string(raw))
	md := map[string]any{"managedFields": out, "resourceVersion": cur.GetResourceVersion()}
	if len(ann) > 0 {
		md["annotations"] = ann
	}
	patch, err := json.Marshal(map[string]any{"metadata": md})
	if err != nil {
		return false, err
	}
	err = c.retry(ctx, func() error {
		_, err := ri.Patch(ctx, cur.GetName(), types.MergePatchType, patch, metav1.PatchOptions{FieldManager: manager})
		return err
	})
	if err != nil {
		return false, fmt.Errorf("unable to take over the fields of %s from %s: %w", Describe(cur), managerNames(taken), err)
	}
	slog.InfoContext(ctx, "took over the fields of former appliers", "object", Describe(cur), "from", managerNames(taken), "to", manager)
	return true, nil
}

// annotate sets ann on cur (a nil value removes one), with cur's
// resourceVersion as precondition.
func (c *Client) annotate(ctx context.Context, ri dynamic.ResourceInterface, cur *unstructured.Unstructured, manager string, ann map[string]any) error {
	patch, err := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": ann, "resourceVersion": cur.GetResourceVersion()}})
	if err != nil {
		return err
	}
	err = c.retry(ctx, func() error {
		_, err := ri.Patch(ctx, cur.GetName(), types.MergePatchType, patch, metav1.PatchOptions{FieldManager: manager})
		return err
	})
	if err != nil {
		return fmt.Errorf("unable to annotate %s: %w", Describe(cur), err)
	}
	return nil
}

// Reassign moves the applied fields of the managers from into manager's
// Apply entry on the object u names (as takeovers do) and sets ann on it
// (a nil value removes one), in one write, re-reading the object when it
// changed in between: how an object goes back to a former owner instead
// of being deleted. With from nil only the annotations are written. A
// missing object is not an error.
func (c *Client) Reassign(ctx context.Context, u *unstructured.Unstructured, manager string, from func(string) bool, ann map[string]any) error {
	u = u.DeepCopy()
	ri, _, err := c.resource(ctx, u)
	if err != nil {
		return fmt.Errorf("unable to reassign %s: %w", Describe(u), err)
	}
	if from == nil {
		from = func(string) bool { return false }
	}
	for attempt := 0; ; attempt++ {
		var cur *unstructured.Unstructured
		err := c.retry(ctx, func() error {
			var err error
			cur, err = ri.Get(ctx, u.GetName(), metav1.GetOptions{})
			return err
		})
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("unable to read %s to reassign it: %w", Describe(u), err)
		}
		_, err = c.takeOver(ctx, ri, cur, manager, from, ann)
		if apierrors.IsConflict(err) && attempt < 5 {
			continue
		}
		return err
	}
}

func managerNames(es []metav1.ManagedFieldsEntry) []string {
	var out []string
	for _, e := range es {
		if !slices.Contains(out, e.Manager) {
			out = append(out, e.Manager)
		}
	}
	return out
}

// unionFields merges the FieldsV1 tree src into dst.
func unionFields(dst, src map[string]any) {
	for k, v := range src {
		sv, _ := v.(map[string]any)
		dv, ok := dst[k].(map[string]any)
		switch {
		case !ok:
			dst[k] = v
		case sv != nil:
			unionFields(dv, sv)
		}
	}
}

// resolveConflict asks own what to do about the conflict err of applying u,
// takes over the fields of the managers it names and applies again.
func (c *Client) resolveConflict(ctx context.Context, ri dynamic.ResourceInterface, u *unstructured.Unstructured, manager string, own *Ownership, conflict error, apply func() error) error {
	for attempt := 0; ; attempt++ {
		var cur *unstructured.Unstructured
		err := c.retry(ctx, func() error {
			var err error
			cur, err = ri.Get(ctx, u.GetName(), metav1.GetOptions{})
			return err
		})
		if err != nil {
			return fmt.Errorf("%w (and reading the object to settle it failed: %v)", conflict, err)
		}
		names, err := own.OnConflict(cur, conflict)
		if err != nil {
			return err
		}
		if len(names) == 0 {
			return conflict
		}
		var ann map[string]any
		if own.Annotate != nil {
			ann = own.Annotate(cur)
		}
		moved, err := c.takeOver(ctx, ri, cur, manager, func(m string) bool { return slices.Contains(names, m) }, ann)
		if apierrors.IsConflict(err) && attempt < 5 {
			continue // the object changed since read
		}
		if err != nil {
			return err
		}
		err = apply()
		if err == nil || !apierrors.IsConflict(err) || !moved || attempt >= 5 {
			return err
		}
		conflict = err
	}
}

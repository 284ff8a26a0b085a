package apply

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"sigs.k8s.io/yaml"
)

// Options tune an apply.
type Options struct {
	// Force takes ownership of fields other field managers own (server-side
	// apply with force); without it such a conflict fails the apply.
	// Default: false.
	Force bool
	// SkipValidation makes the API server ignore unknown and duplicate
	// fields (field validation Ignore) instead of failing (Strict).
	// Default: false.
	SkipValidation bool
	// PruneLabel, when set, is a label key added (with an empty value) to
	// every object that does not carry it yet, so that [Client.Prune] finds
	// them later.
	// Default: no label added.
	PruneLabel string
	// FieldManager names the applier of these objects.
	// Default: the Client's FieldManager.
	FieldManager string
	// Annotations are set on every object (an owner mark).
	// Default: none.
	Annotations map[string]string
	// Ownership decides conflicts with other appliers and takes over the
	// fields of former owners.
	// Default: nil (a conflict fails the apply; other appliers' entries stay).
	Ownership *Ownership
}

// Parse reads a manifest: a JSON array of objects (the contract's form), a
// single object, or YAML documents separated by "---". A List's items are
// taken one by one; empty documents are skipped.
func Parse(data []byte) ([]*unstructured.Unstructured, error) {
	trimmed := bytes.TrimSpace(data)
	var raws []map[string]any
	switch {
	case len(trimmed) == 0:
		return nil, nil
	case trimmed[0] == '[':
		if err := json.Unmarshal(trimmed, &raws); err != nil {
			return nil, fmt.Errorf("manifest is not a JSON array of objects: %w", err)
		}
	case trimmed[0] == '{':
		var m map[string]any
		if err := json.Unmarshal(trimmed, &m); err != nil {
			return nil, fmt.Errorf("manifest is not a JSON object: %w", err)
		}
		raws = append(raws, m)
	default:
		for i, doc := range splitYAML(trimmed) {
			var m map[string]any
			if err := yaml.Unmarshal(doc, &m); err != nil {
				return nil, fmt.Errorf("manifest document %d is not a YAML object: %w", i+1, err)
			}
			if len(m) > 0 {
				raws = append(raws, m)
			}
		}
	}
	var out []*unstructured.Unstructured
	for i, m := range raws {
		if m == nil {
			continue
		}
		u := &unstructured.Unstructured{Object: m}
		if u.IsList() {
			l, err := u.ToList()
			if err != nil {
				return nil, fmt.Errorf("manifest object %d: %w", i+1, err)
			}
			for j := range l.Items {
				out = append(out, &l.Items[j])
			}
			continue
		}
		if u.GetAPIVersion() == "" || u.GetKind() == "" {
			return nil, fmt.Errorf("manifest object %d (%q) has no apiVersion or kind", i+1, u.GetName())
		}
		if u.GetName() == "" && u.GetGenerateName() == "" {
			return nil, fmt.Errorf("manifest object %d (%s) has no metadata.name", i+1, u.GetKind())
		}
		out = append(out, u)
	}
	return out, nil
}

func splitYAML(b []byte) [][]byte {
	var docs [][]byte
	var cur []byte
	for line := range bytes.Lines(b) {
		if t := bytes.TrimRight(line, " \t\r\n"); bytes.Equal(t, []byte("---")) || bytes.HasPrefix(t, []byte("--- ")) {
			docs = append(docs, cur)
			cur = nil
			continue
		}
		cur = append(cur, line...)
	}
	return append(docs, cur)
}

// Key identifies an object across API versions: group, kind, namespace and
// name.
type Key struct {
	// Group is the API group ("" for the core group).
	Group string
	// Kind is the object's kind.
	Kind string
	// Namespace is empty for cluster-scoped objects.
	Namespace string
	// Name is metadata.name.
	Name string
}

// String renders k as "group/Kind namespace/name".
func (k Key) String() string {
	s := k.Kind
	if k.Group != "" {
		s = k.Group + "/" + k.Kind
	}
	if k.Namespace != "" {
		return s + " " + k.Namespace + "/" + k.Name
	}
	return s + " " + k.Name
}

// KeyOf returns the key of u as given (its namespace as written).
func KeyOf(u *unstructured.Unstructured) Key {
	gvk := u.GroupVersionKind()
	return Key{Group: gvk.Group, Kind: gvk.Kind, Namespace: u.GetNamespace(), Name: u.GetName()}
}

// Describe names an object in messages: "apps/v1 Deployment default/hello".
func Describe(u *unstructured.Unstructured) string {
	s := u.GetAPIVersion() + " " + u.GetKind() + " "
	if ns := u.GetNamespace(); ns != "" {
		s += ns + "/"
	}
	return s + u.GetName()
}

// resource returns the client of u's resource and fixes u's namespace: the
// default one for a namespaced object without one, none for a
// cluster-scoped object.
func (c *Client) resource(ctx context.Context, u *unstructured.Unstructured) (dynamic.ResourceInterface, *meta.RESTMapping, error) {
	m, err := c.Mapping(ctx, u.GroupVersionKind())
	if err != nil {
		return nil, nil, err
	}
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		if u.GetNamespace() == "" {
			u.SetNamespace(metav1.NamespaceDefault)
		}
		return c.Dynamic.Resource(m.Resource).Namespace(u.GetNamespace()), m, nil
	}
	u.SetNamespace("")
	return c.Dynamic.Resource(m.Resource), m, nil
}

// Apply server-side applies objs in order. A CRD is waited for until it is
// Established, so objects of its kinds later in objs can be applied. It
// returns the objects applied so far with the first error, which names the
// object: an [*ObjectError], which tells whether the API server may have
// applied that object too.
func (c *Client) Apply(ctx context.Context, objs []*unstructured.Unstructured, o Options) ([]*unstructured.Unstructured, error) {
	validation := "Strict"
	if o.SkipValidation {
		validation = "Ignore"
	}
	var done []*unstructured.Unstructured
	for _, u := range objs {
		cp := u.DeepCopy()
		if sent, err := c.applyOne(ctx, cp, o, validation); err != nil {
			return done, &ObjectError{Object: cp, MaybeApplied: sent, Err: err}
		}
		done = append(done, u)
	}
	return done, nil
}

// ObjectError is the error of [Client.Apply]: the object whose apply failed
// and whether the API server may have applied it all the same.
type ObjectError struct {
	// Object is the object whose apply failed, its namespace settled (the
	// default one for a namespaced object given without) when its kind is
	// known.
	Object *unstructured.Unstructured
	// MaybeApplied reports that a write of the object was sent: the API
	// server may have carried it out though the apply failed — its answer
	// lost (a deadline, a dropped connection, an error answered after the
	// write), or a step after it failed (taking over other appliers'
	// fields, annotating, waiting for a CRD to be Established). Whoever
	// undoes the apply looks at the object as stored: the owner mark it
	// finds, not the error, says whether this apply left it there.
	MaybeApplied bool
	// Err names the object and what failed.
	Err error
}

func (e *ObjectError) Error() string { return e.Err.Error() }

func (e *ObjectError) Unwrap() error { return e.Err }

// applyOne applies u (which it changes: labels, annotations, namespace). It
// reports whether a write of u was sent, whatever the error.
func (c *Client) applyOne(ctx context.Context, u *unstructured.Unstructured, o Options, validation string) (sent bool, _ error) {
	if o.PruneLabel != "" {
		labels := u.GetLabels()
		if _, ok := labels[o.PruneLabel]; !ok {
			if labels == nil {
				labels = map[string]string{}
			}
			labels[o.PruneLabel] = ""
			u.SetLabels(labels)
		}
	}
	if len(o.Annotations) > 0 {
		ann := u.GetAnnotations()
		if ann == nil {
			ann = map[string]string{}
		}
		for k, v := range o.Annotations {
			ann[k] = v
		}
		u.SetAnnotations(ann)
	}
	ri, _, err := c.resource(ctx, u)
	if err != nil {
		return false, fmt.Errorf("unable to apply %s: %w", Describe(u), err)
	}
	body, err := json.Marshal(u.Object)
	if err != nil {
		return false, fmt.Errorf("unable to apply %s: %w", Describe(u), err)
	}
	manager := o.FieldManager
	if manager == "" {
		manager = c.fieldManager()
	}
	force := o.Force
	var applied *unstructured.Unstructured
	patch := func() error {
		return c.retry(ctx, func() error {
			var err error
			sent = true
			applied, err = ri.Patch(ctx, u.GetName(), types.ApplyPatchType, body, metav1.PatchOptions{
				FieldManager:    manager,
				Force:           &force,
				FieldValidation: validation,
			})
			return err
		})
	}
	err = patch()
	if err != nil && o.SkipValidation {
		// Server-side apply cannot carry fields the schema does not declare,
		// whatever the field validation: drop those it names, as the
		// validation Ignore of a create or update would, and apply again.
		if stripped, ok := stripUndeclared(u, err); ok {
			if body, err = json.Marshal(stripped.Object); err == nil {
				err = patch()
			}
		}
	}
	if err != nil && apierrors.IsConflict(err) && o.Ownership != nil && o.Ownership.OnConflict != nil {
		err = c.resolveConflict(ctx, ri, u, manager, o.Ownership, err, patch)
	}
	if err == nil && o.Ownership != nil && o.Ownership.Absorb != nil {
		var moved bool
		if moved, err = c.takeOver(ctx, ri, applied, manager, o.Ownership.Absorb, nil); err == nil && moved {
			err = patch() // now owning them, drop the fields it does not set
		}
	}
	if err == nil && o.Ownership != nil && o.Ownership.Annotate != nil {
		if ann := o.Ownership.Annotate(applied); len(ann) > 0 {
			err = c.annotate(ctx, ri, applied, manager, ann)
		}
	}
	if err != nil {
		return sent, fmt.Errorf("unable to apply %s: %w", Describe(u), err)
	}
	if isCRD(u) {
		if err := c.waitEstablished(ctx, applied); err != nil {
			return true, err
		}
		c.Reset()
	}
	return true, nil
}

func isCRD(u *unstructured.Unstructured) bool {
	gvk := u.GroupVersionKind()
	return gvk.Group == "apiextensions.k8s.io" && gvk.Kind == "CustomResourceDefinition"
}

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

func (c *Client) waitEstablished(ctx context.Context, crd *unstructured.Unstructured) error {
	for {
		var got *unstructured.Unstructured
		err := c.retry(ctx, func() error {
			var err error
			got, err = c.Dynamic.Resource(crdGVR).Get(ctx, crd.GetName(), metav1.GetOptions{})
			return err
		})
		if err != nil {
			return fmt.Errorf("unable to read CustomResourceDefinition %s: %w", crd.GetName(), err)
		}
		conds, _, _ := unstructured.NestedSlice(got.Object, "status", "conditions")
		for _, cond := range conds {
			m, _ := cond.(map[string]any)
			if m["type"] == "Established" && m["status"] == "True" {
				return nil
			}
		}
		if err := sleep(ctx, c.pollInterval()); err != nil {
			return fmt.Errorf("CustomResourceDefinition %s was not established: %w", crd.GetName(), err)
		}
	}
}

// Delete deletes objs in reverse order with foreground propagation and
// waits for each to be gone (see [Client.ForegroundGrace]). Cloud-backed
// objects (see [CloudBacked]) go first, each waited for with its cloud
// resources. An object that does not exist, or whose kind is no longer
// served, is already deleted. A [GuardOption] checks each object first.
func (c *Client) Delete(ctx context.Context, objs []*unstructured.Unstructured, opts ...DeleteOption) error {
	objs, err := c.deleteCloudBackedFirst(ctx, objs, opts...)
	if err != nil {
		return err
	}
	for _, u := range slices.Backward(objs) {
		if err := c.DeleteOne(ctx, u.DeepCopy(), opts...); err != nil {
			return err
		}
	}
	return nil
}

// DeleteOne deletes one object and waits for it to be gone. With a
// [GuardOption] the object is read and checked first.
func (c *Client) DeleteOne(ctx context.Context, u *unstructured.Unstructured, opts ...DeleteOption) error {
	ri, _, sent, err := c.sendDelete(ctx, u, opts...)
	if err != nil || !sent {
		return err
	}
	return c.waitGone(ctx, ri, u)
}

// sendDelete sends the deletion of u with foreground propagation (with a
// [GuardOption], after reading and checking it) and sets u's UID to the
// deleted object's when known. It returns the object as read just before
// (nil when it was not read), and whether a deletion was sent or was
// already under way: not when the object does not exist, its kind is no
// longer served, or the guard kept it.
func (c *Client) sendDelete(ctx context.Context, u *unstructured.Unstructured, opts ...DeleteOption) (dynamic.ResourceInterface, *unstructured.Unstructured, bool, error) {
	ri, _, err := c.resource(ctx, u)
	if err != nil {
		if meta.IsNoMatchError(err) || strings.Contains(err.Error(), "no matches for kind") {
			return nil, nil, false, nil
		}
		return nil, nil, false, fmt.Errorf("unable to delete %s: %w", Describe(u), err)
	}
	if guard := guardOf(opts); guard != nil {
		live, sent, err := c.guardedDelete(ctx, ri, u, guard)
		return ri, live, sent, err
	}
	var live *unstructured.Unstructured
	if CloudBacked(u) {
		// Read first: what the object's cloud resources are (a claim's
		// volume) is known only to the live object.
		if err := c.retry(ctx, func() error {
			var gerr error
			live, gerr = ri.Get(ctx, u.GetName(), metav1.GetOptions{})
			return gerr
		}); apierrors.IsNotFound(err) {
			return ri, nil, false, nil
		} else if err != nil {
			return nil, nil, false, fmt.Errorf("unable to read %s before deleting it: %w", Describe(u), err)
		}
		u.SetUID(live.GetUID())
	}
	fg := metav1.DeletePropagationForeground
	err = c.retry(ctx, func() error {
		return ri.Delete(ctx, u.GetName(), metav1.DeleteOptions{PropagationPolicy: &fg})
	})
	if apierrors.IsNotFound(err) {
		return ri, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, fmt.Errorf("unable to delete %s: %w", Describe(u), err)
	}
	return ri, live, true, nil
}

func (c *Client) waitGone(ctx context.Context, ri dynamic.ResourceInterface, u *unstructured.Unstructured) error {
	var heldSince time.Time // when the object was first seen held only by foregroundDeletion
	for {
		var got *unstructured.Unstructured
		err := c.retry(ctx, func() error {
			var err error
			got, err = ri.Get(ctx, u.GetName(), metav1.GetOptions{})
			return err
		})
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("unable to check that %s is deleted: %w", Describe(u), err)
		}
		if got.GetUID() != "" && u.GetUID() != "" && got.GetUID() != u.GetUID() {
			return nil // a new object of the same name
		}
		fins := got.GetFinalizers()
		if len(fins) == 0 || (len(fins) == 1 && fins[0] == metav1.FinalizerDeleteDependents) {
			if heldSince.IsZero() {
				heldSince = time.Now()
			}
			if time.Since(heldSince) >= c.foregroundGrace() {
				return nil // being deleted; only its dependents remain
			}
		} else {
			heldSince = time.Time{}
		}
		if err := sleep(ctx, c.pollInterval()); err != nil {
			return fmt.Errorf("%s is still being deleted (finalizers %s): %w", Describe(u), strings.Join(fins, ", "), err)
		}
	}
}

// undeclared matches the paths in "….notAField: field not declared in schema".
var undeclared = regexp.MustCompile(`((?:\.[A-Za-z0-9_$-]+)+): field not declared in schema`)

// stripUndeclared returns u without the plain dotted paths err names as
// undeclared; ok is false when there are none.
func stripUndeclared(u *unstructured.Unstructured, err error) (*unstructured.Unstructured, bool) {
	ms := undeclared.FindAllStringSubmatch(err.Error(), -1)
	if len(ms) == 0 {
		return nil, false
	}
	out := u.DeepCopy()
	for _, m := range ms {
		unstructured.RemoveNestedField(out.Object, strings.Split(strings.TrimPrefix(m[1], "."), ".")...)
	}
	return out, true
}

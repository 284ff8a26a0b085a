package kubectl

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/kubectl/ownermark"
	"github.com/eksforge/eksforge/handlers/provider"
)

// OwnerAnnotation marks every object a manifest applies with its owner:
// "<first 8 hex of sha256(StackId)>/<construct address>" (the logical ID
// when the event carries no Owner property). Deletes and prunes leave an
// object whose mark names another owner.
const OwnerAnnotation = ownermark.Annotation

// PreviousOwnerAnnotation records, on an object a resource took over from
// another resource of its stack, the owner mark it had before: until that
// owner lets go of it (its prune or Delete leaves the object), the new
// owner's prune or Delete gives the object back instead of deleting it —
// the Delete of a Create rolled back while the old resource still
// declares the object.
const PreviousOwnerAnnotation = "eksforge.io/previous-owner"

// ReleasedAnnotation records that the owner it names let go of the object
// because another resource of the stack declares it (a prune that ran
// before the receiving resource applied it): the takeover that follows
// records no previous owner.
const ReleasedAnnotation = "eksforge.io/released"

// PreviousContentAnnotation records, beside PreviousOwnerAnnotation, what
// the former owner had applied to the object (its field manager's fields
// and their values, as JSON): giving the object back applies it again as
// that owner, so the object is as the owner left it, not as the taker
// changed it. Not recorded for Secrets (the annotation would show their
// values) nor above [maxPreviousContent] bytes; the object is then given
// back with the taker's content, which the owner's next change replaces.
const PreviousContentAnnotation = "eksforge.io/previous-content"

// maxPreviousContent bounds PreviousContentAnnotation (annotations of an
// object hold 256 KiB in all).
const maxPreviousContent = 64 << 10

// previousContent is the PreviousContentAnnotation value of cur, taken
// over from the owner with mark (nil when not recorded).
func previousContent(cur *unstructured.Unstructured, mark string) any {
	if gvk := cur.GroupVersionKind(); gvk.Group == "" && gvk.Kind == "Secret" {
		return nil
	}
	content, ok := apply.Applied(cur, fieldManagerOf(mark))
	if !ok {
		return nil
	}
	b, err := json.Marshal(content)
	if err != nil || len(b) > maxPreviousContent {
		return nil
	}
	return string(b)
}

// legacyFieldManager is the one field manager of every manifest before
// each resource had its own; its fields are taken over by the resource
// that applies the object next.
const legacyFieldManager = apply.DefaultFieldManager

// owner is the custom resource that owns the objects it applies.
type owner struct {
	id    string // the OwnerAnnotation value
	stack string // its stack part
}

// ownerOf is the owner of the resource with properties p in e's stack: its
// stable construct address (property Owner) when given, else its logical
// ID.
func ownerOf(e provider.Event, p props) owner {
	stack := shortHash(e.StackId)
	name := p.str("Owner")
	if name == "" {
		name = e.LogicalResourceId
	}
	return owner{id: ownermark.Mark(e.StackId, name), stack: stack}
}

// fieldManager is the owner's server-side apply field manager.
func (o owner) fieldManager() string {
	return ownermark.FieldManager(o.id)
}

// releaseLabel is the owner as a label value (for Helm releases): 16 hex
// digits of its hash.
func (o owner) releaseLabel() string { return shortHash16(o.id) }

// isEksforgeManager reports whether m is a field manager of a manifest.
func isEksforgeManager(m string) bool {
	return m == legacyFieldManager || strings.HasPrefix(m, "eksforge-")
}

// markOf is the owner mark of an object ("" when it has none).
func markOf(u *unstructured.Unstructured) string { return u.GetAnnotations()[OwnerAnnotation] }

// stackOfMark is the stack part of an owner mark.
func stackOfMark(mark string) string {
	s, _, _ := strings.Cut(mark, "/")
	return s
}

// takeovers records the objects an apply took over from another resource
// of the stack, so a failed Create leaves them in place.
type takeovers struct {
	mu   sync.Mutex
	keys []apply.Key
}

func (t *takeovers) add(u *unstructured.Unstructured) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.keys = append(t.keys, apply.KeyOf(u))
}

func (t *takeovers) has(u *unstructured.Unstructured) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := apply.KeyOf(u)
	if slices.Contains(t.keys, k) {
		return true
	}
	k.Namespace = "default" // applied without a namespace
	return u.GetNamespace() == "" && slices.Contains(t.keys, k)
}

// ownership is the apply policy of a manifest owned by me (ours lists the
// marks that are also this resource's: the one before an Update added the
// Owner property).
//
//   - An object without a mark, or with one of ours, is applied as before;
//     the legacy shared field manager's fields become mine.
//   - An object another resource of the same stack owns is taken over: an
//     object moved between manifests, or a renamed construct, whose new
//     resource applies before the old one's prune or Delete runs.
//   - An object a resource of another stack owns is a conflict unless
//     Overwrite (then its fields and mark become mine).
func ownership(me owner, ours []string, overwrite bool, took *takeovers) *apply.Ownership {
	return &apply.Ownership{
		OnConflict: func(cur *unstructured.Unstructured, err error) ([]string, error) {
			mark := markOf(cur)
			switch {
			case mark == "" || mark == me.id || slices.Contains(ours, mark):
				return managersOf(cur, func(m string) bool { return m == legacyFieldManager }), nil
			case stackOfMark(mark) == me.stack:
				took.add(cur)
				slog.Info("taking an object over from another resource of the stack", "object", apply.Describe(cur), "from", mark, "to", me.id)
				return managersOf(cur, func(m string) bool { return isEksforgeManager(m) && m != me.fieldManager() }), nil
			default:
				return nil, fmt.Errorf("the object is owned by %s of another CloudFormation stack (annotation %s): remove it from that stack first, or set Overwrite to adopt it", mark, OwnerAnnotation)
			}
		},
		Absorb: func(m string) bool {
			return isEksforgeManager(m) && m != me.fieldManager() && (overwrite || m == legacyFieldManager)
		},
		Annotate: func(cur *unstructured.Unstructured) map[string]any {
			mark := markOf(cur)
			ann := cur.GetAnnotations()
			if mark == me.id {
				if _, ok := ann[ReleasedAnnotation]; ok {
					// Applied again after letting go of it (a rolled-back prune).
					return map[string]any{ReleasedAnnotation: nil}
				}
				return nil
			}
			if mark == "" || slices.Contains(ours, mark) || stackOfMark(mark) != me.stack {
				return nil
			}
			if ann[ReleasedAnnotation] == mark {
				// Its owner let go of it for us: nothing to give back.
				return map[string]any{ReleasedAnnotation: nil, PreviousOwnerAnnotation: nil, PreviousContentAnnotation: nil}
			}
			return map[string]any{ReleasedAnnotation: nil, PreviousOwnerAnnotation: mark, PreviousContentAnnotation: previousContent(cur, mark)}
		},
	}
}

// managersOf lists the Apply field managers of u that keep says to.
func managersOf(u *unstructured.Unstructured, keep func(string) bool) []string {
	var out []string
	for _, e := range u.GetManagedFields() {
		if e.Operation == "Apply" && keep(e.Manager) && !slices.Contains(out, e.Manager) {
			out = append(out, e.Manager)
		}
	}
	return out
}

// ownedGuard lets a delete or prune remove only objects this resource owns
// (its mark, or one of ours, or no mark: applied before marks existed) and
// that no other resource of the stack declares (decl, from the event's
// StackObjects). On the way it settles who holds what:
//
//   - an object another resource owns now is left; if it was taken from
//     this resource, the record of that (PreviousOwnerAnnotation) goes:
//     this resource has let go;
//   - an object another resource of the stack declares is left, marked as
//     released by this resource (ReleasedAnnotation) — or, when it was
//     taken over from that very resource, handed back to it;
//   - an object taken over from another resource of the stack that has not
//     let go of it, and that is not in this event's template (so the event
//     cannot tell whether it still declares the object), is handed back to
//     it (its mark and fields) rather than deleted: this resource's Create
//     is being rolled back while the former owner, renamed away in the
//     template, still exists and declares the object. A former owner that
//     is in the template and does not declare the object gets nothing back,
//     nor does one the stack's ledger records as deleted (its Delete ran
//     without reading its objects: see [liveChange]).
//
// skip, when given, is asked last.
func (h *Handler) ownedGuard(ctx context.Context, cl *cluster, me owner, ours []string, decl *stackObjects, skip func(*unstructured.Unstructured) string) apply.DeleteOption {
	c := cl.apply
	mine := func(mark string) bool { return mark == me.id || slices.Contains(ours, mark) }
	note := func(cur *unstructured.Unstructured, ann map[string]any) {
		if err := c.Reassign(ctx, cur, me.fieldManager(), nil, ann); err != nil {
			slog.WarnContext(ctx, "unable to record ownership on an object left in place", "object", apply.Describe(cur), "error", err)
		}
	}
	giveBack := func(cur *unstructured.Unstructured, to string) {
		from := func(m string) bool {
			return m == me.fieldManager() || (isEksforgeManager(m) && slices.ContainsFunc(ours, func(o string) bool { return m == fieldManagerOf(o) }))
		}
		err := c.Reassign(ctx, cur, fieldManagerOf(to), from, map[string]any{OwnerAnnotation: to, PreviousOwnerAnnotation: nil, ReleasedAnnotation: nil, PreviousContentAnnotation: nil})
		if err != nil {
			slog.WarnContext(ctx, "unable to give an object back to its former owner; leaving it in place", "object", apply.Describe(cur), "owner", to, "error", err)
			return
		}
		content := cur.GetAnnotations()[PreviousContentAnnotation]
		if content == "" {
			slog.InfoContext(ctx, "no record of what the former owner applied: the object keeps this resource's content until the owner's next change", "object", apply.Describe(cur), "owner", to)
			return
		}
		// The owner's fields as it applied them: applied as the owner, with
		// this resource's fields now the owner's, those it did not set go.
		var u unstructured.Unstructured
		if err := json.Unmarshal([]byte(content), &u.Object); err != nil {
			slog.WarnContext(ctx, "unreadable record of what the former owner applied; the object keeps this resource's content", "object", apply.Describe(cur), "error", err)
			return
		}
		if _, err := c.Apply(ctx, []*unstructured.Unstructured{&u}, apply.Options{Force: true, FieldManager: fieldManagerOf(to)}); err != nil {
			slog.WarnContext(ctx, "unable to apply again what the former owner applied; the object keeps this resource's content", "object", apply.Describe(cur), "owner", to, "error", err)
		}
	}
	return apply.GuardOption(func(cur *unstructured.Unstructured) string {
		mark := markOf(cur)
		prev := cur.GetAnnotations()[PreviousOwnerAnnotation]
		if mark != "" && !mine(mark) {
			if mine(prev) {
				note(cur, map[string]any{PreviousOwnerAnnotation: nil, PreviousContentAnnotation: nil})
			}
			return "it is now owned by " + mark
		}
		if other := decl.declarer(cur, me, ours); other != "" {
			if prev == other {
				giveBack(cur, other)
				return "it was taken over from " + other + ", which declares it again: given back"
			}
			note(cur, map[string]any{ReleasedAnnotation: me.id})
			return "another resource of the stack, " + other + ", declares it; it takes the object over when it applies it"
		}
		if prev != "" && !mine(prev) && stackOfMark(prev) == me.stack && !decl.inTemplate(prev) {
			if !h.ownerGone(ctx, cl, prev) {
				giveBack(cur, prev)
				return "it was taken over from " + prev + ", which has not let go of it (a rolled-back Create or Update): given back"
			}
			slog.InfoContext(ctx, "the object's former owner was deleted without letting go of it; deleting it", "object", apply.Describe(cur), "former", prev)
		}
		if skip != nil {
			return skip(cur)
		}
		return ""
	})
}

func shortHash16(s string) string { return ownermark.Hash16(s) }

// fieldManagerOf is the field manager of the owner with mark id.
func fieldManagerOf(id string) string { return owner{id: id}.fieldManager() }

// stackObjects are the objects the resources of a stack declare on a
// cluster, from the property StackObjects (set by the construct at
// synthesis). A nil *stackObjects knows nothing.
type stackObjects struct {
	byKey   map[string]string   // object key (see [ObjectKeyHash]) → owner mark
	byOwner map[string][]string // owner mark → its object keys
	owners  map[string]bool     // the marks of every owning resource of the template
}

// stackObjectsOf reads the StackObjects property: a JSON object mapping
// the address (Owner) of each resource of the stack that owns what it
// applies to the hashes of the objects it declares. Absent: nil.
func stackObjectsOf(e provider.Event, p props) (*stackObjects, error) {
	var raw map[string][]string
	ok, err := p.decode("StackObjects", &raw)
	if err != nil || !ok {
		return nil, err
	}
	stack := shortHash(e.StackId)
	out := &stackObjects{byKey: map[string]string{}, byOwner: map[string][]string{}, owners: map[string]bool{}}
	for addr, keys := range raw {
		out.owners[stack+"/"+addr] = true
		out.byOwner[stack+"/"+addr] = keys
		for _, k := range keys {
			out.byKey[k] = stack + "/" + addr
		}
	}
	return out, nil
}

// declarer is the mark of another resource of the stack that declares
// the object cur ("" when none does).
func (d *stackObjects) declarer(cur *unstructured.Unstructured, me owner, ours []string) string {
	if d == nil {
		return ""
	}
	gvk := cur.GroupVersionKind()
	keys := []string{ObjectKeyHash(gvk.Group, gvk.Kind, cur.GetNamespace(), cur.GetName())}
	if cur.GetNamespace() == "" {
		// A cluster-scoped kind the construct did not know: it keyed the
		// object under the default namespace.
		keys = append(keys, ObjectKeyHash(gvk.Group, gvk.Kind, "default", cur.GetName()))
	}
	return d.declarerOf(me, ours, keys...)
}

// declarerOf is the mark of another resource of the stack that declares
// one of keys ("" when none does).
func (d *stackObjects) declarerOf(me owner, ours []string, keys ...string) string {
	if d == nil {
		return ""
	}
	for _, k := range keys {
		if o, ok := d.byKey[k]; ok && o != me.id && !slices.Contains(ours, o) {
			return o
		}
	}
	return ""
}

// markOfHash is the mark of the resource of the template whose 16-hex
// hash (see [owner.releaseLabel]) is h ("" when none is).
func (d *stackObjects) markOfHash(h string) string {
	if d == nil {
		return ""
	}
	for o := range d.owners {
		if shortHash16(o) == h {
			return o
		}
	}
	return ""
}

// inTemplate reports whether the resource with mark id is in the template
// the event comes from (true when that is unknown).
func (d *stackObjects) inTemplate(id string) bool {
	return d == nil || d.owners[id]
}

// ObjectKeyHash is how StackObjects names an object: 16 hex digits of
// sha256("<group>/<kind>/<namespace>/<name>"), the namespace empty for a
// cluster-scoped object and "default" for a namespaced one given without.
func ObjectKeyHash(group, kind, namespace, name string) string {
	return shortHash16(group + "/" + kind + "/" + namespace + "/" + name)
}

// ReleaseKeyHash is how StackObjects names a Helm release in the
// properties of a chart: [ObjectKeyHash] of group "helm.sh", kind
// "Release", its namespace and name.
func ReleaseKeyHash(namespace, name string) string {
	return ObjectKeyHash("helm.sh", "Release", normNS(namespace), name)
}

// oldOwners are the marks of the resource before an Update (its owner
// before the Owner property was added, or changed).
func oldOwners(e provider.Event) []string {
	if e.OldResourceProperties == nil {
		return nil
	}
	return []string{ownerOf(e, props(e.OldResourceProperties)).id}
}

package kubectl

import (
	"fmt"
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
				return managersOf(cur, func(m string) bool { return isEksforgeManager(m) && m != me.fieldManager() }), nil
			default:
				return nil, fmt.Errorf("the object is owned by %s of another CloudFormation stack (annotation %s): remove it from that stack first, or set Overwrite to adopt it", mark, OwnerAnnotation)
			}
		},
		Absorb: func(m string) bool {
			return isEksforgeManager(m) && m != me.fieldManager() && (overwrite || m == legacyFieldManager)
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
// (its mark, or one of ours, or no mark: applied before marks existed).
func ownedGuard(me owner, ours []string, skip func(*unstructured.Unstructured) string) apply.DeleteOption {
	return apply.GuardOption(func(cur *unstructured.Unstructured) string {
		mark := markOf(cur)
		if mark != "" && mark != me.id && !slices.Contains(ours, mark) {
			return "it is now owned by " + mark
		}
		if skip != nil {
			return skip(cur)
		}
		return ""
	})
}

func shortHash16(s string) string { return ownermark.Hash16(s) }

// oldOwners are the marks of the resource before an Update (its owner
// before the Owner property was added, or changed).
func oldOwners(e provider.Event) []string {
	if e.OldResourceProperties == nil {
		return nil
	}
	return []string{ownerOf(e, props(e.OldResourceProperties)).id}
}

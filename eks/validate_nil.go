package eks

import (
	"fmt"
	"reflect"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/nilref"
)

// isNil reports whether v is nil or an interface holding a nil pointer,
// map, slice, func or channel: a `var r *iam.Role` passed as an iam.IRole
// is not == nil, but calling its methods would crash.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Interface, reflect.Chan, reflect.UnsafePointer:
		return rv.IsNil()
	}
	return false
}

// isTypedNil reports whether v is an interface holding a nil pointer (or
// other nil reference), but is not nil itself: the optional props that
// are typed nils are errors, because a nil *ec2.Vpc is most often a
// variable that was never assigned, not a request for the default.
func isTypedNil(v any) bool { return v != nil && isNil(v) }

// requiredCluster panics, with the construct's path, when a required
// Cluster prop is nil or a typed nil: there is nothing to build without
// it, so it is a programming error (documented in the package doc).
func requiredCluster(path, field string, c ICluster) {
	if c == nil {
		panic(path + ": " + field + " is required")
	}
	if isNil(c) {
		panic(fmt.Sprintf("%s: %s is a nil %T: pass a cluster (eks.NewCluster or eks.ClusterFromClusterAttributes)", path, field, c))
	}
}

// describeNil says "is nil" or "is a nil <type>" for a nil or typed-nil v.
func describeNil(v any) string {
	if v == nil {
		return "is nil"
	}
	return fmt.Sprintf("is a nil %T", v)
}

// clearTypedNils reports the typed-nil references of the props struct
// that props points to (interface fields and elements of slices of
// interfaces, see nilref.Clear) on n and clears them, so the constructor
// builds the default instead of crashing.
func clearTypedNils(n *cdk.Node, props any, name string) {
	for _, e := range nilref.Clear(props, name) {
		n.AddError("%s: pass a value, or leave the field unset for its default", e)
	}
}

// nilRefMessage is the error for an optional reference prop that holds a
// typed nil.
func nilRefMessage(field string, v any, instead string) string {
	return fmt.Sprintf("%s is a nil %T: pass a value, or leave %s unset for %s", field, v, field, instead)
}

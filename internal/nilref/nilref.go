package nilref

import (
	"fmt"
	"reflect"

	"github.com/eksforge/eksforge/cdk"
)

// IsNil reports whether v is nil or holds a nil pointer, map, slice,
// function or channel.
func IsNil(v any) bool {
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

// Clear walks the exported fields of the struct props points to (and of
// its embedded structs) and, for every interface field that holds a typed
// nil, returns "<name>.<Field> is a nil <type>" and sets the field to nil;
// for every slice of interfaces with nil or typed-nil elements, it returns
// "<name>.<Field>[i] is nil" (or "is a nil <type>") and replaces the slice
// with a copy without them (the caller's slice is not changed). Other
// fields are left alone: a nil pointer to a struct is an unset option.
func Clear(props any, name string) []string {
	rv := reflect.ValueOf(props)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("nilref.Clear: want a pointer to a struct, got %T", props))
	}
	var out []string
	clearStruct(rv.Elem(), name, &out)
	return out
}

func clearStruct(v reflect.Value, name string, out *[]string) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f, fv := t.Field(i), v.Field(i)
		if !f.IsExported() {
			continue
		}
		path := name + "." + f.Name
		switch {
		case f.Anonymous && f.Type.Kind() == reflect.Struct:
			clearStruct(fv, name, out)
		case f.Type.Kind() == reflect.Interface:
			if !fv.IsNil() && IsNil(fv.Interface()) {
				*out = append(*out, fmt.Sprintf("%s is a nil %T", path, fv.Interface()))
				fv.Set(reflect.Zero(f.Type))
			}
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Interface:
			bad := false
			for j := 0; j < fv.Len(); j++ {
				if e := fv.Index(j); e.IsNil() || IsNil(e.Interface()) {
					bad = true
				}
			}
			if !bad {
				continue
			}
			kept := reflect.MakeSlice(f.Type, 0, fv.Len())
			for j := 0; j < fv.Len(); j++ {
				e := fv.Index(j)
				switch {
				case e.IsNil():
					*out = append(*out, fmt.Sprintf("%s[%d] is nil", path, j))
				case IsNil(e.Interface()):
					*out = append(*out, fmt.Sprintf("%s[%d] is a nil %T", path, j, e.Interface()))
				default:
					kept = reflect.Append(kept, e)
				}
			}
			fv.Set(kept)
		}
	}
}

// Report records on n an error when v, the argument a method received, is
// nil or a typed nil, and reports whether it was: what names the argument
// ("Role.AddManagedPolicy: the policy") and fix says what to pass. Methods
// of constructs use it so that a nil argument is a synthesis error with
// the construct's path rather than a nil dereference.
func Report(n *cdk.Node, what, fix string, v any) bool {
	if !IsNil(v) {
		return false
	}
	if v == nil {
		n.AddError("%s is nil: %s", what, fix)
	} else {
		n.AddError("%s is a nil %T: %s", what, v, fix)
	}
	return true
}

// Describe returns "is nil" or "is a nil <type>" for a nil or typed-nil
// v, for panics of functions that have no construct to report on.
func Describe(v any) string {
	if v == nil {
		return "is nil"
	}
	return fmt.Sprintf("is a nil %T", v)
}

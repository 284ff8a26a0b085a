package eks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/eksforge/eksforge/cdk"
)

// jsonValue turns any value encoding/json can write into the plain values
// the resolver renders (map[string]any, []any, string, bool, int, float64,
// nil), deep-copied: typed Kubernetes values (corev1.Container), structs
// with JSON tags, map[string]string and []string may appear anywhere in a
// manifest, chart values or a patch. Tokens survive: strings are kept as
// they are, numbers keep their value, and Resolvables are kept. A value
// that refers to itself (a map holding itself) is an error naming where,
// never a stack overflow; so are values JSON cannot hold (funcs, channels,
// NaN).
func jsonValue(v any) (any, error) {
	w := jsonWalker{seen: map[visit]bool{}}
	return w.walk(reflect.ValueOf(v), "")
}

// jsonObject is jsonValue for a value that must be a JSON object.
func jsonObject(v any) (map[string]any, error) {
	out, err := jsonValue(v)
	if err != nil {
		return nil, err
	}
	m, ok := out.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%T is not a JSON object (a map or a struct)", v)
	}
	return m, nil
}

type visit struct {
	ptr uintptr
	typ reflect.Type
}

type jsonWalker struct {
	seen map[visit]bool
}

var (
	resolvableType    = reflect.TypeOf((*cdk.Resolvable)(nil)).Elem()
	jsonMarshalerType = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
)

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func where(path string) string {
	if path == "" {
		return "the value"
	}
	return path
}

// enter records a map, slice or pointer on the current path; it reports
// false when the value is already on it (a cycle).
func (w *jsonWalker) enter(rv reflect.Value) (visit, bool) {
	k := visit{rv.Pointer(), rv.Type()}
	if w.seen[k] {
		return k, false
	}
	w.seen[k] = true
	return k, true
}

func (w *jsonWalker) walk(rv reflect.Value, path string) (any, error) {
	if !rv.IsValid() {
		return nil, nil
	}
	if rv.Type().Implements(resolvableType) {
		if rv.Kind() == reflect.Pointer && rv.IsNil() {
			return nil, nil
		}
		return rv.Interface(), nil
	}
	switch rv.Kind() {
	case reflect.Interface:
		if rv.IsNil() {
			return nil, nil
		}
		return w.walk(rv.Elem(), path)
	case reflect.Pointer:
		if rv.IsNil() {
			return nil, nil
		}
		if rv.Type().Implements(jsonMarshalerType) || rv.Elem().Kind() == reflect.Struct {
			return w.viaJSON(rv, path)
		}
		k, ok := w.enter(rv)
		if !ok {
			return nil, fmt.Errorf("%s refers to itself (a cycle through %s): a manifest value must be a tree; copy the value instead of nesting it in itself", where(path), rv.Type())
		}
		defer delete(w.seen, k)
		return w.walk(rv.Elem(), path)
	}
	if rv.Type().Implements(jsonMarshalerType) {
		return w.viaJSON(rv, path)
	}
	switch rv.Kind() {
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u <= math.MaxInt64 {
			return int(u), nil
		}
		return float64(u), nil
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%s is %v, which JSON cannot hold", where(path), f)
		}
		if rv.Kind() == reflect.Float32 {
			f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', -1, 32), 64)
		}
		return f, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return w.viaJSON(rv, path)
		}
		if rv.IsNil() {
			return nil, nil
		}
		k, ok := w.enter(rv)
		if !ok {
			return nil, fmt.Errorf("%s refers to itself (a map that contains itself): a manifest value must be a tree; copy the map instead of nesting it in itself", where(path))
		}
		defer delete(w.seen, k)
		out := make(map[string]any, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			key := it.Key().String()
			e, err := w.walk(it.Value(), joinPath(path, key))
			if err != nil {
				return nil, err
			}
			out[key] = e
		}
		return out, nil
	case reflect.Slice:
		if rv.IsNil() {
			return nil, nil
		}
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return w.viaJSON(rv, path) // base64, as encoding/json writes []byte
		}
		if rv.Len() > 0 {
			k, ok := w.enter(rv)
			if !ok {
				return nil, fmt.Errorf("%s refers to itself (a list that contains itself): a manifest value must be a tree", where(path))
			}
			defer delete(w.seen, k)
		}
		fallthrough
	case reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			e, err := w.walk(rv.Index(i), fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	case reflect.Struct:
		return w.viaJSON(rv, path)
	}
	return nil, fmt.Errorf("%s is a %s, which JSON cannot hold: use strings, numbers, booleans, lists, maps or structs", where(path), rv.Type())
}

// viaJSON converts a struct (or a json.Marshaler) with encoding/json, which
// honours JSON tags and detects cycles itself, then decodes numbers
// exactly (so integer tokens survive).
func (w *jsonWalker) viaJSON(rv reflect.Value, path string) (any, error) {
	b, err := json.Marshal(rv.Interface())
	if err != nil {
		return nil, fmt.Errorf("%s (%s) cannot be written as JSON: %v", where(path), rv.Type(), err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("%s (%s) cannot be read back from JSON: %v", where(path), rv.Type(), err)
	}
	out = fromNumbers(out)
	t := rv.Type()
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if strings.HasPrefix(t.PkgPath(), "k8s.io/") {
		cleanTyped(out)
	}
	return out, nil
}

// fromNumbers replaces json.Numbers by int (when integral) or float64.
func fromNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = fromNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = fromNumbers(e)
		}
	}
	return v
}

package assertions

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
)

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	matcherType       = reflect.TypeFor[Matcher]()
)

// normalize turns a Go value into the shape encoding/json decodes into
// map[string]any: objects become map[string]any, arrays []any, numbers
// float64, and named string and bool types their basic types. Matchers are
// kept as they are, wherever they are nested in maps and slices, so patterns
// may mix literal values and matchers. Values of other types (structs, values
// with a MarshalJSON method) are encoded and decoded with encoding/json, so
// they match as they would appear in a template.
//
// It panics, naming the offending path, on values encoding/json cannot encode
// (channels, functions).
func normalize(v any) any {
	return normalizeValue(reflect.ValueOf(v), "")
}

func normalizeValue(v reflect.Value, path string) any {
	if !v.IsValid() {
		return nil
	}
	if v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		if v.Type().Implements(matcherType) {
			return v.Interface().(Matcher)
		}
		if v.Kind() == reflect.Interface {
			return normalizeValue(v.Elem(), path)
		}
	}
	t := v.Type()
	if t.Implements(matcherType) {
		return v.Interface().(Matcher)
	}
	if n, ok := v.Interface().(json.Number); ok {
		if f, err := strconv.ParseFloat(string(n), 64); err == nil {
			return f
		}
		return string(n)
	}
	if v.Kind() != reflect.Pointer && (t.Implements(jsonMarshalerType) || t.Implements(textMarshalerType)) {
		return roundTrip(v, path)
	}

	switch v.Kind() {
	case reflect.Pointer:
		return normalizeValue(v.Elem(), path)
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(v.Uint())
	case reflect.Float32, reflect.Float64:
		return v.Float()
	case reflect.String:
		return v.String()
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return roundTrip(v, path) // encoding/json writes []byte as base64
		}
		fallthrough
	case reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = normalizeValue(v.Index(i), path+"/"+strconv.Itoa(i))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		if t.Key().Kind() != reflect.String {
			return roundTrip(v, path)
		}
		out := make(map[string]any, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key().String()
			out[k] = normalizeValue(iter.Value(), path+"/"+k)
		}
		return out
	case reflect.Struct:
		return roundTrip(v, path)
	}
	panic(fmt.Sprintf("assertions: cannot use a value of type %s at %q in a template or pattern: "+
		"use JSON-like values (maps, slices, strings, numbers, booleans, nil) or matchers", t, pathOrRoot(path)))
}

func pathOrRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// roundTrip encodes v with encoding/json and decodes it again.
func roundTrip(v reflect.Value, path string) any {
	b, err := json.Marshal(v.Interface())
	if err != nil {
		panic(fmt.Sprintf("assertions: cannot encode the value of type %s at %q as JSON: %v", v.Type(), pathOrRoot(path), err))
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("assertions: cannot decode the JSON encoding of the value of type %s at %q: %v", v.Type(), pathOrRoot(path), err))
	}
	return out
}

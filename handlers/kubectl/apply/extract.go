package apply

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Applied returns what field manager applied to u: an apply configuration
// holding the fields of manager's Apply entry (its FieldsV1) with their
// values as stored, and u's apiVersion, kind, name and namespace. Applied
// again as manager, it leaves the object as manager last set it. ok is
// false when manager has no Apply entry on u or its field set does not
// match the object (then nothing is returned).
func Applied(u *unstructured.Unstructured, manager string) (map[string]any, bool) {
	var fields map[string]any
	for _, e := range u.GetManagedFields() {
		if e.Manager != manager || e.Operation != metav1.ManagedFieldsOperationApply || e.Subresource != "" {
			continue
		}
		if e.FieldsV1 == nil || json.Unmarshal(e.FieldsV1.GetRawBytes(), &fields) != nil {
			return nil, false
		}
	}
	if fields == nil {
		return nil, false
	}
	obj := u.DeepCopy().Object
	unstructured.RemoveNestedField(obj, "metadata", "managedFields")
	v, ok := extractFields(obj, fields)
	out, isMap := v.(map[string]any)
	if !ok || !isMap {
		return nil, false
	}
	out["apiVersion"], out["kind"] = u.GetAPIVersion(), u.GetKind()
	md, _ := out["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
		out["metadata"] = md
	}
	md["name"] = u.GetName()
	if u.GetNamespace() != "" {
		md["namespace"] = u.GetNamespace()
	}
	return out, true
}

// extractFields returns the part of v that the FieldsV1 set fs names:
// "f:<name>" a map field, "k:<json>" a list element by its keys, "v:<json>"
// a set element, "i:<n>" a list element by index, "." the node itself. An
// empty set takes v whole (a leaf, or an atomic map or list).
func extractFields(v any, fs map[string]any) (any, bool) {
	if len(fs) == 0 {
		return v, true
	}
	switch val := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, sub := range fs {
			if k == "." {
				continue
			}
			name, isField := strings.CutPrefix(k, "f:")
			if !isField {
				return nil, false
			}
			child, exists := val[name]
			if !exists {
				continue // removed by another manager since: nothing to keep
			}
			subSet, _ := sub.(map[string]any)
			x, ok := extractFields(child, subSet)
			if !ok {
				return nil, false
			}
			out[name] = x
		}
		return out, true
	case []any:
		out := []any{}
		for i, el := range val {
			for k, sub := range fs {
				subSet, _ := sub.(map[string]any)
				if !elementMatches(k, i, el) {
					continue
				}
				x, ok := extractFields(el, subSet)
				if !ok {
					return nil, false
				}
				if keys, isKey := strings.CutPrefix(k, "k:"); isKey {
					// The element's keys identify it in the merge.
					var km map[string]any
					xm, _ := x.(map[string]any)
					if json.Unmarshal([]byte(keys), &km) != nil || xm == nil {
						return nil, false
					}
					for kk := range km {
						xm[kk] = el.(map[string]any)[kk]
					}
				}
				out = append(out, x)
				break
			}
		}
		return out, true
	default:
		// A scalar with a non-empty set ("." alone): the value itself.
		return v, true
	}
}

// elementMatches reports whether the list element el at index i is the
// one the FieldsV1 key k names.
func elementMatches(k string, i int, el any) bool {
	switch {
	case strings.HasPrefix(k, "k:"):
		var km map[string]any
		m, isMap := el.(map[string]any)
		if !isMap || json.Unmarshal([]byte(k[2:]), &km) != nil {
			return false
		}
		for kk, kv := range km {
			if !jsonEqual(m[kk], kv) {
				return false
			}
		}
		return true
	case strings.HasPrefix(k, "v:"):
		var want any
		return json.Unmarshal([]byte(k[2:]), &want) == nil && jsonEqual(el, want)
	case strings.HasPrefix(k, "i:"):
		n, err := strconv.Atoi(k[2:])
		return err == nil && n == i
	}
	return false
}

// jsonEqual compares two JSON-like values as JSON (int64 and float64 of
// the same number are equal).
func jsonEqual(a, b any) bool {
	ab, err1 := json.Marshal(a)
	bb, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		return false
	}
	var x, y any
	if json.Unmarshal(ab, &x) != nil || json.Unmarshal(bb, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

package cdk

import (
	"bytes"
	"encoding/json"
)

// object is a JSON object that keeps its keys in insertion order, so that
// templates read like the AWS CDK's (Type before Properties, …). Other maps
// are written with sorted keys.
type object struct {
	keys []string
	vals map[string]any
}

func newObject() *object { return &object{vals: map[string]any{}} }

func (o *object) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *object) get(k string) (any, bool) {
	v, ok := o.vals[k]
	return v, ok
}

func (o *object) del(k string) {
	if _, ok := o.vals[k]; !ok {
		return
	}
	delete(o.vals, k)
	for i, key := range o.keys {
		if key == k {
			o.keys = append(o.keys[:i:i], o.keys[i+1:]...)
			break
		}
	}
}

func (o *object) len() int { return len(o.keys) }

// toMap returns a plain map (for JSON-like consumers such as assertions).
func (o *object) toMap() map[string]any {
	m := make(map[string]any, len(o.keys))
	for _, k := range o.keys {
		m[k] = o.vals[k]
	}
	return m
}

// MarshalJSON writes the keys in order.
func (o *object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := marshalNoEscape(k)
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		vb, err := marshalNoEscape(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// resolveObject resolves every value, dropping those that resolve to nil.
func (c *ResolveContext) resolveObject(o *object) *object {
	out := newObject()
	for _, k := range o.keys {
		if !c.checkKey(k) {
			continue
		}
		if r := c.resolve(o.vals[k]); r != nil {
			out.set(k, r)
		}
	}
	return out
}

// applyOverrides deep-merges overrides into target (an *object or a map),
// returning the merged value. deletion{} values remove keys.
func applyOverrides(target any, overrides map[string]any) any {
	switch t := target.(type) {
	case *object:
		for _, k := range sortedKeys(overrides) {
			ov := overrides[k]
			if _, del := ov.(deletion); del {
				t.del(k)
				continue
			}
			if om, ok := ov.(map[string]any); ok {
				cur, _ := t.get(k)
				t.set(k, applyOverrides(cur, om))
				continue
			}
			t.set(k, ov)
		}
		return t
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, v := range t {
			out[k] = v
		}
		for _, k := range sortedKeys(overrides) {
			ov := overrides[k]
			if _, del := ov.(deletion); del {
				delete(out, k)
				continue
			}
			if om, ok := ov.(map[string]any); ok {
				out[k] = applyOverrides(out[k], om)
				continue
			}
			out[k] = ov
		}
		return out
	case []any:
		// Numeric keys address list items, as in the AWS CDK.
		out := append([]any(nil), t...)
		for _, k := range sortedKeys(overrides) {
			idx, ok := parseIndex(k)
			if !ok || idx >= len(out) {
				continue
			}
			ov := overrides[k]
			if om, ok := ov.(map[string]any); ok {
				out[idx] = applyOverrides(out[idx], om)
			} else if _, del := ov.(deletion); !del {
				out[idx] = ov
			}
		}
		return out
	default:
		// Nothing there yet (or a scalar): the override replaces it.
		out := map[string]any{}
		for k, v := range overrides {
			if _, del := v.(deletion); del {
				continue
			}
			if om, ok := v.(map[string]any); ok {
				out[k] = applyOverrides(nil, om)
			} else {
				out[k] = v
			}
		}
		return out
	}
}

func parseIndex(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for _, ch := range s {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		n = n*10 + int(ch-'0')
	}
	return n, true
}

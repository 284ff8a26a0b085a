package cdk

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// ResolveContext is what a [Resolvable] knows about where it is being
// rendered.
type ResolveContext struct {
	// Stack is the stack whose template is being rendered: the consumer of
	// the value. References to other stacks resolve to imports.
	Stack *Stack
	// Scope is the construct whose definition is being rendered, when known.
	Scope Construct

	prep  *prepareState
	errs  []error
	depth int
}

// maxResolveDepth guards against tokens that resolve to themselves.
const maxResolveDepth = 200

// Errorf records a resolution problem; the resolver reports it, with the
// construct path, once rendering ends. Resolvables call it instead of
// panicking.
func (c *ResolveContext) Errorf(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

// Resolve resolves a value nested inside a Resolvable's own value with the
// same context. Resolvables rarely need it: whatever Resolve returns is
// resolved again anyway.
func (c *ResolveContext) Resolve(v any) any { return c.resolve(v) }

// Preparing reports whether this is the reference-collection pass that runs
// before templates are rendered (values may still change afterwards).
func (c *ResolveContext) Preparing() bool { return c.prep != nil }

func (c *ResolveContext) err() error { return errors.Join(c.errs...) }

func (c *ResolveContext) resolveToken(r Resolvable) any {
	if c.depth > maxResolveDepth {
		c.Errorf("token %s resolves to itself (more than %d levels of tokens)", describeToken(r), maxResolveDepth)
		return nil
	}
	c.depth++
	defer func() { c.depth-- }()
	return c.resolve(r.Resolve(c))
}

func (c *ResolveContext) resolve(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return c.resolveString(x)
	case *object:
		return c.resolveObject(x)
	case Resolvable:
		return c.resolveToken(x)
	case bool:
		return x
	case float64:
		if r, ok := numberToken(x); ok {
			return c.resolveToken(r)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			c.Errorf("cannot render the number %v in a template", x)
			return nil
		}
		return x
	case int:
		if r, ok := intToken(int64(x)); ok {
			return c.resolveToken(r)
		}
		return x
	case int64:
		if r, ok := intToken(x); ok {
			return c.resolveToken(r)
		}
		return x
	case int32, int16, int8, uint, uint64, uint32, uint16, uint8, float32:
		return x
	case []string:
		if r := ReverseList(x); r != nil {
			return c.resolveToken(r)
		}
		out := make([]any, 0, len(x))
		for _, s := range x {
			if strings.Contains(s, listTokenBegin) && containsToken(s) {
				c.Errorf("a list token was put inside another list (%q): use the token list itself, or Fn.Select to take one item", s)
				continue
			}
			out = append(out, c.resolveString(s))
		}
		return out
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			if s, ok := e.([]string); ok && ReverseList(s) != nil && len(x) > 1 {
				c.Errorf("a list token was put inside another list: use the token list itself, or Fn.Select to take one item")
				continue
			}
			r := c.resolve(e)
			if r == nil {
				continue
			}
			out = append(out, r)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if !c.checkKey(k) {
				continue
			}
			r := c.resolve(e)
			if r == nil {
				continue
			}
			out[k] = r
		}
		return out
	case map[string]string:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if !c.checkKey(k) {
				continue
			}
			out[k] = c.resolveString(e)
		}
		return out
	}
	return c.resolveReflect(reflect.ValueOf(v))
}

func (c *ResolveContext) checkKey(k string) bool {
	if containsToken(k) {
		c.Errorf("the map key %q holds a token: keys of a template object must be known at synthesis time; move the late-bound value into the map's values", k)
		return false
	}
	return true
}

func (c *ResolveContext) resolveReflect(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return c.resolve(v.Elem().Interface())
	case reflect.String:
		return c.resolveString(v.String())
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return c.resolve(int64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint()
	case reflect.Float32, reflect.Float64:
		return c.resolve(v.Float())
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil
		}
		out := make([]any, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			if r := c.resolve(v.Index(i).Interface()); r != nil {
				out = append(out, r)
			}
		}
		return out
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			c.Errorf("cannot render a map with %s keys in a template: keys must be strings", v.Type().Key())
			return nil
		}
		if v.IsNil() {
			return nil
		}
		out := make(map[string]any, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key().String()
			if !c.checkKey(k) {
				continue
			}
			if r := c.resolve(iter.Value().Interface()); r != nil {
				out[k] = r
			}
		}
		return out
	}
	c.Errorf("cannot render a value of type %s in a template", v.Type())
	return nil
}

func (c *ResolveContext) resolveString(s string) any {
	frags := splitString(s)
	if len(frags) == 1 && frags[0].token == nil {
		return s
	}
	for _, f := range frags {
		if f.list {
			c.Errorf("found an encoded list token in a string (%q): a token list cannot be used as a string; use Fn.Join to turn it into one, or Fn.Select to take one item", s)
			return nil
		}
	}
	if len(frags) == 1 {
		return c.resolveToken(frags[0].token)
	}
	parts := make([]any, 0, len(frags))
	for _, f := range frags {
		if f.token == nil {
			parts = append(parts, f.lit)
			continue
		}
		r := c.resolveToken(f.token)
		switch rv := r.(type) {
		case nil:
			c.Errorf("a token inside the string %q resolved to nothing", s)
			return nil
		case string:
			parts = append(parts, rv)
		case float64:
			parts = append(parts, strconv.FormatFloat(rv, 'f', -1, 64))
		case int:
			parts = append(parts, strconv.Itoa(rv))
		case int64:
			parts = append(parts, strconv.FormatInt(rv, 10))
		case bool:
			parts = append(parts, strconv.FormatBool(rv))
		case []any:
			c.Errorf("a token inside the string %q resolved to a list: use Fn.Join to turn a list into a string", s)
			return nil
		default:
			parts = append(parts, rv)
		}
	}
	return joinParts("", parts)
}

// joinParts builds the smallest CloudFormation expression joining parts with
// delim: adjacent literals are merged, nested joins with the same delimiter
// are flattened, and a join of one literal is the literal itself.
func joinParts(delim string, parts []any) any {
	var flat []any
	var add func(p any)
	add = func(p any) {
		if m, ok := p.(map[string]any); ok && len(m) == 1 {
			if j, ok := m["Fn::Join"].([]any); ok && len(j) == 2 {
				if d, ok := j[0].(string); ok && d == delim {
					if items, ok := j[1].([]any); ok {
						for _, it := range items {
							add(it)
						}
						return
					}
				}
			}
		}
		if s, ok := p.(string); ok && len(flat) > 0 {
			if prev, ok := flat[len(flat)-1].(string); ok {
				flat[len(flat)-1] = prev + delim + s
				return
			}
		}
		flat = append(flat, p)
	}
	for _, p := range parts {
		add(p)
	}
	// Drop empty literals when joining with "" (they add nothing).
	if delim == "" {
		kept := flat[:0]
		for _, p := range flat {
			if s, ok := p.(string); ok && s == "" {
				continue
			}
			kept = append(kept, p)
		}
		flat = kept
	}
	switch len(flat) {
	case 0:
		return ""
	case 1:
		if s, ok := flat[0].(string); ok {
			return s
		}
		if delim == "" {
			return flat[0]
		}
	}
	return map[string]any{"Fn::Join": []any{delim, flat}}
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

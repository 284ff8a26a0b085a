package parity

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// renderer turns CloudFormation values into comparable plain values.
type renderer struct {
	// params maps a template parameter to its default value, so that a
	// reference to an SSM-parameter-typed parameter reads as the
	// parameter's name.
	params map[string]string
	// cfnJSON maps the logical ID of an aws-cdk-lib Custom::AWSCDKCfnJson
	// resource (JSON with tokens in keys, resolved at deploy time) to its
	// Value, so that a reference to its Value reads as the JSON it holds.
	cfnJSON map[string]any
}

// value renders v: intrinsic functions become strings with placeholders,
// maps and lists are rendered element by element.
func (r renderer) value(v any) any {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 1 {
			for k, arg := range t {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					return r.intrinsic(k, arg)
				}
			}
		}
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = r.value(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = r.value(e)
		}
		return out
	}
	return v
}

func (r renderer) intrinsic(fn string, arg any) any {
	switch fn {
	case "Ref":
		name, _ := arg.(string)
		if d, ok := r.params[name]; ok {
			return "{SSM " + d + "}"
		}
		return "{Ref " + name + "}"
	case "Fn::GetAtt":
		switch a := arg.(type) {
		case []any:
			if len(a) == 2 && (a[1] == "Value" || a[1] == "ValueAsString") {
				if id, _ := a[0].(string); r.cfnJSON[id] != nil {
					return jsonOrString(r.str(r.cfnJSON[id]))
				}
			}
			parts := make([]string, len(a))
			for i, p := range a {
				parts[i] = r.str(p)
			}
			return "{" + strings.Join(parts, ".") + "}"
		case string:
			return "{" + a + "}"
		}
	case "Fn::Join":
		if a, ok := arg.([]any); ok && len(a) == 2 {
			sep, _ := a[0].(string)
			if list, ok := r.value(a[1]).([]any); ok {
				parts := make([]string, len(list))
				for i, p := range list {
					parts[i] = r.str(p)
				}
				return strings.Join(parts, sep)
			}
		}
	case "Fn::Base64":
		return r.str(r.value(arg))
	case "Fn::If":
		if a, ok := arg.([]any); ok && len(a) == 3 {
			return fmt.Sprintf("{If %s: %s else %s}", r.str(a[0]), r.str(a[1]), r.str(a[2]))
		}
	case "Fn::Sub":
		if s, ok := arg.(string); ok {
			return s
		}
	}
	// Other functions stay as a placeholder without double quotes, so that
	// it can sit inside a JSON string built with Fn::Join.
	b, _ := json.Marshal(r.value(arg))
	return "{" + fn + " " + strings.ReplaceAll(strings.ReplaceAll(string(b), `\"`, ""), `"`, "") + "}"
}

// str renders v as a string: strings as they are, anything else as JSON.
func (r renderer) str(v any) string {
	v = r.value(v)
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// get walks a dotted path through nested maps.
func get(m any, path string) any {
	cur := m
	for _, k := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[k]
	}
	return cur
}

// flatten writes the leaves of v under prefix into out: maps are walked,
// anything else (lists included) is a leaf.
func flatten(prefix string, v any, out map[string]any) {
	m, ok := v.(map[string]any)
	if !ok {
		if v != nil {
			out[prefix] = v
		}
		return
	}
	// An empty object says nothing (a typed Kubernetes struct's zero
	// `spec: {}` means what an absent spec means).
	for k, e := range m {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		flatten(p, e, out)
	}
}

// sortedStrings renders each element of a list as a string and sorts them.
func (r renderer) sortedStrings(v any) []any {
	list, ok := r.value(v).([]any)
	if !ok {
		if v == nil {
			return nil
		}
		return []any{r.str(v)}
	}
	s := make([]string, len(list))
	for i, e := range list {
		s[i] = r.str(e)
	}
	sort.Strings(s)
	out := make([]any, len(s))
	for i, e := range s {
		out[i] = e
	}
	return out
}

// canonical returns the JSON of v with sorted keys, for comparing and
// sorting values.
func canonical(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// show renders a value for the report.
func show(v any) string {
	if v == nil {
		return "(absent)"
	}
	s := canonical(v)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

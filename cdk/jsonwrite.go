package cdk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// writeJSON writes v, a resolved template value, as indented JSON in one
// pass: *object keeps its key order, maps are sorted, and strings are not
// HTML-escaped — the AWS CDK's layout, without re-encoding nested values.
func writeJSON(b *bytes.Buffer, v any, indent string, depth int) error {
	newline := func(d int) {
		b.WriteByte('\n')
		for i := 0; i < d; i++ {
			b.WriteString(indent)
		}
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeJSONString(b, x)
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("cannot write the number %v as JSON", x)
		}
		nb, _ := json.Marshal(x)
		b.Write(nb)
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case *object:
		if len(x.keys) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteByte('{')
		for i, k := range x.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(depth + 1)
			writeJSONString(b, k)
			b.WriteString(": ")
			if err := writeJSON(b, x.vals[k], indent, depth+1); err != nil {
				return err
			}
		}
		newline(depth)
		b.WriteByte('}')
	case map[string]any:
		if len(x) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteByte('{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(depth + 1)
			writeJSONString(b, k)
			b.WriteString(": ")
			if err := writeJSON(b, x[k], indent, depth+1); err != nil {
				return err
			}
		}
		newline(depth)
		b.WriteByte('}')
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(depth + 1)
			if err := writeJSON(b, e, indent, depth+1); err != nil {
				return err
			}
		}
		newline(depth)
		b.WriteByte(']')
	default:
		// Anything else (uints, typed values from custom resolvables):
		// let encoding/json render it, then re-indent.
		raw, err := marshalNoEscape(x)
		if err != nil {
			return err
		}
		var out bytes.Buffer
		prefix := ""
		for i := 0; i < depth; i++ {
			prefix += indent
		}
		if err := json.Indent(&out, raw, prefix, indent); err != nil {
			return err
		}
		b.Write(out.Bytes())
	}
	return nil
}

func writeJSONString(b *bytes.Buffer, s string) {
	simple := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			simple = false
			break
		}
	}
	if simple {
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
		return
	}
	raw, _ := marshalNoEscape(s)
	b.Write(raw)
}

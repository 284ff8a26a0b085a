package cfngen

import (
	"strconv"
	"strings"
	"unicode"
)

// GoName turns a CloudFormation name into an exported Go identifier: the
// runs of letters and digits are kept, each run starts with an upper-case
// letter, everything else is dropped ("Tag-Key" → "TagKey", "name" →
// "Name"). A name that would start with a digit gets an "X" prefix.
func GoName(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if upper {
				r = unicode.ToUpper(r)
				upper = false
			}
			b.WriteRune(r)
			continue
		}
		upper = true
	}
	out := b.String()
	if out == "" {
		return "X"
	}
	if out[0] >= '0' && out[0] <= '9' {
		out = "X" + out
	}
	return out
}

// nameSet hands out unique identifiers.
type nameSet map[string]bool

// take reserves name, or, when it is taken, the first of name+"2",
// name+"3", … that is free.
func (s nameSet) take(name string) string {
	if !s[name] {
		s[name] = true
		return name
	}
	for i := 2; ; i++ {
		n := name + strconv.Itoa(i)
		if !s[n] {
			s[n] = true
			return n
		}
	}
}

// takeType reserves a type name: name, else name+"Property", else
// name+"Property2", ….
func (s nameSet) takeType(name string) string {
	if !s[name] {
		s[name] = true
		return name
	}
	return s.take(name + "Property")
}

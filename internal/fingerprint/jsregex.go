package fingerprint

import (
	"fmt"
	"regexp"
	"strings"
)

// jsDot is what "." matches in a JavaScript regular expression: anything
// but a line terminator (Go's "." only leaves out "\n").
const jsDot = `[^\n\r\x{2028}\x{2029}]`

// jsQuantifierBrace is a "{n}", "{n,}" or "{n,m}" quantifier; any other "{"
// is a literal in JavaScript (and in Go).
var jsQuantifierBrace = regexp.MustCompile(`^\{\d+(,\d*)?\}`)

// jsRegexToGo rewrites the source of a JavaScript regular expression (as
// node-ignore and @balena/dockerignore build them, without the u flag) for
// Go's regexp, keeping its meaning:
//
//   - a final "(?=$|\/$)" look-ahead becomes a group (at the very end,
//     consuming it changes nothing); any other look-around is an error;
//   - "." leaves out every line terminator;
//   - "[]" matches nothing and "[^]" anything, and "]" first in a class
//     closes it;
//   - an escaped letter JavaScript does not know is that letter, "\uXXXX"
//     is a code point, "\b" in a class is a backspace; back references and
//     octal escapes are an error;
//   - a quantifier after "^", "$", "\b" or "\B" is an error, as JavaScript
//     reports "nothing to repeat" where Go would accept it.
func jsRegexToGo(src string) (string, error) {
	const tail = `(?=$|\/$)`
	if strings.HasSuffix(src, tail) {
		src = strings.TrimSuffix(src, tail) + `(?:$|\/$)`
	}
	if strings.Contains(src, "(?=") || strings.Contains(src, "(?!") || strings.Contains(src, "(?<") {
		return "", fmt.Errorf("look-around is not supported")
	}
	var b strings.Builder
	rs := []rune(src)
	inClass := false
	afterAssertion := false
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if !inClass {
			quantifier := c == '*' || c == '+' || c == '?' && (i == 0 || rs[i-1] != '(') ||
				c == '{' && jsQuantifierBrace.MatchString(string(rs[i:]))
			if quantifier && afterAssertion {
				return "", fmt.Errorf("nothing to repeat at %q", string(rs[i:]))
			}
		}
		afterAssertion = false
		switch {
		case inClass && c == ']':
			inClass = false
			b.WriteRune(c)
		case inClass && c == '[':
			b.WriteString(`\[`)
		case !inClass && c == '[':
			switch {
			case i+1 < len(rs) && rs[i+1] == ']':
				b.WriteString(`[^\x00-\x{10FFFF}]`) // JavaScript's [] matches nothing
				i++
				continue
			case i+2 < len(rs) && rs[i+1] == '^' && rs[i+2] == ']':
				b.WriteString(`[\x00-\x{10FFFF}]`) // and [^] anything
				i += 2
				continue
			}
			inClass = true
			b.WriteRune(c)
			if i+1 < len(rs) && rs[i+1] == '^' {
				b.WriteRune('^')
				i++
			}
		case !inClass && c == '.':
			b.WriteString(jsDot)
		case !inClass && (c == '^' || c == '$'):
			b.WriteRune(c)
			afterAssertion = true
		case c == '\\' && i+1 < len(rs):
			i++
			if err := writeJSEscape(&b, rs, &i, inClass, &afterAssertion); err != nil {
				return "", err
			}
		default:
			b.WriteRune(c)
		}
	}
	return b.String(), nil
}

// writeJSEscape writes the escape whose letter is rs[*i] (after a
// backslash) in Go's syntax.
func writeJSEscape(b *strings.Builder, rs []rune, i *int, inClass bool, afterAssertion *bool) error {
	n := rs[*i]
	switch {
	case strings.ContainsRune("dDwWsStnrvf", n):
		b.WriteRune('\\')
		b.WriteRune(n)
	case (n == 'b' || n == 'B') && !inClass:
		b.WriteRune('\\')
		b.WriteRune(n)
		*afterAssertion = true
	case n == 'b': // a backspace inside a class
		b.WriteString(`\x08`)
	case n == 'x' && *i+2 < len(rs) && isHex(rs[*i+1]) && isHex(rs[*i+2]):
		b.WriteString(`\x`)
	case n == 'u' && *i+4 < len(rs) && isHex(rs[*i+1]) && isHex(rs[*i+2]) && isHex(rs[*i+3]) && isHex(rs[*i+4]):
		b.WriteString(`\x{` + string(rs[*i+1:*i+5]) + "}")
		*i += 4
	case n >= '0' && n <= '9':
		return fmt.Errorf("escape \\%c is not supported", n)
	case n < 0x80 && (n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z'):
		b.WriteRune(n) // an identity escape in JavaScript
	case n < 0x80:
		b.WriteRune('\\')
		b.WriteRune(n)
	default:
		b.WriteRune(n)
	}
	return nil
}

func isHex(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
}

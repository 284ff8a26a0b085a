package fingerprint

import (
	"regexp"
	"strconv"
	"strings"
)

// Brace expansion as minimatch 10 does it with the brace-expansion package
// (version 5): "a{b,c}d" gives "abd" and "acd", "{1..3}" gives "1", "2",
// "3", "{a..c}" and "{01..10..3}" work as in bash, nesting works, a "$"
// before a brace leaves it alone, and "\{", "\}", "\,", "\." and "\\" are
// escapes.

const (
	braceExpansionMax = 100_000
	braceMaxDepth     = 1_000
	braceMaxRewrites  = 1_000
)

// Placeholders for escaped characters; they hold NUL bytes, which a pattern
// never contains.
const (
	escSlash  = "\x00SLASH\x00"
	escOpen   = "\x00OPEN\x00"
	escClose  = "\x00CLOSE\x00"
	escComma  = "\x00COMMA\x00"
	escPeriod = "\x00PERIOD\x00"
)

var (
	braceEscaper   = strings.NewReplacer(`\\`, escSlash, `\{`, escOpen, `\}`, escClose, `\,`, escComma, `\.`, escPeriod)
	braceUnescaper = strings.NewReplacer(escSlash, `\`, escOpen, "{", escClose, "}", escComma, ",", escPeriod, ".")

	// hasBraceSet is minimatch's test for whether expansion is needed at all.
	hasBraceSet     = regexp.MustCompile(`\{[^{]*\}`)
	numericSequence = regexp.MustCompile(`^-?\d+\.\.-?\d+(?:\.\.-?\d+)?$`)
	alphaSequence   = regexp.MustCompile(`^[a-zA-Z]\.\.[a-zA-Z](?:\.\.-?\d+)?$`)
	paddedNumber    = regexp.MustCompile(`^-?0\d`)
)

// braceExpand returns the patterns pattern stands for.
func braceExpand(pattern string) []string {
	if !hasBraceSet.MatchString(pattern) {
		return []string{pattern}
	}
	if strings.HasPrefix(pattern, "{}") {
		pattern = `\{\}` + pattern[2:]
	}
	out := expandBraces(braceEscaper.Replace(pattern), 0, true)
	for i := range out {
		out[i] = braceUnescaper.Replace(out[i])
	}
	return out
}

type balancedMatch struct {
	pre, body, post string
}

// balanced finds the first "{" and its matching "}" as the balanced-match
// package does (an unmatched "{" before it is skipped).
func balanced(s string) (balancedMatch, bool) {
	ai := strings.IndexByte(s, '{')
	if ai < 0 {
		return balancedMatch{}, false
	}
	bi := indexFrom(s, '}', ai+1)
	if bi <= 0 {
		return balancedMatch{}, false
	}
	var begs []int
	left, right := len(s), -1
	i := ai
	result := []int(nil)
	for i >= 0 && result == nil {
		if i == ai {
			begs = append(begs, i)
			ai = indexFrom(s, '{', i+1)
		} else if len(begs) == 1 {
			r := begs[0]
			begs = begs[:0]
			result = []int{r, bi}
		} else {
			beg := begs[len(begs)-1]
			begs = begs[:len(begs)-1]
			if beg < left {
				left, right = beg, bi
			}
			bi = indexFrom(s, '}', i+1)
		}
		if ai < bi && ai >= 0 {
			i = ai
		} else {
			i = bi
		}
	}
	if len(begs) > 0 && right >= 0 {
		result = []int{left, right}
	}
	if result == nil {
		return balancedMatch{}, false
	}
	return balancedMatch{pre: s[:result[0]], body: s[result[0]+1 : result[1]], post: s[result[1]+1:]}, true
}

func indexFrom(s string, c byte, from int) int {
	if from > len(s) {
		return -1
	}
	i := strings.IndexByte(s[from:], c)
	if i < 0 {
		return -1
	}
	return from + i
}

// parseCommaParts splits a brace body on the commas that are not inside
// nested braces.
func parseCommaParts(s string) []string {
	var parts []string
	carry := ""
	for {
		m, ok := balanced(s)
		if !ok {
			tail := strings.Split(s, ",")
			tail[0] = carry + tail[0]
			return append(parts, tail...)
		}
		p := strings.Split(m.pre, ",")
		p[0] = carry + p[0]
		p[len(p)-1] += "{" + m.body + "}"
		if m.post == "" {
			return append(parts, p...)
		}
		carry = p[len(p)-1]
		parts = append(parts, p[:len(p)-1]...)
		s = m.post
	}
}

func combine(acc []string, pre string, values []string, dropEmpties bool) []string {
	var out []string
	for _, a := range acc {
		for _, v := range values {
			if len(out) >= braceExpansionMax {
				return out
			}
			e := a + pre + v
			if dropEmpties && e == "" {
				continue
			}
			out = append(out, e)
		}
	}
	return out
}

// rewriteTrigger is brace-expansion's /,(?!,).*\}/: a comma not followed by
// another comma, and a "}" after it on the same line.
func rewriteTrigger(post string) bool {
	for i := 0; i < len(post); i++ {
		if post[i] != ',' || i+1 < len(post) && post[i+1] == ',' {
			continue
		}
		for j := i + 1; j < len(post) && post[j] != '\n'; j++ {
			if post[j] == '}' {
				return true
			}
		}
	}
	return false
}

func expandBraces(s string, depth int, isTop bool) []string {
	if depth > braceMaxDepth {
		return []string{s}
	}
	acc := []string{""}
	rewrites := 0
	dropEmpties := false
	firstGroup := true
	for {
		m, ok := balanced(s)
		if !ok {
			return combine(acc, s, []string{""}, dropEmpties)
		}
		pre := m.pre
		if strings.HasSuffix(pre, "$") {
			acc = combine(acc, pre+"{"+m.body+"}", []string{""}, dropEmpties && m.post == "")
			firstGroup = false
			if m.post == "" {
				break
			}
			s = m.post
			continue
		}
		isAlpha := alphaSequence.MatchString(m.body)
		isSequence := numericSequence.MatchString(m.body) || isAlpha
		isOptions := strings.Contains(m.body, ",")
		if !isSequence && !isOptions {
			if rewrites < braceMaxRewrites && rewriteTrigger(m.post) {
				rewrites++
				s = m.pre + "{" + m.body + escClose + m.post
				isTop = true
				continue
			}
			return combine(acc, pre+"{"+m.body+"}"+m.post, []string{""}, dropEmpties)
		}
		if firstGroup {
			dropEmpties = isTop && !isSequence
			firstGroup = false
		}
		var values []string
		if isSequence {
			values = expandSequence(m.body, isAlpha)
		} else {
			n := parseCommaParts(m.body)
			if len(n) == 1 {
				inner := expandBraces(n[0], depth+1, false)
				n = make([]string, len(inner))
				for i, v := range inner {
					n[i] = "{" + v + "}"
				}
				if len(n) == 1 {
					acc = combine(acc, pre+n[0], []string{""}, dropEmpties && m.post == "")
					if m.post == "" {
						break
					}
					s = m.post
					continue
				}
			}
			dropsEmpties := dropEmpties && m.post == "" && pre == ""
			for _, a := range acc {
				if a != "" {
					dropsEmpties = false
				}
			}
		outer:
			for _, part := range n {
				for _, v := range expandBraces(part, depth+1, false) {
					if dropsEmpties && v == "" {
						continue
					}
					if len(values) >= braceExpansionMax {
						break outer
					}
					values = append(values, v)
				}
			}
		}
		acc = combine(acc, pre, values, dropEmpties && m.post == "")
		if m.post == "" {
			break
		}
		s = m.post
	}
	return acc
}

// numeric is brace-expansion's: a number for numeric text, else the first
// character's code.
func numeric(s string) int64 {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	for _, r := range s {
		return int64(r)
	}
	return 0
}

func expandSequence(body string, isAlpha bool) []string {
	n := strings.Split(body, "..")
	if len(n) < 2 {
		return nil
	}
	x, y := numeric(n[0]), numeric(n[1])
	width := max(len(n[0]), len(n[1]))
	incr := int64(1)
	if len(n) == 3 {
		incr = max(absInt64(numeric(n[2])), 1)
	}
	reverse := y < x
	if reverse {
		incr = -incr
	}
	pad := false
	for _, e := range n {
		if paddedNumber.MatchString(e) {
			pad = true
		}
	}
	var out []string
	for i := x; (reverse && i >= y || !reverse && i <= y) && len(out) < braceExpansionMax; i += incr {
		var c string
		if isAlpha {
			c = string(rune(i))
			if c == `\` {
				c = ""
			}
		} else {
			c = strconv.FormatInt(i, 10)
			if pad {
				if need := width - len(c); need > 0 {
					z := strings.Repeat("0", need)
					if i < 0 {
						c = "-" + z + c[1:]
					} else {
						c = z + c
					}
				}
			}
		}
		out = append(out, c)
	}
	return out
}

func absInt64(i int64) int64 {
	if i < 0 {
		return -i
	}
	return i
}

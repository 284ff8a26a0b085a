package fingerprint

import (
	"fmt"
	"regexp"
	"strings"
)

// gitIgnorer is the CDK's GitIgnoreStrategy, built on node-ignore 5.3.2
// (.gitignore rules): each pattern becomes a regular expression through
// node-ignore's chain of textual replacements, matched case-insensitively;
// a path is ignored when one of its parent directories is; the last
// matching rule decides, and a "!" rule cannot bring back a path inside an
// ignored directory.
type gitIgnorer struct {
	rules []gitRule
}

type gitRule struct {
	negative bool
	re       *regexp.Regexp
}

// jsSpace is JavaScript's \s.
const jsSpace = `[\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]`

var (
	gitBlankLine              = regexp.MustCompile(`^` + jsSpace + `+$`)
	gitInvalidTrailingEscape  = regexp.MustCompile(`(?:[^\\]|^)\\$`)
	gitTrailingSpaces         = regexp.MustCompile(`((?:\\\\)*?)(\\?` + jsSpace + `+)$`)
	gitEscapedSpace           = regexp.MustCompile(`(\\+?)` + jsSpace)
	gitRegexpSpecials         = regexp.MustCompile(`[\\$.|*+(){^]`)
	gitLeadingGlobstar        = regexp.MustCompile(`^\^*\\\*\\\*\\/`)
	gitRange                  = regexp.MustCompile(`(\\)?\[([^\]/]*?)(\\*)($|\])`)
	gitRangeBounds            = regexp.MustCompile(`([0-z])-([0-z])`)
	gitTrailingStar           = regexp.MustCompile(`(\^|\\/)?\\\*$`)
	gitStartsWithSlashNotLast = regexp.MustCompile(`/.`)
)

func newGitIgnorer(patterns []string) (*gitIgnorer, error) {
	g := &gitIgnorer{}
	// The CDK hands node-ignore an array, so unlike the docker mode a
	// pattern is not split into lines.
	for _, p := range patterns {
		if p == "" || gitBlankLine.MatchString(p) || gitInvalidTrailingEscape.MatchString(p) || strings.HasPrefix(p, "#") {
			continue
		}
		rule, err := newGitRule(p)
		if err != nil {
			return nil, err
		}
		g.rules = append(g.rules, rule)
	}
	return g, nil
}

func newGitRule(pattern string) (gitRule, error) {
	negative := false
	if strings.HasPrefix(pattern, "!") {
		negative = true
		pattern = pattern[1:]
	}
	if strings.HasPrefix(pattern, `\!`) {
		pattern = "!" + pattern[2:]
	} else if strings.HasPrefix(pattern, `\#`) {
		pattern = "#" + pattern[2:]
	}
	src := gitRegexSource(pattern)
	goSrc, err := jsRegexToGo(src)
	if err != nil {
		return gitRule{}, fmt.Errorf("git ignore pattern %q cannot be translated: %w", pattern, err)
	}
	re, err := regexp.Compile("(?i)" + goSrc)
	if err != nil {
		return gitRule{}, fmt.Errorf("git ignore pattern %q cannot be translated: %w", pattern, err)
	}
	return gitRule{negative: negative, re: re}, nil
}

// gitRegexSource applies node-ignore's REPLACERS, in order, to a pattern
// and returns the source of a JavaScript regular expression.
func gitRegexSource(pattern string) string {
	s := strings.TrimPrefix(pattern, "\ufeff")

	// Trailing spaces are dropped unless escaped.
	if m := gitTrailingSpaces.FindStringSubmatchIndex(s); m != nil {
		m1, m2 := s[m[2]:m[3]], s[m[4]:m[5]]
		rep := m1
		if strings.HasPrefix(m2, `\`) {
			rep += " "
		}
		s = s[:m[0]] + rep + s[m[1]:]
	}
	// Escaped spaces become spaces.
	s = gitEscapedSpace.ReplaceAllStringFunc(s, func(m string) string {
		slashes := m[:len(m)-len(lastRune(m))]
		return slashes[:len(slashes)-len(slashes)%2] + " "
	})
	// Regular-expression specials are escaped.
	s = gitRegexpSpecials.ReplaceAllString(s, `\$0`)
	// "?" is any character but a slash.
	s = strings.ReplaceAll(s, "?", "[^/]")
	// A leading slash anchors at the start.
	if strings.HasPrefix(s, "/") {
		s = "^" + s[1:]
	}
	s = strings.ReplaceAll(s, "/", `\/`)
	// A leading "**/" matches in any directory.
	if loc := gitLeadingGlobstar.FindStringIndex(s); loc != nil {
		s = `^(?:.*\/)?` + s[loc[1]:]
	}
	// Patterns without a slash (other than a trailing one) match at any
	// depth, others from the start.
	if s != "" && s[0] != '^' {
		if gitStartsWithSlashNotLast.MatchString(pattern) {
			s = "^" + s
		} else {
			s = `(?:^|\/)` + s
		}
	}
	s = replaceGitGlobstars(s)
	s = replaceGitStars(s)
	s = replaceBefore(s, `\\\`, "$.|*+(){^", `\`)
	s = strings.ReplaceAll(s, `\\`, `\`)
	s = replaceGitRanges(s)
	// The end: a path or, for a pattern without a trailing slash, a
	// directory of that name.
	if s != "" && s[len(s)-1] != '*' {
		if s[len(s)-1] == '/' {
			s += "$"
		} else {
			s += `(?=$|\/$)`
		}
	}
	if m := gitTrailingStar.FindStringSubmatchIndex(s); m != nil {
		prefix := `[^/]*`
		if m[2] >= 0 {
			prefix = s[m[2]:m[3]] + `[^/]+`
		}
		s = s[:m[0]] + prefix + `(?=$|\/$)` + s[m[1]:]
	}
	return s
}

// replaceGitRanges is node-ignore's bracket replacer: an escaped "[" stays
// literal, a class keeps its ranges that are in order, and an unclosed or
// malformed one matches nothing.
func replaceGitRanges(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range gitRange.FindAllStringSubmatchIndex(s, -1) {
		group := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return s[m[2*i]:m[2*i+1]]
		}
		lead, rng, endEscape, closing := group(1), group(2), group(3), group(4)
		b.WriteString(s[last:m[0]])
		switch {
		case lead == `\`:
			b.WriteString(`\[` + rng + endEscape[:len(endEscape)-len(endEscape)%2] + closing)
		case closing == "]" && len(endEscape)%2 == 0:
			b.WriteString("[" + sanitizeGitRange(rng) + endEscape + "]")
		default:
			b.WriteString("[]")
		}
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

func lastRune(s string) string {
	r := []rune(s)
	return string(r[len(r)-1])
}

// replaceGitGlobstars is node-ignore's /\\\/\\\*\\\*(?=\\\/|$)/g replacer:
// an escaped "/**" followed by an escaped slash or the end becomes "any
// directories" inside a pattern and "anything below" at its end.
func replaceGitGlobstars(s string) string {
	const token = `\/\*\*`
	var b strings.Builder
	i := 0
	for {
		j := strings.Index(s[i:], token)
		if j < 0 {
			break
		}
		j += i
		end := j + len(token)
		if end != len(s) && !strings.HasPrefix(s[end:], `\/`) {
			b.WriteString(s[i : j+1])
			i = j + 1
			continue
		}
		b.WriteString(s[i:j])
		if j+6 < len(s) {
			b.WriteString(`(?:\/[^\/]+)*`)
		} else {
			b.WriteString(`\/.+`)
		}
		i = end
	}
	b.WriteString(s[i:])
	return b.String()
}

// replaceGitStars is node-ignore's /(^|[^\\]+)(\\\*)+(?=.+)/g replacer: a
// run of escaped stars after something that is not a backslash, with
// something after it, becomes one "[^\/]*". A run that reaches the end
// gives its last star back to satisfy the look-ahead.
func replaceGitStars(s string) string {
	var b strings.Builder
	last := 0
	for start := 0; start < len(s); {
		var p1End int
		if start == 0 && strings.HasPrefix(s, `\*`) {
			p1End = 0 // the "^" alternative
		} else {
			bs := strings.IndexByte(s[start:], '\\')
			if bs < 0 {
				break
			}
			if bs == 0 {
				start++
				continue
			}
			p1End = start + bs
		}
		n := 0
		for strings.HasPrefix(s[p1End+2*n:], `\*`) {
			n++
		}
		end := p1End + 2*n
		if n > 0 && end == len(s) {
			n--
			end -= 2
		}
		if n == 0 {
			start = p1End + 1
			continue
		}
		b.WriteString(s[last:p1End])
		b.WriteString(`[^\/]*`)
		last, start = end, end
	}
	b.WriteString(s[last:])
	return b.String()
}

// replaceBefore replaces each occurrence of old that is followed by one of
// the characters in next, left to right, as a regular expression with a
// look-ahead would.
func replaceBefore(s, old, next, with string) string {
	var b strings.Builder
	i := 0
	for {
		j := strings.Index(s[i:], old)
		if j < 0 {
			break
		}
		j += i
		end := j + len(old)
		if end < len(s) && strings.IndexByte(next, s[end]) >= 0 {
			b.WriteString(s[i:j])
			b.WriteString(with)
			i = end
			continue
		}
		b.WriteString(s[i : j+1])
		i = j + 1
	}
	b.WriteString(s[i:])
	return b.String()
}

// sanitizeGitRange drops reversed ranges such as "z-a" from a class.
func sanitizeGitRange(r string) string {
	return gitRangeBounds.ReplaceAllStringFunc(r, func(m string) string {
		if m[0] <= m[2] {
			return m
		}
		return ""
	})
}

// testOne is node-ignore's _testOne for ignores(): rules that cannot change
// the outcome are skipped, and the last one that matches decides.
func (g *gitIgnorer) testOne(p string) bool {
	ignored, unignored := false, false
	for _, r := range g.rules {
		if unignored == r.negative && ignored != unignored || r.negative && !ignored && !unignored {
			continue
		}
		if r.re.MatchString(p) {
			ignored, unignored = !r.negative, r.negative
		}
	}
	return ignored
}

// ignores is node-ignore's ignores(): a path is ignored if a parent
// directory ("a/", "a/b/", ...) is, or if it is itself.
func (g *gitIgnorer) ignores(rel string) bool {
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		if g.testOne(strings.Join(parts[:i], "/") + "/") {
			return true
		}
	}
	return g.testOne(rel)
}

func (g *gitIgnorer) completelyIgnores(rel string) bool {
	if strings.HasSuffix(rel, "/") {
		return g.ignores(rel)
	}
	return g.ignores(rel + "/")
}

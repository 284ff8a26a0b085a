package fingerprint

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"
)

// globPattern is one exclude pattern compiled as minimatch 10 compiles it
// with the options the CDK's GlobIgnoreStrategy passes: matchBase and
// flipNegate, so that match reports whether the pattern without its leading
// "!"s matches, and the strategy decides what a negated match means.
type globPattern struct {
	negate  bool // the CDK's pattern.startsWith('!')
	comment bool // a "#" pattern matches nothing
	empty   bool // a "" pattern matches only ""
	set     [][]globSegment
}

// globSegment matches one path segment.
type globSegment struct {
	globstar bool
	magic    bool   // false: compare with literal
	literal  string // the unescaped segment when it has no magic
	test     func(string) bool
}

// maxPatternLength is minimatch's assertValidPattern limit.
const maxPatternLength = 64 * 1024

func compileGlob(pattern string) (*globPattern, error) {
	if len(pattern) > maxPatternLength {
		return nil, fmt.Errorf("exclude pattern is too long (%d characters, at most %d)", len(pattern), maxPatternLength)
	}
	g := &globPattern{negate: strings.HasPrefix(pattern, "!")}
	if strings.HasPrefix(pattern, "#") {
		g.comment = true
		return g, nil
	}
	if pattern == "" {
		g.empty = true
		return g, nil
	}
	pattern = strings.TrimLeft(pattern, "!")

	seen := map[string]bool{}
	for _, p := range braceExpand(pattern) {
		if seen[p] {
			continue
		}
		seen[p] = true
		parts := levelOneOptimize(slashSplit(p))
		segs := make([]globSegment, len(parts))
		for i, part := range parts {
			seg, err := parseSegment(part)
			if err != nil {
				return nil, fmt.Errorf("exclude pattern %q: %w", pattern, err)
			}
			segs[i] = seg
		}
		g.set = append(g.set, segs)
	}
	return g, nil
}

// match reports whether the pattern (without its negation) matches the
// relative, '/'-separated path f, with matchBase: a pattern without a slash
// is matched against the last path segment only.
func (g *globPattern) match(f string) bool {
	if g.comment {
		return false
	}
	if g.empty {
		return f == ""
	}
	ff := slashSplit(f)
	filename := ff[len(ff)-1]
	for i := len(ff) - 2; filename == "" && i >= 0; i-- {
		filename = ff[i]
	}
	for _, pat := range g.set {
		file := ff
		if len(pat) == 1 {
			file = []string{filename}
		}
		if matchSegments(file, pat) {
			return true
		}
	}
	return false
}

// slashSplit is JavaScript's p.split(/\/+/): runs of slashes separate, so
// only a leading or trailing slash gives an empty segment.
func slashSplit(p string) []string {
	if !strings.Contains(p, "//") {
		return strings.Split(p, "/")
	}
	var out []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			out = append(out, p[start:i])
			for i+1 < len(p) && p[i+1] == '/' {
				i++
			}
			start = i + 1
		}
	}
	return out
}

// levelOneOptimize is minimatch's default pattern preprocessing: adjacent
// "**" collapse and "x/.." cancels out.
func levelOneOptimize(parts []string) []string {
	var out []string
	for _, part := range parts {
		prev := ""
		if len(out) > 0 {
			prev = out[len(out)-1]
		}
		if part == "**" && prev == "**" {
			continue
		}
		if part == ".." && prev != "" && prev != ".." && prev != "." && prev != "**" {
			out = out[:len(out)-1]
			continue
		}
		out = append(out, part)
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

// matchSegments matches path segments against pattern segments. A "**"
// consumes any number of segments none of which starts with a dot; a "**"
// that ends the pattern must consume at least one (so "a/**" does not match
// "a"), as in minimatch's globstar matching. Results are memoised by
// position, so many globstars cost O(segments × pattern) rather than
// exponential time.
func matchSegments(file []string, pat []globSegment) bool {
	m := segmentMatcher{file: file, pat: pat, memo: make([]int8, (len(file)+1)*(len(pat)+1))}
	return m.match(0, 0)
}

type segmentMatcher struct {
	file []string
	pat  []globSegment
	memo []int8 // 0 unknown, 1 match, 2 no match
}

func (m *segmentMatcher) match(fi, pi int) bool {
	key := fi*(len(m.pat)+1) + pi
	if v := m.memo[key]; v != 0 {
		return v == 1
	}
	ok := m.compute(fi, pi)
	m.memo[key] = 2
	if ok {
		m.memo[key] = 1
	}
	return ok
}

func (m *segmentMatcher) compute(fi, pi int) bool {
	for pi < len(m.pat) && !m.pat[pi].globstar {
		if fi == len(m.file) || !m.pat[pi].matches(m.file[fi]) {
			return false
		}
		fi, pi = fi+1, pi+1
	}
	if pi == len(m.pat) {
		return fi == len(m.file)
	}
	// m.pat[pi] is a globstar.
	if pi == len(m.pat)-1 {
		if fi == len(m.file) {
			return false
		}
		for _, f := range m.file[fi:] {
			if strings.HasPrefix(f, ".") {
				return false
			}
		}
		return true
	}
	for k := fi; k <= len(m.file); k++ {
		if k > fi && strings.HasPrefix(m.file[k-1], ".") {
			return false
		}
		if m.match(k, pi+1) {
			return true
		}
	}
	return false
}

func (s globSegment) matches(f string) bool {
	if !s.magic {
		return f == s.literal
	}
	return s.test(f)
}

// Shapes minimatch tests without a regular expression; they differ from the
// general rules only in taking backslashes in the extension literally.
var (
	starOnly   = regexp.MustCompile(`^\*+$`)
	starDotExt = regexp.MustCompile(`^\*+([^+@!?*\[(]*)$`)
	qmarksExt  = regexp.MustCompile(`^\?+([^+@!?*\[(]*)?$`)
)

// parseSegment compiles one path segment of a pattern.
func parseSegment(p string) (globSegment, error) {
	if p == "**" {
		return globSegment{globstar: true}, nil
	}
	if p == "" {
		return globSegment{}, nil
	}
	toks, magic, err := tokenizeSegment(p)
	if err != nil {
		return globSegment{}, err
	}
	switch {
	case starOnly.MatchString(p):
		return globSegment{magic: true, test: func(f string) bool {
			return f != "" && !strings.HasPrefix(f, ".")
		}}, nil
	case starDotExt.MatchString(p):
		ext := starDotExt.FindStringSubmatch(p)[1]
		return globSegment{magic: true, test: func(f string) bool {
			return !strings.HasPrefix(f, ".") && strings.HasSuffix(f, ext)
		}}, nil
	case qmarksExt.MatchString(p):
		m := qmarksExt.FindStringSubmatch(p)
		n, ext := utf16Len(m[0]), m[1]
		return globSegment{magic: true, test: func(f string) bool {
			return utf16Len(f) == n && !strings.HasPrefix(f, ".") && strings.HasSuffix(f, ext)
		}}, nil
	}
	if !magic {
		var lit strings.Builder
		for _, t := range toks {
			lit.WriteRune(t.char)
		}
		return globSegment{literal: lit.String()}, nil
	}
	// Without the dot option a segment whose first element is a wildcard
	// or a character class cannot match a name starting with ".".
	noDot := toks[0].kind != tokLiteral
	alts := splitAtPipes(toks)
	return globSegment{magic: true, test: func(f string) bool {
		rs := []rune(f)
		if len(alts) == 1 {
			return !(noDot && strings.HasPrefix(f, ".")) && matchTokens(toks, rs)
		}
		for i, alt := range alts {
			if i == 0 && noDot && strings.HasPrefix(f, ".") {
				continue // the look-ahead binds to the first alternative only
			}
			if matchTokens(alt, rs) {
				return true
			}
		}
		return false
	}}, nil
}

// splitAtPipes splits a segment at its escaped pipes into the alternatives
// of minimatch's regular expression: the first anchored at the start of the
// name, the last at its end, the others anywhere (hence the added stars).
func splitAtPipes(toks []globToken) [][]globToken {
	var parts [][]globToken
	start := 0
	for i, t := range toks {
		if t.kind == tokLiteral && t.pipe {
			parts = append(parts, toks[start:i])
			start = i + 1
		}
	}
	parts = append(parts, toks[start:])
	if len(parts) == 1 {
		return parts
	}
	star := globToken{kind: tokStar}
	alts := make([][]globToken, len(parts))
	for i, p := range parts {
		var alt []globToken
		if i > 0 {
			alt = append(alt, star)
		}
		alt = append(alt, p...)
		if i < len(parts)-1 {
			alt = append(alt, star)
		}
		alts[i] = alt
	}
	return alts
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

type tokKind int

const (
	tokLiteral tokKind = iota
	tokAny             // ?
	tokStar            // *
	tokClass           // [...]
	tokNever           // a class that matches nothing: the segment never matches
)

// globToken.pipe marks a literal "|" written escaped ("\|"). minimatch
// puts it into its regular expression unescaped, so in a segment with
// wildcards it splits the expression into alternatives: "^A|B$" matches a
// name that starts with A or ends with B. Dir reproduces that.

type globToken struct {
	kind  tokKind
	char  rune
	class *charClass
	pipe  bool
}

// tokenizeSegment splits a segment into tokens as minimatch's parseGlob
// does, and reports whether any is magic.
func tokenizeSegment(p string) ([]globToken, bool, error) {
	var toks []globToken
	magic := false
	rs := []rune(p)
	inStar := false
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if c == '*' {
			if !inStar {
				toks = append(toks, globToken{kind: tokStar})
				magic = true
			}
			inStar = true
			continue
		}
		inStar = false
		switch {
		case c == '\\':
			if i == len(rs)-1 {
				toks = append(toks, globToken{kind: tokLiteral, char: '\\'})
			} else {
				i++
				toks = append(toks, globToken{kind: tokLiteral, char: rs[i], pipe: rs[i] == '|'})
			}
			continue
		case strings.ContainsRune("!?+*@", c) && i+1 < len(rs) && rs[i+1] == '(':
			return nil, false, fmt.Errorf("extended glob %q is not supported", string(rs[i:]))
		case c == '[':
			cls, consumed, isMagic := parseClass(rs, i)
			if consumed > 0 {
				switch {
				case cls == nil:
					toks = append(toks, globToken{kind: tokNever})
				case !isMagic:
					toks = append(toks, globToken{kind: tokLiteral, char: cls.single})
				default:
					toks = append(toks, globToken{kind: tokClass, class: cls})
				}
				magic = magic || isMagic
				i += consumed - 1
				continue
			}
		case c == '?':
			toks = append(toks, globToken{kind: tokAny})
			magic = true
			continue
		}
		toks = append(toks, globToken{kind: tokLiteral, char: c})
	}
	return toks, magic, nil
}

// matchTokens matches a whole segment; a star matches any run of characters.
func matchTokens(toks []globToken, s []rune) bool {
	ti, si := 0, 0
	starTi, starSi := -1, 0
	for si < len(s) {
		if ti < len(toks) {
			t := toks[ti]
			switch t.kind {
			case tokStar:
				starTi, starSi = ti, si
				ti++
				continue
			case tokNever:
				return false
			case tokAny:
				ti++
				si++
				continue
			case tokLiteral:
				if s[si] == t.char {
					ti++
					si++
					continue
				}
			case tokClass:
				if t.class.matches(s[si]) {
					ti++
					si++
					continue
				}
			}
		}
		if starTi < 0 {
			return false
		}
		starSi++
		ti, si = starTi+1, starSi
	}
	for ti < len(toks) && toks[ti].kind == tokStar {
		ti++
	}
	return ti == len(toks)
}

// charClass is a bracket expression.
type charClass struct {
	negate bool
	ranges [][2]rune             // inclusive
	tables []*unicode.RangeTable // POSIX classes given as Unicode categories
	extra  string                // POSIX class members outside the tables
	negs   []*unicode.RangeTable // [:graph:] is "not these"
	single rune                  // the character of a one-character class
}

func (c *charClass) matches(r rune) bool {
	inRanges := false
	for _, rg := range c.ranges {
		if rg[0] <= r && r <= rg[1] {
			inRanges = true
			break
		}
	}
	if !inRanges && (len(c.tables) > 0 && unicode.IsOneOf(c.tables, r) || strings.ContainsRune(c.extra, r)) {
		inRanges = true
	}
	hasRanges := len(c.ranges) > 0 || len(c.tables) > 0 || c.extra != ""
	if len(c.negs) == 0 {
		return inRanges != c.negate
	}
	inNegs := unicode.IsOneOf(c.negs, r)
	// minimatch: ([ranges]|[^negs]) or, negated, ([^ranges]|[negs]).
	if c.negate {
		return hasRanges && !inRanges || inNegs
	}
	return inRanges || !inNegs
}

type posixClass struct {
	name   string
	tables []*unicode.RangeTable
	extra  string
	ranges [][2]rune
	neg    bool
}

// posixClasses are minimatch's, with its Unicode property translations.
var posixClasses = []posixClass{
	{name: "[:alnum:]", tables: []*unicode.RangeTable{unicode.L, unicode.Nl, unicode.Nd}},
	{name: "[:alpha:]", tables: []*unicode.RangeTable{unicode.L, unicode.Nl}},
	{name: "[:ascii:]", ranges: [][2]rune{{0, 0x7f}}},
	{name: "[:blank:]", tables: []*unicode.RangeTable{unicode.Zs}, extra: "\t"},
	{name: "[:cntrl:]", tables: []*unicode.RangeTable{unicode.Cc}},
	{name: "[:digit:]", tables: []*unicode.RangeTable{unicode.Nd}},
	{name: "[:graph:]", tables: []*unicode.RangeTable{unicode.Z, unicode.C}, neg: true},
	{name: "[:lower:]", tables: []*unicode.RangeTable{unicode.Ll}},
	{name: "[:print:]", tables: []*unicode.RangeTable{unicode.C}},
	{name: "[:punct:]", tables: []*unicode.RangeTable{unicode.P}},
	{name: "[:space:]", tables: []*unicode.RangeTable{unicode.Z}, extra: "\t\r\n\v\f"},
	{name: "[:upper:]", tables: []*unicode.RangeTable{unicode.Lu}},
	{name: "[:word:]", tables: []*unicode.RangeTable{unicode.L, unicode.Nl, unicode.Nd, unicode.Pc}},
	{name: "[:xdigit:]", ranges: [][2]rune{{'A', 'F'}, {'a', 'f'}, {'0', '9'}}},
}

// parseClass parses the bracket expression starting at rs[pos] == '[' as
// minimatch's parseClass does. consumed is 0 for an unclosed bracket (a
// literal "["). A nil class with consumed > 0 matches nothing (and, as in
// minimatch, swallows the rest of the segment). magic is false for a
// one-character class such as "[a]", which is just that character.
func parseClass(rs []rune, pos int) (cls *charClass, consumed int, magic bool) {
	c := &charClass{}
	i := pos + 1
	sawStart, escaping := false, false
	endPos := pos
	rangeStart := rune(-1)
	nItems := 0
	singleOK := true
loop:
	for i < len(rs) {
		ch := rs[i]
		if (ch == '!' || ch == '^') && i == pos+1 {
			c.negate = true
			i++
			continue
		}
		if ch == ']' && sawStart && !escaping {
			endPos = i + 1
			break
		}
		sawStart = true
		if ch == '\\' && !escaping {
			escaping = true
			i++
			continue
		}
		if ch == '[' && !escaping {
			for _, pc := range posixClasses {
				if strings.HasPrefix(string(rs[i:]), pc.name) {
					if rangeStart >= 0 {
						return nil, len(rs) - pos, true
					}
					i += len([]rune(pc.name))
					if pc.neg {
						c.negs = append(c.negs, pc.tables...)
					} else {
						c.tables = append(c.tables, pc.tables...)
						c.extra += pc.extra
						c.ranges = append(c.ranges, pc.ranges...)
					}
					nItems++
					singleOK = false
					continue loop
				}
			}
		}
		escaping = false
		if rangeStart >= 0 {
			if ch > rangeStart {
				c.ranges = append(c.ranges, [2]rune{rangeStart, ch})
				nItems++
				singleOK = false
			} else if ch == rangeStart {
				c.ranges = append(c.ranges, [2]rune{ch, ch})
				c.single = ch
				nItems++
			}
			rangeStart = -1
			i++
			continue
		}
		if i+2 < len(rs) && rs[i+1] == '-' && rs[i+2] == ']' {
			// "c-]": the character and a literal dash.
			c.ranges = append(c.ranges, [2]rune{ch, ch}, [2]rune{'-', '-'})
			nItems += 2
			i += 2
			continue
		}
		if i+1 < len(rs) && rs[i+1] == '-' {
			rangeStart = ch
			i += 2
			continue
		}
		c.ranges = append(c.ranges, [2]rune{ch, ch})
		c.single = ch
		nItems++
		i++
	}
	if endPos < i {
		return nil, 0, false
	}
	if nItems == 0 {
		return nil, len(rs) - pos, true
	}
	if nItems == 1 && singleOK && !c.negate && len(c.negs) == 0 {
		return c, endPos - pos, false
	}
	return c, endPos - pos, true
}

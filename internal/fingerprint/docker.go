package fingerprint

import (
	"fmt"
	"path"
	"regexp"
	"strings"
)

// dockerIgnorer is the CDK's DockerIgnoreStrategy, built on
// @balena/dockerignore 1.0.2 (a port of Moby's .dockerignore matching):
// patterns are cleaned paths matched case-insensitively against the path
// and against its leading directories, "**" spans directories, and a
// directory is only skipped as a whole when no "!" pattern could bring back
// something inside it.
type dockerIgnorer struct {
	rules    []dockerRule
	complete []dockerRule // rules plus the parents of negated patterns
}

type dockerRule struct {
	negative bool
	dirs     []string
	re       *regexp.Regexp
}

// negatedDockerPattern is the CDK's negativeIgnoreRegex.
var negatedDockerPattern = regexp.MustCompile(`^\s*(!|/!)(.*)`)

func newDockerIgnorer(patterns []string) (*dockerIgnorer, error) {
	d := &dockerIgnorer{}
	for _, p := range patterns {
		var err error
		if d.rules, err = addDockerPatterns(d.rules, p); err != nil {
			return nil, err
		}
		if d.complete, err = addDockerPatterns(d.complete, p); err != nil {
			return nil, err
		}
		if m := negatedDockerPattern.FindStringSubmatch(p); m != nil {
			dir := m[2]
			for {
				dir = path.Dir(dir)
				if dir == "/" || dir == "." {
					break
				}
				if d.complete, err = addDockerPatterns(d.complete, m[1]+dir); err != nil {
					return nil, err
				}
			}
		}
	}
	return d, nil
}

var crlfLines = regexp.MustCompile(`\r?\n`)

// addDockerPatterns adds each line of pattern as a rule.
func addDockerPatterns(rules []dockerRule, pattern string) ([]dockerRule, error) {
	for _, line := range crlfLines.Split(pattern, -1) {
		if line == "" || strings.HasPrefix(line, "#") || jsTrim(line) == "" {
			continue
		}
		rule, ok, err := newDockerRule(jsTrim(line))
		if err != nil {
			return nil, err
		}
		if ok {
			rules = append(rules, rule)
		}
	}
	return rules, nil
}

// jsTrim is JavaScript's String.prototype.trim for the ASCII and common
// Unicode white space a pattern might hold.
func jsTrim(s string) string {
	return strings.Trim(s, " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")
}

// cleanDockerPath is Node's path.normalize without a trailing slash.
func cleanDockerPath(p string) string { return path.Clean(p) }

func newDockerRule(pattern string) (dockerRule, bool, error) {
	negative := false
	if strings.HasPrefix(pattern, "!") {
		negative = true
		pattern = jsTrim(pattern[1:])
	}
	if pattern != "" {
		pattern = cleanDockerPath(pattern)
		if len(pattern) > 1 && pattern[0] == '/' {
			pattern = pattern[1:]
		}
	}
	if negative {
		pattern = "!" + pattern
	}
	pattern = jsTrim(pattern)
	if pattern == "" {
		return dockerRule{}, false, nil
	}
	pattern = cleanDockerPath(pattern)
	if pattern[0] == '!' {
		if len(pattern) == 1 {
			return dockerRule{}, false, nil
		}
		negative = true
		pattern = pattern[1:]
	} else {
		negative = false
	}
	re, err := compileDockerPattern(pattern)
	if err != nil {
		return dockerRule{}, false, err
	}
	return dockerRule{negative: negative, dirs: strings.Split(pattern, "/"), re: re}, true, nil
}

// compileDockerPattern translates a cleaned pattern to a regular expression
// as Moby does: "**" spans directories, "*" and "?" stay within one, "."
// and "$" are literal, a backslash escapes the next character and anything
// else is JavaScript regular-expression syntax (so "[a-z]" is a class),
// which jsRegexToGo carries over to Go.
func compileDockerPattern(pattern string) (*regexp.Regexp, error) {
	var re strings.Builder
	re.WriteString("^")
	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		switch ch := rs[i]; ch {
		case '*':
			if i+1 < len(rs) && rs[i+1] == '*' {
				i++
				if i+1 < len(rs) && rs[i+1] == '/' {
					i++
				}
				if i+1 >= len(rs) {
					re.WriteString(".*")
				} else {
					re.WriteString("(.*/)?")
				}
			} else {
				re.WriteString("[^/]*")
			}
		case '?':
			re.WriteString("[^/]")
		case '.', '$':
			re.WriteString(`\` + string(ch))
		case '\\':
			if i+1 < len(rs) {
				re.WriteString(`\` + string(rs[i+1]))
				i++
			} else {
				re.WriteString(`\`)
			}
		default:
			re.WriteRune(ch)
		}
	}
	re.WriteString("$")
	src, err := jsRegexToGo(re.String())
	if err != nil {
		return nil, fmt.Errorf("docker ignore pattern %q cannot be translated: %w", pattern, err)
	}
	compiled, err := regexp.Compile("(?i)" + src)
	if err != nil {
		return nil, fmt.Errorf("docker ignore pattern %q cannot be translated: %w", pattern, err)
	}
	return compiled, nil
}

func (d *dockerIgnorer) ignores(rel string) bool { return dockerIgnored(d.rules, rel) }

func (d *dockerIgnorer) completelyIgnores(rel string) bool {
	return dockerIgnored(d.rules, rel) && dockerIgnored(d.complete, rel)
}

// dockerIgnored is @balena/dockerignore's ignores(): each rule is tried on
// the path and, failing that, on its leading directories; the last rule
// that matches decides.
func dockerIgnored(rules []dockerRule, file string) bool {
	if file == "" {
		return true
	}
	parent := cleanDockerPath(path.Dir(file))
	parentDirs := strings.Split(parent, "/")
	matched := false
	for _, r := range rules {
		match := r.re.MatchString(file)
		if !match && parent != "." {
			if containsString(r.dirs, "**") {
				nonGlobstar := 0
				for _, d := range r.dirs {
					if d != "**" {
						nonGlobstar++
					}
				}
				for i := nonGlobstar; i <= len(parentDirs); i++ {
					match = match || r.re.MatchString(strings.Join(parentDirs[:i], "/"))
				}
			} else if len(r.dirs) <= len(parentDirs) {
				match = r.re.MatchString(strings.Join(parentDirs[:len(r.dirs)], "/"))
			}
		}
		if match {
			matched = !r.negative
		}
	}
	return matched
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

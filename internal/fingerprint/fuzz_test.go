package fingerprint

import (
	"testing"
)

// FuzzIgnorers checks that no pattern, in any mode, makes compiling or
// matching panic or take pathologically long; a pattern may be refused
// with an error.
func FuzzIgnorers(f *testing.F) {
	for _, seed := range []string{"*.js", "**/a/**", "{a,{b,c}}", "{1..3}", "[[:alpha:]-]x", "a\\", "!x", "#c", "[z-a]", "\\[a]", "a/**/", "${a,b}", "{}a"} {
		f.Add(seed, "a/b.js")
	}
	f.Fuzz(func(t *testing.T, pattern, path string) {
		for _, mode := range []IgnoreMode{IgnoreGlob, IgnoreDocker, IgnoreGit} {
			ign, err := newIgnorer(mode, []string{pattern})
			if err != nil {
				continue
			}
			ign.ignores(path)
			ign.completelyIgnores(path)
		}
	})
}

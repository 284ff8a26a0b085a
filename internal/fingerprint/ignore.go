package fingerprint

import "fmt"

// ignorer decides which relative, '/'-separated paths are excluded, as the
// CDK's IgnoreStrategy does.
type ignorer interface {
	// ignores reports whether the file (or link) at rel is excluded.
	ignores(rel string) bool
	// completelyIgnores reports whether the directory at rel and all that
	// is below it are excluded, so it need not be entered.
	completelyIgnores(rel string) bool
}

// newIgnorer compiles the exclude patterns for the mode ("" is glob).
func newIgnorer(mode IgnoreMode, patterns []string) (ignorer, error) {
	switch mode {
	case "", IgnoreGlob:
		g := globIgnorer{}
		for _, p := range patterns {
			c, err := compileGlob(p)
			if err != nil {
				return nil, err
			}
			g = append(g, c)
		}
		return g, nil
	case IgnoreDocker:
		return newDockerIgnorer(patterns)
	case IgnoreGit:
		return newGitIgnorer(patterns)
	default:
		return nil, fmt.Errorf("unknown ignore mode %q", mode)
	}
}

// globIgnorer is the CDK's GlobIgnoreStrategy: patterns apply in order, a
// matching pattern excludes and a matching "!" pattern includes again.
type globIgnorer []*globPattern

func (g globIgnorer) ignores(rel string) bool {
	excluded := false
	for _, p := range g {
		if p.match(rel) {
			excluded = !p.negate
		}
	}
	return excluded
}

func (g globIgnorer) completelyIgnores(rel string) bool { return g.ignores(rel) }

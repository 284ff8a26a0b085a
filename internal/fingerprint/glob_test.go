package fingerprint

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestGlobMatchesMinimatch replays testdata/minimatch.json: the answers
// minimatch 10.2.6, as bundled with aws-cdk-lib 2.276.0, gives for every
// pair of a list of patterns and a list of paths with the options the CDK's
// GlobIgnoreStrategy uses ({matchBase: true, flipNegate: true}).
func TestGlobMatchesMinimatch(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/minimatch.json")
	if err != nil {
		t.Fatal(err)
	}
	var data struct {
		Cases [][3]any `json:"cases"`
	}
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatal(err)
	}
	compiled := map[string]*globPattern{}
	failures := 0
	for _, c := range data.Cases {
		pattern, path, want := c[0].(string), c[1].(string), c[2].(bool)
		g, ok := compiled[pattern]
		if !ok {
			g, err = compileGlob(pattern)
			if err != nil {
				t.Fatalf("compileGlob(%q): %v", pattern, err)
			}
			compiled[pattern] = g
		}
		if got := g.match(path); got != want {
			failures++
			if failures <= 30 {
				t.Errorf("pattern %q on %q: match = %v, minimatch says %v", pattern, path, got, want)
			}
		}
	}
	if failures > 0 {
		t.Errorf("%d of %d pairs differ from minimatch", failures, len(data.Cases))
	}
}

func TestCompileGlobErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pattern string
		wantErr string
	}{
		{"fails on an extended glob", "+(a|b).js", "extended glob"},
		{"fails on a negated extended glob", "x!(y)", "extended glob"},
		{"fails on a pattern that is too long", strings.Repeat("a", maxPatternLength+1), "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := compileGlob(tt.pattern)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("compileGlob error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestBraceExpandMatchesMinimatch replays testdata/braces.json: what
// minimatch 10.2.6's braceExpand (brace-expansion 5.0.12) returns for each
// pattern.
func TestBraceExpandMatchesMinimatch(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/braces.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		pattern string
		want    []string
	}
	var rows [][2]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		var c struct {
			pattern string
			want    []string
		}
		if err := json.Unmarshal(r[0], &c.pattern); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(r[1], &c.want); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	for _, c := range cases {
		t.Run(c.pattern, func(t *testing.T) {
			t.Parallel()
			if got := braceExpand(c.pattern); !slices.Equal(got, c.want) {
				t.Errorf("braceExpand(%q) = %q, want %q", c.pattern, got, c.want)
			}
		})
	}
}

// TestGlobstarsAreNotExponential guards the memoised globstar matching: a
// dozen globstars against a deep path would take hours with plain
// backtracking.
func TestGlobstarsAreNotExponential(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pattern string
		path    string
		want    bool
	}{
		{"no match after trying every split", strings.Repeat("**/a/", 12) + "b", strings.Repeat("a/", 40) + "c", false},
		{"matches", strings.Repeat("**/a/", 12) + "c", strings.Repeat("a/", 40) + "c", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := compileGlob(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := g.match(tt.path); got != tt.want {
				t.Errorf("match = %v, want %v", got, tt.want)
			}
		})
	}
}

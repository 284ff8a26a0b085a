package fingerprint

import (
	"encoding/json"
	"os"
	"testing"
)

// TestIgnoreStrategiesMatchCDK replays testdata/dockerignore.json and
// testdata/gitignore.json: what aws-cdk-lib 2.276.0's DockerIgnoreStrategy
// and GitIgnoreStrategy answer for ignores and completelyIgnores on each
// pair of a pattern list and a path.
func TestIgnoreStrategiesMatchCDK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode IgnoreMode
		file string
	}{
		{IgnoreDocker, "testdata/dockerignore.json"},
		{IgnoreGit, "testdata/gitignore.json"},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			t.Parallel()
			replayIgnoreCases(t, tt.mode, tt.file)
		})
	}
}

func replayIgnoreCases(t *testing.T, mode IgnoreMode, file string) {
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var data struct {
		Cases []json.RawMessage `json:"cases"`
	}
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatal(err)
	}
	failures := 0
	for _, c := range data.Cases {
		var row []json.RawMessage
		var patterns []string
		var path string
		var wantIgnores, wantComplete bool
		if err := json.Unmarshal(c, &row); err != nil || len(row) != 4 {
			t.Fatalf("bad row %s", c)
		}
		for i, dst := range []any{&patterns, &path, &wantIgnores, &wantComplete} {
			if err := json.Unmarshal(row[i], dst); err != nil {
				t.Fatalf("bad row %s: %v", c, err)
			}
		}
		ign, err := newIgnorer(mode, patterns)
		if err != nil {
			t.Fatalf("patterns %q: %v", patterns, err)
		}
		gotIgnores, gotComplete := ign.ignores(path), ign.completelyIgnores(path)
		if gotIgnores != wantIgnores || gotComplete != wantComplete {
			failures++
			if failures <= 30 {
				t.Errorf("patterns %q on %q: ignores, completelyIgnores = %v, %v; the CDK says %v, %v",
					patterns, path, gotIgnores, gotComplete, wantIgnores, wantComplete)
			}
		}
	}
	if failures > 0 {
		t.Errorf("%d of %d cases differ from the CDK", failures, len(data.Cases))
	}
}

// TestIgnoreQuirks pins behaviours of the CDK's strategies that come from
// JavaScript regular expressions (answers from aws-cdk-lib 2.276.0).
func TestIgnoreQuirks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		mode     IgnoreMode
		patterns []string
		path     string
		want     bool
	}{
		{"glob escaped pipe with a wildcard splits minimatch's expression", IgnoreGlob, []string{`\|a?`}, "xyz", true},
		{"glob escaped pipe after a star matches everything", IgnoreGlob, []string{`x*\|`}, "anything", true},
		{"glob escaped pipe alternatives are anchored", IgnoreGlob, []string{`a*\|b`}, "zzz", false},
		{"glob escaped pipe without wildcards is a literal", IgnoreGlob, []string{`a\|b`}, "a|b", true},
		{"glob escaped pipe literal needs the pipe", IgnoreGlob, []string{`a\|b`}, "a", false},
		{"docker empty class matches nothing", IgnoreDocker, []string{"[a-c][]"}, "a", false},
		{"docker negated empty class matches anything", IgnoreDocker, []string{"[^]"}, "q", true},
		{"docker dot is literal", IgnoreDocker, []string{"a.b"}, "axb", false},
		{"docker caret after the anchor", IgnoreDocker, []string{"^x"}, "x", true},
		{"git empty class matches nothing", IgnoreGit, []string{"a[]"}, "a", false},
		{"git is case insensitive", IgnoreGit, []string{"*.js"}, "x.JS", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ign, err := newIgnorer(tt.mode, tt.patterns)
			if err != nil {
				t.Fatal(err)
			}
			if got := ign.ignores(tt.path); got != tt.want {
				t.Errorf("ignores(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

func TestIgnoreInvalidPatterns(t *testing.T) {
	t.Parallel()
	// The CDK throws "Nothing to repeat" for these; Go's regexp would
	// accept some of them, so the translation refuses them itself.
	tests := []struct {
		name    string
		mode    IgnoreMode
		pattern string
	}{
		{"fails on a quantifier after the start anchor", IgnoreDocker, "+x"},
		{"fails on a quantifier after an alternation", IgnoreDocker, "a|+"},
		{"fails on a back reference", IgnoreGit, `a\1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := newIgnorer(tt.mode, []string{tt.pattern}); err == nil {
				t.Errorf("newIgnorer(%s, %q) succeeded, want an error", tt.mode, tt.pattern)
			}
		})
	}
}

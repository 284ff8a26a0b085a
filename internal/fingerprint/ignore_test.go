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

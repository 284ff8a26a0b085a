package fingerprint

import (
	"encoding/json"
	"os"
	"testing"
)

// TestDockerIgnoreMatchesCDK replays testdata/dockerignore.json: what
// aws-cdk-lib 2.276.0's DockerIgnoreStrategy answers for ignores and
// completelyIgnores on each pair of a pattern list and a path.
func TestDockerIgnoreMatchesCDK(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/dockerignore.json")
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
		ign, err := newIgnorer(IgnoreDocker, patterns)
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

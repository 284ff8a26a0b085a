package cdklib

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// CheckParity compares gotJSON, the template eksforge synthesizes for the
// app of testdata/parity/<name>.js, with aws-cdk-lib's template for that
// app, in two subtests: "recorded" against testdata/parity/<name>.template.json
// (always; no Node.js needed), and "live" against a synthesis of the app by
// node (skipped with -short), which also fails when the recorded template
// is stale. compare makes the comparison: [CompareTemplates] when nil.
func CheckParity(t *testing.T, name string, gotJSON []byte, compare func(t testing.TB, want, got map[string]any)) {
	t.Helper()
	if compare == nil {
		compare = CompareTemplates
	}
	var got, recorded map[string]any
	if err := json.Unmarshal(gotJSON, &got); err != nil {
		t.Fatalf("eksforge's template: %v", err)
	}
	dir := filepath.Join("testdata", "parity")
	b, err := os.ReadFile(filepath.Join(dir, name+".template.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &recorded); err != nil {
		t.Fatalf("%s.template.json: %v", name, err)
	}
	t.Run("recorded", func(t *testing.T) { compare(t, recorded, got) })
	t.Run("live", func(t *testing.T) {
		if testing.Short() {
			t.Skip("runs node; skipped with -short")
		}
		live := Template(t, Synth(t, filepath.Join(dir, name+".js")), "Stack")
		compare(t, live, got)
		if diff := cmp.Diff(Resources(live), Resources(recorded)); diff != "" {
			t.Errorf("testdata/parity/%s.template.json is stale; regenerate it as %s.js says (-live +recorded):\n%s", name, name, diff)
		}
	})
}

package lambda_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// assetHash matches the SHA-256 hashes that name assets.
var assetHash = regexp.MustCompile(`[0-9a-f]{64}`)

// normalizeHashes replaces asset hashes (which depend on the Go release for
// Go code) with a placeholder, so goldens survive a Go upgrade.
func normalizeHashes(b []byte) []byte {
	return assetHash.ReplaceAll(b, []byte("<asset-hash>"))
}

// checkGolden compares the stack's template, asset hashes normalized, with
// testdata/<name>, as JSON; -update rewrites the file. It returns the path
// of the real template written to dir, for linting.
func checkGolden(t *testing.T, name string, stack *cdk.Stack, dir string) string {
	t.Helper()
	app := stack.Node().Root().(*cdk.App)
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatalf("synthesis failed: %v", err)
	}
	raw, _ := asm.TemplateOf(stack)
	lintPath := filepath.Join(dir, name)
	if err := os.WriteFile(lintPath, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	got := normalizeHashes(raw)
	path := filepath.Join("testdata", name)
	if synthtest.Updating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return lintPath
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("template differs from %s (go test -update rewrites it); got:\n%s", path, got)
	}
	return lintPath
}

// copyTree copies the directory src to dst (files only, modes kept).
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// helloModule copies testdata/hello (a tiny module with a main package) to
// a new temporary directory, its files dated an hour back so gobuild may
// keep stamps for them, and returns the copy.
func helloModule(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "hello")
	copyTree(t, "testdata/hello", dir)
	backdate(t, dir)
	return dir
}

// backdate sets the times of everything under dir an hour back.
func backdate(t testing.TB, dir string) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	err := filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, old, old)
	})
	if err != nil {
		t.Fatal(err)
	}
}

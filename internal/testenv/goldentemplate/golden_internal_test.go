package goldentemplate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// errorRecorder collects Errorf messages instead of failing the test.
type errorRecorder struct {
	testing.TB
	errs []string
}

func (r *errorRecorder) Helper() {}
func (r *errorRecorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestCompare(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("A.template.json", "{\n  \"a\": 1,\n  \"b\": 2\n}\n")
	write("Gone.template.json", "{}\n")
	got := map[string][]byte{"A.template.json": []byte("{\n  \"a\": 1,\n  \"b\": 3\n}\n")}

	rec := &errorRecorder{TB: t}
	compare(rec, dir, got, false)
	all := strings.Join(rec.errs, "\n")
	for _, want := range []string{"Gone.template.json matches no stack", "- golden, + synthesized", "-   \"b\": 2", "+   \"b\": 3"} {
		if !strings.Contains(all, want) {
			t.Errorf("errors lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "\"a\": 1\n}") {
		t.Errorf("the whole template was printed instead of a diff:\n%s", all)
	}

	rec = &errorRecorder{TB: t}
	compare(rec, dir, got, true)
	if len(rec.errs) != 0 {
		t.Fatalf("update reported errors: %v", rec.errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "Gone.template.json")); !os.IsNotExist(err) {
		t.Errorf("update kept the stale golden file: %v", err)
	}
	compare(rec, dir, got, false)
	if len(rec.errs) != 0 {
		t.Errorf("after update: %v", rec.errs)
	}
}

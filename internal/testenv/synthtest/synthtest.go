// Package synthtest holds what the construct packages' tests share: a stack
// to build in, synthesis in memory, golden templates rewritten with
// -update, and checks of error and panic messages. It is for tests of
// eksforge's own packages; users test with cdk/assertions.
package synthtest

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
)

// update is the -update flag of every test binary that imports synthtest:
// golden files are rewritten instead of compared.
var update = flag.Bool("update", false, "rewrite the golden templates in testdata/")

// Updating reports whether -update was given.
func Updating() bool { return *update }

// NewStack returns a new app with one stack named "Stack", in env when
// given, else environment-agnostic.
func NewStack(env ...cdk.Environment) (*cdk.App, *cdk.Stack) {
	app := cdk.NewApp(cdk.AppProps{})
	props := cdk.StackProps{}
	if len(env) > 0 {
		props.Env = env[0]
	}
	return app, cdk.NewStack(app, "Stack", props)
}

// SynthError synthesizes app in memory and returns its error, or "".
func SynthError(t testing.TB, app *cdk.App) string {
	t.Helper()
	_, err := app.Synth(cdk.InMemory())
	if err == nil {
		return ""
	}
	return err.Error()
}

// TemplateJSON synthesizes stack's app in memory and returns the stack's
// template as written.
func TemplateJSON(t testing.TB, stack *cdk.Stack) []byte {
	t.Helper()
	app, ok := stack.Node().Root().(*cdk.App)
	if !ok {
		t.Fatalf("stack %s is not in an App", stack.Node().Path())
	}
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatalf("synthesis failed: %v", err)
	}
	b, ok := asm.TemplateOf(stack)
	if !ok {
		t.Fatalf("no template for %s", stack.Node().Path())
	}
	return b
}

// Template is TemplateJSON decoded.
func Template(t testing.TB, stack *cdk.Stack) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(TemplateJSON(t, stack), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// CheckGolden compares stack's template with testdata/<name> as JSON, or
// rewrites the file with -update, and returns the file's path.
func CheckGolden(t testing.TB, name string, stack *cdk.Stack) string {
	t.Helper()
	return CheckGoldenBytes(t, filepath.Join("testdata", name), TemplateJSON(t, stack))
}

// CheckGoldenBytes compares got, a JSON document, with the file at path as
// JSON, or rewrites the file with -update, and returns path.
func CheckGoldenBytes(t testing.TB, path string, got []byte) string {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
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
	return path
}

// WantErrors fails unless msg is non-empty and holds every fragment.
func WantErrors(t testing.TB, msg string, fragments ...string) {
	t.Helper()
	if msg == "" {
		t.Fatalf("synthesis succeeded; want an error with %q", fragments)
	}
	for _, f := range fragments {
		if !strings.Contains(msg, f) {
			t.Errorf("error does not mention %q:\n%s", f, msg)
		}
	}
}

// MustPanic runs f, fails the test unless it panics, and returns the panic's
// message.
func MustPanic(t testing.TB, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatalf("no panic")
		}
		switch v := r.(type) {
		case string:
			msg = v
		case error:
			msg = v.Error()
		default:
			msg = fmt.Sprint(v)
		}
	}()
	f()
	return ""
}

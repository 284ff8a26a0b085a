package s3_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/")

func newStack(env ...cdk.Environment) (*cdk.App, *cdk.Stack) {
	app := cdk.NewApp(cdk.AppProps{})
	props := cdk.StackProps{}
	if len(env) > 0 {
		props.Env = env[0]
	}
	return app, cdk.NewStack(app, "Stack", props)
}

// synthError synthesizes the app and returns its error ("" when none).
func synthError(t *testing.T, app *cdk.App) string {
	t.Helper()
	_, err := app.Synth(cdk.InMemory())
	if err == nil {
		return ""
	}
	return err.Error()
}

// templateJSON synthesizes stack's app and returns the stack's template.
func templateJSON(t *testing.T, stack *cdk.Stack) []byte {
	t.Helper()
	app := stack.Node().Root().(*cdk.App)
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

// checkGolden compares the stack's template with testdata/<name>, as JSON;
// -update rewrites the file. It returns the golden's path.
func checkGolden(t *testing.T, name string, stack *cdk.Stack) string {
	t.Helper()
	got := templateJSON(t, stack)
	path := filepath.Join("testdata", name)
	if *update {
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

// wantErrors fails unless msg holds every fragment.
func wantErrors(t *testing.T, msg string, fragments ...string) {
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

// mustPanic runs f and returns the panic message.
func mustPanic(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatalf("no panic")
		}
		msg, _ = r.(string)
		if msg == "" {
			msg = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(toString(r)), "\n", " "), "  ", " "))
		}
	}()
	f()
	return ""
}

func toString(v any) string {
	if s, ok := v.(interface{ Error() string }); ok {
		return s.Error()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

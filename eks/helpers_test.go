package eks_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
)

var Match = assertions.Match

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

// wantError fails unless synthesis fails with every one of the fragments.
func wantError(t *testing.T, app *cdk.App, fragments ...string) {
	t.Helper()
	got := synthError(t, app)
	if got == "" {
		t.Fatalf("synthesis succeeded, want an error containing %q", fragments)
	}
	for _, f := range fragments {
		if !strings.Contains(got, f) {
			t.Errorf("error lacks %q:\n%s", f, got)
		}
	}
}

// templateOf synthesizes the stack and returns its template, decoded.
func templateOf(t *testing.T, stack *cdk.Stack) map[string]any {
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
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// resourcesOfType returns the logical ids and resources of a type.
func resourcesOfType(tmpl map[string]any, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range tmpl["Resources"].(map[string]any) {
		rm := r.(map[string]any)
		if rm["Type"] == typ {
			out[id] = rm
		}
	}
	return out
}

package assertions

import (
	"encoding/json"

	"github.com/eksforge/eksforge/cdk"
)

// FromStack synthesizes the app that holds stack (in memory: nothing is
// written) and returns stack's template; nested stacks work too. A synthesis
// error stops the test with t.Fatalf, showing every problem.
func FromStack(t TB, stack *cdk.Stack, opts ...TemplateParsingOptions) *Template {
	t.Helper()
	app, ok := stack.Node().Root().(*cdk.App)
	if !ok {
		t.Fatalf("assertions: stack %q is not in a cdk.App", stack.Node().Path())
		return FromJSON(t, map[string]any{})
	}
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatalf("assertions: synthesis failed: %v", err)
		return FromJSON(t, map[string]any{})
	}
	body, ok := asm.TemplateOf(stack)
	if !ok {
		t.Fatalf("assertions: no template for stack %q", stack.Node().Path())
		return FromJSON(t, map[string]any{})
	}
	var tmpl map[string]any
	if err := json.Unmarshal(body, &tmpl); err != nil {
		t.Fatalf("assertions: template of %q is not JSON: %v", stack.Node().Path(), err)
		return FromJSON(t, map[string]any{})
	}
	return FromJSON(t, tmpl, opts...)
}

package customresources_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// userFunction is a user handler (inline Node.js, as in the AWS CDK's
// tests).
func userFunction(s cdk.Construct, id string) *lambda.Function {
	return lambda.NewFunction(s, id, lambda.FunctionProps{
		Runtime: lambda.RuntimeNodejs22X, Handler: "index.handler", Code: lambda.CodeFromInline("exports.handler = async () => ({})"),
	})
}

var assetHash = regexp.MustCompile(`[0-9a-f]{64}`)

// checkGolden compares the stack's template, asset hashes normalized (the
// framework's hash changes with every edit of its sources), with
// testdata/<name>; -update rewrites it. It writes the real template to dir
// and returns that path, for linting.
func checkGolden(t *testing.T, name string, stack *cdk.Stack, dir string) (string, map[string]any) {
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
	var tmpl map[string]any
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	got := assetHash.ReplaceAll(raw, []byte("<asset-hash>"))
	path := filepath.Join("testdata", name)
	if synthtest.Updating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return lintPath, tmpl
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
	return lintPath, tmpl
}

// definitionOf renders a DefinitionString (a string or an Fn::Join of
// strings and Fn::GetAtt) with every GetAtt replaced by a Lambda ARN named
// after the logical ID, so it can be parsed as JSON.
func definitionOf(t *testing.T, v any) string {
	t.Helper()
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		join, ok := x["Fn::Join"].([]any)
		if !ok || len(join) != 2 || join[0] != "" {
			t.Fatalf("DefinitionString is %v, want a string or an Fn::Join", v)
		}
		var b strings.Builder
		for _, part := range join[1].([]any) {
			switch p := part.(type) {
			case string:
				b.WriteString(p)
			case map[string]any:
				att, ok := p["Fn::GetAtt"].([]any)
				if !ok || att[1] != "Arn" {
					t.Fatalf("unexpected part %v in DefinitionString", p)
				}
				b.WriteString("arn:aws:lambda:us-east-1:123456789012:function:" + att[0].(string))
			}
		}
		return b.String()
	}
	t.Fatalf("DefinitionString is %T", v)
	return ""
}

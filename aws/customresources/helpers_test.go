package customresources_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/cdk"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/")

func newStack() (*cdk.App, *cdk.Stack) {
	app := cdk.NewApp(cdk.AppProps{})
	return app, cdk.NewStack(app, "Stack", cdk.StackProps{})
}

// userFunction is a user handler (inline Node.js, as in the AWS CDK's
// tests).
func userFunction(s cdk.Construct, id string) *lambda.Function {
	return lambda.NewFunction(s, id, lambda.FunctionProps{
		Runtime: lambda.RuntimeNodejs22X, Handler: "index.handler", Code: lambda.CodeFromInline("exports.handler = async () => ({})"),
	})
}

func synthError(t *testing.T, app *cdk.App) string {
	t.Helper()
	_, err := app.Synth(cdk.InMemory())
	if err == nil {
		return ""
	}
	return err.Error()
}

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

func mustPanic(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatalf("no panic")
		}
		msg = fmt.Sprint(r)
	}()
	f()
	return ""
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
	if *update {
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

// validateASL checks a state machine definition against the rules of the
// Amazon States Language that can be checked structurally, for the state
// types the waiter uses (a copy of the check in handlers/provider/spec's
// tests, which cannot be imported from a _test file).
func validateASL(def string) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(def), &top); err != nil {
		return fmt.Errorf("definition is not a JSON object: %w", err)
	}
	for k := range top {
		if !slices.Contains([]string{"Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"}, k) {
			return fmt.Errorf("unknown top-level field %q", k)
		}
	}
	var m struct {
		StartAt string
		States  map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal([]byte(def), &m); err != nil {
		return err
	}
	if m.StartAt == "" || len(m.States) == 0 {
		return fmt.Errorf("StartAt and States are required")
	}
	if _, ok := m.States[m.StartAt]; !ok {
		return fmt.Errorf("StartAt %q names no state", m.StartAt)
	}
	str := func(raw json.RawMessage) (string, error) {
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	edges := map[string][]string{}
	terminal := map[string]bool{}
	for name, st := range m.States {
		if len(name) == 0 || len(name) > 80 {
			return fmt.Errorf("state name %q must be 1 to 80 characters", name)
		}
		typ, err := str(st["Type"])
		if err != nil {
			return fmt.Errorf("state %q: Type missing or not a string", name)
		}
		allowed := map[string][]string{
			"Task":    {"Type", "Comment", "Resource", "Retry", "Catch", "Next", "End", "TimeoutSeconds", "HeartbeatSeconds", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector"},
			"Pass":    {"Type", "Comment", "Next", "End", "Result", "ResultPath", "Parameters", "InputPath", "OutputPath"},
			"Wait":    {"Type", "Comment", "Next", "End", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "InputPath", "OutputPath"},
			"Succeed": {"Type", "Comment", "InputPath", "OutputPath"},
			"Fail":    {"Type", "Comment", "Error", "Cause"},
		}[typ]
		if allowed == nil {
			return fmt.Errorf("state %q: unsupported Type %q", name, typ)
		}
		for k := range st {
			if !slices.Contains(allowed, k) {
				return fmt.Errorf("state %q: field %q not allowed in a %s state", name, k, typ)
			}
		}
		_, hasNext := st["Next"]
		var end bool
		if raw, ok := st["End"]; ok {
			if err := json.Unmarshal(raw, &end); err != nil {
				return fmt.Errorf("state %q: End is not a boolean", name)
			}
		}
		switch typ {
		case "Succeed", "Fail":
			terminal[name] = true
		default:
			if hasNext == end {
				return fmt.Errorf("state %q: exactly one of Next and End:true is required", name)
			}
			if end {
				terminal[name] = true
			} else {
				next, err := str(st["Next"])
				if err != nil {
					return fmt.Errorf("state %q: Next is not a string", name)
				}
				edges[name] = append(edges[name], next)
			}
		}
		if typ == "Task" {
			res, err := str(st["Resource"])
			if err != nil || !strings.HasPrefix(res, "arn:") {
				return fmt.Errorf("state %q: Resource must be an ARN", name)
			}
		}
		if raw, ok := st["Retry"]; ok {
			var rs []map[string]json.RawMessage
			if err := json.Unmarshal(raw, &rs); err != nil {
				return fmt.Errorf("state %q: Retry is not an array of objects", name)
			}
			for i, r := range rs {
				for k := range r {
					if !slices.Contains([]string{"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"}, k) {
						return fmt.Errorf("state %q: Retry[%d] has unknown field %q", name, i, k)
					}
				}
				if err := checkErrorEquals(r["ErrorEquals"], i == len(rs)-1); err != nil {
					return fmt.Errorf("state %q: Retry[%d]: %w", name, i, err)
				}
				var f struct{ IntervalSeconds, MaxAttempts, BackoffRate *float64 }
				b, _ := json.Marshal(r)
				if err := json.Unmarshal(b, &f); err != nil {
					return fmt.Errorf("state %q: Retry[%d]: %w", name, i, err)
				}
				if f.IntervalSeconds != nil && (*f.IntervalSeconds < 1 || *f.IntervalSeconds != math.Trunc(*f.IntervalSeconds) || *f.IntervalSeconds > 99999999) {
					return fmt.Errorf("state %q: Retry[%d]: IntervalSeconds %v must be a positive integer", name, i, *f.IntervalSeconds)
				}
				if f.MaxAttempts != nil && (*f.MaxAttempts < 0 || *f.MaxAttempts != math.Trunc(*f.MaxAttempts) || *f.MaxAttempts > 99999999) {
					return fmt.Errorf("state %q: Retry[%d]: MaxAttempts %v must be a non-negative integer", name, i, *f.MaxAttempts)
				}
				if f.BackoffRate != nil && *f.BackoffRate < 1 {
					return fmt.Errorf("state %q: Retry[%d]: BackoffRate %v must be at least 1.0", name, i, *f.BackoffRate)
				}
			}
		}
		if raw, ok := st["Catch"]; ok {
			var cs []map[string]json.RawMessage
			if err := json.Unmarshal(raw, &cs); err != nil {
				return fmt.Errorf("state %q: Catch is not an array of objects", name)
			}
			for i, c := range cs {
				for k := range c {
					if !slices.Contains([]string{"ErrorEquals", "Next", "ResultPath", "Comment"}, k) {
						return fmt.Errorf("state %q: Catch[%d] has unknown field %q", name, i, k)
					}
				}
				if err := checkErrorEquals(c["ErrorEquals"], i == len(cs)-1); err != nil {
					return fmt.Errorf("state %q: Catch[%d]: %w", name, i, err)
				}
				next, err := str(c["Next"])
				if err != nil || next == "" {
					return fmt.Errorf("state %q: Catch[%d]: Next is required", name, i)
				}
				if rp, ok := c["ResultPath"]; ok {
					p, err := str(rp)
					if err != nil || !strings.HasPrefix(p, "$") {
						return fmt.Errorf("state %q: Catch[%d]: ResultPath %s is not a reference path", name, i, rp)
					}
				}
				edges[name] = append(edges[name], next)
			}
		}
	}
	for from, tos := range edges {
		for _, to := range tos {
			if _, ok := m.States[to]; !ok {
				return fmt.Errorf("state %q: transition to unknown state %q", from, to)
			}
		}
	}
	seen := map[string]bool{m.StartAt: true}
	queue := []string{m.StartAt}
	reachTerminal := false
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		reachTerminal = reachTerminal || terminal[s]
		for _, n := range edges[s] {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	for name := range m.States {
		if !seen[name] {
			return fmt.Errorf("state %q is unreachable from StartAt", name)
		}
	}
	if !reachTerminal {
		return fmt.Errorf("no terminal state is reachable")
	}
	return nil
}

func checkErrorEquals(raw json.RawMessage, last bool) error {
	var errs []string
	if err := json.Unmarshal(raw, &errs); err != nil || len(errs) == 0 {
		return fmt.Errorf("ErrorEquals must be a non-empty array of strings")
	}
	for _, e := range errs {
		if e == "" {
			return fmt.Errorf("ErrorEquals holds an empty name")
		}
		if e == "States.ALL" && (len(errs) != 1 || !last) {
			return fmt.Errorf("States.ALL must appear alone, in the last element")
		}
	}
	return nil
}

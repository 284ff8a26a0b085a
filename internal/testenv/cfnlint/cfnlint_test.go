package cfnlint_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/internal/testenv/cfnlint"
)

// Templates, by behaviour. Each is linted in one cfn-lint run below.
const (
	validTemplate = `{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}`

	unknownPropertyTemplate = `{
  "Resources": {
    "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"Bogus": 1}}
  }
}`

	unusedParameterTemplate = `{
  "Parameters": {"Unused": {"Type": "String"}},
  "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}
}`

	// What the AWS CDK's DefaultStackSynthesizer adds to every stack.
	bootstrapVersionTemplate = `{
  "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
  "Parameters": {
    "BootstrapVersion": {
      "Type": "AWS::SSM::Parameter::Value<String>",
      "Default": "/cdk-bootstrap/hnb659fds/version",
      "Description": "Version of the CDK Bootstrap resources in this environment, automatically retrieved from SSM Parameter Store. [cdk:skip]"
    }
  },
  "Rules": {
    "CheckBootstrapVersion": {
      "Assertions": [{
        "Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2", "3", "4", "5"], {"Ref": "BootstrapVersion"}]}]},
        "AssertDescription": "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI."
      }]
    }
  }
}`

	unparsableTemplate = `{"Resources": `
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFindings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name     string
		file     string
		template string
		want     []string // Finding.String() without the location
	}{
		{name: "finds nothing in a valid template", file: "valid.template.json", template: validTemplate},
		{name: "finds nothing in the CDK bootstrap version check", file: "bootstrap.template.json", template: bootstrapVersionTemplate},
		{name: "reads a file name with glob characters", file: "glob[1]*?.template.json", template: validTemplate},
		{
			name: "fails an unknown resource property with E3002", file: "unknown-property.template.json", template: unknownPropertyTemplate,
			want: []string{"E3002 Resources/Topic/Properties/Bogus: Additional properties are not allowed ('Bogus' was unexpected)"},
		},
		{
			name: "warns about an unused parameter with W2001", file: "unused-parameter.template.json", template: unusedParameterTemplate,
			want: []string{"W2001 Parameters/Unused: Parameter Unused not used."},
		},
		{
			name: "fails an unparsable file with E0000", file: "unparsable.template.json", template: unparsableTemplate,
			want: []string{"E0000: "},
		},
	}
	var paths []string
	for _, tt := range tests {
		paths = append(paths, write(t, dir, tt.file, tt.template))
	}
	// One run for all: cfn-lint's start-up dominates.
	findings, err := cfnlint.Findings(paths...)
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range findings {
				if f.File != paths[i] {
					continue
				}
				if f.Line < 1 || f.Column < 1 {
					t.Errorf("finding %v has no location", f)
				}
				s := strings.TrimSuffix(f.String(), fmt.Sprintf(" (%s:%d:%d)", f.File, f.Line, f.Column))
				if strings.HasPrefix(s, "E0000: ") {
					s = "E0000: " // the YAML parser's message varies
				}
				got = append(got, s)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFindingsReportsMissingFile(t *testing.T) {
	t.Parallel()
	findings, err := cfnlint.Findings(filepath.Join(t.TempDir(), "missing.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) != 1 || findings[0].Rule != "E0003" || !findings[0].IsError() {
		t.Errorf("findings = %v, want one E0003 error", findings)
	}
}

// recorder is a testing.TB that records failures and logs instead of
// reporting them. Call it through run.
type recorder struct {
	testing.TB
	errors, logs []string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Logf(format string, a ...any) { r.logs = append(r.logs, fmt.Sprintf(format, a...)) }
func (r *recorder) Errorf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}
func (r *recorder) Fatal(a ...any) { r.errors = append(r.errors, fmt.Sprint(a...)); panic(r) }
func (r *recorder) Fatalf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
	panic(r)
}

// run calls f with a recorder, stopping at its first Fatal.
func run(t *testing.T, f func(testing.TB)) *recorder {
	r := &recorder{TB: t}
	func() {
		defer func() {
			if p := recover(); p != nil && p != r {
				panic(p)
			}
		}()
		f(r)
	}()
	return r
}

func TestLintFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := write(t, dir, "bad.template.json", unknownPropertyTemplate)
	warn := write(t, dir, "warn.template.json", unusedParameterTemplate)
	good := write(t, dir, "good.template.json", validTemplate)

	t.Run("fails listing every error and logs warnings", func(t *testing.T) {
		t.Parallel()
		r := run(t, func(tb testing.TB) { cfnlint.LintFiles(tb, bad, warn, good) })
		if len(r.errors) != 1 || !strings.Contains(r.errors[0], "cfn-lint found 1 error(s)") ||
			!strings.Contains(r.errors[0], "E3002 Resources/Topic/Properties/Bogus: Additional properties are not allowed") {
			t.Errorf("errors = %q, want one listing E3002 at Resources/Topic/Properties/Bogus", r.errors)
		}
		if len(r.logs) != 1 || !strings.Contains(r.logs[0], "cfn-lint warning: W2001 Parameters/Unused") {
			t.Errorf("logs = %q, want the W2001 warning", r.logs)
		}
	})
	t.Run("passes valid templates and warnings", func(t *testing.T) {
		t.Parallel()
		r := run(t, func(tb testing.TB) { cfnlint.LintFiles(tb, warn, good) })
		if len(r.errors) != 0 {
			t.Errorf("errors = %q, want none", r.errors)
		}
	})
}

func TestLintDir(t *testing.T) {
	t.Parallel()
	t.Run("lints the stacks of an assembly and skips assets", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		write(t, dir, "manifest.json", `{"version": "55.0.0"}`)
		write(t, dir, "Stack.template.json", bootstrapVersionTemplate)
		write(t, dir, "StackNested.nested.template.json", validTemplate)
		write(t, dir, "assembly-Stage/StageStack.template.json", unknownPropertyTemplate)
		write(t, dir, "asset.0123abcd/user.template.json", unknownPropertyTemplate)
		r := run(t, func(tb testing.TB) { cfnlint.LintDir(tb, dir) })
		if len(r.errors) != 1 || !strings.Contains(r.errors[0], "StageStack.template.json") ||
			strings.Contains(r.errors[0], "user.template.json") {
			t.Errorf("errors = %q, want one for the nested assembly's StageStack only", r.errors)
		}
	})
	t.Run("fails a directory without templates", func(t *testing.T) {
		t.Parallel()
		r := run(t, func(tb testing.TB) { cfnlint.LintDir(tb, t.TempDir()) })
		if len(r.errors) != 1 || !strings.Contains(r.errors[0], "no *.template.json") {
			t.Errorf("errors = %q, want a 'no *.template.json' failure", r.errors)
		}
	})
}

func TestFindingString(t *testing.T) {
	t.Parallel()
	f := cfnlint.Finding{
		File: "a.template.json", Rule: "E3012", Level: cfnlint.LevelError, Message: "bad",
		Path: []any{"Resources", "R", "Properties", "List", float64(0)}, Line: 3, Column: 7,
	}
	if got, want := f.String(), "E3012 Resources/R/Properties/List/0: bad (a.template.json:3:7)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

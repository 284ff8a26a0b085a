package cfnlint

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// EnvVar names the environment variable that, when set, holds the cfn-lint
// command to run (a path or a name on PATH).
const EnvVar = "EKSFORGE_CFN_LINT"

// Timeout bounds one cfn-lint run.
const Timeout = 10 * time.Minute

// Level is the severity of a [Finding], as cfn-lint names it.
type Level string

// The levels cfn-lint reports.
const (
	LevelError         Level = "Error"
	LevelWarning       Level = "Warning"
	LevelInformational Level = "Informational"
)

// Finding is one problem cfn-lint found in a template.
type Finding struct {
	// File is the template, as it was passed to cfn-lint; empty for a
	// finding about the run itself (E0003: a file it could not open).
	File string
	// Rule is the rule id, such as "E3002" or "W2001". Its first letter
	// matches Level.
	Rule string
	// Level is the severity.
	Level Level
	// Message says what is wrong.
	Message string
	// Path locates the problem in the template, such as
	// ["Resources", "Topic", "Properties", "Bogus"]; list indexes are
	// float64s as JSON decodes them. Empty for a file that does not parse.
	Path []any
	// Line and Column are where the problem starts in the file, from 1.
	Line, Column int
}

// IsError reports whether f is error-level: a template CloudFormation
// would refuse, or a file cfn-lint could not read.
func (f Finding) IsError() bool { return f.Level == LevelError }

// String formats f as "E3002 Resources/Topic/Properties/Bogus: message
// (file:line:col)".
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.Rule)
	if len(f.Path) > 0 {
		parts := make([]string, len(f.Path))
		for i, p := range f.Path {
			parts[i] = fmt.Sprint(p)
		}
		b.WriteString(" " + strings.Join(parts, "/"))
	}
	b.WriteString(": " + f.Message)
	if f.File != "" {
		fmt.Fprintf(&b, " (%s:%d:%d)", f.File, f.Line, f.Column)
	}
	return b.String()
}

// match is one element of cfn-lint's --format json output.
type match struct {
	Filename *string
	Level    string
	Message  string
	Location struct {
		Path  []any
		Start struct{ LineNumber, ColumnNumber int }
	}
	Rule struct{ Id string }
}

var linter struct {
	once sync.Once
	argv []string // the command, before cfn-lint's own arguments
	err  error
}

// command returns the argv prefix that runs cfn-lint.
func command() ([]string, error) {
	linter.once.Do(func() {
		if c := os.Getenv(EnvVar); c != "" {
			p, err := exec.LookPath(c)
			if err != nil {
				linter.err = fmt.Errorf("%s=%q: %w", EnvVar, c, err)
				return
			}
			linter.argv = []string{p}
			return
		}
		if p, err := exec.LookPath("cfn-lint"); err == nil {
			linter.argv = []string{p}
			return
		}
		// cfn-lint 1.x has no cfnlint/__main__.py, so `python3 -m cfnlint`
		// does not run; call the console script's entry point instead.
		const runner = "import sys; from cfnlint.runner import main; sys.exit(main())"
		if p, err := exec.LookPath("python3"); err == nil {
			if exec.Command(p, "-c", "import cfnlint.runner").Run() == nil {
				linter.argv = []string{p, "-c", runner}
				return
			}
		}
		linter.err = errors.New("cfn-lint not found: neither cfn-lint on PATH nor the cfnlint module of python3; " +
			"install it with `python3 -m pip install cfn-lint==1.51.0`, or set " + EnvVar + " to its path")
	})
	return linter.argv, linter.err
}

// globEscape quotes the glob metacharacters cfn-lint would expand in a
// file argument (it passes every template path through Python's glob).
func globEscape(path string) string {
	if !strings.ContainsAny(path, "*?[") {
		return path
	}
	var b strings.Builder
	for _, r := range path {
		switch r {
		case '*', '?', '[':
			b.WriteString("[" + string(r) + "]")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Findings runs cfn-lint once on the given templates and returns every
// finding, errors, warnings and informational ones alike. The error is for a
// failure to run cfn-lint or read its output, not for findings.
func Findings(templatePaths ...string) ([]Finding, error) {
	if len(templatePaths) == 0 {
		return nil, nil
	}
	argv, err := command()
	if err != nil {
		return nil, err
	}
	args := append(argv[1:len(argv):len(argv)], "--format", "json", "--")
	for _, p := range templatePaths {
		args = append(args, globEscape(p))
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var exit *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exit) {
		return nil, fmt.Errorf("unable to run %s: %w", argv[0], runErr)
	}
	var matches []match
	if err := json.Unmarshal(stdout.Bytes(), &matches); err != nil {
		return nil, fmt.Errorf("unable to read the output of %s (%v): %w\nstdout:\n%s\nstderr:\n%s",
			strings.Join(argv, " "), runErr, err, stdout.String(), stderr.String())
	}
	findings := make([]Finding, 0, len(matches))
	for _, m := range matches {
		f := Finding{
			Rule:    m.Rule.Id,
			Level:   Level(m.Level),
			Message: m.Message,
			Path:    m.Location.Path,
			Line:    m.Location.Start.LineNumber,
			Column:  m.Location.Start.ColumnNumber,
		}
		if m.Filename != nil {
			f.File = *m.Filename
		}
		findings = append(findings, f)
	}
	return findings, nil
}

// Lint runs cfn-lint on one template file and fails the test listing every
// error-level finding; warnings and informational findings are only logged.
func Lint(t testing.TB, templatePath string) {
	t.Helper()
	LintFiles(t, templatePath)
}

// LintFiles is [Lint] for several templates in one cfn-lint run, which
// saves cfn-lint's start-up time (about a second) per file.
func LintFiles(t testing.TB, templatePaths ...string) {
	t.Helper()
	if len(templatePaths) == 0 {
		t.Fatal("cfnlint.LintFiles: no templates given")
	}
	findings, err := Findings(templatePaths...)
	if err != nil {
		t.Fatalf("cfnlint: %v", err)
	}
	var errs []string
	for _, f := range findings {
		if f.IsError() {
			errs = append(errs, "  "+f.String())
		} else {
			t.Logf("cfn-lint %s: %s", strings.ToLower(string(f.Level)), f)
		}
	}
	if len(errs) > 0 {
		t.Errorf("cfn-lint found %d error(s) in %s:\n%s",
			len(errs), strings.Join(templatePaths, ", "), strings.Join(errs, "\n"))
	}
}

// LintDir lints, in one cfn-lint run, every *.template.json in a cloud
// assembly directory and its nested assemblies (asset directories are
// skipped). It fails the test when there is no template to lint.
func LintDir(t testing.TB, dir string) {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != dir && strings.HasPrefix(d.Name(), "asset.") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".template.json") {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("cfnlint: unable to list templates in %s: %v", dir, err)
	}
	if len(paths) == 0 {
		t.Fatalf("cfnlint: no *.template.json in %s", dir)
	}
	LintFiles(t, paths...)
}

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/assembly"
)

// defaultApp runs the Go program in the current directory.
const defaultApp = "go run ."

func (r *Runner) dir() string {
	if r.Dir != "" {
		return r.Dir
	}
	return "."
}

func (r *Runner) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(r.dir(), p)
}

// appCommand returns the app to run: --app, else cdk.json's "app", else
// "go run .".
func (r *Runner) appCommand(o *options) (string, error) {
	if o.app != "" {
		return o.app, nil
	}
	body, err := os.ReadFile(filepath.Join(r.dir(), "cdk.json"))
	if err == nil {
		var cfg struct {
			App string `json:"app"`
		}
		if err := json.Unmarshal(body, &cfg); err != nil {
			return "", fmt.Errorf("unable to read cdk.json: %w", err)
		}
		if cfg.App != "" {
			return cfg.App, nil
		}
	}
	matches, _ := filepath.Glob(filepath.Join(r.dir(), "*.go"))
	if len(matches) == 0 {
		abs, _ := filepath.Abs(r.dir())
		return "", fmt.Errorf("no app to run: %s has no Go program and no cdk.json; pass --app 'go run ./path/to/app' (or --app with a cloud assembly directory)", abs)
	}
	return defaultApp, nil
}

// load runs the app (or reads the assembly --app names) and returns the
// cloud assembly.
func (r *Runner) load(ctx context.Context, o *options) (*assembly.Assembly, error) {
	app, err := r.appCommand(o)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(r.abs(app)); err == nil && st.IsDir() {
		asm, err := assembly.Read(r.abs(app))
		if errors.Is(err, assembly.ErrNoAssembly) {
			return nil, fmt.Errorf("--app %s is a directory without a cloud assembly (no manifest.json); run 'eksforge synth' first or pass the app's command", app)
		}
		return asm, err
	}
	out := o.out
	if out == "" {
		out = "cdk.out"
	}
	out, err = filepath.Abs(r.abs(out))
	if err != nil {
		return nil, err
	}
	// A stale manifest must not pass for this run's output.
	if err := os.Remove(filepath.Join(out, "manifest.json")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("unable to clear the output directory: %w", err)
	}
	cmd := exec.CommandContext(ctx, "sh", "-c", app)
	cmd.Dir = r.dir()
	cmd.Env = append(append(os.Environ(), r.Env...), "CDK_OUTDIR="+out)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if o.buildAssets {
		ctxJSON, err := withContext(cmd.Env, cdk.BuildAssetsContext, true)
		if err != nil {
			return nil, err
		}
		cmd.Env = append(cmd.Env, "CDK_CONTEXT_JSON="+ctxJSON)
		// Builds take minutes: their progress is shown as it comes.
		cmd.Stderr = r.Stderr
	}
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if so := strings.TrimSpace(stdout.String()); so != "" {
			msg = strings.TrimSpace(so + "\n" + msg)
		}
		if msg == "" {
			msg = "(no output)"
		}
		return nil, fmt.Errorf("synthesis failed: the app (%s) exited with %v:\n%s", app, err, indent(msg))
	}
	// The app's warnings on standard error are the user's to see.
	if s := strings.TrimSpace(stderr.String()); s != "" {
		fmt.Fprintln(r.Stderr, s)
	}
	asm, err := assembly.Read(out)
	if errors.Is(err, assembly.ErrNoAssembly) {
		return nil, fmt.Errorf("the app (%s) ran but wrote no cloud assembly to %s: does it call app.Synth()?", app, out)
	}
	if err != nil {
		return nil, err
	}
	for _, s := range asm.Stacks {
		for _, w := range s.Warnings {
			fmt.Fprintf(r.Stderr, "[Warning at /%s]\n", w)
		}
	}
	return asm, nil
}

// withContext returns the CDK_CONTEXT_JSON of env with key set to value.
func withContext(env []string, key string, value any) (string, error) {
	ctx := map[string]any{}
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "CDK_CONTEXT_JSON="); ok && v != "" {
			ctx = map[string]any{}
			if err := json.Unmarshal([]byte(v), &ctx); err != nil {
				return "", fmt.Errorf("CDK_CONTEXT_JSON is not a JSON object: %w", err)
			}
		}
	}
	ctx[key] = value
	b, err := json.Marshal(ctx)
	return string(b), err
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

func (r *Runner) synth(ctx context.Context, args []string) error {
	var o options
	pos, err := o.parse("synth", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("synth takes no stack names (it synthesizes the whole app); got %q", pos)
	}
	asm, err := r.load(ctx, &o)
	if err != nil {
		return err
	}
	if o.quiet {
		return nil
	}
	ordered, err := asm.Ordered()
	if err != nil {
		return err
	}
	for _, s := range ordered {
		fmt.Fprintf(r.Stdout, "%s: %s\n", s.DisplayName, r.rel(filepath.Join(asm.Dir, s.TemplateFile)))
	}
	return nil
}

// rel shows p relative to the working directory when it is below it.
func (r *Runner) rel(p string) string {
	base, err := filepath.Abs(r.dir())
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(base, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}

func (r *Runner) ls(ctx context.Context, args []string) error {
	var o options
	pos, err := o.parse("ls", args)
	if err != nil {
		return err
	}
	asm, err := r.load(ctx, &o)
	if err != nil {
		return err
	}
	stacks, err := asm.Select(pos, assembly.ExtendNone)
	if err != nil {
		return err
	}
	for _, s := range stacks {
		if !o.long {
			fmt.Fprintln(r.Stdout, s.DisplayName)
			continue
		}
		deps := "-"
		if len(s.Dependencies) > 0 {
			var names []string
			for _, d := range s.Dependencies {
				if ds := asm.ByID(d); ds != nil {
					names = append(names, ds.DisplayName)
				}
			}
			deps = strings.Join(names, ",")
		}
		fmt.Fprintf(r.Stdout, "%s\tstack=%s\tenv=%s\tdepends-on=%s\n", s.DisplayName, s.StackName, s.Environment, deps)
	}
	return nil
}

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"

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
	appCtx, err := r.appContext(o)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "sh", "-c", app)
	cmd.Dir = r.dir()
	cmd.Env = append(append(os.Environ(), r.Env...), "CDK_OUTDIR="+out)
	account, region := r.defaultEnv(ctx, o)
	if account != "" && !hasEnv(cmd.Env, "CDK_DEFAULT_ACCOUNT") {
		cmd.Env = append(cmd.Env, "CDK_DEFAULT_ACCOUNT="+account)
	}
	if region != "" && !hasEnv(cmd.Env, "CDK_DEFAULT_REGION") {
		cmd.Env = append(cmd.Env, "CDK_DEFAULT_REGION="+region)
	}
	if o.noColor {
		cmd.Env = append(cmd.Env, "NO_COLOR=1")
	}
	cleanup, err := writeContextToEnv(&cmd.Env, appCtx)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	abs, _ := filepath.Abs(r.dir())
	fmt.Fprintf(r.Stderr, "Synthesizing: %s (in %s)\n", app, abs)
	r.verbosef(o, "CDK_OUTDIR=%s CDK_DEFAULT_ACCOUNT=%s CDK_DEFAULT_REGION=%s, context keys: %s", out, account, region, strings.Join(sortedNames(appCtx), ", "))
	// The app's standard error (warnings, build progress) is shown as it
	// comes; its standard output only when it fails.
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, r.Stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stdout.String())
		if msg == "" {
			msg = "(its standard error is above)"
		}
		return nil, fmt.Errorf("synthesis failed: the app (%s) exited with %v:\n%s", app, err, indent(msg))
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

// appContext returns the context the app receives, as the AWS CDK CLI
// assembles it: cdk.context.json, under cdk.json's "context", under
// --context KEY=VALUE (strings); a CDK_CONTEXT_JSON already in the
// environment comes first of all, and --build-assets last.
func (r *Runner) appContext(o *options) (map[string]any, error) {
	ctx := map[string]any{}
	for _, kv := range append(os.Environ(), r.Env...) {
		if v, ok := strings.CutPrefix(kv, "CDK_CONTEXT_JSON="); ok && v != "" {
			ctx = map[string]any{}
			if err := json.Unmarshal([]byte(v), &ctx); err != nil {
				return nil, fmt.Errorf("CDK_CONTEXT_JSON is not a JSON object: %w", err)
			}
		}
	}
	if body, err := os.ReadFile(filepath.Join(r.dir(), "cdk.context.json")); err == nil {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, fmt.Errorf("unable to read cdk.context.json (a JSON object of context values): %w", err)
		}
		maps.Copy(ctx, m)
	}
	if body, err := os.ReadFile(filepath.Join(r.dir(), "cdk.json")); err == nil {
		var cfg struct {
			Context map[string]any `json:"context"`
		}
		if err := json.Unmarshal(body, &cfg); err != nil {
			return nil, fmt.Errorf("unable to read cdk.json: %w", err)
		}
		maps.Copy(ctx, cfg.Context)
	}
	for _, kv := range o.context {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usagef("--context %q: want KEY=VALUE", kv)
		}
		ctx[k] = v
	}
	if o.buildAssets {
		ctx[cdk.BuildAssetsContext] = true
	}
	return ctx, nil
}

// envValueLimit is the largest environment variable Linux passes to a
// process (MAX_ARG_STRLEN), the AWS CDK CLI's limit for CDK_CONTEXT_JSON.
const envValueLimit = 131072

// writeContextToEnv sets CDK_CONTEXT_JSON in env to the context; what does
// not fit in one environment variable goes to a file named by
// CONTEXT_OVERFLOW_LOCATION_ENV, as the AWS CDK CLI does (package cdk and
// aws-cdk-lib read it). The returned function removes the file.
func writeContextToEnv(env *[]string, ctx map[string]any) (func(), error) {
	small, overflow := map[string]any{}, map[string]any{}
	size := len("CDK_CONTEXT_JSON={}")
	for _, k := range sortedNames(ctx) {
		b, err := json.Marshal(map[string]any{k: ctx[k]})
		if err != nil {
			return nil, fmt.Errorf("context %q: %w", k, err)
		}
		if n := len(b) - 1; size+n < envValueLimit {
			small[k] = ctx[k]
			size += n
		} else {
			overflow[k] = ctx[k]
		}
	}
	b, err := json.Marshal(small)
	if err != nil {
		return nil, err
	}
	kept := (*env)[:0]
	for _, kv := range *env {
		if !strings.HasPrefix(kv, "CDK_CONTEXT_JSON=") && !strings.HasPrefix(kv, "CONTEXT_OVERFLOW_LOCATION_ENV=") {
			kept = append(kept, kv)
		}
	}
	*env = append(kept, "CDK_CONTEXT_JSON="+string(b))
	if len(overflow) == 0 {
		return func() {}, nil
	}
	dir, err := os.MkdirTemp("", "cdk-context")
	if err != nil {
		return nil, err
	}
	file := filepath.Join(dir, "context-overflow.json")
	b, err = json.Marshal(overflow)
	if err == nil {
		err = os.WriteFile(file, b, 0o600)
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("unable to write the context overflow file: %w", err)
	}
	*env = append(*env, "CONTEXT_OVERFLOW_LOCATION_ENV="+file)
	return func() { os.RemoveAll(dir) }, nil
}

func hasEnv(env []string, key string) bool {
	for _, kv := range env {
		if strings.HasPrefix(kv, key+"=") {
			return true
		}
	}
	return false
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
	asm, err := r.load(ctx, &o)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		// As cdk synth STACK: the templates of the stacks named.
		stacks, err := asm.Select(pos, assembly.ExtendNone)
		if err != nil || o.quiet {
			return err
		}
		for i, s := range stacks {
			body := s.TemplateBody
			if !o.json {
				if body, err = yaml.JSONToYAML(s.TemplateBody); err != nil {
					return fmt.Errorf("stack %s: %w", s.DisplayName, err)
				}
			}
			if i > 0 && !o.json {
				fmt.Fprintln(r.Stdout, "---")
			}
			r.Stdout.Write(bytes.TrimRight(body, "\n"))
			fmt.Fprintln(r.Stdout)
		}
		return nil
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

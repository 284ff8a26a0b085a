package lambda_test

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// synthGo synthesizes a stack with one Go function built from pkg in dir
// into out, building its asset (cdk.BuildAssets), and returns the
// function's S3 key and the staged zip's bytes.
func synthGo(t testing.TB, dir, cache, out string, arch lambda.Architecture) (key string, zipBytes []byte) {
	t.Helper()
	app := cdk.NewApp(cdk.AppProps{Outdir: out})
	s := cdk.NewStack(app, "Stack", cdk.StackProps{})
	lambda.NewFunction(s, "Fn", lambda.FunctionProps{
		Code:         lambda.CodeFromGoPackage(".", lambda.GoBuildOptions{Dir: dir, CacheDir: cache}),
		Architecture: arch,
	})
	asm, err := app.Synth(cdk.BuildAssets())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := asm.TemplateOf(s)
	var tmpl struct {
		Resources map[string]struct {
			Properties struct{ Code struct{ S3Key string } }
		}
	}
	if err := json.Unmarshal(body, &tmpl); err != nil {
		t.Fatal(err)
	}
	key = tmpl.Resources["Fn9270CBC0"].Properties.Code.S3Key
	zipBytes, err = os.ReadFile(filepath.Join(out, "asset."+key))
	if err != nil {
		t.Fatalf("staged asset: %v", err)
	}
	return key, zipBytes
}

// bootstrapOf returns the bootstrap executable in a zip.
func bootstrapOf(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" || zr.File[0].Mode()&0o111 == 0 {
		t.Fatalf("zip holds %v, want one executable named bootstrap", zr.File)
	}
	f, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bytes.Buffer
	if _, err := out.ReadFrom(f); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestGoFunction(t *testing.T) {
	t.Parallel()
	dir := helloModule(t)
	cache := t.TempDir()
	for _, tt := range []struct {
		arch    lambda.Architecture
		want    string
		machine elf.Machine
	}{{"", "arm64", elf.EM_AARCH64}, {lambda.ArchitectureX8664, "x86_64", elf.EM_X86_64}} {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			_, s := synthtest.NewStack()
			fn := lambda.NewFunction(s, "Fn", lambda.FunctionProps{
				Code:         lambda.CodeFromGoPackage(".", lambda.GoBuildOptions{Dir: dir, CacheDir: cache}),
				Architecture: tt.arch,
			})
			if fn.Runtime() != lambda.RuntimeProvidedAl2023 || string(fn.Architecture()) != tt.want {
				t.Errorf("runtime %s, architecture %s", fn.Runtime(), fn.Architecture())
			}
			tmpl := assertions.FromStack(t, s)
			tmpl.HasResource("AWS::Lambda::Function", map[string]any{
				"Properties": map[string]any{
					"Architectures": []any{tt.want},
					"Handler":       "bootstrap",
					"Runtime":       "provided.al2023",
					"Code": map[string]any{
						"S3Bucket": map[string]any{"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},
						"S3Key":    match.StringLikeRegexp(`^[0-9a-f]{64}\.zip$`),
					},
				},
				"Metadata": map[string]any{
					"aws:asset:path":       match.StringLikeRegexp(`^asset\.[0-9a-f]{64}\.zip$`),
					"aws:asset:is-bundled": true,
					"aws:asset:property":   "Code",
				},
			})
			_, zb := synthGo(t, dir, cache, t.TempDir(), tt.arch)
			bin, err := elf.NewFile(bytes.NewReader(bootstrapOf(t, zb)))
			if err != nil {
				t.Fatal(err)
			}
			if bin.Machine != tt.machine || bin.OSABI != elf.ELFOSABI_NONE {
				t.Errorf("bootstrap is for %v, want %v (linux)", bin.Machine, tt.machine)
			}
		})
	}
}

func TestGoFunctionArchitectureFromGOARCH(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	fn := lambda.NewFunction(s, "Fn", lambda.FunctionProps{
		Code: lambda.CodeFromGoPackage(".", lambda.GoBuildOptions{Dir: helloModule(t), GOARCH: "amd64", CacheDir: t.TempDir()}),
	})
	if fn.Architecture() != lambda.ArchitectureX8664 {
		t.Errorf("architecture %s, want x86_64", fn.Architecture())
	}
	assertions.FromStack(t, s).HasResourceProperties("AWS::Lambda::Function", map[string]any{"Architectures": []any{"x86_64"}})
}

func TestGoFunctionErrors(t *testing.T) {
	t.Parallel()
	dir := helloModule(t)
	cache := t.TempDir()
	tests := []struct {
		name  string
		props lambda.FunctionProps
		want  []string
	}{
		{"fails on a package that is not a main package",
			lambda.FunctionProps{Code: lambda.CodeFromGoPackage("./lib", lambda.GoBuildOptions{Dir: dir, CacheDir: cache})},
			[]string{"[Stack/Fn] Code:", "not a main package", "example.com/hello/lib is package lib"}},
		{"fails on a missing package",
			lambda.FunctionProps{Code: lambda.CodeFromGoPackage("./nope", lambda.GoBuildOptions{Dir: dir, CacheDir: cache})},
			[]string{"[Stack/Fn] Code:", "./nope"}},
		{"fails on a language runtime",
			lambda.FunctionProps{Code: lambda.CodeFromGoPackage(".", lambda.GoBuildOptions{Dir: dir, CacheDir: cache}), Runtime: lambda.RuntimePython313, Handler: "x"},
			[]string{"[Stack/Fn]", "needs an OS-only runtime"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app, s := synthtest.NewStack()
			lambda.NewFunction(s, "Fn", tt.props)
			synthtest.WantErrors(t, synthtest.SynthError(t, app), tt.want...)
		})
	}
}

// Two checkouts of the same module at different paths, built with
// different caches (so both really build), give the same asset hash and
// the same zip, byte for byte.
func TestGoFunctionIsReproducibleAcrossCheckouts(t *testing.T) {
	t.Parallel()
	a, b := helloModule(t), helloModule(t)
	keyA, zipA := synthGo(t, a, t.TempDir(), t.TempDir(), "")
	keyB, zipB := synthGo(t, b, t.TempDir(), t.TempDir(), "")
	if keyA != keyB {
		t.Errorf("asset keys differ: %s (%s) and %s (%s)", keyA, a, keyB, b)
	}
	if !bytes.Equal(zipA, zipB) {
		t.Errorf("the zips differ (%d and %d bytes)", len(zipA), len(zipB))
	}
	// A change to the sources changes the hash.
	main := filepath.Join(b, "main.go")
	src, _ := os.ReadFile(main)
	if err := os.WriteFile(main, []byte(strings.Replace(string(src), "hello from", "hi from", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if keyC, _ := synthGo(t, b, t.TempDir(), t.TempDir(), ""); keyC == keyA {
		t.Error("editing main.go kept the asset hash")
	}
}

// A warm synthesis (same sources, same cache) reuses the cached binary:
// nothing new appears in the cache and the binary is not rewritten.
func TestGoFunctionWarmSynthDoesNotRebuild(t *testing.T) {
	t.Parallel()
	dir, cache := helloModule(t), t.TempDir()
	key, _ := synthGo(t, dir, cache, t.TempDir(), "")
	hash := strings.TrimSuffix(key, ".zip")
	bin := filepath.Join(cache, hash, "bootstrap")
	before, err := os.Stat(bin)
	if err != nil {
		t.Fatalf("the cache has no binary under the asset hash: %v", err)
	}
	entries, _ := os.ReadDir(cache)
	key2, _ := synthGo(t, dir, cache, t.TempDir(), "")
	after, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	entries2, _ := os.ReadDir(cache)
	if key2 != key || !after.ModTime().Equal(before.ModTime()) || len(entries2) != len(entries) {
		t.Errorf("warm synthesis: key %s → %s, binary time %v → %v, cache entries %d → %d", key, key2, before.ModTime(), after.ModTime(), len(entries), len(entries2))
	}
}

// BenchmarkSynthGoFunction measures synthesizing a stack with one Go
// function (testdata/hello, standard library only) into a fresh cloud
// assembly. cold: an empty eksforge build cache, so each iteration hashes
// and runs go build (with Go's own build cache warm, as on a developer's
// machine); warm: the binary comes from the cache, found by its stamp, and
// is only zipped; warm-same-assembly: as warm, into the cloud assembly of
// the previous synthesis (what a repeated synth does), where the zip is
// already staged.
func BenchmarkSynthGoFunction(b *testing.B) {
	dir := helloModule(b)
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			synthGo(b, dir, b.TempDir(), b.TempDir(), "")
		}
	})
	b.Run("warm", func(b *testing.B) {
		cache := b.TempDir()
		synthGo(b, dir, cache, b.TempDir(), "")
		for b.Loop() {
			synthGo(b, dir, cache, b.TempDir(), "")
		}
	})
	b.Run("warm-same-assembly", func(b *testing.B) {
		cache, out := b.TempDir(), b.TempDir()
		synthGo(b, dir, cache, out, "")
		for b.Loop() {
			synthGo(b, dir, cache, out, "")
		}
	})
}

// One Code value shared by functions in two stacks and a layer: built once,
// an asset of each stack.
func TestGoCodeSharedAcrossStacks(t *testing.T) {
	t.Parallel()
	code := lambda.CodeFromGoPackage(".", lambda.GoBuildOptions{Dir: helloModule(t), CacheDir: t.TempDir()})
	app := cdk.NewApp(cdk.AppProps{})
	a := cdk.NewStack(app, "A", cdk.StackProps{})
	b := cdk.NewStack(app, "B", cdk.StackProps{})
	lambda.NewFunction(a, "Fn", lambda.FunctionProps{Code: code})
	lambda.NewFunction(b, "Fn", lambda.FunctionProps{Code: code})
	lambda.NewLayerVersion(b, "Layer", lambda.LayerVersionProps{Code: code})
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, s := range []*cdk.Stack{a, b} {
		body, _ := asm.TemplateOf(s)
		tmpl := assertions.FromString(t, string(body))
		for _, r := range tmpl.FindResources("AWS::Lambda::Function", nil) {
			keys = append(keys, r["Properties"].(map[string]any)["Code"].(map[string]any)["S3Key"].(string))
		}
		for _, r := range tmpl.FindResources("AWS::Lambda::LayerVersion", nil) {
			keys = append(keys, r["Properties"].(map[string]any)["Content"].(map[string]any)["S3Key"].(string))
		}
	}
	if len(keys) != 3 || keys[0] != keys[1] || keys[1] != keys[2] {
		t.Errorf("S3 keys = %v, want three equal keys", keys)
	}
}

// A Go function in a nested stack: the asset is published by the top-level
// stack and named in the nested template.
func TestGoFunctionInNestedStack(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	top := cdk.NewStack(app, "Top", cdk.StackProps{})
	nested := cdk.NewNestedStack(top, "Nested", cdk.NestedStackProps{})
	lambda.NewFunction(nested, "Fn", lambda.FunctionProps{
		Code: lambda.CodeFromGoPackage(".", lambda.GoBuildOptions{Dir: helloModule(t), CacheDir: t.TempDir()}),
	})
	assertions.FromStack(t, &nested.Stack).HasResourceProperties("AWS::Lambda::Function", map[string]any{
		"Code": map[string]any{"S3Key": match.StringLikeRegexp(`^[0-9a-f]{64}\.zip$`)},
	})
}

// BenchmarkSynthTwoGoFunctions measures a cold synthesis (empty eksforge
// build cache) of two functions built from different packages: the builds
// run concurrently.
func BenchmarkSynthTwoGoFunctions(b *testing.B) {
	dir := helloModule(b)
	for b.Loop() {
		cache := b.TempDir()
		app := cdk.NewApp(cdk.AppProps{Outdir: b.TempDir()})
		s := cdk.NewStack(app, "Stack", cdk.StackProps{})
		for i, pkg := range []string{".", "./two"} {
			lambda.NewFunction(s, fmt.Sprint("Fn", i), lambda.FunctionProps{Code: lambda.CodeFromGoPackage(pkg, lambda.GoBuildOptions{Dir: dir, CacheDir: cache})})
		}
		if _, err := app.Synth(); err != nil {
			b.Fatal(err)
		}
	}
}

// Synthesis does not compile: a package with a compile error synthesizes,
// and building its asset (cdk.BuildAssets) reports the error with the
// package's name, while the other handlers built with it succeed.
func TestGoFunctionsBuildTogether(t *testing.T) {
	t.Parallel()
	dir, cache := helloModule(t), t.TempDir()
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "Stack", cdk.StackProps{})
	for id, pkg := range map[string]string{"One": ".", "Two": "./two", "Bad": "./broken"} {
		lambda.NewFunction(s, id, lambda.FunctionProps{Code: lambda.CodeFromGoPackage(pkg, lambda.GoBuildOptions{Dir: dir, CacheDir: cache})})
	}
	if _, err := app.Synth(cdk.InMemory()); err != nil {
		t.Fatalf("synthesis without building: %v", err)
	}
	_, err := app.Synth(cdk.WithOutdir(t.TempDir()), cdk.BuildAssets())
	if err == nil {
		t.Fatal("building a package with a compile error succeeded")
	}
	synthtest.WantErrors(t, err.Error(), "./broken (arm64)", "go build", "undefinedFunction")
	if strings.Contains(err.Error(), "./two") || strings.Contains(err.Error(), ". (arm64)") {
		t.Errorf("errors name other functions:\n%v", err)
	}
	entries, _ := os.ReadDir(cache)
	var built int
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(cache, e.Name(), "bootstrap")); err == nil {
			built++
		}
	}
	if built != 2 {
		t.Errorf("the cache holds %d binaries, want 2 (the packages that compile)", built)
	}
}

// Without cdk.BuildAssets, synthesis builds nothing: the asset manifest
// names the command that builds the zip at publish time, and running that
// command (as cdk-assets and eksforge deploy do) prints the path of a zip
// holding the arm64 bootstrap, whose key is the asset's hash.
func TestGoFunctionBuiltAtPublish(t *testing.T) {
	t.Parallel()
	dir, cache, out := helloModule(t), t.TempDir(), t.TempDir()
	app := cdk.NewApp(cdk.AppProps{Outdir: out})
	s := cdk.NewStack(app, "Stack", cdk.StackProps{})
	lambda.NewFunction(s, "Fn", lambda.FunctionProps{Code: lambda.CodeFromGoPackage(".", lambda.GoBuildOptions{Dir: dir, CacheDir: cache})})
	if _, err := app.Synth(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(cache); len(entries) != 1 || entries[0].Name() != "stamps" {
		t.Errorf("synthesis wrote %v to the build cache, want only stamps", entries)
	}
	body, err := os.ReadFile(filepath.Join(out, "Stack.assets.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Files map[string]struct {
			DisplayName string
			Source      map[string]any
		}
	}
	if err := json.Unmarshal(body, &manifest); err != nil {
		t.Fatal(err)
	}
	var hash string
	var argv []string
	for id, f := range manifest.Files {
		if exe, ok := f.Source["executable"].([]any); ok {
			hash = id
			for _, a := range exe {
				argv = append(argv, a.(string))
			}
			if len(f.Source) != 1 || f.DisplayName != ". (arm64)" {
				t.Errorf("asset %s: source %v, display name %q", id, f.Source, f.DisplayName)
			}
		}
	}
	if hash == "" {
		t.Fatalf("no asset with an executable source in %s", body)
	}
	if staged, _ := filepath.Glob(filepath.Join(out, "asset.*")); len(staged) != 0 {
		t.Errorf("synthesis staged %v", staged)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = t.TempDir() // the command does not depend on where it runs
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, stderr.String())
	}
	zipPath := strings.TrimSpace(string(stdout))
	if zipPath != filepath.Join(cache, "zips", hash+".zip") {
		t.Errorf("the command printed %q, want the cached zip of %s", zipPath, hash)
	}
	for _, want := range []string{"eksforge: building . for linux/arm64", "eksforge: built . for linux/arm64 in"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("progress on stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	zb, err := os.ReadFile(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := elf.NewFile(bytes.NewReader(bootstrapOf(t, zb)))
	if err != nil {
		t.Fatal(err)
	}
	if bin.Machine != elf.EM_AARCH64 {
		t.Errorf("bootstrap is for %v, want arm64", bin.Machine)
	}
	// A second publish builds nothing and says nothing.
	cmd = exec.Command(argv[0], argv[1:]...)
	stderr.Reset()
	cmd.Stderr = &stderr
	if again, err := cmd.Output(); err != nil || string(again) != string(stdout) || strings.Contains(stderr.String(), "building") {
		t.Errorf("second run: %q, %v, stderr %q", again, err, stderr.String())
	}
	// Sources edited after synthesis are refused, not uploaded under the
	// old hash.
	main := filepath.Join(dir, "main.go")
	src, _ := os.ReadFile(main)
	if err := os.WriteFile(main, append(src, []byte("\n// edited\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(argv[0], argv[1:]...)
	stderr.Reset()
	cmd.Stderr = &stderr
	if _, err := cmd.Output(); err == nil || !strings.Contains(stderr.String(), "changed since the app was synthesized") {
		t.Errorf("building edited sources: %v, stderr %q", err, stderr.String())
	}
}

package gobuild

import (
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestHashIsPathIndependent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, pkg := range []string{"./hello", "./cmd/greeter"} {
		t.Run(pkg, func(t *testing.T) {
			t.Parallel()
			a, b := checkout(t), checkout(t)
			ha, err := Hash(ctx, options(t, a, pkg))
			if err != nil {
				t.Fatal(err)
			}
			hb, err := Hash(ctx, options(t, b, pkg))
			if err != nil {
				t.Fatal(err)
			}
			if ha != hb {
				t.Errorf("checkouts at %s and %s hash differently: %s, %s", a, b, ha, hb)
			}
			if len(ha) != 64 {
				t.Errorf("hash %q is not hex SHA-256", ha)
			}
		})
	}
}

func TestHashAcceptsEveryPackageSpelling(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app := checkout(t)
	want, err := Hash(ctx, options(t, app, "./hello"))
	if err != nil {
		t.Fatal(err)
	}
	for name, o := range map[string]Options{
		"import path":              {Package: "example.com/app/hello", Dir: app},
		"absolute directory":       {Package: filepath.Join(app, "hello")},
		"directory from a sibling": {Package: "../hello", Dir: filepath.Join(app, "cmd")},
		"package dir as Dir":       {Package: ".", Dir: filepath.Join(app, "hello")},
		"empty tags":               {Package: "./hello", Dir: app, Tags: []string{}},
		"explicit defaults":        {Package: "./hello", Dir: app, GOOS: "linux", GOARCH: "arm64", LDFlags: "-s -w"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			o.Env, o.CacheDir = offlineEnv, t.TempDir()
			got, err := Hash(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("hash = %s, want %s (of ./hello in %s)", got, want, app)
			}
		})
	}
}

func TestHashInThisModule(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	// The test runs in internal/gobuild, inside the eksforge module.
	a, err := Hash(ctx, Options{Package: "./testdata/hello", Env: offlineEnv, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Hash(ctx, Options{Package: "github.com/eksforge/eksforge/internal/gobuild/testdata/hello", Dir: root, Env: offlineEnv, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Errorf("the same package hashes as %s by directory and %s by import path", a, b)
	}
}

func TestHashChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base, err := Hash(ctx, options(t, checkout(t), "./cmd/greeter"))
	if err != nil {
		t.Fatal(err)
	}
	baseHello, err := Hash(ctx, options(t, checkout(t), "./hello"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		pkg     string // default ./cmd/greeter
		files   map[string]string
		opts    func(*Options)
		changes bool
	}{
		{name: "changes when the main package's source changes", changes: true,
			files: map[string]string{"app/cmd/greeter/main.go": "package main\n\nfunc main() {}\n"}},
		{name: "changes when a file is added to the main package", changes: true,
			files: map[string]string{"app/cmd/greeter/extra.go": "package main\n"}},
		{name: "changes when a package of the module changes", changes: true,
			files: map[string]string{"app/lib/lib.go": "package lib\n\nconst Name = \"you\"\n"}},
		{name: "changes when a locally replaced module changes", changes: true,
			files: map[string]string{"greet/greet.go": "package greet\n\nfunc Hello(who string) string { return who }\n"}},
		{name: "changes when the module's go version changes", changes: true,
			files: map[string]string{"app/go.mod": "module example.com/app\n\ngo 1.25\n\n" +
				"require example.com/greet v0.0.0\n\nreplace example.com/greet => ../greet\n"}},
		{name: "changes when an embedded file changes", pkg: "./hello", changes: true,
			files: map[string]string{"app/hello/greeting.txt": "bonjour"}},
		{name: "changes when a default.pgo profile appears", changes: true,
			files: map[string]string{"app/cmd/greeter/default.pgo": "profile"}},
		{name: "changes with GOARCH", changes: true, opts: func(o *Options) { o.GOARCH = "amd64" }},
		{name: "changes with tags", changes: true, opts: func(o *Options) { o.Tags = []string{"lambda"} }},
		{name: "changes with ldflags", changes: true, opts: func(o *Options) { o.LDFlags = "-s" }},
		{name: "changes with gcflags", changes: true, opts: func(o *Options) { o.GCFlags = []string{"-l"} }},
		{name: "changes with GOEXPERIMENT from Env", changes: true,
			opts: func(o *Options) { o.Env = append(o.Env, "GOEXPERIMENT=nogreenteagc") }},
		{name: "changes with GOFLAGS that reach the compiler", changes: true,
			opts: func(o *Options) { o.Env = append(o.Env, "GOFLAGS=-gcflags=-N") }},
		{name: "keeps when a file for another GOOS changes",
			files: map[string]string{"app/lib/lib_windows.go": "package lib\n\nconst windowsOnly = false\n"}},
		{name: "keeps when a test file changes",
			files: map[string]string{"app/lib/lib_test.go": "package lib\n\nconst x = 1\n"}},
		{name: "keeps when a package outside the build graph changes",
			files: map[string]string{"app/unused/unused.go": "package unused\n\nconst x = 1\n"}},
		{name: "keeps when a file unknown to go build is added",
			files: map[string]string{"app/cmd/greeter/README.md": "# greeter\n"}},
		{name: "keeps with neutral GOFLAGS and environment",
			opts: func(o *Options) {
				o.Env = append(o.Env, "GOFLAGS=-buildvcs=true -modcacherw -trimpath", "GOCACHE="+t.TempDir(), "HOME=/nowhere")
			}},
		{name: "keeps with the same tags in another order and repeated",
			opts: func(o *Options) { o.Tags = []string{"b", "a", "b"} },
			// compared against the same tags given once, in order
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pkg, want := tc.pkg, base
			if pkg == "" {
				pkg = "./cmd/greeter"
			}
			if pkg == "./hello" {
				want = baseHello
			}
			app := checkout(t)
			writeFiles(t, filepath.Dir(app), tc.files)
			o := options(t, app, pkg)
			if tc.opts != nil {
				tc.opts(&o)
			}
			if strings.HasPrefix(tc.name, "keeps with the same tags") {
				ref := options(t, app, pkg)
				ref.Tags = []string{"a", "b"}
				var err error
				if want, err = Hash(ctx, ref); err != nil {
					t.Fatal(err)
				}
			}
			got, err := Hash(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			if changed := got != want; changed != tc.changes {
				t.Errorf("hash changed = %v, want %v (hash %s, before %s)", changed, tc.changes, got, want)
			}
		})
	}
}

func TestBuildIsReproducible(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// Two checkouts at different paths, two empty caches: two clean builds.
	a, err := Build(ctx, options(t, checkout(t), "./cmd/greeter"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(ctx, options(t, checkout(t), "./cmd/greeter"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Cached || b.Cached {
		t.Errorf("Cached = %v, %v from empty caches, want false", a.Cached, b.Cached)
	}
	if a.Hash != b.Hash {
		t.Errorf("hashes differ: %s, %s", a.Hash, b.Hash)
	}
	if a.Dir == b.Dir {
		t.Fatalf("both builds in %s, want two caches", a.Dir)
	}
	ba := readBinary(t, a)
	bb := readBinary(t, b)
	if !bytes.Equal(ba, bb) {
		t.Errorf("%s (%d bytes) and %s (%d bytes) differ", a.Dir, len(ba), b.Dir, len(bb))
	}
}

func TestBuildPassesGCFlags(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app := checkout(t)
	plain, err := Build(ctx, options(t, app, "./cmd/greeter"))
	if err != nil {
		t.Fatal(err)
	}
	o := options(t, app, "./cmd/greeter")
	o.GCFlags = []string{"example.com/app/...=-N -l"}
	unoptimized, err := Build(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Hash == unoptimized.Hash {
		t.Errorf("the build with GCFlags %q has the hash of the build without", o.GCFlags)
	}
	if bytes.Equal(readBinary(t, plain), readBinary(t, unoptimized)) {
		t.Errorf("the build with GCFlags %q is the same binary as the build without: the flags did not reach the compiler", o.GCFlags)
	}
	o.GCFlags = []string{"-notaflag"}
	if _, err := Build(ctx, o); err == nil || !strings.Contains(err.Error(), "notaflag") {
		t.Errorf("Build with GCFlags %q = %v, want the compiler's complaint about the flag", o.GCFlags, err)
	}
}

func TestBuildUsesTheCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	o := options(t, checkout(t), "./hello")
	first, err := Build(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if first.Cached {
		t.Error("first build: Cached = true, want false")
	}
	// Replace the cached binary: if Build compiled again it would not be
	// found any more.
	marker := []byte("#!/bin/sh\n# not rebuilt\n")
	if err := os.WriteFile(filepath.Join(first.Dir, BinaryName), marker, 0o755); err != nil {
		t.Fatal(err)
	}
	second, err := Build(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Cached || second.Dir != first.Dir || second.Hash != first.Hash {
		t.Errorf("second build = %+v, want the first's %+v with Cached", second, first)
	}
	if got := readBinary(t, second); !bytes.Equal(got, marker) {
		t.Error("the cached binary was rebuilt")
	}
	if want := filepath.Join(o.CacheDir, first.Hash); first.Dir != want {
		t.Errorf("Dir = %s, want %s", first.Dir, want)
	}
	if got := builds(t, o.CacheDir); len(got) != 1 {
		t.Errorf("cache holds %v, want one build (no temporary directories left)", got)
	}
}

func TestBuildBinaryIsLinuxELF(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app := checkout(t)
	for _, tc := range []struct {
		goarch  string
		machine elf.Machine
	}{
		{"", elf.EM_AARCH64}, // the default
		{"arm64", elf.EM_AARCH64},
		{"amd64", elf.EM_X86_64},
	} {
		t.Run("GOARCH="+tc.goarch, func(t *testing.T) {
			t.Parallel()
			o := options(t, app, "./hello")
			o.GOARCH = tc.goarch
			r, err := Build(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			entries, err := os.ReadDir(r.Dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Name() != BinaryName {
				t.Errorf("%s holds %v, want only %s", r.Dir, entries, BinaryName)
			}
			bin := filepath.Join(r.Dir, BinaryName)
			fi, err := os.Stat(bin)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm()&0o111 != 0o111 {
				t.Errorf("mode %v, want executable by all", fi.Mode())
			}
			f, err := elf.Open(bin)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Class != elf.ELFCLASS64 || f.Machine != tc.machine || f.Type != elf.ET_EXEC {
				t.Errorf("ELF %v %v %v, want ELFCLASS64 %v ET_EXEC", f.Class, f.Machine, f.Type, tc.machine)
			}
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					t.Error("binary has an interpreter, want a static binary")
				}
			}
			if f.Section(".symtab") != nil {
				t.Error("binary has a symbol table, want it stripped by -s")
			}
			if runtime.GOOS == "linux" && runtime.GOARCH == goarchOr(tc.goarch) {
				out, err := exec.CommandContext(ctx, bin).Output()
				if err != nil {
					t.Fatal(err)
				}
				if want := "hello from linux/" + runtime.GOARCH + "\n"; string(out) != want {
					t.Errorf("output %q, want %q", out, want)
				}
			}
		})
	}
}

func goarchOr(s string) string {
	if s == "" {
		return "arm64"
	}
	return s
}

func TestBuildConcurrently(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	o := options(t, checkout(t), "./hello")
	const n = 3
	results := make([]*Result, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i], errs[i] = Build(ctx, o) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if results[i].Dir != results[0].Dir {
			t.Errorf("builder %d used %s, builder 0 %s", i, results[i].Dir, results[0].Dir)
		}
		if !isExecutable(filepath.Join(results[i].Dir, BinaryName)) {
			t.Errorf("builder %d: no executable in %s", i, results[i].Dir)
		}
	}
	if got := builds(t, o.CacheDir); len(got) != 1 {
		t.Errorf("cache holds %v, want one build (no temporary directories left)", got)
	}
}

func TestBuildErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		pkg    string
		files  map[string]string
		want   []string
		target any // an error for errors.Is, or a pointer for errors.As
	}{
		{name: "fails for a package that is not main", pkg: "./cmd/notmain",
			want: []string{"unable to build ./cmd/notmain for linux/arm64", "not a main package", "package notmain"}, target: ErrNotMain},
		{name: "fails for a directory that does not exist", pkg: "./cmd/nope",
			want: []string{"unable to build ./cmd/nope for linux/arm64", "nope", "not found"}},
		{name: "fails for an import path that no module provides", pkg: "example.com/nowhere/cmd",
			want: []string{"unable to build example.com/nowhere/cmd for linux/arm64", "no required module provides package"}},
		{name: "fails for a missing import", pkg: "./cmd/greeter",
			files: map[string]string{"app/cmd/greeter/main.go": "package main\n\nimport _ \"example.com/app/missing\"\n\nfunc main() {}\n"},
			want:  []string{"unable to build ./cmd/greeter", "example.com/app/missing"}},
		{name: "fails with the compiler's message for a syntax error", pkg: "./cmd/greeter",
			files:  map[string]string{"app/cmd/greeter/main.go": "package main\n\nfunc main() {\n\tx := \n}\n"},
			want:   []string{"unable to build ./cmd/greeter for linux/arm64", "go build", "main.go:5:1: syntax error"},
			target: new(*BuildError)},
		{name: "fails with the compiler's message for a type error", pkg: "./cmd/greeter",
			files:  map[string]string{"app/cmd/greeter/main.go": "package main\n\nfunc main() { var s string = 1; _ = s }\n"},
			want:   []string{"unable to build ./cmd/greeter", "main.go:3:30: cannot use 1"},
			target: new(*BuildError)},
		{name: "fails for a pattern", pkg: "./...", want: []string{"pattern"}},
		{name: "fails for an empty package", pkg: "", want: []string{"Options.Package is empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := checkout(t)
			writeFiles(t, filepath.Dir(app), tc.files)
			o := options(t, app, tc.pkg)
			r, err := Build(ctx, o)
			if err == nil {
				t.Fatalf("Build = %+v, want an error", r)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			switch target := tc.target.(type) {
			case error:
				if !errors.Is(err, target) {
					t.Errorf("error %q is not %v", err, target)
				}
			case **BuildError:
				if !errors.As(err, target) || (*target).Stderr == "" {
					t.Errorf("error %q is not a *BuildError with stderr", err)
				}
			}
			if got := builds(t, o.CacheDir); len(got) != 0 {
				t.Errorf("cache holds %v after a failure, want nothing", got)
			}
		})
	}
}

func TestModuleCacheDependency(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// github.com/google/go-cmp v0.7.0 is a requirement of this repository's
	// own go.mod: download it from there (a no-op when the module cache
	// has it), so the builds below, which never download, find it.
	dl := exec.CommandContext(ctx, "go", "mod", "download", "github.com/google/go-cmp")
	dl.Dir = ".."
	if out, err := dl.CombinedOutput(); err != nil {
		t.Fatalf("go mod download github.com/google/go-cmp: %v\n%s", err, out)
	}
	const sum = "github.com/google/go-cmp v0.7.0 h1:wk8382ETsv4JYUZwIsn6YpYiWiBsYLSJiTsyBybVuN8=\n" +
		"github.com/google/go-cmp v0.7.0/go.mod h1:pXiqmnSA92OHEEa9HXL2W4E7lf9JzCmGVUdgjX3N/iU=\n"
	files := map[string]string{
		"go.mod": "module example.com/dep\n\ngo 1.26\n\nrequire github.com/google/go-cmp v0.7.0\n",
		"go.sum": sum,
		"main.go": `package main

import (
	"fmt"

	"github.com/google/go-cmp/cmp"
)

func main() { fmt.Print(cmp.Diff(1, 2)) }
`,
	}
	var hashes []string
	for range 2 {
		dir := t.TempDir()
		writeFiles(t, dir, files)
		h, err := Hash(ctx, options(t, dir, "."))
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
	}
	if hashes[0] != hashes[1] {
		t.Errorf("checkouts hash differently: %v", hashes)
	}
	// A wrong go.sum line names another build (the hash covers go.sum),
	// and go build refuses it.
	dir := t.TempDir()
	files["go.sum"] = strings.Replace(sum, "wk8382ETsv4", "AAAAAAAAAAA", 1)
	writeFiles(t, dir, files)
	if h, err := Hash(ctx, options(t, dir, ".")); err != nil || h == hashes[0] {
		t.Errorf("Hash with a wrong go.sum line = %s, %v; want another hash than %s", h, err, hashes[0])
	}
	if _, err := Build(ctx, options(t, dir, ".")); err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
		t.Errorf("Build with a wrong go.sum line: error %v, want a checksum mismatch", err)
	}
}

func TestDefaultCacheDir(t *testing.T) {
	// Not parallel: it sets environment variables.
	for _, tc := range []struct {
		name                string
		eksforge, xdg, home string
		want                string
	}{
		{name: "EKSFORGE_CACHE first", eksforge: "/e", xdg: "/x", home: "/h", want: "/e/gobuild"},
		{name: "then XDG_CACHE_HOME", xdg: "/x", home: "/h", want: "/x/eksforge/gobuild"},
		{name: "then HOME", home: "/h", want: "/h/.cache/eksforge/gobuild"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("EKSFORGE_CACHE", tc.eksforge)
			t.Setenv("XDG_CACHE_HOME", tc.xdg)
			t.Setenv("HOME", tc.home)
			got, err := DefaultCacheDir()
			if err != nil {
				t.Fatal(err)
			}
			if got != filepath.FromSlash(tc.want) {
				t.Errorf("DefaultCacheDir() = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestFilterGOFLAGS(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                                "",
		"-buildvcs=false":                 "",
		"-mod=mod -modcacherw --trimpath": "",
		"-gcflags=-N -buildvcs=false -v":  "-gcflags=-N",
		"-tags=x -ldflags=-X=a.b=c -p=4":  "-tags=x -ldflags=-X=a.b=c",
	} {
		if got := filterGOFLAGS(in); got != want {
			t.Errorf("filterGOFLAGS(%q) = %q, want %q", in, got, want)
		}
	}
}

func readBinary(t testing.TB, r *Result) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.Dir, BinaryName))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestErrorNamesThePackageAsGiven(t *testing.T) {
	t.Parallel()
	pkg := filepath.Join(checkout(t), "cmd", "notmain")
	_, err := Build(context.Background(), Options{Package: pkg, Env: offlineEnv, CacheDir: t.TempDir(), GOARCH: "amd64"})
	if want := "unable to build " + pkg + " for linux/amd64: not a main package"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want it to start with %q", err, want)
	}
}

func TestBuildRemovesStaleTemporaryDirectories(t *testing.T) {
	t.Parallel()
	o := options(t, checkout(t), "./hello")
	stale, fresh := filepath.Join(o.CacheDir, ".tmp-stale"), filepath.Join(o.CacheDir, ".tmp-fresh")
	for _, d := range []string{stale, fresh} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * staleAfter)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("%s left in the cache (stat: %v)", stale, err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("%s, maybe another builder's, was removed: %v", fresh, err)
	}
}

// builds lists the entries of a cache other than its stamps.
func builds(t *testing.T, cacheDir string) []string {
	t.Helper()
	entries, err := os.ReadDir(cacheDir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.Name() != "stamps" {
			names = append(names, e.Name())
		}
	}
	return names
}

func TestBuildDiscardsABinaryWhoseSourcesChanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		changes int // how many builds see their sources change
		wantErr bool
	}{
		{name: "builds again after a change during the build", changes: 1},
		{name: "fails when the sources keep changing", changes: maxAttempts, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := checkout(t)
			o := options(t, app, "./hello")
			builds := 0
			o.afterBuild = func() {
				builds++
				if builds <= tc.changes {
					writeFiles(t, app, map[string]string{"hello/greeting.txt": fmt.Sprintf("edit %d", builds)})
				}
			}
			r, err := Build(ctx, o)
			if tc.wantErr {
				if err == nil || !errors.Is(err, errSourcesChanged) {
					t.Fatalf("Build = %+v, %v; want %v", r, err, errSourcesChanged)
				}
				if builds != maxAttempts {
					t.Errorf("%d builds, want %d", builds, maxAttempts)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if builds != 2 {
				t.Errorf("%d builds, want 2", builds)
			}
			want, err := Hash(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			if r.Hash != want {
				t.Errorf("cached under %s, want the hash of the final sources %s", r.Hash, want)
			}
			if got := embeddedEdit(t, filepath.Join(r.Dir, BinaryName)); got != "edit 1" {
				t.Errorf("binary embeds %q, want the final %q", got, "edit 1")
			}
		})
	}
}

// embeddedEdit returns which of the test's greetings the binary embeds, by
// looking for its bytes.
func embeddedEdit(t *testing.T, bin string) string {
	t.Helper()
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"edit 1", "edit 2", "edit 3"} {
		if bytes.Contains(b, []byte(s)) {
			return s
		}
	}
	return ""
}

// TestBuildInConcurrentProcesses starts builders of one package in two
// processes (this test binary, re-run as a helper) with one cache.
func TestBuildInConcurrentProcesses(t *testing.T) {
	t.Parallel()
	if os.Getenv("GOBUILD_HELPER") != "" {
		t.Skip("helper process")
	}
	app := checkout(t)
	cache := t.TempDir()
	const n = 2
	cmds := make([]*exec.Cmd, n)
	outs := make([]bytes.Buffer, n)
	for i := range n {
		cmds[i] = exec.Command(os.Args[0], "-test.run=^TestHelperBuild$", "-test.v")
		cmds[i].Env = append(os.Environ(), "GOBUILD_HELPER=1", "GOBUILD_HELPER_DIR="+app, "GOBUILD_HELPER_CACHE="+cache)
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	var dirs []string
	for i := range n {
		if err := cmds[i].Wait(); err != nil {
			t.Fatalf("builder %d: %v\n%s", i, err, outs[i].String())
		}
		_, dir, ok := strings.Cut(outs[i].String(), "RESULT ")
		if !ok {
			t.Fatalf("builder %d printed no result:\n%s", i, outs[i].String())
		}
		dir, _, _ = strings.Cut(dir, "\n")
		dirs = append(dirs, dir)
	}
	if dirs[0] != dirs[1] {
		t.Errorf("builders used %v, want one directory", dirs)
	}
	// The build lock makes the second builder wait and find the first's
	// binary.
	t.Logf("cached: %v, %v", strings.Contains(outs[0].String(), "CACHED true"), strings.Contains(outs[1].String(), "CACHED true"))
	if got := builds(t, cache); len(got) != 1 {
		t.Errorf("cache holds %v, want one build", got)
	}
}

// TestHelperBuild is the builder process of TestBuildInConcurrentProcesses.
func TestHelperBuild(t *testing.T) {
	if os.Getenv("GOBUILD_HELPER") == "" {
		t.Skip("run by TestBuildInConcurrentProcesses")
	}
	r, err := Build(context.Background(), Options{Package: "./hello", Dir: os.Getenv("GOBUILD_HELPER_DIR"),
		CacheDir: os.Getenv("GOBUILD_HELPER_CACHE"), Env: offlineEnv})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("RESULT %s\nCACHED %v\n", r.Dir, r.Cached)
}

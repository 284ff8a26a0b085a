package gobuild

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// moduleCheckout writes a module whose builds the static hash covers (no
// workspace, no directory replacement): example.com/mod with a main
// package cmd/greeter importing lib, a main package hello embedding a file
// and a directory, a go.sum, and files go build does not read. Each call
// gives the same content at another path.
func moduleCheckout(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod": "module example.com/mod\n\ngo 1.26\n\nrequire github.com/google/go-cmp v0.7.0 // indirect\n",
		"go.sum": "github.com/google/go-cmp v0.7.0 h1:wk8382ETsv4JYUZwIsn6YpYiWiBsYLSJiTsyBybVuN8=\n" +
			"github.com/google/go-cmp v0.7.0/go.mod h1:pXiqmnSA92OHEEa9HXL2W4E7lf9JzCmGVUdgjX3N/iU=\n",
		"cmd/greeter/main.go":   "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/mod/lib\"\n)\n\nfunc main() { fmt.Println(lib.Name) }\n",
		"cmd/greeter/README.md": "# greeter\n",
		"lib/lib.go":            "// Package lib names who is greeted.\npackage lib\n\n// Name is who is greeted.\nconst Name = \"world\"\n",
		"lib/lib_windows.go":    "package lib\n\nconst windowsOnly = true\n",
		"lib/lib_test.go":       "package lib\n",
		"unused/unused.go":      "package unused\n",
		"hello/main.go": "package main\n\nimport (\n\t\"embed\"\n\t\"fmt\"\n)\n\n//go:embed greeting.txt static\nvar files embed.FS\n\n" +
			"func main() { b, _ := files.ReadFile(\"greeting.txt\"); fmt.Println(string(b)) }\n",
		"hello/greeting.txt":      "hello",
		"hello/static/index.html": "<p>hi</p>",
		"hello/static/.hidden":    "not embedded",
		"nested/go.mod":           "module example.com/mod/nested\n\ngo 1.26\n",
		"nested/cmd/tool/main.go": "package main\n\nfunc main() {}\n",
		"cmd/notmain/notmain.go":  "package notmain\n",
		"cmd/badimport/main.go":   "package main\n\nimport _ \"example.com/mod/missing\"\n\nfunc main() {}\n",
	})
	return dir
}

// goShim puts on PATH, for the rest of the test, a go command that records
// the subcommand of every invocation in the returned file and runs the real
// go command.
func goShim(t *testing.T) string {
	t.Helper()
	real, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	record := filepath.Join(bin, "calls.log")
	script := "#!/bin/sh\necho \"$1\" >> " + record + "\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return record
}

// TestHashWithoutGoList hashes a main package of a module whose go.mod and
// go.sum fix every dependency with the module cache empty and the network
// off: the only go command that runs is go env, and the hash equals the one
// taken with the real module cache.
func TestHashWithoutGoList(t *testing.T) {
	// Not parallel: it changes PATH.
	ctx := context.Background()
	dir := moduleCheckout(t)
	want, err := Hash(ctx, options(t, dir, "./cmd/greeter"))
	if err != nil {
		t.Fatal(err)
	}
	calls := goShim(t)
	o := options(t, dir, "./cmd/greeter")
	o.Env = append(o.Env, "GOMODCACHE="+t.TempDir(), "GOFLAGS=-mod=mod", "GOPROXY=off")
	got, err := Hash(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("hash with an empty module cache = %s, want %s", got, want)
	}
	b, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	if ran := strings.Fields(string(b)); !slices.Equal(ran, []string{"env"}) {
		t.Errorf("go commands run: %q, want only go env", ran)
	}
}

// TestStaticHashChanges checks what the hash taken without go list covers.
func TestStaticHashChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := map[string]string{}
	for _, pkg := range []string{"./cmd/greeter", "./hello"} {
		h, err := Hash(ctx, options(t, moduleCheckout(t), pkg))
		if err != nil {
			t.Fatal(err)
		}
		base[pkg] = h
	}
	for _, tc := range []struct {
		name    string
		pkg     string // default ./cmd/greeter
		files   map[string]string
		remove  string
		opts    func(*Options)
		changes bool
	}{
		{name: "changes when the main package's source changes", changes: true,
			files: map[string]string{"cmd/greeter/main.go": "package main\n\nfunc main() {}\n"}},
		{name: "changes when a file is added to the main package", changes: true,
			files: map[string]string{"cmd/greeter/extra.go": "package main\n"}},
		{name: "changes when an imported package of the module changes", changes: true,
			files: map[string]string{"lib/lib.go": "package lib\n\nconst Name = \"you\"\n"}},
		{name: "changes when go.sum changes", changes: true,
			files: map[string]string{"go.sum": ""}},
		{name: "changes when go.sum is removed", changes: true, remove: "go.sum"},
		{name: "changes when go.mod changes", changes: true,
			files: map[string]string{"go.mod": "module example.com/mod\n\ngo 1.25\n"}},
		{name: "changes when an embedded file changes", pkg: "./hello", changes: true,
			files: map[string]string{"hello/greeting.txt": "bonjour"}},
		{name: "changes when a file appears in an embedded directory", pkg: "./hello", changes: true,
			files: map[string]string{"hello/static/more.html": "<p>more</p>"}},
		{name: "changes when a default.pgo profile appears", changes: true,
			files: map[string]string{"cmd/greeter/default.pgo": "profile"}},
		{name: "changes with GOARCH", changes: true, opts: func(o *Options) { o.GOARCH = "amd64" }},
		{name: "changes with tags", changes: true, opts: func(o *Options) { o.Tags = []string{"lambda"} }},
		{name: "changes with ldflags", changes: true, opts: func(o *Options) { o.LDFlags = "-s" }},
		{name: "changes with gcflags", changes: true, opts: func(o *Options) { o.GCFlags = []string{"-l"} }},
		{name: "changes with GOFLAGS that reach the compiler", changes: true,
			opts: func(o *Options) { o.Env = append(o.Env, "GOFLAGS=-gcflags=-N") }},
		{name: "keeps when a hidden file of an embedded directory changes", pkg: "./hello",
			files: map[string]string{"hello/static/.hidden": "still not embedded"}},
		{name: "keeps when a file for another GOOS changes",
			files: map[string]string{"lib/lib_windows.go": "package lib\n\nconst windowsOnly = false\n"}},
		{name: "keeps when a test file changes",
			files: map[string]string{"lib/lib_test.go": "package lib\n\nconst x = 1\n"}},
		{name: "keeps when a package outside the build graph changes",
			files: map[string]string{"unused/unused.go": "package unused\n\nconst x = 1\n"}},
		{name: "keeps when a file unknown to go build changes",
			files: map[string]string{"cmd/greeter/README.md": "# the greeter\n"}},
		{name: "keeps with neutral GOFLAGS and environment",
			opts: func(o *Options) {
				o.Env = append(o.Env, "GOFLAGS=-buildvcs=true -modcacherw -trimpath -mod=mod", "GOCACHE="+t.TempDir(), "HOME=/nowhere")
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pkg := tc.pkg
			if pkg == "" {
				pkg = "./cmd/greeter"
			}
			dir := moduleCheckout(t)
			writeFiles(t, dir, tc.files)
			if tc.remove != "" {
				if err := os.Remove(filepath.Join(dir, tc.remove)); err != nil {
					t.Fatal(err)
				}
			}
			o := options(t, dir, pkg)
			if tc.opts != nil {
				tc.opts(&o)
			}
			got, err := Hash(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			if changed := got != base[pkg]; changed != tc.changes {
				t.Errorf("hash changed = %v, want %v (hash %s, before %s)", changed, tc.changes, got, base[pkg])
			}
		})
	}
}

// TestStaticHashAgreesAcrossSpellingsAndCheckouts: the hash does not depend
// on how the package is named nor where the module is.
func TestStaticHashAgreesAcrossSpellingsAndCheckouts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := moduleCheckout(t), moduleCheckout(t)
	want, err := Hash(ctx, options(t, a, "./cmd/greeter"))
	if err != nil {
		t.Fatal(err)
	}
	for name, o := range map[string]Options{
		"other checkout":                  {Package: "./cmd/greeter", Dir: b},
		"import path":                     {Package: "example.com/mod/cmd/greeter", Dir: a},
		"import path from a subdirectory": {Package: "example.com/mod/cmd/greeter", Dir: filepath.Join(a, "lib")},
		"absolute directory":              {Package: filepath.Join(b, "cmd", "greeter")},
		"package dir as Dir":              {Package: ".", Dir: filepath.Join(a, "cmd", "greeter")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			o.Env, o.CacheDir = offlineEnv, t.TempDir()
			got, err := Hash(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("hash = %s, want %s", got, want)
			}
		})
	}
}

// TestStaticHashErrors: a package that cannot be built is an error at
// hashing time, naming it.
func TestStaticHashErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := moduleCheckout(t)
	for _, tc := range []struct {
		pkg  string
		want []string
	}{
		{"./cmd/notmain", []string{"unable to build ./cmd/notmain for linux/arm64", "not a main package", "example.com/mod/cmd/notmain is package notmain"}},
		{"./cmd/nope", []string{"unable to build ./cmd/nope", "example.com/mod/cmd/nope not found"}},
		{"./cmd/badimport", []string{"unable to build ./cmd/badimport", "package example.com/mod/missing imported by example.com/mod/cmd/badimport: not found"}},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			t.Parallel()
			_, err := Hash(ctx, options(t, dir, tc.pkg))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestStaticHashBuilds: a build hashed without go list builds, and its
// result is found again under the same hash; a package of a nested module
// (hashed with go list) builds too.
func TestStaticHashBuilds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := moduleCheckout(t)
	for _, o := range []Options{options(t, dir, "./hello"), options(t, filepath.Join(dir, "nested"), "./cmd/tool")} {
		res, err := Build(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Build(ctx, o)
		if err != nil || !again.Cached || again.Hash != res.Hash {
			t.Errorf("second build = %+v, %v; want the first's hash %s, cached", again, err, res.Hash)
		}
	}
}

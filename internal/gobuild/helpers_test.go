package gobuild

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// offlineEnv keeps the go command off the network in tests: every module a
// test needs is local or already in the module cache.
var offlineEnv = []string{"GOPROXY=off", "GOTOOLCHAIN=local"}

// writeFiles writes files (slash-separated paths relative to root).
func writeFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTestdata reads the files of testdata/<name> as a map for writeFiles.
func readTestdata(t testing.TB, name string) map[string]string {
	t.Helper()
	files := map[string]string{}
	root := filepath.Join("testdata", name)
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// checkout writes a small workspace into a new temporary directory and
// returns the directory of its main module, "app": a module of its own
// holding testdata/hello (with its embedded file) plus a package "lib" and a
// module "example.com/greet" replaced by the local directory ../greet. It
// stands for a checkout of a repository: each call gives the same content at
// a different path.
func checkout(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"app/go.mod": "module example.com/app\n\ngo 1.26\n\n" +
			"require example.com/greet v0.0.0\n\nreplace example.com/greet => ../greet\n",
		"app/cmd/greeter/main.go": `package main

import (
	"fmt"

	"example.com/app/lib"
	"example.com/greet"
)

func main() { fmt.Println(greet.Hello(lib.Name)) }
`,
		"app/lib/lib.go":             "package lib\n\n// Name is who is greeted.\nconst Name = \"world\"\n",
		"app/lib/lib_windows.go":     "package lib\n\nconst windowsOnly = true\n",
		"app/lib/gen.go":             "//go:build ignore\n\npackage main\n",
		"app/lib/doc.go":             "// Package lib names who is greeted.\npackage lib\n",
		"app/lib/lib_test.go":        "package lib\n",
		"app/unused/unused.go":       "package unused\n",
		"app/cmd/notmain/notmain.go": "package notmain\n",
		"greet/go.mod":               "module example.com/greet\n\ngo 1.22\n",
		"greet/greet.go":             "package greet\n\n// Hello greets.\nfunc Hello(who string) string { return \"hello, \" + who }\n",
	}
	for name, content := range readTestdata(t, "hello") {
		files["app/hello/"+name] = content
	}
	writeFiles(t, root, files)
	return filepath.Join(root, "app")
}

// options are the options of a test build of pkg in dir, with a cache of
// the test's own.
func options(t testing.TB, dir, pkg string) Options {
	t.Helper()
	return Options{Package: pkg, Dir: dir, Env: offlineEnv, CacheDir: t.TempDir()}
}

// backdate sets the modification time of every file and directory under
// root to an hour ago, so that stamps taken now are not racy.
func backdate(t testing.TB, root string) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, old, old)
	})
	if err != nil {
		t.Fatal(err)
	}
}

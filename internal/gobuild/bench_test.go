package gobuild

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkHashWarm measures the warm-synthesis path: the hash of an
// unchanged package, whose binary is then found in the cache. "stamp" is
// what Hash does when its stamp is valid (stat calls only); "go-list"
// computes the hash from go env and go list, as Hash does when a watched
// file changed or the stamp is missing.
func BenchmarkHashWarm(b *testing.B) {
	ctx := context.Background()
	cases := []struct {
		name string
		opts func(b *testing.B) Options
	}{
		{"hello", func(b *testing.B) Options {
			app := checkout(b)
			backdate(b, filepath.Dir(app))
			return options(b, app, "./hello")
		}},
		{"in-module", func(b *testing.B) Options {
			return Options{Package: "./testdata/hello", Env: offlineEnv, CacheDir: b.TempDir()}
		}},
		{"client-go", func(b *testing.B) Options {
			dir := clientGoModule(b)
			backdate(b, dir)
			return options(b, dir, ".")
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			o, err := tc.opts(b).normalize()
			if err != nil {
				b.Fatal(err)
			}
			b.Run("stamp", func(b *testing.B) {
				if _, err := o.hash(ctx); err != nil { // writes the stamp
					b.Fatal(err)
				}
				key, _ := o.stampKey()
				if _, ok := loadStamp(filepath.Join(o.CacheDir, "stamps", key)); !ok {
					b.Skip("no valid stamp (a watched file was modified in the last seconds)")
				}
				for b.Loop() {
					if _, err := o.hash(ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("go-list", func(b *testing.B) {
				for b.Loop() {
					if _, _, err := o.computeHash(ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkBuildCold measures a build into an empty cache of the hello
// package: with the go command's build cache warm (the usual case on a
// developer's machine: only the link runs) and with an empty GOCACHE (a CI
// machine's first build: the runtime and standard library are compiled
// for linux/arm64).
func BenchmarkBuildCold(b *testing.B) {
	ctx := context.Background()
	app := checkout(b)
	for _, gocache := range []string{"warm", "empty"} {
		b.Run("gocache="+gocache, func(b *testing.B) {
			if gocache == "warm" {
				if _, err := Build(ctx, options(b, app, "./hello")); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				o := options(b, app, "./hello")
				if gocache == "empty" {
					o.Env = append(o.Env, "GOCACHE="+b.TempDir())
				}
				r, err := Build(ctx, o)
				if err != nil {
					b.Fatal(err)
				}
				if r.Cached {
					b.Fatal("Cached = true from an empty cache")
				}
			}
		})
	}
}

// clientGoModule makes a module whose main package imports the client-go
// packages a Kubernetes handler uses (about 600 packages in the build
// graph), resolved offline from the module cache; it skips the benchmark
// when the module cache does not have them.
func clientGoModule(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	writeFiles(b, dir, map[string]string{
		"go.mod": "module example.com/kube\n\ngo 1.26\n",
		"main.go": `package main

import (
	_ "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	_ "k8s.io/client-go/dynamic"
	_ "k8s.io/client-go/kubernetes"
	_ "k8s.io/client-go/restmapper"
	_ "k8s.io/client-go/tools/clientcmd"
)

func main() {}
`,
	})
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		b.Fatal(err)
	}
	proxy := "GOPROXY=file://" + filepath.ToSlash(filepath.Join(strings.TrimSpace(string(modcache)), "cache", "download"))
	for _, args := range [][]string{
		{"get", "k8s.io/client-go@v0.37.2", "k8s.io/apiextensions-apiserver@v0.37.2"},
		{"mod", "tidy"},
	} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), proxy, "GOSUMDB=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Skipf("client-go v0.37.2 is not in the module cache: go %s: %v\n%s", args[0], err, out)
		}
	}
	return dir
}

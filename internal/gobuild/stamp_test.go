package gobuild

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stampOf returns the path of the stamp that Hash keeps for o.
func stampOf(t *testing.T, o Options) string {
	t.Helper()
	n, err := o.normalize()
	if err != nil {
		t.Fatal(err)
	}
	key, ok := n.stampKey()
	if !ok {
		t.Fatal("no stamp key: go is not on PATH")
	}
	return filepath.Join(n.CacheDir, "stamps", key)
}

func TestStampIsUsedWhileNothingChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app := checkout(t)
	backdate(t, filepath.Dir(app))
	o := options(t, app, "./hello")
	want, err := Hash(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	p := stampOf(t, o)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("no stamp after hashing: %v", err)
	}
	// Put another hash into the stamp: Hash returns it only if it trusts
	// the stamp instead of running go list.
	fake := strings.Repeat("0", 64)
	var s stampFile
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s.Hash != want {
		t.Fatalf("stamp holds %s, want %s", s.Hash, want)
	}
	s.Hash = fake
	if b, err = json.Marshal(s); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Hash(ctx, o); err != nil || got != fake {
		t.Errorf("Hash = %s, %v; want the stamp's %s", got, err, fake)
	}
}

func TestStampIsNotWrittenForRecentChanges(t *testing.T) {
	t.Parallel()
	o := options(t, checkout(t), "./hello") // files written just now
	if _, err := Hash(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stampOf(t, o)); !os.IsNotExist(err) {
		t.Errorf("stamp written for files modified just now (stat: %v)", err)
	}
}

func TestStampIsInvalidated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		pkg    string
		change func(t *testing.T, root string)
	}{
		{name: "by an edited source file", pkg: "./cmd/greeter", change: write("app/cmd/greeter/main.go", "package main\n\nfunc main() {}\n")},
		{name: "by an edit that keeps the size", pkg: "./cmd/greeter", change: write("app/lib/lib.go", "package lib\n\n// Name is who is greeted.\nconst Name = \"WORLD\"\n")},
		{name: "by a file added to a package", pkg: "./cmd/greeter", change: write("app/cmd/greeter/extra.go", "package main\n")},
		{name: "by a removed file", pkg: "./cmd/greeter", change: remove("app/lib/doc.go")},
		{name: "by an edited locally replaced module", pkg: "./cmd/greeter", change: write("greet/greet.go", "package greet\n\nfunc Hello(who string) string { return who }\n")},
		{name: "by an ignored file that loses its constraint", pkg: "./cmd/greeter", change: write("app/lib/gen.go", "package lib\n\n")},
		{name: "by an edited embedded file", pkg: "./hello", change: write("app/hello/greeting.txt", "HELLO")},
		{name: "by an edited go.mod", pkg: "./hello", change: write("app/go.mod", "module example.com/app\n\ngo 1.25\n")},
		{name: "by a go.work appearing above the module", pkg: "./hello", change: write("go.work", "go 1.26\n\nuse ./app\n\ngodebug asynctimerchan=1\n")},
		{name: "by a go.mod appearing between Dir and the module root", pkg: ".", change: write("app/hello/go.mod", "module example.com/hello\n\ngo 1.26\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := checkout(t)
			root := filepath.Dir(app)
			backdate(t, root)
			o := options(t, app, tc.pkg)
			if tc.pkg == "." {
				o.Dir = filepath.Join(app, "hello")
			}
			before, err := Hash(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(stampOf(t, o)); err != nil {
				t.Fatalf("no stamp: %v", err)
			}
			tc.change(t, root)
			got, err := Hash(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			n, _ := o.normalize()
			want, _, err := n.computeHash(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got != want.Hash {
				t.Errorf("Hash = %s from a stale stamp, want %s (before the change: %s)", got, want.Hash, before)
			}
			if got == before {
				t.Errorf("the change left the hash at %s; the case tests nothing", got)
			}
		})
	}
}

func write(name, content string) func(*testing.T, string) {
	return func(t *testing.T, root string) { writeFiles(t, root, map[string]string{name: content}) }
}

func remove(name string) func(*testing.T, string) {
	return func(t *testing.T, root string) {
		if err := os.Remove(filepath.Join(root, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
}

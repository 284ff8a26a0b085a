package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

// realHandler is the kubectl handler package before any test points it at
// the stub.
var realHandler = eks.KubectlHandlerPackage

// TestFirstSynthCompilesNothing synthesizes hello-eks as on a fresh
// machine (an empty eksforge cache) with every tool the go command starts
// recorded (-toolexec), an empty module cache and no module proxy: no
// compiler or linker runs, the only go command is go env (no go list, so
// no module of the handlers is needed), nothing is built into the cache,
// and each Go handler's asset manifest entry is complete: the command that
// builds it at publish time, naming no path of this machine (so the cloud
// assembly publishes elsewhere), and a destination in the bootstrap bucket
// under the key the template names.
func TestFirstSynthCompilesNothing(t *testing.T) {
	eks.KubectlHandlerPackage = realHandler
	t.Cleanup(func() { eks.KubectlHandlerPackage = realHandler })
	tmp := t.TempDir()
	cache := filepath.Join(tmp, "cache")
	record := filepath.Join(tmp, "tools.log")
	toolexec := filepath.Join(tmp, "toolexec.sh")
	if err := os.WriteFile(toolexec, []byte("#!/bin/sh\necho \"$@\" >> "+record+"\nexec \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("EKSFORGE_CACHE", cache)
	t.Setenv("GOFLAGS", "-mod=mod -toolexec="+toolexec)
	// As on a fresh machine: no module in the module cache, and none to
	// be had.
	t.Setenv("GOMODCACHE", filepath.Join(tmp, "modcache"))
	t.Setenv("GOPROXY", "off")
	// Every go command synthesis starts is recorded: hashing a handler
	// reads go env, nothing else (no go list, so no module is loaded).
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	shim := filepath.Join(tmp, "bin")
	calls := filepath.Join(tmp, "go-calls.log")
	if err := os.MkdirAll(shim, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shim, "go"), []byte("#!/bin/sh\necho \"$1\" >> "+calls+"\nexec "+realGo+" \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", shim+string(os.PathListSeparator)+os.Getenv("PATH"))
	out := filepath.Join(tmp, "cdk.out")
	app := cdk.NewApp(cdk.AppProps{Outdir: out})
	build(app)
	asm, err := app.Synth()
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(record); err == nil || !os.IsNotExist(err) {
		t.Errorf("synthesis ran Go tools (%v):\n%s", err, b)
	}
	if b, err := os.ReadFile(calls); err != nil {
		t.Errorf("synthesis ran no go command (%v): the handlers' hashes need go env", err)
	} else if ran := strings.Fields(string(b)); slices.ContainsFunc(ran, func(c string) bool { return c != "env" }) {
		t.Errorf("synthesis ran go %q; want only go env (no go list, no module download)", ran)
	}
	if mods, _ := os.ReadDir(filepath.Join(tmp, "modcache")); len(mods) != 0 {
		t.Errorf("synthesis filled the module cache: %v", mods)
	}
	if entries, _ := os.ReadDir(filepath.Join(cache, "gobuild")); slices.ContainsFunc(entries, func(e os.DirEntry) bool { return e.Name() != "stamps" }) {
		t.Errorf("synthesis wrote builds to the cache: %v", entries)
	}
	if staged, _ := filepath.Glob(filepath.Join(out, "asset.*.zip")); len(staged) != 0 {
		t.Errorf("synthesis staged zips: %v", staged)
	}

	tmpl := string(asm.Stack("HelloEks").TemplateJSON())
	var manifest struct {
		Files map[string]struct {
			DisplayName  string         `json:"displayName"`
			Source       map[string]any `json:"source"`
			Destinations map[string]map[string]any
		} `json:"files"`
	}
	body, err := os.ReadFile(filepath.Join(out, "HelloEks.assets.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &manifest); err != nil {
		t.Fatal(err)
	}
	handlers := map[string]bool{}
	for id, f := range manifest.Files {
		exe, ok := f.Source["executable"].([]any)
		if !ok {
			continue
		}
		var argv []string
		for _, a := range exe {
			argv = append(argv, a.(string))
		}
		pkg := argv[slices.Index(argv, "-package")+1]
		handlers[pkg] = true
		if len(f.Source) != 1 || !strings.HasPrefix(f.DisplayName, pkg+" (arm64)") {
			t.Errorf("asset %s: source %v, display name %q", id, f.Source, f.DisplayName)
		}
		if argv[0] != "go" || argv[1] != "run" || argv[2] != "github.com/eksforge/eksforge/cmd/eksforge-asset" {
			t.Errorf("asset %s: command %q does not go run eksforge-asset of the app's eksforge", id, argv)
		}
		for _, a := range argv {
			if filepath.IsAbs(a) {
				t.Errorf("asset %s: command %q names %s, a path of this machine", id, argv, a)
			}
		}
		for _, want := range [][]string{{"-module", "github.com/eksforge/eksforge"}, {"-goarch", "arm64"}, {"-tags", "lambda.norpc,nohelm"}, {"-hash", id}} {
			if i := slices.Index(argv, want[0]); i < 0 || argv[i+1] != want[1] {
				t.Errorf("asset %s: command %q lacks %s %s", id, argv, want[0], want[1])
			}
		}
		if len(f.Destinations) != 1 {
			t.Fatalf("asset %s: destinations %v", id, f.Destinations)
		}
		for _, d := range f.Destinations {
			if d["bucketName"] != "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}" || d["objectKey"] != id+".zip" ||
				!regexp.MustCompile(`cdk-hnb659fds-file-publishing-role`).MatchString(d["assumeRoleArn"].(string)) {
				t.Errorf("asset %s: destination %v", id, d)
			}
		}
		if !strings.Contains(tmpl, `"S3Key": "`+id+`.zip"`) {
			t.Errorf("the template names no code at %s.zip", id)
		}
	}
	if !handlers[realHandler] {
		t.Errorf("no asset built at publish time for %s (got %v)", realHandler, handlers)
	}
}

package cli_test

import (
	"archive/zip"
	"debug/elf"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/internal/cli"
)

// TestSynthBuildAssets runs `eksforge synth --build-assets` on an app with
// a Go function: the asset is built at synthesis and staged in the cloud
// assembly (a path source, no command), its zip holds one executable
// bootstrap for the function's architecture, and that program runs (the
// test builds for the host's architecture when it is a Lambda one, so the
// binary can be started here).
func TestSynthBuildAssets(t *testing.T) {
	t.Parallel()
	arch := "arm64"
	if runtime.GOARCH == "amd64" {
		arch = "amd64"
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	r := &cli.Runner{Dir: root, Env: []string{"HANDLER_ARCH=" + arch}}
	res := run(t, r, "synth", "--build-assets", "--app", "go run ./internal/cli/testdata/goasset", "--out", out)
	res.expect(t, 0, "stdout", "GoAsset:")

	var manifest struct {
		Files map[string]struct {
			Source map[string]any `json:"source"`
		} `json:"files"`
	}
	if err := json.Unmarshal(mustRead(t, out, "GoAsset.assets.json"), &manifest); err != nil {
		t.Fatal(err)
	}
	var zipPath string
	for id, f := range manifest.Files {
		if strings.HasSuffix(id, ".json") || f.Source["path"] == "GoAsset.template.json" {
			continue
		}
		if _, ok := f.Source["executable"]; ok {
			t.Fatalf("asset %s is still built at publish time: %v", id, f.Source)
		}
		p, _ := f.Source["path"].(string)
		if p != "asset."+id+".zip" || f.Source["packaging"] != "file" {
			t.Errorf("asset %s: source %v, want the staged zip asset.%s.zip", id, f.Source, id)
		}
		zipPath = filepath.Join(out, p)
	}
	if zipPath == "" {
		t.Fatalf("no handler asset in %v", manifest.Files)
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatalf("the staged asset is not a zip: %v", err)
	}
	defer zr.Close()
	if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" || zr.File[0].Mode()&0o111 == 0 {
		t.Fatalf("the zip holds %v, want one executable bootstrap", zr.File)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "bootstrap")
	f, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.Copy(f, rc)
	rc.Close()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	ef, err := elf.Open(bin)
	if err != nil {
		t.Fatalf("bootstrap is not an ELF file: %v", err)
	}
	machine := ef.Machine
	ef.Close()
	want := map[string]elf.Machine{"arm64": elf.EM_AARCH64, "amd64": elf.EM_X86_64}[arch]
	if machine != want {
		t.Fatalf("bootstrap is for %v, want %v", machine, want)
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != arch {
		t.Skipf("bootstrap is a linux/%s program; this is %s/%s", arch, runtime.GOOS, runtime.GOARCH)
	}
	got, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	if w := "hello from linux/" + arch; !strings.Contains(string(got), w) {
		t.Errorf("bootstrap printed %q, want %q", got, w)
	}
}

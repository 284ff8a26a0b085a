package gobuild

import (
	"io"
	"runtime/debug"
	"slices"
	"testing"
)

func TestCommandRunner(t *testing.T) {
	t.Parallel()
	dep := func(version string, replace *debug.Module) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "example.com/app"},
			Deps: []*debug.Module{{Path: "example.com/other", Version: "v1.0.0"}, {Path: ModulePath, Version: version, Replace: replace}}}
	}
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"a published eksforge is fetched at its version", dep("v0.4.0", nil), CommandPackage + "@v0.4.0"},
		{"a pseudo-version too", dep("v0.0.0-20261205120000-0123456789ab", nil), CommandPackage + "@v0.0.0-20261205120000-0123456789ab"},
		{"eksforge replaced by a directory resolves in the current module", dep("v0.4.0", &debug.Module{Path: "../eksforge"}), CommandPackage},
		{"eksforge as the main module resolves in the current module", &debug.BuildInfo{Main: debug.Module{Path: ModulePath, Version: "v0.4.1-0.20261205120000-0123456789ab+dirty"}}, CommandPackage},
		{"no build information", nil, CommandPackage},
	} {
		if got := commandRunner(tc.bi); got != tc.want {
			t.Errorf("%s: runner %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestCommandNamesNoPathWhenPortable(t *testing.T) {
	t.Parallel()
	opts := Options{Package: ".", Dir: "/src/app/cmd/handler", GOARCH: "arm64", Tags: []string{"nohelm", "lambda.norpc"}}
	id := Identity{Hash: "abc", Package: "example.com/app/cmd/handler", Module: "example.com/app"}
	argv := Command(opts, id)
	want := []string{"go", "run", commandRunner(readBuildInfo()), "-module", "example.com/app", "-package", "example.com/app/cmd/handler",
		"-goarch", "arm64", "-tags", "lambda.norpc,nohelm", "-hash", "abc"}
	if !slices.Equal(argv, want) {
		t.Errorf("Command = %q, want %q", argv, want)
	}
	back, module, hash, err := ParseCommand(argv[3:], io.Discard)
	if err != nil || module != "example.com/app" || hash != "abc" || back.Package != id.Package || back.Dir != "" || back.GOARCH != "arm64" {
		t.Errorf("ParseCommand = %+v, %q, %q, %v", back, module, hash, err)
	}
	// Compiler flags travel in their order.
	gc := opts
	gc.GCFlags = []string{"k8s.io/api/...=-l", "-N"}
	argv = Command(gc, id)
	if back, _, _, err := ParseCommand(argv[3:], io.Discard); err != nil || !slices.Equal(back.GCFlags, gc.GCFlags) {
		t.Errorf("ParseCommand(%q) = GCFlags %q, %v; want %q", argv, back.GCFlags, err, gc.GCFlags)
	}
	// Without a module, the directories are given.
	argv = Command(opts, Identity{Hash: "abc"})
	if i := slices.Index(argv, "-dir"); i < 0 || argv[i+1] != opts.Dir {
		t.Errorf("Command without a module = %q, want -dir %s", argv, opts.Dir)
	}
	if _, _, _, err := ParseCommand([]string{"-package", "p", "-module", "m", "-dir", "/d"}, io.Discard); err == nil {
		t.Error("ParseCommand accepted both -module and -dir")
	}
}

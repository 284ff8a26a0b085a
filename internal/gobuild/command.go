package gobuild

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
)

// CommandPackage is the main package of the command that [Command] runs:
// it builds and zips one program and prints the zip's path.
const CommandPackage = ModulePath + "/cmd/eksforge-asset"

// Command returns the argv of a command that builds the program named by
// opts (resolved, see [Options.Resolved]), zips it ([BuildZip]) and prints
// the zip's absolute path on standard output, with progress on standard
// error: the "executable" source of a cloud-assembly file asset, which the
// AWS CDK CLI and eksforge deploy run when they publish it. id is the
// build's identity ([Identify]): the command fails rather than upload a
// program whose sources changed since synthesis.
//
// When id names the package and its module (the hash was taken without go
// list), the command holds no path of this machine:
//
//	go run github.com/eksforge/eksforge/cmd/eksforge-asset[@<version>] -module <module> -package <import path> -goarch arm64 … -hash <hash>
//
// The version is the eksforge version this program was built with, when
// it is a published one (eksforge is a dependency, not replaced): go run
// then fetches that version, from any directory on any machine. Without it
// (eksforge is the main module or replaced by a directory) the command is
// resolved in the module of the directory it runs in, which is the app's
// project directory when cdk deploy or eksforge deploy runs it. The
// module's directory is found at publish time ([ModuleDir]), so a cloud
// assembly synthesized in one checkout publishes from another, on another
// machine.
//
// Otherwise (workspaces, directory replacements) the command names
// absolute directories of this machine: `go run -C <eksforge sources>
// ./cmd/eksforge-asset -package <opts.Package> -dir <opts.Dir> …`.
func Command(opts Options, id Identity) []string {
	var argv []string
	if id.Module != "" {
		argv = append(argv, "go", "run", commandRunner(readBuildInfo()), "-module", id.Module, "-package", id.Package)
	} else {
		argv = append(argv, "go", "run")
		if root := ModuleRoot(); root != "" {
			argv = append(argv, "-C", root, "./cmd/eksforge-asset")
		} else {
			argv = append(argv, "-C", opts.Dir, CommandPackage)
		}
		argv = append(argv, "-package", opts.Package, "-dir", opts.Dir)
	}
	if opts.GOOS != "" {
		argv = append(argv, "-goos", opts.GOOS)
	}
	if opts.GOARCH != "" {
		argv = append(argv, "-goarch", opts.GOARCH)
	}
	if len(opts.Tags) > 0 {
		argv = append(argv, "-tags", strings.Join(slices.Sorted(slices.Values(opts.Tags)), ","))
	}
	if opts.LDFlags != "" {
		argv = append(argv, "-ldflags", opts.LDFlags)
	}
	for _, f := range opts.GCFlags {
		argv = append(argv, "-gcflags", f)
	}
	for _, e := range opts.Env {
		argv = append(argv, "-env", e)
	}
	if opts.CacheDir != "" {
		argv = append(argv, "-cache", opts.CacheDir)
	}
	if id.Hash != "" {
		argv = append(argv, "-hash", id.Hash)
	}
	return argv
}

// readBuildInfo is debug.ReadBuildInfo, or nil.
func readBuildInfo() *debug.BuildInfo {
	bi, _ := debug.ReadBuildInfo()
	return bi
}

// commandRunner is the package argument of go run for the publish-time
// command: [CommandPackage] at the eksforge version the program described
// by bi depends on, when that version can be fetched, else without a
// version (resolved in the current directory's module).
func commandRunner(bi *debug.BuildInfo) string {
	if bi == nil || bi.Main.Path == ModulePath {
		return CommandPackage
	}
	for _, d := range bi.Deps {
		if d.Path == ModulePath && d.Replace == nil && d.Version != "" && d.Version != "(devel)" {
			return CommandPackage + "@" + d.Version
		}
	}
	return CommandPackage
}

// ParseCommand reads the arguments that [Command] gives the command (after
// the package name) back into options, the module named by -module (""
// when -dir names the directory) and the expected hash. Usage messages go
// to output.
func ParseCommand(args []string, output io.Writer) (opts Options, module, want string, err error) {
	fs := flag.NewFlagSet("eksforge-asset", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&opts.Package, "package", "", "main package to build (import path, or \".\" with -dir)")
	fs.StringVar(&module, "module", "", "module the package is built in, found from the current directory (instead of -dir)")
	fs.StringVar(&opts.Dir, "dir", "", "directory the go command runs in")
	fs.StringVar(&opts.GOOS, "goos", "", "target GOOS (default linux)")
	fs.StringVar(&opts.GOARCH, "goarch", "", "target GOARCH (default arm64)")
	tags := fs.String("tags", "", "comma-separated build tags")
	fs.StringVar(&opts.LDFlags, "ldflags", "", "linker flags (default \""+DefaultLDFlags+"\")")
	fs.Func("gcflags", "one -gcflags argument of go build, [pattern=]flags (repeatable, in order)", func(s string) error {
		opts.GCFlags = append(opts.GCFlags, s)
		return nil
	})
	fs.Func("env", "extra KEY=value for the go command (repeatable)", func(s string) error {
		if !strings.Contains(s, "=") {
			return fmt.Errorf("%q is not KEY=value", s)
		}
		opts.Env = append(opts.Env, s)
		return nil
	})
	fs.StringVar(&opts.CacheDir, "cache", "", "build cache (default $EKSFORGE_CACHE/gobuild or ~/.cache/eksforge/gobuild)")
	fs.StringVar(&want, "hash", "", "expected hash of the build inputs (the asset's id)")
	if err := fs.Parse(args); err != nil {
		return Options{}, "", "", err
	}
	if fs.NArg() > 0 {
		return Options{}, "", "", fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if opts.Package == "" {
		return Options{}, "", "", fmt.Errorf("-package is required")
	}
	if module != "" && opts.Dir != "" {
		return Options{}, "", "", fmt.Errorf("give -module or -dir, not both")
	}
	if *tags != "" {
		opts.Tags = strings.Split(*tags, ",")
	}
	return opts, module, want, nil
}

// ModuleDir returns the root directory of module on this machine, for the
// publish-time command: eksforge's own sources for the eksforge module
// (those the running program was compiled from, [ModuleRoot]); else the
// module of the current directory when it is that module; else the
// directory go list -m reports for it from the current directory (a
// dependency or a workspace module of the current module).
func ModuleDir(ctx context.Context, module string) (string, error) {
	if module == ModulePath {
		if root := ModuleRoot(); root != "" {
			return root, nil
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
			if parseModuleFile(b).path == module {
				return d, nil
			}
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	cmd := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}", "--", module)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if dir := strings.TrimSpace(string(out)); err == nil && dir != "" {
		return dir, nil
	}
	msg := strings.TrimSpace(stderr.String())
	if msg == "" && err != nil {
		msg = err.Error()
	}
	return "", errors.New("unable to find the sources of module " + module + " from " + wd +
		": run the deployment in the app's module (the directory of its go.mod, or below), where the app was synthesized" +
		suffix(msg))
}

func suffix(msg string) string {
	if msg == "" {
		return ""
	}
	return " (go list -m: " + msg + ")"
}

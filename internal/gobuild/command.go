package gobuild

import (
	"flag"
	"fmt"
	"io"
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
// AWS CDK CLI and eksforge deploy run when they publish it. want is the
// asset's hash: the command fails rather than upload a program whose
// sources changed since synthesis.
//
// The command is `go run` of [CommandPackage] in the eksforge sources this
// program was compiled from ([ModuleRoot]), else in opts.Dir (whose module
// then must require eksforge); its arguments are absolute, so it runs from
// any directory on this machine.
func Command(opts Options, want string) []string {
	argv := []string{"go", "run"}
	if root := ModuleRoot(); root != "" {
		argv = append(argv, "-C", root, "./cmd/eksforge-asset")
	} else {
		argv = append(argv, "-C", opts.Dir, CommandPackage)
	}
	argv = append(argv, "-package", opts.Package, "-dir", opts.Dir)
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
	for _, e := range opts.Env {
		argv = append(argv, "-env", e)
	}
	if opts.CacheDir != "" {
		argv = append(argv, "-cache", opts.CacheDir)
	}
	if want != "" {
		argv = append(argv, "-hash", want)
	}
	return argv
}

// ParseCommand reads the arguments that [Command] gives the command (after
// the package name) back into options and the expected hash. Usage
// messages go to output.
func ParseCommand(args []string, output io.Writer) (opts Options, want string, err error) {
	fs := flag.NewFlagSet("eksforge-asset", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&opts.Package, "package", "", "main package to build (import path, or \".\" with -dir)")
	fs.StringVar(&opts.Dir, "dir", "", "directory the go command runs in")
	fs.StringVar(&opts.GOOS, "goos", "", "target GOOS (default linux)")
	fs.StringVar(&opts.GOARCH, "goarch", "", "target GOARCH (default arm64)")
	tags := fs.String("tags", "", "comma-separated build tags")
	fs.StringVar(&opts.LDFlags, "ldflags", "", "linker flags (default \""+DefaultLDFlags+"\")")
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
		return Options{}, "", err
	}
	if fs.NArg() > 0 {
		return Options{}, "", fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if opts.Package == "" {
		return Options{}, "", fmt.Errorf("-package is required")
	}
	if *tags != "" {
		opts.Tags = strings.Split(*tags, ",")
	}
	return opts, want, nil
}

package gobuild

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/eksforge/eksforge/internal/fingerprint"
)

// Zip returns the deterministic zip of a built program (one entry,
// [BinaryName]), made once and kept beside the builds in the cache
// (<cache>/zips/<hash>.zip): zipping a 20 MB binary takes a second or two,
// which a repeated publish or synthesis then does not pay.
func Zip(res *Result) (string, error) {
	dst := filepath.Join(filepath.Dir(res.Dir), "zips", res.Hash+".zip")
	if _, err := os.Stat(dst); err == nil {
		return dst, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", fmt.Errorf("unable to cache the zip of %s: %w", res.Dir, err)
	}
	if err := fingerprint.ZipFile(dst, res.Dir); err != nil {
		return "", err
	}
	return dst, nil
}

// BuildZip builds the program as [Build] does and returns its zip ([Zip]).
// When want is not empty it is the hash the caller expects (the asset's
// identity, taken at synthesis): if the inputs now hash differently,
// BuildZip builds nothing and says so, since the zip would not match the
// asset's name.
func BuildZip(ctx context.Context, opts Options, want string) (string, *Result, error) {
	if want != "" {
		got, err := Hash(ctx, opts)
		if err != nil {
			return "", nil, err
		}
		if got != want {
			return "", nil, fmt.Errorf("unable to build %s: its sources changed since the app was synthesized (the asset is %s, the sources now hash to %s); synthesize the app again",
				opts.Package, want, got)
		}
	}
	res, err := Build(ctx, opts)
	if err != nil {
		return "", nil, err
	}
	if want != "" && res.Hash != want {
		return "", nil, fmt.Errorf("unable to build %s: its sources changed during the build (the asset is %s, the build is %s); synthesize the app again",
			opts.Package, want, res.Hash)
	}
	zip, err := Zip(res)
	if err != nil {
		return "", nil, err
	}
	return zip, res, nil
}

// Resolved returns opts with Dir made absolute and, when Package is a
// directory and Dir is empty, Package moved to Dir (Package "."): the
// options that name the same build from any working directory. CacheDir is
// made absolute when set. Nothing else is defaulted.
func (opts Options) Resolved() (Options, error) {
	o := opts
	if o.Dir == "" && isDirPath(o.Package) {
		o.Dir, o.Package = o.Package, "."
	}
	if o.Dir == "" {
		o.Dir = "."
	}
	var err error
	if o.Dir, err = filepath.Abs(o.Dir); err != nil {
		return opts, err
	}
	if o.CacheDir != "" {
		if o.CacheDir, err = filepath.Abs(o.CacheDir); err != nil {
			return opts, err
		}
	}
	return o, nil
}

// ModulePath is the import path of the eksforge module.
const ModulePath = "github.com/eksforge/eksforge"

// ModuleRoot returns the directory of the eksforge module's sources that
// this program was compiled from (a checkout, or the module cache when
// eksforge is a dependency), or "" when they are not on disk (a program
// built with -trimpath, or moved to another machine).
func ModuleRoot() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	root := filepath.Dir(filepath.Dir(filepath.Dir(file))) // internal/gobuild/zip.go
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !strings.Contains(string(b), "module "+ModulePath+"\n") {
		return ""
	}
	return root
}

package gobuild

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// hashScheme names the hash definition; change it whenever what goes into
// the hash changes, so old cache entries are not mistaken for new ones.
const hashScheme = "eksforge-gobuild/v1"

// BinaryName is the name of the executable in [Result.Dir]: the name the
// provided.al2023 runtime starts.
const BinaryName = "bootstrap"

// DefaultLDFlags are the linker flags used when [Options.LDFlags] is empty:
// no symbol table and no DWARF, for a smaller binary.
const DefaultLDFlags = "-s -w"

// ErrNotMain is returned (wrapped) when [Options.Package] names a package
// that is not a main package, so there is no program to build.
var ErrNotMain = errors.New("not a main package")

// Options say which Go program to build and for which platform.
type Options struct {
	// Package is the main package to build: an import path
	// ("github.com/acme/app/handlers/apply") or a directory, absolute or
	// relative to Dir ("./handlers/apply"). Patterns ("./...") are refused.
	Package string
	// Dir is the directory the go command runs in; it selects the module
	// (or workspace) the package is resolved in.
	// Default: the package's own directory when Package is a directory,
	// else the current working directory.
	Dir string
	// GOOS is the target operating system.
	// Default: "linux".
	GOOS string
	// GOARCH is the target architecture, "arm64" or "amd64" for Lambda.
	// Default: "arm64".
	GOARCH string
	// Tags are build tags, passed as -tags. Their order does not matter.
	// Default: none.
	Tags []string
	// LDFlags are linker flags; "-buildid=" is always appended so the
	// binary carries no build ID.
	// Default: [DefaultLDFlags].
	LDFlags string
	// GCFlags are compiler flags, each one -gcflags argument of go build
	// ("[pattern=]flags", e.g. "k8s.io/api/...=-l"), passed in order: for a
	// package that several patterns match, the last one applies.
	// Default: none (the compiler's defaults for every package).
	GCFlags []string
	// Env holds extra "KEY=value" environment entries for the go command,
	// after the process environment. GOOS, GOARCH and CGO_ENABLED are set
	// from the options and cannot be overridden here. Entries enter the
	// hash only through their effect on the build (see the package doc), so
	// machine-specific paths such as GOCACHE or GOMODCACHE are harmless.
	// Default: none.
	Env []string
	// CacheDir holds the built binaries, one directory per hash, and the
	// stamps that spare go list (see the package doc).
	// Default: [DefaultCacheDir].
	CacheDir string
	// Progress receives one line when a build starts (what is built, why,
	// and where it is cached), a line every [ProgressInterval] while it
	// runs, and one when it ends, with the elapsed time. A binary found in
	// the cache prints nothing.
	// Default: nil (silent).
	Progress io.Writer

	afterBuild func() // test hook: runs between go build and the second hash
}

// ProgressInterval is how often [Options.Progress] hears that a build is
// still running.
const ProgressInterval = 10 * time.Second

// Result is a built (or previously built) program.
type Result struct {
	// Dir is a directory that contains exactly one file, the executable
	// [BinaryName]. It lives in the cache and must not be modified.
	Dir string
	// Hash is the hex SHA-256 of the build inputs (see the package doc):
	// the asset's identity.
	Hash string
	// Cached reports that the binary was found in the cache and nothing was
	// built.
	Cached bool
}

// DefaultCacheDir returns the cache used when [Options.CacheDir] is empty:
// $EKSFORGE_CACHE/gobuild, else $XDG_CACHE_HOME/eksforge/gobuild, else
// $HOME/.cache/eksforge/gobuild.
func DefaultCacheDir() (string, error) {
	if d := os.Getenv("EKSFORGE_CACHE"); d != "" {
		return filepath.Join(d, "gobuild"), nil
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "eksforge", "gobuild"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("unable to find a cache directory (set EKSFORGE_CACHE): %w", err)
	}
	return filepath.Join(home, ".cache", "eksforge", "gobuild"), nil
}

// Build returns the program named by opts.Package compiled for
// opts.GOOS/opts.GOARCH as a static, reproducible executable named
// [BinaryName]. The inputs are hashed first ([Hash]); when the cache already
// holds a binary for that hash it is returned without building
// (Result.Cached). Otherwise the program is built with
//
//	CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags="<LDFlags> -buildid=" [-gcflags=<GCFlags[i]>...] -o <tmp>/bootstrap <Package>
//
// and the temporary directory is renamed into the cache. Concurrent builders
// of the same hash, in this or other processes, are safe: the first rename
// wins and the others use its output. The inputs are hashed again after the
// build; if they changed while it ran, the binary is discarded and the
// program built again (up to three times in all, then Build fails).
func Build(ctx context.Context, opts Options) (*Result, error) {
	o, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		key, err := o.hash(ctx)
		if err != nil {
			return nil, err
		}
		final := filepath.Join(o.CacheDir, key)
		if isExecutable(filepath.Join(final, BinaryName)) {
			return &Result{Dir: final, Hash: key, Cached: true}, nil
		}
		// One build per key at a time across processes: test packages run
		// in parallel and would otherwise all compile the same handler.
		unlock, err := lockKey(ctx, o.CacheDir, key)
		if err != nil {
			return nil, o.errorf("%w", err)
		}
		if isExecutable(filepath.Join(final, BinaryName)) {
			unlock()
			return &Result{Dir: final, Hash: key, Cached: true}, nil
		}
		done := o.progress(key, attempt)
		res, err := o.buildInto(ctx, key)
		done(err)
		unlock()
		if !errors.Is(err, errSourcesChanged) || attempt == maxAttempts {
			return res, err
		}
	}
}

// maxAttempts bounds the builds Build starts when sources keep changing
// under it.
const maxAttempts = 3

// errSourcesChanged says that a build's inputs changed while it ran, so its
// output may not match the hash taken before it started.
var errSourcesChanged = errors.New("the sources changed during the build; build again once they are saved")

// buildInto builds the program into a temporary directory and renames it
// to the cache entry of key, unless the hash of the sources changed
// meanwhile.
func (o *config) buildInto(ctx context.Context, key string) (*Result, error) {
	if err := os.MkdirAll(o.CacheDir, 0o755); err != nil {
		return nil, o.errorf("%w", err)
	}
	tmp, err := os.MkdirTemp(o.CacheDir, ".tmp-"+key[:16]+"-")
	if err != nil {
		return nil, o.errorf("%w", err)
	}
	defer os.RemoveAll(tmp) // no-op once renamed
	if err := o.build(ctx, filepath.Join(tmp, BinaryName)); err != nil {
		return nil, err
	}
	if o.afterBuild != nil {
		o.afterBuild()
	}
	if after, err := o.hash(ctx); err != nil {
		return nil, err
	} else if after != key {
		return nil, o.errorf("%w", errSourcesChanged)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, o.errorf("%w", err)
	}
	final := filepath.Join(o.CacheDir, key)
	if err := os.Rename(tmp, final); err != nil {
		// Another builder won the race: its binary is built from the same
		// inputs, so use it.
		if isExecutable(filepath.Join(final, BinaryName)) {
			return &Result{Dir: final, Hash: key}, nil
		}
		return nil, o.errorf("unable to move the binary into the cache (if %s exists without an executable %s, remove it): %w",
			final, BinaryName, err)
	}
	removeStaleTemps(o.CacheDir)
	return &Result{Dir: final, Hash: key}, nil
}

// staleAfter is the age after which a temporary directory in the cache is
// taken to be left over by a builder that died.
const staleAfter = 24 * time.Hour

// removeStaleTemps removes, as far as it can, the temporary directories of
// builders that died before renaming them.
func removeStaleTemps(cacheDir string) {
	entries, err := os.ReadDir(cacheDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".tmp-") {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > staleAfter {
			os.RemoveAll(filepath.Join(cacheDir, e.Name()))
		}
	}
}

// Hash returns the hash that [Build] would give for opts, without building
// anything. See the package doc for what it covers.
func Hash(ctx context.Context, opts Options) (string, error) {
	id, err := Identify(ctx, opts)
	return id.Hash, err
}

// Identity names a build without building it.
type Identity struct {
	// Hash is what [Hash] returns.
	Hash string
	// Package is the main package's import path and Module the path of
	// the module it is built in, when the build can be found again from
	// these two names on any machine ([Command], [ModuleDir]): the hash
	// was taken without go list (see the package doc) and the module is
	// eksforge or requires it. Both are "" otherwise.
	Package, Module string
}

// Identify returns the hash of opts, as [Hash] does, and the names of the
// package and module it builds when they are known.
func Identify(ctx context.Context, opts Options) (Identity, error) {
	o, err := opts.normalize()
	if err != nil {
		return Identity{}, err
	}
	return o.identify(ctx)
}

// BuildError is a failed go build; Stderr holds the compiler's messages.
type BuildError struct {
	// Stderr is what go build wrote to standard error.
	Stderr string
	// Err is the error from running go build.
	Err error
}

// Error returns "go build: <exit status>:" followed by go build's messages.
func (e *BuildError) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		return "go build: " + e.Err.Error()
	}
	return "go build: " + e.Err.Error() + ":\n" + msg
}

// Unwrap returns the error from running go build.
func (e *BuildError) Unwrap() error { return e.Err }

// config is a normalized Options: defaults filled in, Dir absolute, Tags
// sorted.
type config struct {
	Options
	// name is the package as the caller named it, for messages.
	name string
}

// normalize fills in defaults and checks the options.
func (opts Options) normalize() (*config, error) {
	o := &config{Options: opts, name: opts.Package}
	if o.GOOS == "" {
		o.GOOS = "linux"
	}
	if o.GOARCH == "" {
		o.GOARCH = "arm64"
	}
	if o.LDFlags == "" {
		o.LDFlags = DefaultLDFlags
	}
	if o.Package == "" {
		return nil, o.errorf("Options.Package is empty; name a main package, e.g. \"./cmd/handler\"")
	}
	if strings.Contains(o.Package, "...") {
		return nil, o.errorf("Options.Package is a pattern; name exactly one main package")
	}
	if o.Dir == "" && isDirPath(o.Package) {
		o.Dir, o.Package = o.Package, "."
	}
	if o.Dir == "" {
		o.Dir = "."
	}
	abs, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, o.errorf("%w", err)
	}
	if fi, err := os.Stat(abs); err != nil {
		return nil, o.errorf("%w", err)
	} else if !fi.IsDir() {
		return nil, o.errorf("%s is not a directory", abs)
	}
	o.Dir = abs
	if o.CacheDir == "" {
		d, err := DefaultCacheDir()
		if err != nil {
			return nil, o.errorf("%w", err)
		}
		o.CacheDir = d
	}
	if o.CacheDir, err = filepath.Abs(o.CacheDir); err != nil {
		return nil, o.errorf("%w", err)
	}
	o.Tags = slices.Compact(slices.Sorted(slices.Values(o.Tags)))
	return o, nil
}

// isDirPath reports whether the go command would read p as a directory
// rather than an import path.
func isDirPath(p string) bool {
	return p == "." || p == ".." || filepath.IsAbs(p) ||
		strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") ||
		strings.HasPrefix(p, "."+string(filepath.Separator)) ||
		strings.HasPrefix(p, ".."+string(filepath.Separator))
}

// errorf returns an error that names the package and the target.
func (o *config) errorf(format string, args ...any) error {
	return fmt.Errorf("unable to build %s for %s/%s: %w", o.name, o.GOOS, o.GOARCH, fmt.Errorf(format, args...))
}

// env is the environment of every go command run for o.
func (o *config) env() []string {
	env := append(os.Environ(), o.Env...)
	return append(env, "GOOS="+o.GOOS, "GOARCH="+o.GOARCH, "CGO_ENABLED=0")
}

// goCmd runs the go command in o.Dir and returns its standard output.
func (o *config) goCmd(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = o.Dir
	cmd.Env = o.env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("go %s: %w: %s", args[0], err, msg)
		}
		return nil, fmt.Errorf("go %s: %w", args[0], err)
	}
	return out, nil
}

func (o *config) build(ctx context.Context, out string) error {
	args := []string{"build", "-trimpath", "-buildvcs=false",
		"-ldflags=" + o.LDFlags + " -buildid="}
	for _, f := range o.GCFlags {
		args = append(args, "-gcflags="+f)
	}
	if len(o.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(o.Tags, ","))
	}
	args = append(args, "-o", out, "--", o.Package)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = o.Dir
	cmd.Env = o.env()
	var stderr bytes.Buffer
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return o.errorf("%w", &BuildError{Stderr: stderr.String(), Err: err})
	}
	if !isExecutable(out) {
		return o.errorf("go build wrote no executable %s", out)
	}
	return nil
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// listPackage is the part of `go list -json` output that the hash reads.
type listPackage struct {
	ImportPath     string
	Name           string
	Dir            string
	Standard       bool
	DepOnly        bool
	Module         *listModule
	DefaultGODEBUG string
	GoFiles        []string
	CgoFiles       []string
	CFiles         []string
	CXXFiles       []string
	MFiles         []string
	HFiles         []string
	FFiles         []string
	SFiles         []string
	SwigFiles      []string
	SwigCXXFiles   []string
	SysoFiles      []string
	EmbedFiles     []string
	// Read only to know which files to watch (stamp.go).
	EmbedPatterns     []string
	IgnoredGoFiles    []string
	IgnoredOtherFiles []string
	Error             *listError
	DepsErrors        []*listError
}

type listModule struct {
	Path      string
	Version   string
	Main      bool
	Dir       string
	GoVersion string
	Sum       string
	Replace   *listModule
}

type listError struct {
	ImportStack []string
	Pos         string
	Err         string
}

// String returns the message with its position.
func (e *listError) String() string {
	if e.Pos != "" && !strings.Contains(e.Err, e.Pos) {
		return e.Pos + ": " + e.Err
	}
	return e.Err
}

// listFields are the fields asked of go list; naming them lets it skip
// work (and keeps the output small).
const listFields = "ImportPath,Name,Dir,Standard,DepOnly,Module,DefaultGODEBUG," +
	"GoFiles,CgoFiles,CFiles,CXXFiles,MFiles,HFiles,FFiles,SFiles,SwigFiles,SwigCXXFiles,SysoFiles,EmbedFiles," +
	"EmbedPatterns,IgnoredGoFiles,IgnoredOtherFiles,Error,DepsErrors"

// archLevelVar is the go env variable that selects the instruction-set
// level of each architecture.
var archLevelVar = map[string]string{
	"386": "GO386", "amd64": "GOAMD64", "arm": "GOARM", "arm64": "GOARM64",
	"mips": "GOMIPS", "mipsle": "GOMIPS", "mips64": "GOMIPS64", "mips64le": "GOMIPS64",
	"ppc64": "GOPPC64", "ppc64le": "GOPPC64", "riscv64": "GORISCV64", "wasm": "GOWASM",
}

// neutralGOFLAGS are go flags that cannot change the binary once the
// package graph (which the hash covers through go list) is fixed, or that
// Build sets itself; they are left out of the hash so that machines with
// different habits agree.
var neutralGOFLAGS = map[string]bool{
	"buildvcs": true, "trimpath": true, "mod": true, "modcacherw": true, "modfile": true,
	"p": true, "v": true, "x": true, "work": true,
}

// computeHash runs go env and hashes the build inputs: without go list
// when the main module's go.mod and go.sum fix every other module
// (staticHash), else with go list. It also returns the stamps of the files
// whose change could change the hash, taken before their content was read.
func (o *config) computeHash(ctx context.Context) (Identity, []fileStamp, error) {
	envVars := []string{"GOVERSION", "GOEXPERIMENT", "GOFIPS140", "GOFLAGS"}
	if v := archLevelVar[o.GOARCH]; v != "" {
		envVars = append(envVars, v)
	}
	// GOROOT, GOENV, GOWORK and GOMOD locate files to watch and the main
	// module; they are not hashed.
	args := append([]string{"env", "-json", "GOROOT", "GOENV", "GOWORK", "GOMOD"}, envVars...)
	envOut, err := o.goCmd(ctx, args...)
	if err != nil {
		return Identity{}, nil, o.errorf("%w", err)
	}
	goenv := map[string]string{}
	if err := json.Unmarshal(envOut, &goenv); err != nil {
		return Identity{}, nil, o.errorf("unable to read go env output: %w", err)
	}
	id, watched, err := o.staticHash(goenv, envVars)
	if !errors.Is(err, errNotStatic) {
		return id, watched, err
	}
	h, watched, err := o.listHash(ctx, goenv, envVars)
	return Identity{Hash: h}, watched, err
}

// listHash hashes the build inputs as go list -deps reports them: the
// fallback of computeHash for builds whose module graph go.mod and go.sum
// alone do not fix (workspaces, directory replacements, packages of other
// modules).
func (o *config) listHash(ctx context.Context, goenv map[string]string, envVars []string) (string, []fileStamp, error) {
	args := []string{"list", "-e", "-deps", "-json=" + listFields}
	if len(o.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(o.Tags, ","))
	}
	listOut, err := o.goCmd(ctx, append(args, "--", o.Package)...)
	if err != nil {
		return "", nil, o.errorf("%w", err)
	}
	pkgs, err := decodeList(listOut)
	if err != nil {
		return "", nil, o.errorf("unable to read go list output: %w", err)
	}
	root, err := o.checkList(pkgs)
	if err != nil {
		return "", nil, err
	}

	watched := o.watch(goenv, pkgs)

	h := newRecorder()
	h.record("scheme", hashScheme)
	h.record("go", goenv["GOVERSION"])
	h.record("GOOS", o.GOOS)
	h.record("GOARCH", o.GOARCH)
	for _, v := range envVars[1:] {
		val := goenv[v]
		if v == "GOFLAGS" {
			val = filterGOFLAGS(val)
		}
		h.record(v, val)
	}
	h.record("CGO_ENABLED", "0")
	h.record("tags", o.Tags...)
	h.record("ldflags", o.LDFlags)
	recordGCFlags(h, o.GCFlags)
	h.record("main", root.ImportPath)
	h.record("godebug", root.DefaultGODEBUG)
	if root.Module != nil {
		// go build uses the main package's default.pgo (-pgo=auto).
		pgo := filepath.Join(root.Dir, "default.pgo")
		if rel, err := filepath.Rel(moduleRoot(root.Module), pgo); err == nil {
			if sum, err := fileSum(pgo); err == nil {
				h.record("pgo", filepath.ToSlash(rel), sum)
			} else if !errors.Is(err, os.ErrNotExist) {
				return "", nil, o.errorf("%w", err)
			}
		}
	}
	slices.SortFunc(pkgs, func(a, b *listPackage) int { return strings.Compare(a.ImportPath, b.ImportPath) })
	for _, p := range pkgs {
		if err := hashPackage(h, p); err != nil {
			return "", nil, o.errorf("%w", err)
		}
	}
	return h.sum(), watched, nil
}

// decodeList reads the stream of JSON objects that go list -json prints.
func decodeList(out []byte) ([]*listPackage, error) {
	var pkgs []*listPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		p := new(listPackage)
		if err := dec.Decode(p); err == io.EOF {
			return pkgs, nil
		} else if err != nil {
			return nil, err
		}
		pkgs = append(pkgs, p)
	}
}

// checkList finds the main package in the go list output and turns the
// errors it reports into one error.
func (o *config) checkList(pkgs []*listPackage) (*listPackage, error) {
	var roots []*listPackage
	for _, p := range pkgs {
		if !p.DepOnly {
			roots = append(roots, p)
		}
	}
	if len(roots) != 1 {
		return nil, o.errorf("go list found %d packages; name exactly one main package", len(roots))
	}
	main := roots[0]
	if main.Error != nil {
		return nil, o.errorf("%s", main.Error)
	}
	var msgs []string
	for _, e := range main.DepsErrors {
		msgs = append(msgs, e.String())
	}
	if len(msgs) > 0 {
		return nil, o.errorf("%s", strings.Join(msgs, "\n"))
	}
	if main.Name != "main" {
		return nil, o.errorf("%w: %s is package %s", ErrNotMain, main.ImportPath, main.Name)
	}
	return main, nil
}

// filterGOFLAGS drops the flags in neutralGOFLAGS from a GOFLAGS value.
func filterGOFLAGS(v string) string {
	var keep []string
	for _, f := range strings.Fields(v) {
		name := strings.TrimLeft(f, "-")
		if i := strings.IndexByte(name, '='); i >= 0 {
			name = name[:i]
		}
		if !neutralGOFLAGS[name] {
			keep = append(keep, f)
		}
	}
	return strings.Join(keep, " ")
}

// moduleRoot is the directory that holds a module's files: the replacement
// directory for a module replaced by a local directory.
func moduleRoot(m *listModule) string {
	if m.Replace != nil && m.Replace.Dir != "" {
		return m.Replace.Dir
	}
	return m.Dir
}

// isLocal reports whether a module's files are hashed (main and workspace
// modules, modules replaced by a directory) rather than identified by
// version.
func isLocal(m *listModule) bool {
	return m.Main || (m.Replace != nil && m.Replace.Version == "")
}

func hashPackage(h *recorder, p *listPackage) error {
	switch {
	case p.Standard:
		// Identified by the Go version.
		h.record("pkg", p.ImportPath, "std")
		return nil
	case p.Module == nil:
		return fmt.Errorf("package %s is not in a module; GOPATH mode is not supported", p.ImportPath)
	case !isLocal(p.Module):
		m := p.Module
		if m.Replace != nil {
			m = m.Replace
		}
		h.record("pkg", p.ImportPath, "mod", m.Path, m.Version, m.Sum)
		return nil
	}
	root := moduleRoot(p.Module)
	rel, err := filepath.Rel(root, p.Dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("package %s in %s is outside its module root %s", p.ImportPath, p.Dir, root)
	}
	h.record("pkg", p.ImportPath, "local", p.Module.Path, p.Module.GoVersion)
	for _, f := range p.buildFiles() {
		sum, err := fileSum(filepath.Join(p.Dir, f))
		if err != nil {
			return err
		}
		h.record("file", filepath.ToSlash(filepath.Join(rel, f)), sum)
	}
	return nil
}

// buildFiles are the files of p that go build reads, relative to p.Dir,
// sorted.
func (p *listPackage) buildFiles() []string {
	var files []string
	for _, list := range [][]string{p.GoFiles, p.CgoFiles, p.CFiles, p.CXXFiles, p.MFiles, p.HFiles,
		p.FFiles, p.SFiles, p.SwigFiles, p.SwigCXXFiles, p.SysoFiles, p.EmbedFiles} {
		files = append(files, list...)
	}
	slices.Sort(files)
	return slices.Compact(files)
}

// fileSum is the hex SHA-256 of a file's content.
func fileSum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	s := sha256.New()
	if _, err := io.Copy(s, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(s.Sum(nil)), nil
}

// recorder hashes records: one line per record, its fields Go-quoted, so
// no field can be confused with the next.
type recorder struct {
	h   hash.Hash
	buf []byte
}

// recordGCFlags records the compiler flags, in order, when there are any:
// a build without them hashes as it did before the option existed.
func recordGCFlags(r *recorder, gcflags []string) {
	if len(gcflags) > 0 {
		r.record("gcflags", gcflags...)
	}
}

func newRecorder() *recorder { return &recorder{h: sha256.New()} }

func (r *recorder) sum() string { return hex.EncodeToString(r.h.Sum(nil)) }

func (r *recorder) record(kind string, fields ...string) {
	r.buf = append(r.buf[:0], kind...)
	for _, f := range fields {
		r.buf = append(r.buf, ' ')
		r.buf = strconv.AppendQuote(r.buf, f)
	}
	r.buf = append(r.buf, '\n')
	r.h.Write(r.buf)
}

package gobuild

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/build"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// staticScheme names the hash computed without go list (see the package
// doc, "Without go list").
const staticScheme = "eksforge-gobuild/v2-gosum"

// moduleFile is what the static hash reads of the main module's go.mod.
type moduleFile struct {
	path      string // the module line
	goVersion string // the go line
	// localReplace is the first replace directive whose target is a
	// directory, or "".
	localReplace string
	// requiresEksforge reports a require directive of the eksforge module.
	requiresEksforge bool
}

// errNotStatic says that the static hash does not apply to a build; the
// caller falls back to go list.
var errNotStatic = errors.New("the build's module graph is not fixed by one go.mod and go.sum")

// staticHash hashes the build inputs without go list: the package graph
// of the main module's own packages is read with go/build, and every other
// module is identified by the main module's go.mod and go.sum, which fix
// the versions (and the content hashes) of every module the build can use.
// It returns errNotStatic (wrapped) when the build is not of that kind
// (a workspace, a module replaced by a directory, a -modfile or -overlay
// flag, a package outside the main module), and any other error for a
// package that cannot be built (missing, not main, a local import that
// does not exist).
func (o *config) staticHash(goenv map[string]string, envVars []string) (Identity, []fileStamp, error) {
	gomod := goenv["GOMOD"]
	if gomod == "" || gomod == os.DevNull {
		return Identity{}, nil, fmt.Errorf("%w: not in a module", errNotStatic)
	}
	if w := goenv["GOWORK"]; w != "" && w != "off" {
		return Identity{}, nil, fmt.Errorf("%w: workspace %s", errNotStatic, w)
	}
	for _, f := range strings.Fields(goenv["GOFLAGS"]) {
		name := strings.TrimLeft(f, "-")
		if strings.HasPrefix(name, "modfile=") || strings.HasPrefix(name, "overlay=") {
			return Identity{}, nil, fmt.Errorf("%w: GOFLAGS %s", errNotStatic, f)
		}
	}
	modBytes, err := os.ReadFile(gomod)
	if err != nil {
		return Identity{}, nil, o.errorf("%w", err)
	}
	mf := parseModuleFile(modBytes)
	if mf.path == "" {
		return Identity{}, nil, o.errorf("%s has no module line", gomod)
	}
	if mf.localReplace != "" {
		return Identity{}, nil, fmt.Errorf("%w: go.mod replaces %s by a directory", errNotStatic, mf.localReplace)
	}
	root := filepath.Dir(gomod)

	// The main package's directory and import path.
	var mainDir, mainPath string
	if isDirPath(o.Package) {
		mainDir = filepath.Join(o.Dir, o.Package)
		if o.Package != "." && filepath.IsAbs(o.Package) {
			mainDir = filepath.Clean(o.Package)
		}
		rel, err := filepath.Rel(root, mainDir)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return Identity{}, nil, fmt.Errorf("%w: %s is outside the module at %s", errNotStatic, mainDir, root)
		}
		mainPath = importPathIn(mf.path, rel)
	} else {
		rest, ok := inModule(o.Package, mf.path)
		if !ok {
			return Identity{}, nil, fmt.Errorf("%w: %s is not a package of module %s", errNotStatic, o.Package, mf.path)
		}
		mainPath = o.Package
		mainDir = filepath.Join(root, filepath.FromSlash(rest))
	}
	if nested := nestedModule(root, mainDir); nested != "" {
		return Identity{}, nil, fmt.Errorf("%w: %s is in the module at %s", errNotStatic, mainPath, nested)
	}

	ctxt := build.Default
	ctxt.GOOS, ctxt.GOARCH = o.GOOS, o.GOARCH
	ctxt.CgoEnabled = false
	ctxt.BuildTags = o.Tags
	ctxt.GOROOT = goenv["GOROOT"]
	ctxt.Dir = root
	ctxt.ReleaseTags = releaseTags(goenv["GOVERSION"])
	ctxt.ToolTags = slices.DeleteFunc(slices.Clone(build.Default.ToolTags), func(t string) bool {
		return !strings.HasPrefix(t, "goexperiment.")
	})

	// Walk the main module's packages that the main package imports.
	var pkgs []*listPackage
	seen := map[string]bool{mainPath: true}
	queue := []string{mainPath}
	dirOf := map[string]string{mainPath: mainDir}
	importedBy := map[string]string{}
	for len(queue) > 0 {
		ip := queue[0]
		queue = queue[1:]
		dir := dirOf[ip]
		bp, err := ctxt.ImportDir(dir, 0)
		if err != nil {
			var noGo *build.NoGoError
			switch {
			case errors.As(err, &noGo) || errors.Is(err, fs.ErrNotExist) || !isDir(dir):
				if by := importedBy[ip]; by != "" {
					return Identity{}, nil, o.errorf("package %s imported by %s: not found in %s", ip, by, dir)
				}
				return Identity{}, nil, o.errorf("package %s not found in %s", ip, dir)
			default:
				return Identity{}, nil, o.errorf("package %s: %w", ip, err)
			}
		}
		if ip == mainPath && bp.Name != "main" {
			return Identity{}, nil, o.errorf("%w: %s is package %s", ErrNotMain, ip, bp.Name)
		}
		embeds, err := embedFiles(dir, bp.EmbedPatterns)
		if err != nil {
			return Identity{}, nil, o.errorf("package %s: %w", ip, err)
		}
		pkgs = append(pkgs, &listPackage{
			ImportPath: ip, Name: bp.Name, Dir: dir, DepOnly: ip != mainPath,
			Module:  &listModule{Path: mf.path, Main: true, Dir: root, GoVersion: mf.goVersion},
			GoFiles: bp.GoFiles, CgoFiles: bp.CgoFiles, CFiles: bp.CFiles, CXXFiles: bp.CXXFiles,
			MFiles: bp.MFiles, HFiles: bp.HFiles, FFiles: bp.FFiles, SFiles: bp.SFiles,
			SwigFiles: bp.SwigFiles, SwigCXXFiles: bp.SwigCXXFiles, SysoFiles: bp.SysoFiles,
			EmbedFiles: embeds, EmbedPatterns: bp.EmbedPatterns,
			IgnoredGoFiles: bp.IgnoredGoFiles, IgnoredOtherFiles: bp.IgnoredOtherFiles,
		})
		for _, imp := range bp.Imports {
			rest, ok := inModule(imp, mf.path)
			if !ok || seen[imp] {
				continue
			}
			d := filepath.Join(root, filepath.FromSlash(rest))
			if nestedModule(root, d) != "" {
				continue // another module: fixed by go.mod and go.sum
			}
			seen[imp] = true
			dirOf[imp], importedBy[imp] = d, ip
			queue = append(queue, imp)
		}
	}

	watched := o.watch(goenv, pkgs)

	h := newRecorder()
	h.record("scheme", staticScheme)
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
	h.record("main", mainPath)
	h.record("go.mod", sumBytes(modBytes))
	for _, f := range []string{"go.sum", filepath.Join("vendor", "modules.txt")} {
		sum, err := fileSum(filepath.Join(root, f))
		switch {
		case err == nil:
			h.record(filepath.ToSlash(f), sum)
		case !errors.Is(err, os.ErrNotExist):
			return Identity{}, nil, o.errorf("%w", err)
		}
	}
	pgo := filepath.Join(mainDir, "default.pgo")
	if sum, err := fileSum(pgo); err == nil {
		rel, _ := filepath.Rel(root, pgo)
		h.record("pgo", filepath.ToSlash(rel), sum)
	} else if !errors.Is(err, os.ErrNotExist) {
		return Identity{}, nil, o.errorf("%w", err)
	}
	slices.SortFunc(pkgs, func(a, b *listPackage) int { return strings.Compare(a.ImportPath, b.ImportPath) })
	for _, p := range pkgs {
		if err := hashPackage(h, p); err != nil {
			return Identity{}, nil, o.errorf("%w", err)
		}
	}
	id := Identity{Hash: h.sum()}
	if mf.path == ModulePath || mf.requiresEksforge {
		// The publish-time command resolves in this module (it needs
		// eksforge), so it can find the build by these names.
		id.Package, id.Module = mainPath, mf.path
	}
	return id, watched, nil
}

// parseModuleFile reads the module, go and replace directives of a go.mod.
func parseModuleFile(b []byte) moduleFile {
	var mf moduleFile
	inReplace, inRequire := false, false
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		switch {
		case (inReplace || inRequire) && f[0] == ")":
			inReplace, inRequire = false, false
			continue
		case inReplace:
			mf.checkReplace(f)
			continue
		case inRequire:
			mf.checkRequire(f)
			continue
		}
		switch f[0] {
		case "module":
			if len(f) > 1 {
				mf.path = unquote(f[1])
			}
		case "go":
			if len(f) > 1 {
				mf.goVersion = f[1]
			}
		case "require":
			if len(f) > 1 && f[1] == "(" {
				inRequire = true
			} else {
				mf.checkRequire(f[1:])
			}
		case "replace":
			if len(f) > 1 && f[1] == "(" {
				inReplace = true
			} else {
				mf.checkReplace(f[1:])
			}
		}
	}
	return mf
}

// checkReplace records a replacement "old [v] => new [v]" whose target is a
// directory (a target without a version).
func (mf *moduleFile) checkReplace(f []string) {
	i := slices.Index(f, "=>")
	if i < 0 || mf.localReplace != "" {
		return
	}
	if len(f)-i-1 == 1 {
		mf.localReplace = unquote(f[0])
	}
}

// checkRequire records a requirement of the eksforge module.
func (mf *moduleFile) checkRequire(f []string) {
	if len(f) > 0 && unquote(f[0]) == ModulePath {
		mf.requiresEksforge = true
	}
}

func unquote(s string) string {
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s
}

// inModule reports whether import path p is in module mod, and returns
// its path inside the module.
func inModule(p, mod string) (string, bool) {
	if p == mod {
		return "", true
	}
	rest, ok := strings.CutPrefix(p, mod+"/")
	return rest, ok
}

// importPathIn is the import path of the directory rel (relative to the
// module's root) of module mod.
func importPathIn(mod, rel string) string {
	if rel == "." {
		return mod
	}
	return mod + "/" + filepath.ToSlash(rel)
}

// nestedModule returns the directory of a go.mod between root (excluded)
// and dir (included), or "": dir then belongs to another module.
func nestedModule(root, dir string) string {
	for d := dir; d != root && len(d) > len(root); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
	}
	return ""
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// releaseTags are the go1.N tags of a Go version ("go1.26.8" gives go1.1
// to go1.26).
func releaseTags(v string) []string {
	v = strings.TrimPrefix(v, "go")
	if i := strings.IndexAny(v, " -+"); i >= 0 {
		v = v[:i]
	}
	parts := strings.Split(v, ".")
	minor := 0
	if len(parts) >= 2 {
		minor, _ = strconv.Atoi(strings.TrimRightFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' }))
	}
	if minor == 0 {
		return build.Default.ReleaseTags
	}
	tags := make([]string, 0, minor)
	for i := 1; i <= minor; i++ {
		tags = append(tags, "go1."+strconv.Itoa(i))
	}
	return tags
}

// embedFiles expands a package's //go:embed patterns as the go command
// does: the files a pattern names, and for a directory every file below it
// except those whose names begin with '.' or '_' (unless the pattern has
// the all: prefix) and directories of other modules. The paths are
// slash-separated, relative to dir, sorted.
func embedFiles(dir string, patterns []string) ([]string, error) {
	var files []string
	for _, pat := range patterns {
		all := strings.HasPrefix(pat, "all:")
		pat = strings.TrimPrefix(pat, "all:")
		matches, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pat)))
		if err != nil {
			return nil, fmt.Errorf("embed pattern %q: %w", pat, err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("embed pattern %q: no matching files found", pat)
		}
		for _, m := range matches {
			err := filepath.WalkDir(m, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if p != m {
					name := d.Name()
					if !all && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
						if d.IsDir() {
							return filepath.SkipDir
						}
						return nil
					}
					if d.IsDir() {
						if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
							return filepath.SkipDir
						}
					}
				}
				if d.Type().IsRegular() {
					rel, err := filepath.Rel(dir, p)
					if err != nil {
						return err
					}
					files = append(files, path.Clean(filepath.ToSlash(rel)))
				}
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("embed pattern %q: %w", pat, err)
			}
		}
	}
	slices.Sort(files)
	return slices.Compact(files), nil
}

// sumBytes is the hex SHA-256 of b.
func sumBytes(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

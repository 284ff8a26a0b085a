package gobuild

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Stamps remember a computed hash together with the size, modification time
// and mode of every file and directory whose change could change it, so
// that a warm synthesis can skip go list (about 35 ms for a package with
// no dependencies, 200 ms for a client-go handler) and pay only for stat
// calls. They live in <CacheDir>/stamps/<key>, where the key covers the
// options, the go command found on PATH and the GO* environment; being
// machine-local, they may hold absolute paths. A stamp is only a shortcut
// to the hash: it is never written when a watched file was modified within
// racyWindow of the computation (its change might not show in its
// modification time), and anything that does not match sends Hash back to
// go list.

// racyWindow is how recent a modification must be for a stamp not to be
// trusted: larger than the coarsest file-time granularity in common use.
const racyWindow = 2 * time.Second

// fileStamp is what is remembered of one watched path.
type fileStamp struct {
	Path  string
	Size  int64 `json:",omitempty"`
	MTime int64 `json:",omitempty"` // Unix nanoseconds; 0 when Missing
	Mode  uint32
	// Missing records that the path did not exist (a go.mod or go.work that
	// would change module resolution if it appeared).
	Missing bool `json:",omitempty"`
}

type stampFile struct {
	Hash            string
	Package, Module string `json:",omitempty"`
	Files           []fileStamp
}

// statPath returns the stamp of p now.
func statPath(p string) fileStamp {
	fi, err := os.Stat(p)
	if err != nil {
		return fileStamp{Path: p, Missing: true}
	}
	s := fileStamp{Path: p, Mode: uint32(fi.Mode()), MTime: fi.ModTime().UnixNano()}
	if !fi.IsDir() {
		s.Size = fi.Size()
	}
	return s
}

// hash returns the hash of o's inputs, from a stamp when one is still
// valid.
func (o *config) hash(ctx context.Context) (string, error) {
	id, err := o.identify(ctx)
	return id.Hash, err
}

// identify returns the identity of o's build, from a stamp when one is
// still valid.
func (o *config) identify(ctx context.Context) (Identity, error) {
	key, keyed := o.stampKey()
	stampPath := filepath.Join(o.CacheDir, "stamps", key)
	if keyed {
		if s, ok := loadStamp(stampPath); ok {
			return Identity{Hash: s.Hash, Package: s.Package, Module: s.Module}, nil
		}
	}
	start := time.Now()
	id, watched, err := o.computeHash(ctx)
	if err != nil {
		return Identity{}, err
	}
	if keyed {
		saveStamp(stampPath, stampFile{Hash: id.Hash, Package: id.Package, Module: id.Module, Files: watched}, start)
	}
	return id, nil
}

// stampKey names the stamp of o; ok is false when the go command cannot be
// found (then go list reports the problem).
func (o *config) stampKey() (key string, ok bool) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", false
	}
	if abs, err := filepath.Abs(goCmd); err == nil {
		goCmd = abs
	}
	r := newRecorder()
	r.record("scheme", hashScheme)
	r.record("go", goCmd)
	r.record("package", o.Package)
	r.record("dir", o.Dir)
	r.record("target", o.GOOS, o.GOARCH)
	r.record("tags", o.Tags...)
	r.record("ldflags", o.LDFlags)
	recordGCFlags(r, o.GCFlags)
	r.record("env", o.Env...)
	// The GO* variables, and those that locate the go env file.
	var goEnv []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GO") || strings.HasPrefix(kv, "CGO_") ||
			strings.HasPrefix(kv, "HOME=") || strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			goEnv = append(goEnv, kv)
		}
	}
	slices.Sort(goEnv)
	r.record("environ", goEnv...)
	return r.sum(), true
}

// watch stats, before any content is read, every path whose change could
// change the hash of pkgs: the go command and its GOROOT, the go env file,
// go.mod and go.work in o.Dir and its parents (appearing ones included),
// the go.mod, go.sum and vendor/modules.txt of local modules, the go.work
// in use, a -modfile named in GOFLAGS, and for every local package its directory (files added or
// removed), every file in it that go list looked at, and the directories
// its embed patterns reach. Module-cache packages are immutable.
func (o *config) watch(goenv map[string]string, pkgs []*listPackage) []fileStamp {
	seen := map[string]bool{}
	var paths []string
	add := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	if goCmd, err := exec.LookPath("go"); err == nil {
		add(goCmd)
	}
	if root := goenv["GOROOT"]; root != "" {
		add(filepath.Join(root, "VERSION"))
		add(filepath.Join(root, "go.env"))
		add(filepath.Join(root, "bin", "go"))
	}
	if e := goenv["GOENV"]; e != "" && e != "off" {
		add(e)
	}
	if w := goenv["GOWORK"]; w != "" && w != "off" {
		add(w)
		add(w + ".sum")
	}
	for _, f := range strings.Fields(goenv["GOFLAGS"]) {
		if m, ok := strings.CutPrefix(strings.TrimLeft(f, "-"), "modfile="); ok {
			if !filepath.IsAbs(m) {
				m = filepath.Join(o.Dir, m)
			}
			add(m)
			add(strings.TrimSuffix(m, ".mod") + ".sum")
		}
	}
	for d := o.Dir; ; d = filepath.Dir(d) {
		add(filepath.Join(d, "go.mod"))
		add(filepath.Join(d, "go.work"))
		if filepath.Dir(d) == d {
			break
		}
	}
	for _, p := range pkgs {
		if p.Standard || p.Module == nil || !isLocal(p.Module) {
			continue
		}
		root := moduleRoot(p.Module)
		add(filepath.Join(root, "go.mod"))
		add(filepath.Join(root, "go.sum"))
		add(filepath.Join(root, "vendor", "modules.txt"))
		add(p.Dir)
		for _, list := range [][]string{p.buildFiles(), p.IgnoredGoFiles, p.IgnoredOtherFiles} {
			for _, f := range list {
				add(filepath.Join(p.Dir, f))
			}
		}
		add(filepath.Join(p.Dir, "default.pgo"))
		for _, f := range p.EmbedFiles {
			for d := path.Dir(f); d != "."; d = path.Dir(d) {
				add(filepath.Join(p.Dir, filepath.FromSlash(d)))
			}
		}
		for _, pat := range p.EmbedPatterns {
			pat = strings.TrimPrefix(pat, "all:")
			matches, _ := filepath.Glob(filepath.Join(p.Dir, filepath.FromSlash(pat)))
			for _, m := range matches {
				_ = filepath.WalkDir(m, func(q string, d os.DirEntry, err error) error {
					if err == nil && d.IsDir() {
						add(q)
					}
					return nil
				})
			}
		}
	}
	stamps := make([]fileStamp, len(paths))
	for i, p := range paths {
		stamps[i] = statPath(p)
	}
	return stamps
}

// loadStamp returns a stamp whose watched paths are unchanged.
func loadStamp(p string) (stampFile, bool) {
	b, err := os.ReadFile(p)
	if err != nil {
		return stampFile{}, false
	}
	var s stampFile
	if err := json.Unmarshal(b, &s); err != nil || len(s.Hash) != sha256.Size*2 || len(s.Files) == 0 {
		return stampFile{}, false
	}
	if _, err := hex.DecodeString(s.Hash); err != nil {
		return stampFile{}, false
	}
	for _, f := range s.Files {
		if statPath(f.Path) != f {
			return stampFile{}, false
		}
	}
	return s, true
}

// saveStamp writes a stamp atomically, unless a watched path changed too
// recently to be trusted. Failing to write one only costs a go list later.
func saveStamp(p string, s stampFile, start time.Time) {
	limit := start.Add(-racyWindow).UnixNano()
	for _, f := range s.Files {
		if !f.Missing && f.MTime >= limit {
			return
		}
	}
	b, err := json.Marshal(s)
	if err != nil {
		return
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), p) != nil {
		os.Remove(tmp.Name())
	}
}

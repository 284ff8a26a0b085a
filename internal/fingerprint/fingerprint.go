package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// SymlinkFollowMode says which symbolic links [Dir] follows. A link that is
// not followed is hashed as its target text.
type SymlinkFollowMode string

const (
	// FollowExternal follows links whose target is outside the
	// fingerprinted tree. It is the default, as in the CDK's fingerprint.
	FollowExternal SymlinkFollowMode = "external"
	// FollowNever follows no link.
	FollowNever SymlinkFollowMode = "never"
	// FollowAlways follows every link.
	FollowAlways SymlinkFollowMode = "always"
	// FollowBlockExternal is the CDK's SymlinkFollowMode.BLOCK_EXTERNAL.
	// When copying, the CDK refuses links that leave the tree; when
	// fingerprinting it follows the links inside the tree and records the
	// others, and Dir does the same.
	FollowBlockExternal SymlinkFollowMode = "internal-only"
)

// IgnoreMode selects the syntax of exclude patterns.
type IgnoreMode string

const (
	// IgnoreGlob matches exclude patterns as the CDK's GlobIgnoreStrategy
	// does. It is the default.
	IgnoreGlob IgnoreMode = "glob"
	// IgnoreGit matches exclude patterns as the CDK's GitIgnoreStrategy
	// (.gitignore rules) does.
	IgnoreGit IgnoreMode = "git"
	// IgnoreDocker matches exclude patterns as the CDK's
	// DockerIgnoreStrategy (.dockerignore rules) does.
	IgnoreDocker IgnoreMode = "docker"
)

// Options tunes [Dir]; its zero value is the CDK's default fingerprint of a
// source directory.
type Options struct {
	// Exclude lists patterns, relative to the fingerprinted directory, of
	// the files and directories to leave out. A pattern starting with "!"
	// brings back what an earlier pattern excluded. A directory that is
	// excluded is not entered, so "!" cannot bring back files inside it.
	// Default: nothing is excluded.
	Exclude []string

	// IgnoreMode is the syntax of Exclude.
	// Default: IgnoreGlob.
	IgnoreMode IgnoreMode

	// Follow says which symbolic links are followed.
	// Default: FollowExternal.
	Follow SymlinkFollowMode

	// ExtraHash is mixed into the fingerprint, e.g. to account for build
	// instructions.
	// Default: none, the hash depends on the source only.
	ExtraHash string
}

// Field separators of the CDK's _hashField.
const (
	ctrlSOH = "\x01"
	ctrlSTX = "\x02"
	ctrlETX = "\x03"
)

// Dir returns the AWS CDK's source fingerprint of the directory or file at
// path: a lower-case hex SHA-256 equal to what the CDK's
// FileSystem.fingerprint(path, options) returns for the same tree and
// options, which is the asset hash of an asset with AssetHashType.SOURCE.
//
// The hash covers, in the order of a depth-first walk with each directory's
// entries sorted by name, each file's path relative to path ("/"-separated)
// with its content fingerprint, and each link that is not followed with its
// target text; then ExtraHash and the follow mode. Empty directories, file
// modes and timestamps do not count, so the same tree at two places, or
// listed in a different order, gives the same hash.
func Dir(path string, opts Options) (string, error) {
	d, err := newDigester(opts)
	if err != nil {
		return "", err
	}
	return d.fingerprint(path)
}

type digester struct {
	follow  SymlinkFollowMode
	ignore  ignorer
	h       hash.Hash
	scratch *scratch

	root         string // the real path of what is fingerprinted
	resolvedRoot string // the directory links are judged against
	active       []fs.FileInfo
}

func newDigester(opts Options) (*digester, error) {
	follow := opts.Follow
	switch follow {
	case "":
		follow = FollowExternal
	case FollowExternal, FollowNever, FollowAlways, FollowBlockExternal:
	default:
		return nil, fmt.Errorf("fingerprint: unknown symlink follow mode %q", follow)
	}
	ign, err := newIgnorer(opts.IgnoreMode, opts.Exclude)
	if err != nil {
		return nil, fmt.Errorf("fingerprint: %w", err)
	}
	d := &digester{follow: follow, ignore: ign, h: sha256.New(), scratch: new(scratch)}
	d.field("options.extra", opts.ExtraHash)
	d.field("options.follow", string(follow))
	if opts.IgnoreMode != "" && opts.IgnoreMode != IgnoreGlob {
		d.field("options.ignoreMode", string(opts.IgnoreMode))
	}
	return d, nil
}

func (d *digester) field(header, value string) {
	d.h.Write([]byte(ctrlSOH))
	d.h.Write([]byte(header))
	d.h.Write([]byte(ctrlSTX))
	d.h.Write([]byte(value))
	d.h.Write([]byte(ctrlETX))
}

func (d *digester) fingerprint(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("unable to fingerprint %s: %w", path, err)
	}
	realPath, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("unable to fingerprint %s: %w", path, err)
	}
	info, err := os.Stat(realPath)
	if err != nil {
		return "", fmt.Errorf("unable to fingerprint %s: %w", path, err)
	}
	d.root = realPath
	if info.IsDir() {
		d.resolvedRoot = realPath
		d.active = append(d.active, info)
		if err := d.directory(realPath, realPath); err != nil {
			return "", err
		}
	} else {
		d.resolvedRoot = filepath.Dir(realPath)
		fp, err := contentFingerprint(realPath, d.scratch)
		if err != nil {
			return "", err
		}
		d.field("file:", fp)
	}
	return hex.EncodeToString(d.h.Sum(nil)), nil
}

// rel is the '/'-separated path of p relative to the root.
func (d *digester) rel(p string) string {
	r, err := filepath.Rel(d.root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// ignores reports whether the file or link at symbolic is excluded.
func (d *digester) ignores(symbolic string) bool { return d.ignore.ignores(d.rel(symbolic)) }

// completelyIgnores reports whether the directory at symbolic is skipped.
func (d *digester) completelyIgnores(symbolic string) bool {
	return d.ignore.completelyIgnores(d.rel(symbolic))
}

func (d *digester) directory(symbolic, realPath string) error {
	entries, err := os.ReadDir(realPath)
	if err != nil {
		return fmt.Errorf("unable to fingerprint %s: %w", symbolic, err)
	}
	sortByUTF16(entries)
	for _, e := range entries {
		childSymbolic := filepath.Join(symbolic, e.Name())
		childReal := filepath.Join(realPath, e.Name())
		switch t := e.Type(); {
		case t&fs.ModeSymlink != 0:
			if err := d.symlink(childSymbolic, childReal); err != nil {
				return err
			}
		case t.IsRegular():
			if d.ignores(childSymbolic) {
				continue
			}
			if err := d.file(childSymbolic, childReal); err != nil {
				return err
			}
		case t.IsDir():
			if d.completelyIgnores(childSymbolic) {
				continue
			}
			if err := d.enter(childSymbolic, childReal); err != nil {
				return err
			}
		}
	}
	return nil
}

// enter walks a directory, refusing to walk one that is already being
// walked (a followed link back up the tree).
func (d *digester) enter(symbolic, realPath string) error {
	info, err := os.Stat(realPath)
	if err != nil {
		return fmt.Errorf("unable to fingerprint %s: %w", symbolic, err)
	}
	for _, a := range d.active {
		if os.SameFile(a, info) {
			return fmt.Errorf("unable to fingerprint %s: symbolic link cycle back to %s", symbolic, realPath)
		}
	}
	d.active = append(d.active, info)
	defer func() { d.active = d.active[:len(d.active)-1] }()
	return d.directory(symbolic, realPath)
}

func (d *digester) file(symbolic, realPath string) error {
	fp, err := contentFingerprint(realPath, d.scratch)
	if err != nil {
		return err
	}
	d.field("file:"+d.rel(symbolic), fp)
	return nil
}

func (d *digester) symlink(symbolic, realPath string) error {
	target, err := os.Readlink(realPath)
	if err != nil {
		return fmt.Errorf("unable to fingerprint %s: %w", symbolic, err)
	}
	resolved := target
	if !filepath.IsAbs(target) {
		resolved = filepath.Join(filepath.Dir(realPath), target)
	}
	recordLink := func() error {
		if !d.ignores(symbolic) {
			d.field("link:"+d.rel(symbolic), target)
		}
		return nil
	}
	if !d.shouldFollow(resolved) {
		return recordLink()
	}
	info, err := os.Stat(resolved)
	if err != nil {
		return recordLink() // a dangling link is recorded, not followed
	}
	switch {
	case info.IsDir():
		if d.completelyIgnores(symbolic) {
			return nil
		}
		return d.enter(symbolic, resolved)
	case info.Mode().IsRegular():
		if d.ignores(symbolic) {
			return nil
		}
		return d.file(symbolic, resolved)
	default:
		return fmt.Errorf("unable to hash %s: it is neither a file nor a directory", symbolic)
	}
}

// shouldFollow is the CDK's test, a plain string prefix check on the
// resolved target (so "/src-other" counts as inside "/src").
func (d *digester) shouldFollow(resolvedTarget string) bool {
	switch d.follow {
	case FollowAlways:
		return true
	case FollowExternal:
		return !strings.HasPrefix(resolvedTarget, d.resolvedRoot)
	case FollowBlockExternal:
		return strings.HasPrefix(resolvedTarget, d.resolvedRoot)
	default:
		return false
	}
}

// sortByUTF16 orders entries by name as JavaScript compares strings, by
// UTF-16 code units; for names of ASCII or BMP characters below U+E000 this
// is the byte order.
func sortByUTF16(entries []fs.DirEntry) {
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return compareUTF16(a.Name(), b.Name()) })
}

func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, ub := utf16Units(ra), utf16Units(rb)
			return slices.Compare(ua, ub)
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

func utf16Units(r rune) []uint16 {
	if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError || r2 != utf8.RuneError {
		return []uint16{uint16(r1), uint16(r2)}
	}
	return []uint16{uint16(r)}
}

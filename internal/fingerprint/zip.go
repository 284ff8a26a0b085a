package fingerprint

import (
	"archive/zip"
	"compress/flate"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// ZipOptions tunes [Zip] and [ZipFile]. Pass it at most once; its zero value
// zips everything.
type ZipOptions struct {
	// Exclude lists patterns of files and directories to leave out of the
	// archive, with the same syntax and meaning as [Options].Exclude, so
	// that an archive holds exactly what [Dir] hashed.
	// Default: nothing is excluded.
	Exclude []string

	// IgnoreMode is the syntax of Exclude.
	// Default: IgnoreGlob.
	IgnoreMode IgnoreMode
}

// zipLevel is the one deflate level every entry is compressed with.
const zipLevel = flate.DefaultCompression

// zipEpoch is 1980-01-01 00:00:00, the earliest MS-DOS date, in the MS-DOS
// encoding: ((1980-1980)<<9 | 1<<5 | 1, 0).
const (
	zipEpochDate = 1<<5 | 1
	zipEpochTime = 0
)

type zipEntry struct {
	name string // '/'-separated; directories end in "/"
	src  string // the file to read, links resolved; "" for directories
	exec bool
}

// Zip writes a zip archive of the directory (or single file) src to w.
//
// The archive is deterministic: the same content gives the same bytes
// whatever the paths, modification times, owners or listing order of the
// source. Entries are sorted by name, a directory entry ("dir/") for every
// directory including empty ones; every entry is dated 1980-01-01 00:00:00
// with no extra fields (no extended timestamps, uid or gid); files are
// deflated at one fixed level and have mode 0644, or 0755 when any execute
// bit was set, and directories 0755. Symbolic links are followed and their
// targets stored as regular files and directories, as AWS Lambda needs; a
// dangling link or a cycle of links is an error. Sockets, pipes and devices
// are left out. A single file is stored under its base name.
//
// The bytes depend on Go's compress/flate, which is stable within a Go
// release but not promised across releases.
func Zip(w io.Writer, src string, opts ...ZipOptions) error {
	return zipTo(w, src, nil, opts)
}

// zipTo is Zip leaving out the files in skip (the archives being written
// and replaced).
func zipTo(w io.Writer, src string, skip []fs.FileInfo, opts []ZipOptions) error {
	var o ZipOptions
	for _, opt := range opts {
		o = opt
	}
	ign, err := newIgnorer(o.IgnoreMode, o.Exclude)
	if err != nil {
		return fmt.Errorf("unable to zip %s: %w", src, err)
	}
	entries, err := zipEntries(src, ign, skip)
	if err != nil {
		return err
	}

	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, newPooledFlateWriter)
	buf := make([]byte, 32*1024)
	for _, e := range entries {
		if err := writeZipEntry(zw, e, buf); err != nil {
			return fmt.Errorf("unable to zip %s: %w", src, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("unable to zip %s: %w", src, err)
	}
	return nil
}

// ZipFile writes the archive [Zip] makes of src to the file dst, replacing
// it only once the archive is complete. When dst is inside src, the
// archive does not contain itself (nor an earlier dst).
func ZipFile(dst, src string, opts ...ZipOptions) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*.tmp")
	if err != nil {
		return fmt.Errorf("unable to zip %s to %s: %w", src, dst, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	tmpInfo, err := tmp.Stat()
	if err != nil {
		return fmt.Errorf("unable to zip %s to %s: %w", src, dst, err)
	}
	skip := []fs.FileInfo{tmpInfo}
	if old, err := os.Stat(dst); err == nil {
		skip = append(skip, old)
	}
	if err := zipTo(tmp, src, skip, opts); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("unable to zip %s to %s: %w", src, dst, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("unable to zip %s to %s: %w", src, dst, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("unable to zip %s to %s: %w", src, dst, err)
	}
	return nil
}

// flateWriters holds deflate writers for reuse: a new one costs about
// 1 MB, which would dominate the cost of archives of many small files.
var flateWriters sync.Pool

type pooledFlateWriter struct {
	*flate.Writer
}

func newPooledFlateWriter(out io.Writer) (io.WriteCloser, error) {
	if fw, ok := flateWriters.Get().(*flate.Writer); ok {
		fw.Reset(out)
		return pooledFlateWriter{fw}, nil
	}
	fw, err := flate.NewWriter(out, zipLevel)
	if err != nil {
		return nil, err
	}
	return pooledFlateWriter{fw}, nil
}

// Close flushes the entry's compressed data and gives the writer back.
func (w pooledFlateWriter) Close() error {
	err := w.Writer.Close()
	flateWriters.Put(w.Writer)
	return err
}

func writeZipEntry(zw *zip.Writer, e zipEntry, buf []byte) error {
	hdr := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
	// The MS-DOS fields are set directly: setting Modified would add an
	// extended-timestamp extra field.
	//lint:ignore SA1019 Modified would add an extra field, see above.
	hdr.ModifiedDate = zipEpochDate
	//lint:ignore SA1019 Modified would add an extra field, see above.
	hdr.ModifiedTime = zipEpochTime
	switch {
	case e.src == "":
		hdr.Method = zip.Store
		hdr.SetMode(fs.ModeDir | 0o755)
	case e.exec:
		hdr.SetMode(0o755)
	default:
		hdr.SetMode(0o644)
	}
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	if e.src == "" {
		return nil
	}
	f, err := os.Open(e.src)
	if err != nil {
		return err
	}
	defer f.Close()
	// Hide os.File's WriteTo, which would allocate a buffer per file.
	_, err = io.CopyBuffer(w, struct{ io.Reader }{f}, buf)
	return err
}

// zipEntries lists what goes into the archive of src, sorted by name.
func zipEntries(src string, ign ignorer, skip []fs.FileInfo) ([]zipEntry, error) {
	info, err := os.Stat(src)
	if err != nil {
		return nil, fmt.Errorf("unable to zip %s: %w", src, err)
	}
	if !info.IsDir() {
		if !info.Mode().IsRegular() {
			return nil, fmt.Errorf("unable to zip %s: it is neither a file nor a directory", src)
		}
		return []zipEntry{{name: filepath.Base(src), src: src, exec: info.Mode()&0o111 != 0}}, nil
	}
	wk := zipWalker{ignore: ign, skip: skip, active: []fs.FileInfo{info}}
	if err := wk.walk(src, ""); err != nil {
		return nil, err
	}
	slices.SortFunc(wk.entries, func(a, b zipEntry) int { return strings.Compare(a.name, b.name) })
	return wk.entries, nil
}

type zipWalker struct {
	ignore  ignorer
	skip    []fs.FileInfo // archives being written or replaced, if in the tree
	active  []fs.FileInfo // directories being walked, to catch link cycles
	entries []zipEntry
}

func (wk *zipWalker) walk(dir, rel string) error {
	list, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("unable to zip %s: %w", dir, err)
	}
	for _, e := range list {
		p := filepath.Join(dir, e.Name())
		name := e.Name()
		if rel != "" {
			name = rel + "/" + e.Name()
		}
		info, err := os.Stat(p) // follows links
		if err != nil {
			if wk.ignore.ignores(name) {
				continue // an excluded dangling link is no error
			}
			return fmt.Errorf("unable to zip %s: %w", p, err)
		}
		switch {
		case info.IsDir():
			if wk.ignore.completelyIgnores(name) {
				continue
			}
			for _, a := range wk.active {
				if os.SameFile(a, info) {
					return fmt.Errorf("unable to zip %s: symbolic link cycle", p)
				}
			}
			wk.entries = append(wk.entries, zipEntry{name: name + "/"})
			wk.active = append(wk.active, info)
			err := wk.walk(p, name)
			wk.active = wk.active[:len(wk.active)-1]
			if err != nil {
				return err
			}
		case info.Mode().IsRegular():
			if wk.ignore.ignores(name) || slices.ContainsFunc(wk.skip, func(s fs.FileInfo) bool { return os.SameFile(s, info) }) {
				continue
			}
			wk.entries = append(wk.entries, zipEntry{name: name, src: p, exec: info.Mode()&0o111 != 0})
		}
	}
	return nil
}

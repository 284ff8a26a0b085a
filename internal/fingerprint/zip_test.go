package fingerprint

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// zipBytes zips src and returns the archive.
func zipBytes(t *testing.T, src string, opts ...ZipOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Zip(&buf, src, opts...); err != nil {
		t.Fatalf("Zip(%s): %v", src, err)
	}
	return buf.Bytes()
}

type zipped struct {
	name    string
	mode    fs.FileMode
	content string
}

// readZip reads an archive back with archive/zip and checks the fixed
// header fields of every entry on the way.
func readZip(t *testing.T, b []byte) []zipped {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("zip.NewReader: %v", err)
	}
	epoch := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	var out []zipped
	for _, f := range r.File {
		if !f.Modified.Equal(epoch) {
			t.Errorf("%s: Modified = %v, want %v", f.Name, f.Modified, epoch)
		}
		if len(f.Extra) != 0 {
			t.Errorf("%s: extra field %x, want none", f.Name, f.Extra)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		content, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out = append(out, zipped{name: f.Name, mode: f.Mode(), content: string(content)})
	}
	return out
}

func TestZipContents(t *testing.T) {
	t.Parallel()
	dir := writeSample(t, t.TempDir())
	// The sample's dangling link would fail the archive; excluding it
	// shows that exclusions apply to links by their own name.
	got := readZip(t, zipBytes(t, dir, ZipOptions{Exclude: []string{"link-dangling"}}))

	var names []string
	byName := map[string]zipped{}
	for _, z := range got {
		names = append(names, z.name)
		byName[z.name] = z
	}
	if !slices.IsSorted(names) {
		t.Errorf("entries are not sorted: %q", names)
	}
	tests := []struct {
		name    string
		entry   string
		mode    fs.FileMode
		content string
	}{
		{"plain file", "a.txt", 0o644, "hello\n"},
		{"nested file", "b/c.txt", 0o644, "crlf\r\nline\r\n"},
		{"executable keeps its execute bits", "bootstrap", 0o755, "#!/bin/sh\necho hi\n"},
		{"dot file", ".hidden", 0o644, "h"},
		{"directory", "b/", fs.ModeDir | 0o755, ""},
		{"empty directory", "empty/", fs.ModeDir | 0o755, ""},
		{"dot directory", "sub/.dot/", fs.ModeDir | 0o755, ""},
		{"link to a file is materialized", "link-internal", 0o644, "hello\n"},
		{"link outside the tree is materialized", "link-external", 0o644, "external\r\n"},
		{"link to a directory is walked", "linkdir/c.txt", 0o644, "crlf\r\nline\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			z, ok := byName[tt.entry]
			if !ok {
				t.Fatalf("no entry %q in %q", tt.entry, names)
			}
			if z.mode != tt.mode {
				t.Errorf("mode of %s = %v, want %v", tt.entry, z.mode, tt.mode)
			}
			if z.content != tt.content {
				t.Errorf("content of %s = %q, want %q", tt.entry, z.content, tt.content)
			}
		})
	}
}

func TestZipIsDeterministic(t *testing.T) {
	t.Parallel()
	tree := []entry{
		{path: "bootstrap", content: "#!/bin/sh\n", mode: 0o755},
		{path: "lib/a.go", content: strings.Repeat("package a\n", 1000)},
		{path: "lib/b/c.txt", content: "c"},
		{path: "empty/"},
		{path: "z-last", content: "z", mode: 0o600},
	}
	reversed := slices.Clone(tree)
	slices.Reverse(reversed)
	want := func() []byte {
		dir := t.TempDir()
		writeTree(t, dir, tree)
		return zipBytes(t, dir)
	}()
	tests := []struct {
		name string
		make func(t *testing.T) string
	}{
		{"same tree elsewhere", func(t *testing.T) string {
			dir := filepath.Join(t.TempDir(), "x", "y")
			writeTree(t, dir, tree)
			return dir
		}},
		{"created in reverse order with other times", func(t *testing.T) string {
			dir := t.TempDir()
			writeTree(t, dir, reversed)
			for _, e := range tree {
				if err := os.Chtimes(filepath.Join(dir, filepath.FromSlash(strings.TrimSuffix(e.path, "/"))), time1990, time1990); err != nil {
					t.Fatal(err)
				}
			}
			return dir
		}},
		{"other permission bits of the same kind", func(t *testing.T) string {
			dir := t.TempDir()
			writeTree(t, dir, tree)
			if err := os.Chmod(filepath.Join(dir, "bootstrap"), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(filepath.Join(dir, "z-last"), 0o666); err != nil {
				t.Fatal(err)
			}
			return dir
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := zipBytes(t, tt.make(t)); !bytes.Equal(got, want) {
				t.Errorf("archives differ: %d bytes vs %d", len(got), len(want))
			}
		})
	}
}

func TestZipExclude(t *testing.T) {
	t.Parallel()
	dir := writeSample(t, t.TempDir())
	tests := []struct {
		name    string
		mode    IgnoreMode
		exclude []string
		want    []string // entries under b/ and sub/ and the .txt at the top
	}{
		{"nothing excluded", "", nil, []string{"a.txt", "b/", "b/c.txt", "b/d.bin", "sub/", "sub/.dot/", "sub/.dot/deep.txt", "sub/inner/", "sub/inner/file.js"}},
		{"by extension", "", []string{"*.txt"}, []string{"b/", "b/d.bin", "sub/", "sub/.dot/", "sub/inner/", "sub/inner/file.js"}},
		{"with negation", "", []string{"*.txt", "!a.txt"}, []string{"a.txt", "b/", "b/d.bin", "sub/", "sub/.dot/", "sub/inner/", "sub/inner/file.js"}},
		{"a directory", "", []string{"sub"}, []string{"a.txt", "b/", "b/c.txt", "b/d.bin"}},
		{"a dot directory", "", []string{"**/.dot"}, []string{"a.txt", "b/", "b/c.txt", "b/d.bin", "sub/", "sub/inner/", "sub/inner/file.js"}},
		{"glob mode cannot bring back a file in an excluded directory", "", []string{"sub", "!sub/inner/file.js"}, []string{"a.txt", "b/", "b/c.txt", "b/d.bin"}},
		// As when the CDK stages such a tree, a directory that is not
		// completely excluded is kept, even if nothing in it is.
		{"docker mode brings back a file in an excluded directory", IgnoreDocker, []string{"sub", "!sub/inner/file.js"}, []string{"a.txt", "b/", "b/c.txt", "b/d.bin", "sub/", "sub/.dot/", "sub/inner/", "sub/inner/file.js"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			opts := ZipOptions{IgnoreMode: tt.mode, Exclude: append([]string{"link-dangling"}, tt.exclude...)}
			for _, z := range readZip(t, zipBytes(t, dir, opts)) {
				if z.name == "a.txt" || strings.HasPrefix(z.name, "b/") || strings.HasPrefix(z.name, "sub/") {
					got = append(got, z.name)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("entries = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestZipFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tree []entry
		src  string
		want []zipped
	}{
		{
			"a lambda directory",
			[]entry{{path: "fn/bootstrap", content: "ELF", mode: 0o755}},
			"fn",
			[]zipped{{name: "bootstrap", mode: 0o755, content: "ELF"}},
		},
		{
			"a single file under its base name",
			[]entry{{path: "dir/manifest.yaml", content: "kind: x\n", mode: 0o600}},
			"dir/manifest.yaml",
			[]zipped{{name: "manifest.yaml", mode: 0o644, content: "kind: x\n"}},
		},
		{
			"an empty directory",
			[]entry{{path: "nothing/"}},
			"nothing",
			nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeTree(t, dir, tt.tree)
			dst := filepath.Join(dir, "out.zip")
			if err := ZipFile(dst, filepath.Join(dir, tt.src)); err != nil {
				t.Fatalf("ZipFile: %v", err)
			}
			b, err := os.ReadFile(dst)
			if err != nil {
				t.Fatal(err)
			}
			if got := readZip(t, b); !slices.Equal(got, tt.want) {
				t.Errorf("entries = %+v, want %+v", got, tt.want)
			}
			leftovers, _ := filepath.Glob(filepath.Join(dir, ".out.zip.*"))
			if len(leftovers) != 0 {
				t.Errorf("temporary files left behind: %q", leftovers)
			}
		})
	}
}

func TestZipErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tree    []entry
		src     string
		opts    []ZipOptions
		wantErr string
	}{
		{"fails on a missing source", nil, "missing", nil, "no such file or directory"},
		{"fails on a dangling link", []entry{{path: "d/broken", link: "nowhere"}}, "d", nil, "no such file or directory"},
		{"fails on a link cycle", []entry{{path: "d/f", content: "x"}, {path: "d/loop", link: "."}}, "d", nil, "symbolic link cycle"},
		{"fails on an extended glob", []entry{{path: "d/f", content: "x"}}, "d", []ZipOptions{{Exclude: []string{"?(f)"}}}, "extended glob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeTree(t, dir, tt.tree)
			err := Zip(io.Discard, filepath.Join(dir, tt.src), tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Zip error = %v, want one containing %q", err, tt.wantErr)
			}
			dst := filepath.Join(dir, "out.zip")
			if err := ZipFile(dst, filepath.Join(dir, tt.src), tt.opts...); err == nil {
				t.Errorf("ZipFile succeeded, want an error")
			}
			if _, err := os.Stat(dst); !os.IsNotExist(err) {
				t.Errorf("ZipFile left %s behind after failing", dst)
			}
		})
	}
}

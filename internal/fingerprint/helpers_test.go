package fingerprint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// entry describes one file system entry of a test tree. Paths end in "/"
// for directories; a link has a target; mode defaults to 0644.
type entry struct {
	path    string
	content string
	link    string
	mode    os.FileMode
}

// writeTree creates the entries under dir, which must exist.
func writeTree(t testing.TB, dir string, entries []entry) {
	t.Helper()
	for _, e := range entries {
		p := filepath.Join(dir, filepath.FromSlash(strings.TrimSuffix(e.path, "/")))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasSuffix(e.path, "/"):
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
		case e.link != "":
			if err := os.Symlink(e.link, p); err != nil {
				t.Fatal(err)
			}
		default:
			mode := e.mode
			if mode == 0 {
				mode = 0o644
			}
			if err := os.WriteFile(p, []byte(e.content), mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(p, mode); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// sampleTree exercises every part of the content and path hashing: nested
// directories whose names sort around their siblings' file names, dot
// files, an empty directory, binary and text files with CRLF line endings,
// chunk-boundary cases of the text decoding, invalid UTF-8 and symbolic
// links of each kind. The external link points to ../outside/ext.txt, which
// writeSample creates next to the tree.
func sampleTree() []entry {
	crlfAtBoundary := strings.Repeat("x", chunkSize-1) + "\r\n" + "tail\r\n"
	utf8AtBoundary := strings.Repeat("y", chunkSize-1) + "é" + "after\n"
	crChunk := strings.Repeat("z", chunkSize-1) + "\r" + "\x00binary after a held-back chunk"
	return []entry{
		{path: "a.txt", content: "hello\n"},
		{path: "a/x", content: "x"},
		{path: "b/c.txt", content: "crlf\r\nline\r\n"},
		{path: "b/d.bin", content: "\x00\x01\x02\r\n"},
		{path: ".hidden", content: "h"},
		{path: "sub/.dot/deep.txt", content: "d"},
		{path: "sub/inner/file.js", content: "console.log(1)\r\n"},
		{path: "empty/"},
		{path: "big.txt", content: crlfAtBoundary},
		{path: "utf8split.txt", content: utf8AtBoundary},
		{path: "crchunk.txt", content: crChunk},
		{path: "invalid.txt", content: "\xe2\x82A\xff\xf0\x9f\x98 end"},
		{path: "trailingcr.txt", content: "abc\r"},
		{path: "bom.txt", content: "\xef\xbb\xbfbom"},
		{path: "bootstrap", content: "#!/bin/sh\necho hi\n", mode: 0o755},
		{path: "link-internal", link: "a.txt"},
		{path: "link-external", link: "../outside/ext.txt"},
		{path: "link-dangling", link: "does-not-exist"},
		{path: "linkdir", link: "b"},
	}
}

// writeSample writes sampleTree to base/sample and the target of its
// external link to base/outside, and returns base/sample.
func writeSample(t testing.TB, base string) string {
	t.Helper()
	writeTree(t, base, []entry{{path: "outside/ext.txt", content: "external\r\n"}})
	dir := filepath.Join(base, "sample")
	writeTree(t, dir, sampleTree())
	return dir
}

var time1990 = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

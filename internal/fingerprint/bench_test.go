package fingerprint

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

// benchTree is about a thousand files of mixed sizes (1 KiB to 32 KiB) in
// 50 directories, about 4 MB in all: the shape of a handler or chart asset.
func benchTree(b *testing.B) string {
	b.Helper()
	var entries []entry
	for d := range 50 {
		for f := range 20 {
			size := 1024 << ((d*20 + f) % 6)
			line := fmt.Sprintf("line %d of file %d/%d\n", f, d, f)
			body := strings.Repeat(line, size/len(line)+1)[:size]
			entries = append(entries, entry{path: fmt.Sprintf("pkg%02d/file%02d.txt", d, f), content: body})
		}
	}
	dir := b.TempDir()
	writeTree(b, dir, entries)
	return dir
}

func BenchmarkDir(b *testing.B) {
	dir := benchTree(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Dir(dir, Options{Exclude: []string{"*.md", "!README.md", "**/node_modules"}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkZip(b *testing.B) {
	dir := benchTree(b)
	b.ResetTimer()
	for b.Loop() {
		if err := Zip(io.Discard, dir); err != nil {
			b.Fatal(err)
		}
	}
}

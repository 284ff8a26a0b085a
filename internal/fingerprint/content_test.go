package fingerprint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// contentSamples are files whose hashing takes the less travelled paths:
// large binary files (hashed past the first chunk without chunking), a
// binary chunk after a held-back CR, text of several chunks with CRLF and
// multi-byte characters on the boundaries.
func contentSamples() map[string]string {
	var bin strings.Builder
	for i := range 100_000 {
		bin.WriteByte(byte(i * 7 % 251))
	}
	crThenBinary := strings.Repeat("z", chunkSize-1) + "\r" + "\x00" + bin.String()[:20_000]
	var text strings.Builder
	for i := range 5_000 {
		text.WriteString("línea ")
		text.WriteString(strings.Repeat("é", i%7))
		text.WriteString("\r\n")
	}
	return map[string]string{
		"large.bin":          bin.String(),
		"cr-then-binary.bin": crThenBinary,
		"multichunk.txt":     text.String(),
		"only-cr.txt":        strings.Repeat("\r", 3*chunkSize),
		"empty.txt":          "",
	}
}

// TestContentFingerprintMatchesCDK compares the fingerprints of single
// files with aws-cdk-lib 2.276.0's FileSystem.fingerprint of the same files.
func TestContentFingerprintMatchesCDK(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	samples := contentSamples()
	for name, content := range samples {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		file string
		want string
	}{
		{"large.bin", "dd3d364f37760df59414baade4d7d44a7a61874dcae629c2952934c9e26759b3"},
		{"cr-then-binary.bin", "404b4254cba71afedcbd8f317e014b13753741ea79614ce9722caa812d5a1d10"},
		{"multichunk.txt", "2b4983050a47d2bd58d473895ccc48f32b78c86fc3e2d66be0106120dfe1272b"},
		{"only-cr.txt", "16ef2b5b4961265e42a672adfdef635909ed052117238393f6980f4a3f9edf27"},
		{"empty.txt", "95c924c84f5d023be4edee540cb2cb401a49f115d01ed403b288f6cb412771df"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			got, err := Dir(filepath.Join(dir, tt.file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Dir(%s) = %s, want %s", tt.file, got, tt.want)
			}
		})
	}
}

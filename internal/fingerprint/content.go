package fingerprint

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"unicode/utf8"
)

// scratch holds the buffers of contentFingerprint, reused from file to file.
type scratch struct {
	chunk   [chunkSize]byte
	text    []byte
	pending []byte
	big     []byte
}

// large returns a buffer for hashing the rest of a binary file.
func (sc *scratch) large() []byte {
	if sc.big == nil {
		sc.big = make([]byte, 1<<20)
	}
	return sc.big
}

// chunkSize is the CDK's BUFFER_SIZE: files are read, checked for binary
// content and decoded in chunks of this many bytes, which shows in the hash
// of text files with a multi-byte character across a chunk boundary.
const chunkSize = 8 * 1024

// contentFingerprint returns "<size>:<sha256 hex>" for the file at path, as
// the CDK's contentFingerprint does. A file whose first chunk holds a NUL
// byte is hashed as it is. Any other file is hashed as text: each chunk
// decoded as UTF-8 (invalid bytes become U+FFFD as in Node.js), CRLF turned
// into LF, a chunk ending in CR held back until the next; size counts the
// bytes hashed, except those of a CR-ending remainder at the end of the file,
// which the CDK hashes without normalising or counting.
func contentFingerprint(path string, sc *scratch) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("unable to fingerprint %s: %w", path, err)
	}
	defer f.Close()

	h := sha256.New()
	size := 0
	isBinary := false
	buf := sc.chunk[:]
	pending := sc.pending[:0] // decoded text that ended in '\r'
	text := sc.text[:0]
	defer func() { sc.pending, sc.text = pending[:0], text[:0] }()
	for {
		n, err := io.ReadFull(f, buf)
		if n == 0 {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				break
			}
			if err != nil {
				return "", fmt.Errorf("unable to fingerprint %s: %w", path, err)
			}
		}
		chunk := buf[:n]
		if size == 0 {
			isBinary = bytes.IndexByte(chunk, 0) >= 0
		}
		if isBinary {
			size += n
			h.Write(chunk)
			if size > 0 && err == nil {
				// Binary for good now (the test only runs while size
				// is 0): hash the rest without chunking.
				rest, err := io.CopyBuffer(h, struct{ io.Reader }{f}, sc.large())
				if err != nil {
					return "", fmt.Errorf("unable to fingerprint %s: %w", path, err)
				}
				size += int(rest)
				break
			}
		} else {
			text = decodeUTF8Lossy(text[:0], chunk)
			if text[len(text)-1] == '\r' {
				pending = append(pending, text...)
			} else {
				data := text
				if len(pending) > 0 {
					data = append(pending, text...)
					pending = pending[:0]
				}
				data = normalizeCRLF(data)
				size += len(data)
				h.Write(data)
			}
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				break
			}
			return "", fmt.Errorf("unable to fingerprint %s: %w", path, err)
		}
	}
	if len(pending) > 0 {
		h.Write(pending)
	}
	return strconv.Itoa(size) + ":" + hex.EncodeToString(h.Sum(nil)), nil
}

// normalizeCRLF replaces every "\r\n" in b by "\n", in place.
func normalizeCRLF(b []byte) []byte {
	i := bytes.Index(b, []byte("\r\n"))
	if i < 0 {
		return b
	}
	out := b[:i]
	for j := i; j < len(b); j++ {
		if b[j] == '\r' && j+1 < len(b) && b[j+1] == '\n' {
			continue
		}
		out = append(out, b[j])
	}
	return out
}

var replacementChar = []byte("\uFFFD")

// decodeUTF8Lossy appends src to dst as Node.js's Buffer.toString() followed
// by Buffer.from() would give it back: valid UTF-8 unchanged, each maximal
// invalid subpart replaced by U+FFFD (the WHATWG Encoding Standard decoder).
func decodeUTF8Lossy(dst, src []byte) []byte {
	if utf8.Valid(src) {
		return append(dst, src...)
	}
	needed, seen := 0, 0
	lower, upper := byte(0x80), byte(0xBF)
	start := 0 // first byte of the sequence being decoded
	for i := 0; i < len(src); i++ {
		b := src[i]
		if needed == 0 {
			switch {
			case b <= 0x7F:
				dst = append(dst, b)
			case 0xC2 <= b && b <= 0xDF:
				needed, start = 1, i
			case 0xE0 <= b && b <= 0xEF:
				if b == 0xE0 {
					lower = 0xA0
				} else if b == 0xED {
					upper = 0x9F
				}
				needed, start = 2, i
			case 0xF0 <= b && b <= 0xF4:
				if b == 0xF0 {
					lower = 0x90
				} else if b == 0xF4 {
					upper = 0x8F
				}
				needed, start = 3, i
			default:
				dst = append(dst, replacementChar...)
			}
			continue
		}
		if b < lower || b > upper {
			needed, seen = 0, 0
			lower, upper = 0x80, 0xBF
			dst = append(dst, replacementChar...)
			i-- // decode this byte again as the start of a sequence
			continue
		}
		lower, upper = 0x80, 0xBF
		seen++
		if seen == needed {
			dst = append(dst, src[start:i+1]...)
			needed, seen = 0, 0
		}
	}
	if needed != 0 {
		dst = append(dst, replacementChar...)
	}
	return dst
}

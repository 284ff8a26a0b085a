package gobuild

import (
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lines is an io.Writer that keeps what is written and signals each write.
type lines struct {
	mu    sync.Mutex
	text  strings.Builder
	wrote chan struct{}
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.text.Write(p)
	select {
	case l.wrote <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.text.String()
}

// TestProgress checks the lines a build prints: what it builds, why and
// where it will be cached; then "still building" with the elapsed time
// while it runs; then the end, with the elapsed time.
func TestProgress(t *testing.T) {
	old := progressInterval
	progressInterval = 5 * time.Millisecond
	t.Cleanup(func() { progressInterval = old })
	for _, tt := range []struct {
		name    string
		attempt int
		err     error
		why     string
		end     string
	}{
		{"a first build", 1, nil, "(not in the cache; cached in ", "eksforge: built ./cmd/x for linux/arm64 in "},
		{"a build again after an edit", 2, nil, "(its sources changed during the previous build; cached in ", "eksforge: built ./cmd/x for linux/arm64 in "},
		{"fails: a failed build", 1, errors.New("boom"), "(not in the cache; cached in ", "eksforge: building ./cmd/x for linux/arm64 failed after "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := &lines{wrote: make(chan struct{}, 1)}
			cache := t.TempDir()
			o := &config{Options: Options{GOOS: "linux", GOARCH: "arm64", CacheDir: cache, Progress: out}, name: "./cmd/x"}
			done := o.progress("k1", tt.attempt)
			deadline := time.After(time.Minute)
			for !strings.Contains(out.String(), "still building") {
				select {
				case <-out.wrote:
				case <-deadline:
					t.Fatalf("no \"still building\" line:\n%s", out)
				}
			}
			done(tt.err)
			got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			wantFirst := "eksforge: building ./cmd/x for linux/arm64 " + tt.why + filepath.Join(cache, "k1") + " once built)"
			if got[0] != wantFirst {
				t.Errorf("first line %q, want %q", got[0], wantFirst)
			}
			for _, l := range got[1 : len(got)-1] {
				if !strings.HasPrefix(l, "eksforge: still building ./cmd/x for linux/arm64 (") {
					t.Errorf("line %q between the first and the last, want only \"still building\" lines", l)
				}
			}
			if last := got[len(got)-1]; !strings.HasPrefix(last, tt.end) {
				t.Errorf("last line %q, want it to start with %q", last, tt.end)
			}
		})
	}
}

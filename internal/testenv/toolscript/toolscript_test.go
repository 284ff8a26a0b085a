package toolscript_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eksforge/eksforge/internal/testenv/toolscript"
)

const dir = "internal/testenv/toolscript/testdata/"

func TestRunReturnsTheLastLine(t *testing.T) {
	t.Parallel()
	got, err := toolscript.Run(time.Minute, dir+"prints.sh", "/cache/dir")
	if err != nil {
		t.Fatal(err)
	}
	if got != "/cache/dir" {
		t.Errorf("Run = %q, want %q", got, "/cache/dir")
	}
}

func TestRunReportsFailures(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		status  string
		offline bool
	}{{"1", false}, {"3", true}} {
		_, err := toolscript.Run(time.Minute, dir+"fails.sh", tt.status)
		if err == nil {
			t.Fatalf("exit %s: Run succeeded", tt.status)
		}
		if got := errors.Is(err, toolscript.ErrOffline); got != tt.offline {
			t.Errorf("exit %s: errors.Is(err, ErrOffline) = %v, want %v (%v)", tt.status, got, tt.offline, err)
		}
		msg := err.Error()
		for _, want := range []string{"fails.sh", "exit status " + tt.status, "stderr line 50", "stderr line 11\n"} {
			if !strings.Contains(msg, want) {
				t.Errorf("exit %s: error lacks %q:\n%s", tt.status, want, msg)
			}
		}
		if strings.Contains(msg, "stderr line 10\n") {
			t.Errorf("exit %s: error carries more than the last 40 lines of standard error:\n%s", tt.status, msg)
		}
	}
}

func TestTail(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{
		{"a\nb\nc\n", 2, "b\nc"},
		{"a\nb\nc", 5, "a\nb\nc"},
		{"a\nb\nc", 0, "a\nb\nc"},
	} {
		if got := toolscript.Tail(tt.s, tt.n); got != tt.want {
			t.Errorf("Tail(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

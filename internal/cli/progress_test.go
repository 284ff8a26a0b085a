//go:build unix

package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/cli"
)

// streamWatcher is the CLI's standard error in TestSynthStreamsTheAppsStderr:
// it keeps what is written and, the first time a write holds want, calls
// seen (in its own goroutine: the app may be blocked until seen acts).
type streamWatcher struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	once sync.Once
	seen func()
}

func (w *streamWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { go w.seen() })
	}
	return len(p), nil
}

func (w *streamWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestSynthStreamsTheAppsStderr runs an app that writes a line to standard
// error and then waits, on a named pipe, until the test has read that line
// from the CLI's standard error; only then does it write its cloud
// assembly. The synthesis can only finish if the line was passed on while
// the app ran, after the line saying what runs.
func TestSynthStreamsTheAppsStderr(t *testing.T) {
	t.Parallel()
	asm := synth(t, func(app *cdk.App) {
		cdk.NewCfnResource(cdk.NewStack(app, "Streamed", cdk.StackProps{}), "Topic", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	})
	dir := t.TempDir()
	fifo := filepath.Join(dir, "go-on")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	app := "echo 'compiling the handlers...' >&2 && read line < '" + fifo + "' && cp -R '" + asm + "'/. \"$CDK_OUTDIR\"/ && echo \"$line\" >&2"
	stderr := &streamWatcher{want: "compiling the handlers...\n", seen: func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			t.Errorf("open the pipe: %v", err)
			return
		}
		defer f.Close()
		f.WriteString("the test read the line\n")
	}}
	var stdout bytes.Buffer
	r := &cli.Runner{Dir: dir, Stdout: &stdout, Stderr: stderr}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	code := r.Run(ctx, []string{"synth", "--app", app, "--output", filepath.Join(dir, "cdk.out")})
	got := stderr.String()
	if code != 0 {
		t.Fatalf("synth: exit %d (the app's line was not passed on while it ran?)\n%s", code, got)
	}
	want := "Synthesizing: " + app + " (in " + dir + ")\ncompiling the handlers...\nthe test read the line\n"
	if !strings.HasPrefix(got, want) {
		t.Errorf("standard error:\n%s\nwant it to start with:\n%s", got, want)
	}
	if !strings.Contains(stdout.String(), "Streamed") {
		t.Errorf("standard output %q does not list the stack", stdout.String())
	}
}

package cli_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/internal/cli"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

func TestMain(m *testing.M) {
	code := m.Run()
	motoserver.StopShared()
	os.Exit(code)
}

// result is what one command printed.
type result struct {
	code           int
	stdout, stderr string
}

// run runs the CLI in-process with r (nil: a non-interactive runner).
func run(t *testing.T, r *cli.Runner, args ...string) result {
	t.Helper()
	if r == nil {
		r = &cli.Runner{}
	}
	var stdout, stderr bytes.Buffer
	r.Stdout, r.Stderr = &stdout, &stderr
	code := r.Run(context.Background(), args)
	res := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	t.Logf("eksforge %s: exit %d\n--- stdout\n%s--- stderr\n%s", strings.Join(args, " "), code, res.stdout, res.stderr)
	return res
}

func (r result) expect(t *testing.T, code int, in string, wants ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code = %d, want %d", r.code, code)
	}
	text := r.stdout
	if in == "stderr" {
		text = r.stderr
	}
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s does not contain %q", in, w)
		}
	}
}

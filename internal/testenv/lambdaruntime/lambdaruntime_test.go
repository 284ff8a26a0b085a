package lambdaruntime_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/eksforge/eksforge/internal/testenv/lambdaruntime"
)

// buildFn builds testdata/fn.
func buildFn(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bootstrap")
	cmd := exec.Command("go", "build", "-o", bin, "./testdata/fn")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// ballast is memory this test process holds while its child runs.
var ballast []byte

func TestInvoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := buildFn(t)
	// The test process itself holds 96 MiB: a child's peak must not
	// include its parent's (as wait4's ru_maxrss does).
	ballast = make([]byte, 96<<20)
	for i := range ballast {
		ballast[i] = 1
	}
	defer func() { ballast = nil }()
	tests := []struct {
		name     string
		allocMB  int
		min, max float64
	}{
		{"a small process measures small", 0, 1, 40},
		{"the child's own memory is measured", 64, 64, 110},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := lambdaruntime.Function{Binary: bin, Env: []string{"ALLOC_MB=" + strconv.Itoa(tt.allocMB)}}
			inv := f.Invoke(t, map[string]any{"RequestId": "r-1", "RequestType": "Create"})
			if inv.Result != "response" || string(inv.Response) != `"r-1"` {
				t.Errorf("runtime answer %s %s, want response \"r-1\"", inv.Result, inv.Response)
			}
			if got := inv.CloudFormationStatus(); got != "SUCCESS" {
				t.Errorf("CloudFormation answer %q (%s), want SUCCESS", got, inv.CloudFormation)
			}
			if inv.Ready <= 0 || inv.Served < inv.Ready {
				t.Errorf("ready after %v, served after %v: want 0 < ready <= served", inv.Ready, inv.Served)
			}
			if got := inv.PeakRSSMB(); got < tt.min || got > tt.max {
				t.Errorf("peak RSS %.1f MiB, want between %v and %v", got, tt.min, tt.max)
			}
		})
	}
}

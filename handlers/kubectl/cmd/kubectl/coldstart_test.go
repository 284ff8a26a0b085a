package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/eksforge/eksforge/internal/testenv/lambdaruntime"
)

// buildHandler builds this command for the machine running the test, with
// tags, into dir, as the Lambda asset is built (-trimpath, -s -w).
func buildHandler(tb testing.TB, dir, tags string) string {
	tb.Helper()
	out := filepath.Join(dir, "bootstrap-"+tags)
	cmd := exec.Command("go", "build", "-trimpath", "-tags", tags, "-ldflags=-s -w", "-o", out, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build -tags %s: %v\n%s", tags, err, b)
	}
	return out
}

// coldStart starts bin as Lambda starts a bootstrap, hands it one
// custom-resource event of a type the handler does not serve (answered
// FAILED at once: what is timed is the process, not the work) and returns
// the time until it asks for its first event, until it has answered that
// event (CloudFormation and the runtime), and its peak resident set in MB.
func coldStart(tb testing.TB, bin string) (ready, served time.Duration, rssMB float64) {
	tb.Helper()
	f := lambdaruntime.Function{Binary: bin, Timeout: 2 * time.Minute, Env: []string{"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=x",
		"AWS_LAMBDA_FUNCTION_NAME=kubectl", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST", "HOME=" + tb.TempDir()}}
	inv := f.Invoke(tb, map[string]any{
		"RequestType": "Create", "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
		"RequestId": "r1", "ResourceType": "Custom::NotAKubectlResource", "LogicalResourceId": "R",
		"ResourceProperties": map[string]any{"ServiceToken": "x", "ClusterName": "c"},
	})
	if got := inv.CloudFormationStatus(); got != "FAILED" {
		tb.Fatalf("CloudFormation was answered %q, want FAILED (an unknown resource type):\n%s", got, inv.Logs)
	}
	return inv.Ready, inv.Served, inv.PeakRSSMB()
}

// BenchmarkColdStart builds the handler with and without the Helm SDK
// (-tags nohelm), starts each as a new process against a local Lambda
// Runtime API, and reports the time until it asks for its first event
// (ready-ms), until it has answered one custom-resource event (served-ms,
// the op), and the process's peak RSS. Run it with -benchtime=10x.
func BenchmarkColdStart(b *testing.B) {
	dir := b.TempDir()
	for _, tags := range []string{"lambda.norpc,nohelm", "lambda.norpc"} {
		bin := buildHandler(b, dir, tags)
		b.Run(tags, func(b *testing.B) {
			var ready, served time.Duration
			var rss float64
			for b.Loop() {
				r, s, m := coldStart(b, bin)
				ready, served, rss = ready+r, served+s, max(rss, m)
			}
			b.ReportMetric(float64(ready.Milliseconds())/float64(b.N), "ready-ms")
			b.ReportMetric(float64(served.Milliseconds())/float64(b.N), "served-ms")
			b.ReportMetric(rss, "peak-RSS-MB")
		})
	}
}

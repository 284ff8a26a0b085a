package main_test

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/internal/gobuild"
	"github.com/eksforge/eksforge/internal/testenv/lambdaruntime"
)

// buildHandler builds this command for the machine running the test, with
// tags (comma-separated), as the Lambda asset is built (internal/gobuild:
// -trimpath, -s -w, no build ID) with the compiler flags gcflags, and
// returns the binary's path.
func buildHandler(tb testing.TB, tags string, gcflags []string) string {
	tb.Helper()
	res, err := gobuild.Build(context.Background(), gobuild.Options{Package: ".", GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
		Tags: strings.Split(tags, ","), GCFlags: gcflags})
	if err != nil {
		tb.Fatal(err)
	}
	return filepath.Join(res.Dir, gobuild.BinaryName)
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
// the op), and the process's peak RSS. Each build is measured as the
// asset is built (eks.KubectlGCFlags) and, in the "inlined" cases, with
// the compiler's defaults for every package: the price of the smaller
// binary. Run it with -benchtime=10x.
func BenchmarkColdStart(b *testing.B) {
	for _, tc := range []struct {
		name, tags string
		gcflags    []string
	}{
		{"lambda.norpc,nohelm", "lambda.norpc,nohelm", eks.KubectlGCFlags()},
		{"lambda.norpc", "lambda.norpc", eks.KubectlGCFlags()},
		{"lambda.norpc,nohelm-inlined", "lambda.norpc,nohelm", nil},
		{"lambda.norpc-inlined", "lambda.norpc", nil},
	} {
		bin := buildHandler(b, tc.tags, tc.gcflags)
		b.Run(tc.name, func(b *testing.B) {
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

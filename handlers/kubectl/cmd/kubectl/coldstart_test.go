package main_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
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

// runtimeAPI is a Lambda Runtime API that hands out one custom-resource
// event and records when the handler first asks for work and when it
// answers CloudFormation and the runtime.
type runtimeAPI struct {
	addr              string
	ready, cfn, reply chan time.Time
}

func newRuntimeAPI(tb testing.TB) *runtimeAPI {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	api := &runtimeAPI{addr: l.Addr().String(), ready: make(chan time.Time, 1), cfn: make(chan time.Time, 1), reply: make(chan time.Time, 1)}
	served := false
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		select {
		case api.ready <- time.Now():
		default:
		}
		if served {
			<-r.Context().Done() // one event per process
			return
		}
		served = true
		event, _ := json.Marshal(map[string]any{
			"RequestType": "Create", "ResponseURL": "http://" + api.addr + "/cfn", "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
			"RequestId": "r1", "ResourceType": "Custom::NotAKubectlResource", "LogicalResourceId": "R",
			"ResourceProperties": map[string]any{"ServiceToken": "x", "ClusterName": "c"},
		})
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", "req-1")
		w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(5*time.Minute).UnixMilli(), 10))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:kubectl")
		w.Write(event)
	})
	mux.HandleFunc("PUT /cfn", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		api.cfn <- time.Now()
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/req-1/", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusAccepted)
		api.reply <- time.Now()
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(l)
	tb.Cleanup(func() { srv.Close() })
	return api
}

// coldStart starts bin as Lambda starts a bootstrap and returns the time
// until it asks for its first event, until it has answered that event
// (CloudFormation and the runtime), and its peak resident set in MB.
func coldStart(tb testing.TB, bin string) (ready, served time.Duration, rssMB float64) {
	tb.Helper()
	api := newRuntimeAPI(tb)
	cmd := exec.Command(bin)
	cmd.Env = []string{"AWS_LAMBDA_RUNTIME_API=" + api.addr, "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=x",
		"AWS_LAMBDA_FUNCTION_NAME=kubectl", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST", "HOME=" + tb.TempDir()}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	timeout := time.After(2 * time.Minute)
	var readyAt, cfnAt, replyAt time.Time
	for readyAt.IsZero() || cfnAt.IsZero() || replyAt.IsZero() {
		select {
		case readyAt = <-api.ready:
		case cfnAt = <-api.cfn:
		case replyAt = <-api.reply:
		case <-timeout:
			tb.Fatalf("the handler did not answer its first event (ready %v, cfn %v, runtime %v)", readyAt, cfnAt, replyAt)
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rssMB = float64(ru.Maxrss) / 1024
	}
	return readyAt.Sub(start), replyAt.Sub(start), rssMB
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

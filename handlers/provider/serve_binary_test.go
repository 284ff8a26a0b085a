package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
)

// TestServeUnderTheLambdaRuntime runs a function built on Serve
// (testdata/serve) under a local Lambda Runtime API, so the deadline the
// guard works from is the one the runtime derives from
// Lambda-Runtime-Deadline-Ms, as in Lambda.
func TestServeUnderTheLambdaRuntime(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "bootstrap")
	build := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-o", bin, "./testdata/serve")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	tests := []struct {
		mode       string
		life       time.Duration
		wantStatus cfnresponse.Status
		wantReason string
	}{
		{"ok", 10 * time.Second, cfnresponse.Success, "SUCCESS"},
		{"panic", 10 * time.Second, cfnresponse.Failed, "panic: boom (at main.main.func1 serve/main.go:"},
		{"hang", 5 * time.Second, cfnresponse.Failed, "timed out after"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			t.Parallel()
			cf := newCloudFormation(t)
			e := cf.event(cfnresponse.Create, "req-"+tt.mode, "", map[string]any{"Mode": tt.mode})
			event, _ := json.Marshal(e)
			deadline := time.Now().Add(tt.life)
			outcome := make(chan string, 1)
			var once sync.Once
			rt := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.URL.Path == "/2018-06-01/runtime/invocation/next":
					served := false
					once.Do(func() {
						served = true
						w.Header().Set("Lambda-Runtime-Aws-Request-Id", "lambda-1")
						w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(deadline.UnixMilli(), 10))
						w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:kubectl")
						_, _ = w.Write(event)
					})
					if !served {
						<-r.Context().Done()
					}
				case strings.HasSuffix(r.URL.Path, "/response"), strings.HasSuffix(r.URL.Path, "/error"):
					b, _ := io.ReadAll(r.Body)
					outcome <- fmt.Sprintf("%s %s", filepath.Base(r.URL.Path), b)
					w.WriteHeader(http.StatusAccepted)
				default:
					http.NotFound(w, r)
				}
			}))
			defer rt.Close()
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin)
			cmd.Env = []string{
				"AWS_LAMBDA_RUNTIME_API=" + strings.TrimPrefix(rt.URL, "http://"),
				"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/kubectl",
				"AWS_LAMBDA_LOG_STREAM_NAME=2026/11/25/[$LATEST]beef",
			}
			var logs strings.Builder
			cmd.Stdout, cmd.Stderr = &logs, &logs
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				if t.Failed() {
					t.Logf("function logs:\n%s", logs.String())
				}
			}()
			var out string
			select {
			case out = <-outcome:
			case <-ctx.Done():
				t.Fatal("the invocation did not finish")
			}
			if !strings.HasPrefix(out, "response ") {
				t.Errorf("invocation ended with %q, want a normal response (CloudFormation was answered)", out)
			}
			if now := time.Now(); now.After(deadline) {
				t.Errorf("finished %v after the Lambda deadline", now.Sub(deadline))
			}
			got := cf.only(t, "req-"+tt.mode)
			if got.Status != tt.wantStatus || !strings.Contains(got.Reason, tt.wantReason) {
				t.Errorf("answer %s %q, want %s with %q", got.Status, got.Reason, tt.wantStatus, tt.wantReason)
			}
			if tt.wantStatus == cfnresponse.Failed && !strings.Contains(got.Reason, "2026/11/25/[$LATEST]beef (log group /aws/lambda/kubectl)") {
				t.Errorf("Reason %q does not point to the log stream", got.Reason)
			}
		})
	}
}

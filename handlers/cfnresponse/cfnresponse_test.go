package cfnresponse

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func init() {
	firstBackoff = 5 * time.Millisecond
	maxBackoff = 20 * time.Millisecond
}

// A Create request as CloudFormation sends it: every scalar property is a
// string, lists and maps keep their shape.
const createEventJSON = `{
  "RequestType": "Create",
  "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:provider-onEvent",
  "ResponseURL": "RESPONSE_URL",
  "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/app/5b7a0c50-1a2b-11f0-9c3e-0a1b2c3d4e5f",
  "RequestId": "6a1f0d2e-3c4b-4a59-8e7f-112233445566",
  "ResourceType": "Custom::AWSCDK-EKS-KubernetesResource",
  "LogicalResourceId": "ClusterManifestHello0A1B2C3D",
  "ResourceProperties": {
    "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:provider-onEvent",
    "ClusterName": "demo",
    "Overwrite": "true",
    "TimeoutSeconds": "300",
    "Manifest": "[{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"hello\"}}]",
    "Subnets": ["subnet-1", "subnet-2"],
    "Tags": {"team": "platform", "replicas": "3"}
  }
}`

func testEvent(t *testing.T, responseURL string) Event {
	t.Helper()
	var e Event
	if err := json.Unmarshal([]byte(strings.Replace(createEventJSON, "RESPONSE_URL", responseURL, 1)), &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// recorder is a stand-in for the pre-signed S3 URL: a real HTTP server that
// keeps every request it receives.
type recorder struct {
	mu       sync.Mutex
	requests []recorded
	// answer decides the status of the n-th request (1-based); nil means 200.
	answer func(n int) int
	srv    *httptest.Server
}

type recorded struct {
	method, path, rawQuery string
	header                 http.Header
	contentLength          int64
	body                   []byte
}

func newRecorder(t *testing.T, answer func(n int) int) *recorder {
	r := &recorder{answer: answer}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.requests = append(r.requests, recorded{req.Method, req.URL.Path, req.URL.RawQuery, req.Header.Clone(), req.ContentLength, body})
		n := len(r.requests)
		r.mu.Unlock()
		status := http.StatusOK
		if r.answer != nil {
			status = r.answer(n)
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) url() string {
	return r.srv.URL + "/cloudformation-custom-resource-response-useast1/arn%3Aaws%3Acloudformation/6a1f?X-Amz-Signature=secret&X-Amz-Expires=7200"
}

func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.requests...)
}

func TestEventDecodesCloudFormationShapes(t *testing.T) {
	t.Parallel()
	e := testEvent(t, "https://example.com/x")
	if err := e.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if got := e.ResourceProperties["Overwrite"]; got != "true" {
		t.Errorf("Overwrite = %#v, want the string \"true\"", got)
	}
	if got := e.ResourceProperties["Subnets"]; !cmp.Equal(got, []any{"subnet-1", "subnet-2"}) {
		t.Errorf("Subnets = %#v", got)
	}
	if e.OldResourceProperties != nil || e.PhysicalResourceId != "" {
		t.Errorf("Create carries no old properties or physical ID: %+v", e)
	}
}

func TestEventValidate(t *testing.T) {
	t.Parallel()
	good := testEvent(t, "https://example.com/x")
	for name, mutate := range map[string]func(*Event){
		"fails on unknown request type":   func(e *Event) { e.RequestType = "Upsert" },
		"fails without response URL":      func(e *Event) { e.ResponseURL = "" },
		"fails on relative response URL":  func(e *Event) { e.ResponseURL = "/x" },
		"fails without request ID":        func(e *Event) { e.RequestId = "" },
		"fails on Delete without phys ID": func(e *Event) { e.RequestType = Delete },
	} {
		t.Run(name, func(t *testing.T) {
			e := good
			mutate(&e)
			if err := e.Validate(); err == nil {
				t.Error("Validate succeeded")
			}
		})
	}
}

func TestSendPutsTheContractBody(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, nil)
	e := testEvent(t, rec.url())
	err := Send(t.Context(), nil, e, Response{Status: Success, PhysicalResourceId: "hello", Data: map[string]any{"Value": "42"}})
	if err != nil {
		t.Fatal(err)
	}
	reqs := rec.all()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.method != http.MethodPut {
		t.Errorf("method = %s, want PUT", r.method)
	}
	if r.rawQuery != "X-Amz-Signature=secret&X-Amz-Expires=7200" || !strings.HasPrefix(r.path, "/cloudformation-custom-resource-response") {
		t.Errorf("pre-signed URL not kept: path %q query %q", r.path, r.rawQuery)
	}
	if ct, ok := r.header["Content-Type"]; !ok || len(ct) != 1 || ct[0] != "" {
		t.Errorf("Content-Type header = %#v (present %v), want present and empty", ct, ok)
	}
	if r.contentLength != int64(len(r.body)) || r.header.Get("Content-Length") != strconv.Itoa(len(r.body)) {
		t.Errorf("Content-Length = %d / %q, body %d bytes", r.contentLength, r.header.Get("Content-Length"), len(r.body))
	}
	var got map[string]any
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"Status":             "SUCCESS",
		"Reason":             "SUCCESS",
		"PhysicalResourceId": "hello",
		"StackId":            e.StackId,
		"RequestId":          e.RequestId,
		"LogicalResourceId":  e.LogicalResourceId,
		"Data":               map[string]any{"Value": "42"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("body (-want +got):\n%s", d)
	}
}

func TestSendRetries(t *testing.T) {
	t.Parallel()
	t.Run("on 5xx and 429 until accepted", func(t *testing.T) {
		t.Parallel()
		rec := newRecorder(t, func(n int) int {
			return map[int]int{1: 503, 2: 429, 3: 500}[n] + map[bool]int{true: 200}[n > 3]
		})
		if err := Send(t.Context(), nil, testEvent(t, rec.url()), Response{Status: Failed, Reason: "boom", PhysicalResourceId: "p"}); err != nil {
			t.Fatal(err)
		}
		if n := len(rec.all()); n != 4 {
			t.Errorf("got %d attempts, want 4", n)
		}
	})
	t.Run("on dropped connections", func(t *testing.T) {
		t.Parallel()
		var n atomic.Int32
		var got atomic.Value
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) <= 2 {
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
				return
			}
			b, _ := io.ReadAll(r.Body)
			got.Store(b)
		}))
		defer srv.Close()
		if err := Send(t.Context(), srv.Client(), testEvent(t, srv.URL+"/r?sig=1"), Response{Status: Success, PhysicalResourceId: "p"}); err != nil {
			t.Fatal(err)
		}
		if n.Load() != 3 || got.Load() == nil {
			t.Errorf("attempts = %d, body received = %v", n.Load(), got.Load() != nil)
		}
	})
	t.Run("fails at once on 403 without leaking the signature", func(t *testing.T) {
		t.Parallel()
		rec := newRecorder(t, func(int) int { return http.StatusForbidden })
		err := Send(t.Context(), nil, testEvent(t, rec.url()), Response{Status: Success, PhysicalResourceId: "p"})
		if err == nil || !strings.Contains(err.Error(), "HTTP 403") {
			t.Fatalf("err = %v, want HTTP 403", err)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("error leaks the URL signature: %v", err)
		}
		if n := len(rec.all()); n != 1 {
			t.Errorf("got %d attempts, want 1", n)
		}
	})
	t.Run("fails when the context ends", func(t *testing.T) {
		t.Parallel()
		// A listener that accepts nothing useful: every connection is reset.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
		defer ln.Close()
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		// Without honouring its context, Send would retry against the dead
		// endpoint far beyond the test binary's timeout.
		err = Send(ctx, nil, testEvent(t, "http://"+ln.Addr().String()+"/r?X-Amz-Signature=secret"), Response{Status: Success, PhysicalResourceId: "p"})
		if err == nil {
			t.Fatal("Send succeeded against a dead endpoint")
		}
		if !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "context deadline exceeded") {
			t.Errorf("Send ended with %v, not with its context's deadline", err)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("error leaks the URL signature: %v", err)
		}
	})
}

func TestMarshalKeepsUnderTheLimit(t *testing.T) {
	t.Parallel()
	base := Response{
		Status:             Failed,
		PhysicalResourceId: "phys",
		StackId:            "arn:aws:cloudformation:us-east-1:123456789012:stack/app/5b7a0c50-1a2b-11f0-9c3e-0a1b2c3d4e5f",
		RequestId:          "6a1f0d2e-3c4b-4a59-8e7f-112233445566",
		LogicalResourceId:  "Resource",
	}
	bigData := map[string]any{}
	for i := range 50 {
		bigData["Key"+strconv.Itoa(i)] = strings.Repeat("v", 200)
	}
	tests := []struct {
		name   string
		mutate func(*Response)
		check  func(t *testing.T, got Response)
	}{
		{
			name:   "small response unchanged",
			mutate: func(r *Response) { r.Reason = "apply failed: <deployments> & co" },
			check: func(t *testing.T, got Response) {
				if got.Reason != "apply failed: <deployments> & co" {
					t.Errorf("Reason = %q", got.Reason)
				}
			},
		},
		{
			name:   "huge reason keeps its start and a note",
			mutate: func(r *Response) { r.Reason = "unable to apply Deployment default/web: " + strings.Repeat("x", 1<<20) },
			check: func(t *testing.T, got Response) {
				if !strings.HasPrefix(got.Reason, "unable to apply Deployment default/web: xxx") {
					t.Errorf("Reason lost its start: %.80q", got.Reason)
				}
				if !strings.HasSuffix(got.Reason, "… (truncated; see CloudWatch log stream 2026/11/25/[$LATEST]abc)") {
					t.Errorf("Reason lacks the note: %q", got.Reason[len(got.Reason)-100:])
				}
			},
		},
		{
			name: "reason of escaped characters and multibyte runes",
			mutate: func(r *Response) {
				r.Reason = strings.Repeat("\x01\"é€\n", 5000)
			},
			check: func(t *testing.T, got Response) {
				if !strings.HasPrefix(got.Reason, "\x01\"é€\n") || !strings.Contains(got.Reason, "truncated") {
					t.Errorf("Reason = %.60q", got.Reason)
				}
			},
		},
		{
			name: "huge data drops keys and says which",
			mutate: func(r *Response) {
				r.Status = Success
				r.Reason = strings.Repeat("r", 10000)
				r.Data = map[string]any{"Small": "ok", "Huge": strings.Repeat("h", 8000), "Endpoint": "https://x"}
			},
			check: func(t *testing.T, got Response) {
				if got.Status != Success {
					t.Errorf("Status = %s, want SUCCESS kept", got.Status)
				}
				if d := cmp.Diff(map[string]any{"Small": "ok", "Endpoint": "https://x"}, got.Data); d != "" {
					t.Errorf("Data (-want +got):\n%s", d)
				}
				if !strings.HasPrefix(got.Reason, "response exceeded CloudFormation's 4096-byte limit; dropped Data keys Huge. rrr") {
					t.Errorf("Reason = %.120q", got.Reason)
				}
			},
		},
		{
			name:   "many data keys",
			mutate: func(r *Response) { r.Status = Success; r.Data = bigData },
			check: func(t *testing.T, got Response) {
				if len(got.Data) == 0 || len(got.Data) >= 50 {
					t.Errorf("kept %d of 50 keys, want some", len(got.Data))
				}
				if !strings.Contains(got.Reason, "dropped Data keys") {
					t.Errorf("Reason = %.120q", got.Reason)
				}
			},
		},
		{
			name:   "oversized physical ID fails the response",
			mutate: func(r *Response) { r.Status = Success; r.PhysicalResourceId = strings.Repeat("p", 10000) },
			check: func(t *testing.T, got Response) {
				if got.Status != Failed || !strings.Contains(got.Reason, "PhysicalResourceId is 10000 bytes") {
					t.Errorf("got %s %q", got.Status, got.Reason)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := base
			tt.mutate(&r)
			b, err := Marshal(r, "2026/11/25/[$LATEST]abc")
			if err != nil {
				t.Fatal(err)
			}
			if len(b) > MaxResponseSize {
				t.Fatalf("body is %d bytes, limit %d", len(b), MaxResponseSize)
			}
			var got Response
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("body is not JSON: %v", err)
			}
			if got.RequestId != base.RequestId || got.StackId != base.StackId || got.LogicalResourceId != base.LogicalResourceId {
				t.Errorf("identity fields changed: %+v", got)
			}
			tt.check(t, got)
		})
	}
}

func TestMarshalSurvivesUnencodableData(t *testing.T) {
	t.Parallel()
	b, err := Marshal(Response{Status: Success, PhysicalResourceId: "p", Data: map[string]any{"x": math.NaN()}}, "")
	if err == nil {
		t.Error("want the encoding error reported")
	}
	var got Response
	if jerr := json.Unmarshal(b, &got); jerr != nil {
		t.Fatalf("body is not JSON: %v", jerr)
	}
	if got.Data != nil || !strings.Contains(got.Reason, "Data dropped") {
		t.Errorf("got %+v", got)
	}
}

func TestSendHugeResponseStaysUnderLimit(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, nil)
	e := testEvent(t, rec.url())
	err := Send(t.Context(), nil, e, Response{
		Status: Failed,
		Reason: strings.Repeat("error line\n", 100000),
		Data:   map[string]any{"Blob": strings.Repeat("b", 100000)},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := rec.all()[0]
	if len(r.body) > MaxResponseSize {
		t.Errorf("server received %d bytes", len(r.body))
	}
}

func TestResponseForFillsIdentity(t *testing.T) {
	t.Parallel()
	e := testEvent(t, "https://example.com/x")
	got := Response{Status: Failed}.For(e)
	want := Response{Status: Failed, Reason: "FAILED", PhysicalResourceId: e.RequestId, StackId: e.StackId, RequestId: e.RequestId, LogicalResourceId: e.LogicalResourceId}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("For (-want +got):\n%s", d)
	}
	e.RequestType, e.PhysicalResourceId = Update, "p-1"
	if got := (Response{Status: Success, PhysicalResourceId: "p-2"}).For(e); got.PhysicalResourceId != "p-2" {
		t.Errorf("For replaced the response's own ID: %q", got.PhysicalResourceId)
	}
}

package kubectl_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
)

// TestManifestSurvivesAPIServerRestart takes the shared API server away in
// the middle of an apply; the handler retries and succeeds. The outage
// happens at a fixed point, whatever the machine's speed: an outageGate
// holds the handler's 20th write, the test stops kube-apiserver, lets the
// write fail against it, and starts kube-apiserver again once the handler
// has seen the failure. Not parallel: it runs before the parallel tests,
// which would see the outage too.
func TestManifestSurvivesAPIServerRestart(t *testing.T) {
	h, env := newHandler(t)
	ns := namespace(t, env)
	gate := newOutageGate(20)
	connect := h.Connect // restored for the replay at the end
	wrapTransport(h, gate.wrap)
	var objs []any
	for i := range 1000 {
		objs = append(objs, configMap(ns, fmt.Sprintf("cm-%d", i), map[string]any{"i": fmt.Sprint(i)}))
	}
	p := map[string]any{"Manifest": jsonString(t, objs)}
	e := ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil)
	type result struct {
		n   any
		err error
	}
	done := make(chan result, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		r, err := h.OnEvent(ctx, e)
		done <- result{r.Data["Objects"], err}
	}()
	select {
	case <-gate.held:
	case r := <-done:
		t.Fatalf("the apply finished (%v, %v objects) without making a 20th write", r.err, r.n)
	}
	if err := env.StopAPIServer(); err != nil {
		t.Fatal(err)
	}
	gate.release()
	select {
	case <-gate.failed:
	case r := <-done:
		t.Fatalf("the apply finished (%v, %v objects) while kube-apiserver was down", r.err, r.n)
	}
	if err := env.StartAPIServer(); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil || r.n != "1000" {
		t.Fatalf("apply across a restart: %v, %v objects", r.err, r.n)
	}
	if get(t, env, cmGVR, ns, "cm-999") == nil {
		t.Error("last object missing")
	}
	// And the same request again converges.
	h.Connect = connect
	mustRun(t, h, e)
}

// outageGate counts the writes (non-GET requests) a client sends: it holds
// the n-th until release is called, closing held when it does so, and
// closes failed at the first request that fails after the release.
type outageGate struct {
	n        int64
	writes   atomic.Int64
	released atomic.Bool
	held     chan struct{}
	resume   chan struct{}
	failOnce sync.Once
	failed   chan struct{}
}

func newOutageGate(n int64) *outageGate {
	return &outageGate{n: n, held: make(chan struct{}), resume: make(chan struct{}), failed: make(chan struct{})}
}

func (g *outageGate) release() {
	g.released.Store(true)
	close(g.resume)
}

func (g *outageGate) wrap(next http.RoundTripper) http.RoundTripper {
	return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		if req.Method != http.MethodGet && g.writes.Add(1) == g.n {
			close(g.held)
			<-g.resume
		}
		resp, err := next.RoundTrip(req)
		if g.released.Load() && (err != nil || resp.StatusCode >= http.StatusInternalServerError) {
			g.failOnce.Do(func() { close(g.failed) })
		}
		return resp, err
	})
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

package kubectl_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
)

// TestManifestSurvivesAPIServerRestart restarts the shared API server in
// the middle of an apply; the handler retries and succeeds. Not parallel:
// it runs before the parallel tests, which would see the outage too.
func TestManifestSurvivesAPIServerRestart(t *testing.T) {
	h, env := newHandler(t)
	ns := namespace(t, env)
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
	// Let part of it through, then take the API server away.
	deadline := time.Now().Add(30 * time.Second)
	for get(t, env, cmGVR, ns, "cm-20") == nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	var early *result
	select {
	case r := <-done:
		early = &r // the apply beat the restart: the test proves nothing
	default:
	}
	if early != nil {
		t.Fatalf("the apply finished (%v) before the API server was restarted; make it longer", early.err)
	}
	env.Restart(t)
	r := <-done
	if r.err != nil || r.n != "1000" {
		t.Fatalf("apply across a restart: %v, %v objects", r.err, r.n)
	}
	if get(t, env, cmGVR, ns, "cm-999") == nil {
		t.Error("last object missing")
	}
	// And the same request again converges.
	mustRun(t, h, e)
}

package kubectl

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/fluxcd/cli-utils/pkg/kstatus/status"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/provider"
)

var _ provider.IsCompleteHandler = (*Handler)(nil)

// waitField is the key of the onEvent result's Extra that carries a long
// operation's state to isComplete, in process and in the waiter's input.
const waitField = "KubectlWait"

// longWait is what an operation that outlives one invocation waits for,
// and until when.
type longWait struct {
	// Kind is what is waited for: waitHelm.
	Kind string `json:"Kind"`
	// Deadline is when the wait fails (RFC 3339).
	Deadline time.Time `json:"Deadline"`
	// Timeout is the resource's Timeout, for messages.
	Timeout string `json:"Timeout"`
	// Revision is the Helm revision whose resources must become ready.
	Revision int `json:"Revision,omitempty"`
	// Atomic rolls the release back when the wait fails.
	Atomic bool `json:"Atomic,omitempty"`
}

const waitHelm = "helm"

func (w longWait) extra() map[string]any { return map[string]any{waitField: w} }

// waitOf reads the wait of an isComplete request, if any.
func waitOf(r provider.IsCompleteRequest) (longWait, bool, error) {
	raw, ok := r.Extra[waitField]
	if !ok || raw == nil {
		return longWait{}, false, nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return longWait{}, false, err
	}
	var w longWait
	if err := json.Unmarshal(b, &w); err != nil {
		return longWait{}, false, fmt.Errorf("malformed %s in the waiter input: %w", waitField, err)
	}
	return w, true, nil
}

// IsComplete reports whether an operation OnEvent started is done. Most
// operations finish within OnEvent and are complete at once; a Helm install
// or upgrade with Wait whose Timeout is longer than one invocation can hold
// (and a handler with LongOperations) is polled here — in process, then by
// the waiter — until its resources are ready (SUCCESS), or its deadline
// passes (FAILED, with the resources still not ready named, and the
// revision failed or, with Atomic, rolled back).
func (h *Handler) IsComplete(ctx context.Context, r provider.IsCompleteRequest) (provider.IsCompleteResult, error) {
	w, ok, err := waitOf(r)
	if err != nil || !ok {
		return provider.IsCompleteResult{IsComplete: err == nil}, err
	}
	switch w.Kind {
	case waitHelm:
		return h.helmIsComplete(ctx, r, w)
	}
	return provider.IsCompleteResult{}, fmt.Errorf("unknown wait %q in the waiter input", w.Kind)
}

// notReady returns a description of each object of objs that is not ready
// (kstatus "Current", as Helm's own wait), or nil when all are.
func notReady(ctx context.Context, c *apply.Client, objs []*unstructured.Unstructured) ([]string, error) {
	var pending []string
	for _, u := range objs {
		live, err := c.Get(ctx, u)
		if apierrors.IsNotFound(err) {
			pending = append(pending, apply.Describe(u)+": not found")
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("unable to read %s: %w", apply.Describe(u), err)
		}
		res, err := status.Compute(live)
		if err != nil {
			return nil, fmt.Errorf("unable to compute the status of %s: %w", apply.Describe(u), err)
		}
		if res.Status != status.CurrentStatus {
			msg := apply.Describe(live) + ": " + string(res.Status)
			if res.Message != "" {
				msg += " (" + res.Message + ")"
			}
			pending = append(pending, msg)
		}
	}
	return pending, nil
}

// summarize lists at most a few not-ready objects, for a Reason that fits
// CloudFormation's answer.
func summarize(pending []string) string {
	const most = 5
	if len(pending) <= most {
		return strings.Join(pending, "; ")
	}
	return strings.Join(pending[:most], "; ") + fmt.Sprintf("; and %d more", len(pending)-most)
}

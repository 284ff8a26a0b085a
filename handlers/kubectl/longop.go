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
	// Kind is what is waited for: waitHelm, waitValue or waitDelete.
	Kind string `json:"Kind"`
	// Deadline is when the wait fails (RFC 3339).
	Deadline time.Time `json:"Deadline"`
	// Timeout is the resource's Timeout, for messages.
	Timeout string `json:"Timeout"`
	// Revision is the Helm revision whose resources must become ready.
	Revision int `json:"Revision,omitempty"`
	// Atomic rolls the release back when the wait fails.
	Atomic bool `json:"Atomic,omitempty"`
	// Deleting are the cloud-backed objects whose deletion a Delete
	// started (see [deletingRef]), waited for until they and their cloud
	// resources are gone.
	Deleting []map[string]any `json:"Deleting,omitempty"`
}

// Kinds of long operations.
const (
	// waitHelm waits for a Helm revision's resources to be ready.
	waitHelm = "helm"
	// waitValue waits for an object value to be set.
	waitValue = "value"
	// waitDelete waits for the cloud-backed objects of a Delete, then
	// finishes the Delete.
	waitDelete = "delete"
)

// invocationMargin is the time kept back from an invocation's life when
// deciding whether an operation fits in it, to answer CloudFormation and
// recover.
const invocationMargin = 30 * time.Second

// longer reports whether an operation of total may continue past this
// invocation: the handler hands such operations to a waiter
// (LongOperations), and what is left of the invocation, less
// invocationMargin, cannot hold total. Within an operation IsComplete
// finishes (ctx marked by finishing), never.
func (h *Handler) longer(ctx context.Context, total time.Duration) bool {
	if !h.LongOperations || ctx.Value(finishingKey{}) != nil {
		return false
	}
	dl, ok := ctx.Deadline()
	return ok && total > time.Until(dl)-invocationMargin
}

// finishingKey marks the context of an operation's last step, run by
// IsComplete, which must not start another long wait.
type finishingKey struct{}

func finishing(ctx context.Context) context.Context {
	return context.WithValue(ctx, finishingKey{}, true)
}

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
// operations finish within OnEvent and are complete at once. With
// LongOperations, an operation whose timeout is longer than one invocation
// can hold is polled here — in process, then by the waiter — until it is
// done or its deadline passes:
//   - a Helm install or upgrade with Wait, until the revision's resources
//     are ready (SUCCESS), or FAILED with the resources still not ready
//     named, and the revision failed or, with Atomic, rolled back;
//   - an object value, until it is set (SUCCESS with it), or FAILED as
//     within one invocation;
//   - a Delete (of a manifest with DeleteTimeout, or a Helm release with
//     Timeout) whose cloud-backed objects are being deleted, until they
//     and their load balancers and volumes are gone — then the Delete
//     finishes as within one invocation — or FAILED naming what is left.
func (h *Handler) IsComplete(ctx context.Context, r provider.IsCompleteRequest) (provider.IsCompleteResult, error) {
	w, ok, err := waitOf(r)
	if err != nil || !ok {
		return provider.IsCompleteResult{IsComplete: err == nil}, err
	}
	switch w.Kind {
	case waitHelm:
		return h.helmIsComplete(ctx, r, w)
	case waitValue:
		return h.valueIsComplete(ctx, r, w)
	case waitDelete:
		return h.deleteIsComplete(ctx, r, w)
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

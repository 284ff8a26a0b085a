package kubectl

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/provider"
)

// startLongDelete begins a Delete that may outlive this invocation: when
// total (the resource's DeleteTimeout, or a chart's Timeout) is longer
// than the invocation can hold (see [Handler.longer]) and objs hold
// cloud-backed objects (see [apply.CloudBacked]), their deletions are sent
// and the result hands the wait to IsComplete (see
// [Handler.deleteIsComplete]), which finishes the Delete once they are
// gone. started is false when the Delete is to run as usual, within this
// invocation.
func (h *Handler) startLongDelete(ctx context.Context, cl *cluster, id string, objs []*unstructured.Unstructured, start time.Time, total time.Duration, opts ...apply.DeleteOption) (res provider.OnEventResult, started bool, err error) {
	if !h.longer(ctx, total) || !slices.ContainsFunc(objs, apply.CloudBacked) {
		return provider.OnEventResult{}, false, nil
	}
	waiting, _, err := cl.apply.StartCloudDeletes(ctx, objs, opts...)
	if err != nil {
		return provider.OnEventResult{}, true, err
	}
	if len(waiting) == 0 {
		return provider.OnEventResult{}, false, nil
	}
	w := longWait{Kind: waitDelete, Deadline: start.Add(total), Timeout: total.String()}
	names := make([]string, 0, len(waiting))
	for _, u := range waiting {
		w.Deleting = append(w.Deleting, deletingRef(u))
		names = append(names, apply.Describe(u))
	}
	slog.InfoContext(ctx, "waiting for the cloud-backed objects to be deleted past this invocation", "objects", names, "deadline", w.Deadline)
	return provider.OnEventResult{PhysicalResourceId: id, Extra: w.extra()}, true, nil
}

// deletingRef is what the waiter's input keeps of a cloud-backed object
// being deleted: what finds it, and its load balancers or volume.
func deletingRef(u *unstructured.Unstructured) map[string]any {
	md := map[string]any{"name": u.GetName()}
	if ns := u.GetNamespace(); ns != "" {
		md["namespace"] = ns
	}
	if uid := u.GetUID(); uid != "" {
		md["uid"] = string(uid)
	}
	if g := u.GetAnnotations()[annIngressGroup]; g != "" {
		md["annotations"] = map[string]any{annIngressGroup: g}
	}
	return map[string]any{"apiVersion": u.GetAPIVersion(), "kind": u.GetKind(), "metadata": md}
}

// deleteIsComplete checks once the cloud-backed objects a long Delete is
// deleting: while any of them, or of their load balancers or volumes, is
// left, the Delete is not complete (or, past its deadline, FAILED naming
// what is left); once all are gone, the Delete runs as within one
// invocation — it finds them gone and deletes the rest (the controllers
// that deleted them last), or uninstalls the Helm release.
func (h *Handler) deleteIsComplete(ctx context.Context, req provider.IsCompleteRequest, w longWait) (provider.IsCompleteResult, error) {
	p := props(req.ResourceProperties)
	cl, err := h.connect(ctx, p)
	if err != nil {
		return provider.IsCompleteResult{}, err
	}
	var left []string
	for _, m := range w.Deleting {
		u := &unstructured.Unstructured{Object: m}
		desc, err := cl.apply.Deleting(ctx, u)
		if err != nil {
			return provider.IsCompleteResult{}, err
		}
		if desc != "" {
			left = append(left, desc)
			continue
		}
		rest, err := h.cloudResourcesLeft(ctx, p.str("ClusterName"), cl.cs, u)
		if err != nil {
			return provider.IsCompleteResult{}, err
		}
		left = append(left, rest...)
	}
	if len(left) > 0 {
		if h.now().Before(w.Deadline) {
			slog.InfoContext(ctx, "cloud-backed objects still being deleted", "left", left, "deadline", w.Deadline)
			return provider.IsCompleteResult{}, nil
		}
		return provider.IsCompleteResult{}, fmt.Errorf("not deleted after the Delete's timeout of %s: %s; their controllers (the AWS Load Balancer Controller, the CSI driver) delete them: check that they run and can reach AWS",
			w.Timeout, summarize(left))
	}
	slog.InfoContext(ctx, "the cloud-backed objects are gone: deleting the rest")
	if _, err := h.OnEvent(finishing(ctx), req.Event); err != nil {
		return provider.IsCompleteResult{}, err
	}
	return provider.IsCompleteResult{IsComplete: true}, nil
}

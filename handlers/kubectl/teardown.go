package kubectl

import (
	"context"
	"fmt"
	"log/slog"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/provider"
)

// deleteUnreadable is the Delete of a manifest whose objects cannot be
// read (its S3 asset is gone, or its property is unreadable): rather than
// fail the Delete, and block the stack's deletion on something no retry
// can fix, it deletes the objects carrying the resource's PruneLabel,
// whatever their kind, and succeeds with a warning in the log. Without a
// PruneLabel nothing identifies the objects: they are left, and the
// warning names them as such.
//
// Only objects the resource still owns and no other resource of the stack
// declares are deleted (see [Handler.ownedGuard]): the label is also on
// objects another resource has taken over since.
func (h *Handler) deleteUnreadable(ctx context.Context, e provider.Event, p props, id string, decl *stackObjects, readErr error) (provider.OnEventResult, error) {
	label := p.str("PruneLabel")
	cl, err := h.connect(ctx, p)
	if err != nil {
		return provider.OnEventResult{}, err
	}
	me := ownerOf(e, p)
	if h.staleEvent(ctx, cl, eventRef{stack: e.StackId, id: id, request: e.RequestId, live: liveFor(e, me, id)}) {
		return provider.OnEventResult{PhysicalResourceId: id}, nil
	}
	if label == "" {
		// The ledger records the resource as deleted: a resource that took
		// one of its objects over then deletes it at its own Delete
		// instead of giving it back to a resource that no longer exists.
		slog.WarnContext(ctx, "the manifest cannot be read and has no PruneLabel: its objects cannot be found and are left in the cluster; deleting the resource anyway",
			"error", readErr)
		return provider.OnEventResult{PhysicalResourceId: id}, nil
	}
	objs, err := cl.apply.Labelled(ctx, label)
	if err != nil {
		return provider.OnEventResult{}, fmt.Errorf("the manifest cannot be read (%v), and finding its objects by the label %s failed: %w", readErr, label, err)
	}
	slog.WarnContext(ctx, "the manifest cannot be read: deleting the objects found by its prune label instead",
		"error", readErr, "label", label, "objects", len(objs))
	if err := cl.apply.Delete(ctx, objs, h.ownedGuard(ctx, cl, me, oldOwners(e), decl, nil)); err != nil {
		return provider.OnEventResult{}, err
	}
	return provider.OnEventResult{PhysicalResourceId: id}, nil
}

// pruneUnreadable is the prune of an Update whose previous manifest cannot
// be read: every object carrying label that the new manifest does not
// contain is deleted, whatever its kind, when guard lets it (the objects
// the resource still owns and no other resource of the stack declares);
// the new manifest is already applied.
func pruneUnreadable(ctx context.Context, c *apply.Client, cur []*unstructured.Unstructured, label string, guard apply.DeleteOption, readErr error) error {
	slog.WarnContext(ctx, "the previous manifest cannot be read: pruning by its label instead", "error", readErr, "label", label)
	n, err := c.PruneLabelled(ctx, cur, label, guard)
	if err != nil {
		return fmt.Errorf("the previous manifest cannot be read (%v), and pruning by the label %s failed: %w", readErr, label, err)
	}
	slog.InfoContext(ctx, "pruned by label", "label", label, "candidates", n)
	return nil
}

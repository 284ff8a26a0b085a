package kubectl

import (
	"context"
	"log/slog"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
)

// ledgerNamespace holds the ledgers of events.
const ledgerNamespace = "kube-system"

// ledgerKeep is how many events of a resource a ledger remembers.
const ledgerKeep = 20

// ledgerName is the ConfigMap that records, per resource of a stack, the
// RequestIds of the events the handler ran, oldest first.
func ledgerName(stackID string) string { return "eksforge-events-" + shortHash(stackID) }

// staleEvent records e as run for the resource with physical ID id and
// reports whether a later event of that resource already ran: e is then a
// late replay (Lambda retrying an invocation the deadline guard answered),
// and running it again would undo the later event (prune what it
// re-created). A ledger that cannot be read or written is logged, not
// fatal: the event then runs.
func (h *Handler) staleEvent(ctx context.Context, cl *cluster, e eventRef) bool {
	key := shortHash16(e.id)
	stale := false
	err := retry.OnError(retry.DefaultBackoff, func(err error) bool {
		return apierrors.IsConflict(err) || apierrors.IsAlreadyExists(err)
	}, func() error {
		cms := cl.cs.CoreV1().ConfigMaps(ledgerNamespace)
		cm, err := cms.Get(ctx, ledgerName(e.stack), metav1.GetOptions{})
		create := apierrors.IsNotFound(err)
		if err != nil && !create {
			return err
		}
		if create {
			cm = &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ledgerNamespace, Name: ledgerName(e.stack),
				Labels: map[string]string{"app.kubernetes.io/managed-by": "eksforge"}}}
		}
		seen := strings.Fields(cm.Data[key])
		if i := slices.Index(seen, e.request); i >= 0 {
			stale = i < len(seen)-1
			return nil
		}
		seen = append(seen, e.request)
		if len(seen) > ledgerKeep {
			seen = seen[len(seen)-ledgerKeep:]
		}
		if cm.Data == nil {
			cm.Data = map[string]string{}
		}
		cm.Data[key] = strings.Join(seen, " ")
		if create {
			_, err = cms.Create(ctx, cm, metav1.CreateOptions{FieldManager: "eksforge"})
		} else {
			_, err = cms.Update(ctx, cm, metav1.UpdateOptions{FieldManager: "eksforge"})
		}
		return err
	})
	if err != nil {
		slog.WarnContext(ctx, "unable to record the event in the ledger; running it", "ledger", ledgerNamespace+"/"+ledgerName(e.stack), "error", err)
		return false
	}
	if stale {
		slog.WarnContext(ctx, "a late replay of an event: a later event of this resource already ran; doing nothing",
			"resource", e.id, "request", e.request)
	}
	return stale
}

// eventRef names an event in a ledger.
type eventRef struct {
	stack, id, request string
}

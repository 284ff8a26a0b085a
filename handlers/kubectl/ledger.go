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

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/provider"
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
			if stale || !e.live.changes(cm.Data) {
				return nil
			}
		} else {
			seen = append(seen, e.request)
			if len(seen) > ledgerKeep {
				seen = seen[len(seen)-ledgerKeep:]
			}
		}
		if cm.Data == nil {
			cm.Data = map[string]string{}
		}
		cm.Data[key] = strings.Join(seen, " ")
		e.live.record(cm.Data)
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
	// live is what the event does to its owner's live physical IDs.
	live liveChange
}

// liveChange records which physical IDs of an owning resource exist: the
// ledger keeps, per owner mark (key "owner-" + 16 hex of sha256(mark)),
// the 16-hex hashes of its physical IDs that were created or updated and
// not deleted since. An owner whose entry is present and empty was
// deleted: its Delete ran, whether or not it could read its objects. An
// owner with no entry is unknown (created before the ledger recorded
// owners) and counts as live.
type liveChange struct {
	owner string   // the owner mark; "" records nothing
	add   []string // physical IDs that exist after the event
	drop  string   // a physical ID the event deletes
}

func ownerLedgerKey(mark string) string { return "owner-" + shortHash16(mark) }

// apply returns the owner's live set after the change, from data.
func (l liveChange) apply(data map[string]string) []string {
	ids := strings.Fields(data[ownerLedgerKey(l.owner)])
	for _, id := range l.add {
		if h := shortHash16(id); id != "" && !slices.Contains(ids, h) {
			ids = append(ids, h)
		}
	}
	if l.drop != "" {
		ids = slices.DeleteFunc(ids, func(h string) bool { return h == shortHash16(l.drop) })
	}
	return ids
}

// changes reports whether recording l changes data (a redelivered event
// whose first delivery did not get to record it).
func (l liveChange) changes(data map[string]string) bool {
	if l.owner == "" {
		return false
	}
	cur, ok := data[ownerLedgerKey(l.owner)]
	return !ok || strings.Join(l.apply(data), " ") != cur
}

func (l liveChange) record(data map[string]string) {
	if l.owner != "" {
		data[ownerLedgerKey(l.owner)] = strings.Join(l.apply(data), " ")
	}
}

// liveFor is the change an event of the owner me makes: a Delete drops
// the physical ID it deletes, a Create or Update adds its own and, for a
// replacement, keeps the one it replaces (that one's Delete comes at
// cleanup, or never if the deployment rolls back).
func liveFor(e provider.Event, me owner, id string) liveChange {
	if e.RequestType == cfnresponse.Delete {
		return liveChange{owner: me.id, drop: id}
	}
	return liveChange{owner: me.id, add: []string{id, e.PhysicalResourceId}}
}

// ownerGone reports whether the ledger of the stack records the owner
// with mark as deleted (see [liveChange]). A ledger that cannot be read
// says no: an object is then left rather than deleted.
func (h *Handler) ownerGone(ctx context.Context, cl *cluster, mark string) bool {
	return h.ownerHashGone(ctx, cl, stackOfMark(mark), shortHash16(mark))
}

// ownerHashGone is [Handler.ownerGone] for the owner whose mark has the
// 16-hex hash mark in the stack whose 8-hex hash is stack.
func (h *Handler) ownerHashGone(ctx context.Context, cl *cluster, stack, mark string) bool {
	cm, err := cl.cs.CoreV1().ConfigMaps(ledgerNamespace).Get(ctx, "eksforge-events-"+stack, metav1.GetOptions{})
	if err != nil {
		if !apierrors.IsNotFound(err) {
			slog.WarnContext(ctx, "unable to read the ledger; counting the former owner as live", "owner", mark, "error", err)
		}
		return false
	}
	ids, ok := cm.Data["owner-"+mark]
	return ok && strings.TrimSpace(ids) == ""
}

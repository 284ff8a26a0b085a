package helm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/kube"
	rcommon "helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	"helm.sh/helm/v4/pkg/storage/driver"
)

// OwnerLabel is the label of a release's storage records (and of
// [release.Release.Labels]) naming the custom resource that owns it.
const OwnerLabel = "eksforge.io/owner"

// PreviousOwnerLabel is the label naming the owner a release was taken
// over from (see [Release.PreviousOwner]), until that owner lets go of it.
const PreviousOwnerLabel = "eksforge.io/previous-owner"

func (r Release) labels() map[string]string {
	if r.Owner == "" {
		return nil
	}
	l := map[string]string{OwnerLabel: r.Owner}
	if r.PreviousOwner != "" {
		l[PreviousOwnerLabel] = r.PreviousOwner
	}
	return l
}

// Ownership is who holds a release, from its last revision.
type Ownership struct {
	// Exists is false when there is no release of that name.
	Exists bool
	// Owner is its OwnerLabel ("" for none).
	Owner string
	// Previous is its PreviousOwnerLabel ("" for none).
	Previous string
	// Revision is the last revision.
	Revision int
}

// Owner returns who holds a release (see [Ownership]).
func (c *Client) Owner(name, namespace string) (Ownership, error) {
	cfg, err := c.Config(nsOrDefault(namespace))
	if err != nil {
		return Ownership{}, err
	}
	rel, err := lastRelease(cfg, name)
	if err != nil || rel == nil {
		return Ownership{}, err
	}
	return Ownership{Exists: true, Owner: rel.Labels[OwnerLabel], Previous: rel.Labels[PreviousOwnerLabel], Revision: rel.Version}, nil
}

func nsOrDefault(ns string) string {
	if ns == "" {
		return "default"
	}
	return ns
}

// lastRelease is the last revision of a release (nil when there is none).
func lastRelease(cfg *action.Configuration, name string) (*release.Release, error) {
	last, err := cfg.Releases.Last(name)
	if errors.Is(err, driver.ErrReleaseNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("unable to read Helm release %s: %w", name, err)
	}
	rel, ok := last.(*release.Release)
	if !ok {
		return nil, fmt.Errorf("unable to read Helm release %s: unexpected record %T", name, last)
	}
	return rel, nil
}

// Relabel sets the owner labels of the release's last revision (a nil
// value removes one) in its storage record, without a new revision: how
// a resource lets go of a release it was the previous owner of.
func (c *Client) Relabel(name, namespace string, labels map[string]*string) error {
	cfg, err := c.Config(nsOrDefault(namespace))
	if err != nil {
		return err
	}
	rel, err := lastRelease(cfg, name)
	if err != nil || rel == nil {
		return err
	}
	if rel.Labels == nil {
		rel.Labels = map[string]string{}
	}
	for k, v := range labels {
		if v == nil {
			delete(rel.Labels, k)
		} else {
			rel.Labels[k] = *v
		}
	}
	if err := cfg.Releases.Update(rel); err != nil {
		return fmt.Errorf("unable to record the owner of Helm release %s/%s: %w", nsOrDefault(namespace), name, err)
	}
	return nil
}

// GiveBack hands a release taken over from the owner to back to it: the
// release is rolled back to the last revision that owner made (its chart,
// values and objects, as that owner left them), recorded as owned by it.
// Without such a revision in the history (kept: 10), only the owner
// labels change. It reports whether it rolled back.
func (c *Client) GiveBack(ctx context.Context, name, namespace, to string, timeout time.Duration) (bool, error) {
	ns := nsOrDefault(namespace)
	cfg, err := c.Config(ns)
	if err != nil {
		return false, err
	}
	last, err := lastRelease(cfg, name)
	if err != nil || last == nil {
		return false, err
	}
	hist, err := cfg.Releases.History(name)
	if err != nil {
		return false, fmt.Errorf("unable to read the history of Helm release %s/%s: %w", ns, name, err)
	}
	target := 0
	for _, x := range hist {
		if v, ok := x.(*release.Release); ok && v.Version < last.Version && v.Labels[OwnerLabel] == to && v.Info != nil &&
			(v.Info.Status == rcommon.StatusDeployed || v.Info.Status == rcommon.StatusSuperseded) && v.Version > target {
			target = v.Version
		}
	}
	rolled := false
	if target > 0 {
		rb := action.NewRollback(cfg)
		rb.Version = target
		rb.WaitStrategy = kube.HookOnlyStrategy
		rb.Timeout = timeout
		rb.MaxHistory = 10
		rb.Description = "given back to its former owner by eksforge"
		if err := rb.Run(name); err != nil {
			return false, fmt.Errorf("unable to give Helm release %s/%s back to its former owner (rollback to revision %d): %w", ns, name, target, err)
		}
		rolled = true
		slog.InfoContext(ctx, "gave a Helm release back to its former owner", "release", ns+"/"+name, "revision", target, "owner", to)
	} else {
		slog.WarnContext(ctx, "no revision of the former owner left in the history: giving the Helm release back as it is", "release", ns+"/"+name, "owner", to)
	}
	return rolled, c.Relabel(name, namespace, map[string]*string{OwnerLabel: &to, PreviousOwnerLabel: nil})
}

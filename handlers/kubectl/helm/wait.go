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

// ErrSuperseded reports that the revision being waited for is no longer the
// release's last one (a later install, upgrade or rollback replaced it).
var ErrSuperseded = errors.New("the revision is no longer the release's last")

// RevisionManifest returns the rendered manifest of a release's revision,
// which must still be the release's last one ([ErrSuperseded] otherwise).
// This is what a long wait polls for readiness, invocation after
// invocation, instead of Helm's own in-process wait.
func (c *Client) RevisionManifest(name, namespace string, revision int) (string, error) {
	cfg, err := c.Config(defaultNS(namespace))
	if err != nil {
		return "", err
	}
	last, err := cfg.Releases.Last(name)
	if errors.Is(err, driver.ErrReleaseNotFound) {
		return "", fmt.Errorf("the Helm release %s/%s is gone: %w", defaultNS(namespace), name, ErrSuperseded)
	}
	if err != nil {
		return "", fmt.Errorf("unable to read Helm release %s/%s: %w", defaultNS(namespace), name, err)
	}
	rel, ok := last.(*release.Release)
	if !ok {
		return "", fmt.Errorf("unable to read Helm release %s/%s: unexpected record %T", defaultNS(namespace), name, last)
	}
	if rel.Version != revision {
		return "", fmt.Errorf("the Helm release %s/%s is at revision %d, not %d: %w", defaultNS(namespace), name, rel.Version, revision, ErrSuperseded)
	}
	return rel.Manifest, nil
}

// FailRevision ends a wait that ran out of time as Helm's own wait would:
// the revision is marked failed with reason, and with rollback (Atomic) the
// release is rolled back to its last deployed revision, or uninstalled when
// it never deployed.
func (c *Client) FailRevision(ctx context.Context, name, namespace string, revision int, reason string, rollback bool, timeout time.Duration) error {
	cfg, err := c.Config(defaultNS(namespace))
	if err != nil {
		return err
	}
	got, err := cfg.Releases.Get(name, revision)
	if err != nil {
		return fmt.Errorf("unable to read revision %d of Helm release %s: %w", revision, name, err)
	}
	rel, ok := got.(*release.Release)
	if !ok || rel.Info == nil {
		return fmt.Errorf("unable to read revision %d of Helm release %s", revision, name)
	}
	rel.Info.Status = rcommon.StatusFailed
	rel.Info.Description = reason
	if err := cfg.Releases.Update(rel); err != nil {
		return fmt.Errorf("unable to mark revision %d of Helm release %s failed: %w", revision, name, err)
	}
	if !rollback {
		return nil
	}
	deployed, err := lastDeployed(cfg, name, revision)
	if err != nil {
		return err
	}
	slog.WarnContext(ctx, "rolling back a Helm release whose wait failed (Atomic)", "release", name, "revision", revision, "to", deployed)
	if deployed == 0 {
		un := action.NewUninstall(cfg)
		un.Timeout = timeout
		un.WaitStrategy = kube.HookOnlyStrategy
		un.IgnoreNotFound = true
		if _, err := un.Run(name); err != nil {
			return fmt.Errorf("unable to uninstall Helm release %s after its wait failed: %w", name, err)
		}
		return nil
	}
	rb := action.NewRollback(cfg)
	rb.Version = deployed
	rb.Timeout = timeout
	rb.WaitStrategy = kube.HookOnlyStrategy
	rb.ServerSideApply = "auto"
	if err := rb.Run(name); err != nil {
		return fmt.Errorf("unable to roll Helm release %s back to revision %d after its wait failed: %w", name, deployed, err)
	}
	return nil
}

// lastDeployed is the latest revision other than skip that was deployed
// (deployed or superseded), or 0.
func lastDeployed(cfg *action.Configuration, name string, skip int) (int, error) {
	hist, err := cfg.Releases.History(name)
	if err != nil {
		return 0, fmt.Errorf("unable to read the history of Helm release %s: %w", name, err)
	}
	deployed := 0
	for _, x := range hist {
		if v, ok := x.(*release.Release); ok && v.Version != skip && v.Info != nil &&
			(v.Info.Status == rcommon.StatusDeployed || v.Info.Status == rcommon.StatusSuperseded) && v.Version > deployed {
			deployed = v.Version
		}
	}
	return deployed, nil
}

func defaultNS(ns string) string {
	if ns == "" {
		return "default"
	}
	return ns
}

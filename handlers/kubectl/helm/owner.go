package helm

import (
	"errors"
	"fmt"

	release "helm.sh/helm/v4/pkg/release/v1"
	"helm.sh/helm/v4/pkg/storage/driver"
)

// OwnerLabel is the label of a release's storage records (and of
// [release.Release.Labels]) naming the custom resource that owns it.
const OwnerLabel = "eksforge.io/owner"

func (r Release) labels() map[string]string {
	if r.Owner == "" {
		return nil
	}
	return map[string]string{OwnerLabel: r.Owner}
}

// Owner returns the owner recorded on the last revision of a release ("" for
// none), and whether the release exists.
func (c *Client) Owner(name, namespace string) (string, bool, error) {
	if namespace == "" {
		namespace = "default"
	}
	cfg, err := c.Config(namespace)
	if err != nil {
		return "", false, err
	}
	last, err := cfg.Releases.Last(name)
	if errors.Is(err, driver.ErrReleaseNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("unable to read Helm release %s/%s: %w", namespace, name, err)
	}
	rel, ok := last.(*release.Release)
	if !ok {
		return "", true, nil
	}
	return rel.Labels[OwnerLabel], true, nil
}

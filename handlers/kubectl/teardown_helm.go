//go:build !nohelm

package kubectl

import (
	"context"
	"fmt"
	"log/slog"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/kubectl/helm"
)

// helmCloudObjects returns the cloud-backed objects of a Helm release
// (see [apply.CloudBacked]), from its stored manifest; none when it has no
// manifest, or one that cannot be parsed (logged).
func helmCloudObjects(ctx context.Context, c *helm.Client, r helm.Release) ([]*unstructured.Unstructured, error) {
	m, err := c.Manifest(r.Name, r.Namespace)
	if err != nil || m == "" {
		return nil, err
	}
	objs, err := apply.Parse([]byte(m))
	if err != nil {
		slog.WarnContext(ctx, "the Helm release's manifest cannot be parsed: uninstalling without deleting its load balancers first", "release", r.Name, "error", err)
		return nil, nil
	}
	var cloud []*unstructured.Unstructured
	for _, u := range objs {
		if apply.CloudBacked(u) {
			if u.GetNamespace() == "" {
				u.SetNamespace(r.Namespace)
			}
			cloud = append(cloud, u)
		}
	}
	return cloud, nil
}

// helmCloudFirst deletes the cloud-backed objects of a Helm release (see
// [apply.CloudBacked]) and waits for them and their load balancers, before
// the release is uninstalled: Helm's own uninstall deletes in its order
// and waits for nothing, which would let the chart's controller go before
// it deleted the load balancers.
func (h *Handler) helmCloudFirst(ctx context.Context, p props, c *helm.Client, r helm.Release) error {
	cloud, err := helmCloudObjects(ctx, c, r)
	if err != nil || len(cloud) == 0 {
		return err
	}
	cl, err := h.connect(ctx, p)
	if err != nil {
		return err
	}
	if err := cl.apply.Delete(ctx, cloud); err != nil {
		return fmt.Errorf("unable to delete the load balancers of Helm release %s/%s before uninstalling it: %w", r.Namespace, r.Name, err)
	}
	return nil
}

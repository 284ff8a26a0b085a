//go:build !nohelm

package kubectl

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl/helm"
	"github.com/eksforge/eksforge/handlers/provider"
)

// helmMargin is the time kept back from the Lambda's life when bounding a
// Helm timeout, to answer CloudFormation and recover.
const helmMargin = 30 * time.Second

func (h *Handler) helmRelease(ctx context.Context, p props) (helm.Release, error) {
	name, err := p.required("Release")
	if err != nil {
		return helm.Release{}, err
	}
	r := helm.Release{
		Name:            name,
		Namespace:       normNS(p.str("Namespace")),
		Chart:           p.str("Chart"),
		Repository:      p.str("Repository"),
		Version:         p.str("Version"),
		CreateNamespace: p.bool("CreateNamespace"),
		Wait:            p.bool("Wait"),
		Atomic:          p.bool("Atomic"),
		SkipCRDs:        p.bool("SkipCrds"),
	}
	if r.Timeout, err = p.duration("Timeout"); err != nil {
		return r, err
	}
	if dl, ok := ctx.Deadline(); ok {
		left := time.Until(dl) - helmMargin
		if r.Timeout <= 0 || r.Timeout > left {
			r.Timeout = max(left, 10*time.Second)
		}
	}
	if _, err := p.decode("Values", &r.Values); err != nil {
		return r, err
	}
	return r, nil
}

func (h *Handler) helmClient(ctx context.Context, p props) (*helm.Client, error) {
	cl, err := h.connect(ctx, p)
	if err != nil {
		return nil, err
	}
	return &helm.Client{Rest: cl.rest, AWS: h.AWS, HTTPClient: h.HTTPClient, PlainHTTP: h.HelmPlainHTTP}, nil
}

func (h *Handler) helmChart(ctx context.Context, e provider.Event) (provider.OnEventResult, error) {
	id, _ := physicalIDFor(kindHelm, e)
	p := props(e.ResourceProperties)
	r, err := h.helmRelease(ctx, p)
	if err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	c, err := h.helmClient(ctx, p)
	if err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	me := ownerOf(e, p)
	r.Owner = me.releaseLabel()
	if e.RequestType == cfnresponse.Delete {
		if mark, exists, err := c.Owner(r.Name, r.Namespace); err != nil {
			return provider.OnEventResult{}, err
		} else if exists && mark != "" && mark != r.Owner {
			slog.InfoContext(ctx, "not uninstalling a Helm release another resource owns now", "release", r.Namespace+"/"+r.Name, "owner", mark)
			return provider.OnEventResult{PhysicalResourceId: id}, nil
		}
		if err := h.helmCloudFirst(ctx, p, c, r); err != nil {
			return provider.OnEventResult{}, err
		}
		if err := c.Uninstall(ctx, r.Name, r.Namespace, r.Timeout); err != nil {
			return provider.OnEventResult{}, err
		}
		return provider.OnEventResult{PhysicalResourceId: id}, nil
	}
	var a asset
	if ok, err := p.decode("ChartAsset", &a); err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	} else if ok {
		if r.ChartArchive, err = h.fetchAsset(ctx, a); err != nil {
			return provider.OnEventResult{PhysicalResourceId: existingID(e)}, fmt.Errorf("unable to read the chart of Helm release %s: %w", r.Name, err)
		}
	}
	rev, err := c.Upgrade(ctx, r)
	if err != nil {
		// Keep the ID: a release may exist in some state, and the rollback
		// Delete must reach it to uninstall it.
		return provider.OnEventResult{PhysicalResourceId: id}, err
	}
	return provider.OnEventResult{PhysicalResourceId: id, Data: map[string]any{"Revision": strconv.Itoa(rev)}}, nil
}

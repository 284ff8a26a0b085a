//go:build !nohelm

package kubectl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl/apply"
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
	start := h.now()
	id, _ := physicalIDFor(kindHelm, e)
	p := props(e.ResourceProperties)
	r, err := h.helmRelease(ctx, p)
	if err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	var long *longWait
	if full, _ := p.duration("Timeout"); e.RequestType != cfnresponse.Delete && r.Wait && h.LongOperations && full > r.Timeout {
		// Longer than this invocation can wait: apply now (hooks bounded
		// by the invocation), and let IsComplete wait for readiness,
		// invocation after invocation, until start + Timeout.
		long = &longWait{Kind: waitHelm, Deadline: start.Add(full), Timeout: full.String(), Atomic: r.Atomic}
		// Helm's rollback-on-failure implies its own wait: the rollback
		// is IsComplete's when the deadline passes.
		r.Wait, r.Atomic = false, false
	}
	c, err := h.helmClient(ctx, p)
	if err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	me, ours := ownerOf(e, p), oldOwners(e)
	r.Owner = me.releaseLabel()
	decl, err := stackObjectsOf(e, p)
	if err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	cl, err := h.connect(ctx, p)
	if err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	if h.staleEvent(ctx, cl, eventRef{stack: e.StackId, id: id, request: e.RequestId, live: liveFor(e, me, id)}) {
		// A late replay: a replayed Update must not upgrade the release
		// back to old values, nor a replayed Delete uninstall a release
		// re-created since.
		return provider.OnEventResult{PhysicalResourceId: id}, nil
	}
	if e.RequestType == cfnresponse.Delete {
		uninstall, err := h.releaseIsOurs(ctx, cl, c, r, me, ours, decl)
		if err != nil || !uninstall {
			return provider.OnEventResult{PhysicalResourceId: id}, err
		}
		if full, _ := p.duration("Timeout"); h.longer(ctx, full) {
			// Longer than this invocation can wait: delete the release's
			// load balancers and volumes now, and let IsComplete wait for
			// them and then uninstall it.
			cloud, err := helmCloudObjects(ctx, c, r)
			if err != nil {
				return provider.OnEventResult{}, err
			}
			if res, started, err := h.startLongDelete(ctx, cl, id, cloud, start, full); started || err != nil {
				return res, err
			}
		}
		if err := h.helmCloudFirst(ctx, p, c, r); err != nil {
			return provider.OnEventResult{}, err
		}
		if err := c.Uninstall(ctx, r.Name, r.Namespace, r.Timeout); err != nil {
			return provider.OnEventResult{}, err
		}
		return provider.OnEventResult{PhysicalResourceId: id}, nil
	}
	held, err := c.Owner(r.Name, r.Namespace)
	if err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	if e.RequestType == cfnresponse.Update && held.Exists && onlyStackObjectsChanged(e) {
		// Another resource of the stack changed what it declares; this
		// chart is as it was: nothing to upgrade.
		return provider.OnEventResult{PhysicalResourceId: id, Data: map[string]any{"Revision": strconv.Itoa(held.Revision)}}, nil
	}
	if held.Exists && held.Owner != "" && !ownsRelease(held.Owner, me, ours) {
		// A takeover (a renamed construct keeping its release name): the
		// former owner is recorded, so that this resource's Delete in a
		// rollback gives the release back instead of uninstalling it.
		r.PreviousOwner = held.Owner
		slog.InfoContext(ctx, "taking a Helm release over from another resource", "release", r.Namespace+"/"+r.Name, "from", held.Owner, "to", r.Owner)
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
	res := provider.OnEventResult{PhysicalResourceId: id, Data: map[string]any{"Revision": strconv.Itoa(rev)}}
	if long != nil {
		long.Revision = rev
		res.Extra = long.extra()
		slog.InfoContext(ctx, "waiting for the Helm release's resources past this invocation", "release", r.Namespace+"/"+r.Name, "revision", rev, "deadline", long.Deadline)
	}
	return res, nil
}

// helmIsComplete polls a Helm revision applied without waiting: complete
// when every object of its manifest is ready; past the deadline, the
// revision is failed (rolled back with Atomic) and the wait fails naming
// the objects still not ready.
func (h *Handler) helmIsComplete(ctx context.Context, req provider.IsCompleteRequest, w longWait) (provider.IsCompleteResult, error) {
	p := props(req.ResourceProperties)
	r, err := h.helmRelease(ctx, p)
	if err != nil {
		return provider.IsCompleteResult{}, err
	}
	c, err := h.helmClient(ctx, p)
	if err != nil {
		return provider.IsCompleteResult{}, err
	}
	m, err := c.RevisionManifest(r.Name, r.Namespace, w.Revision)
	if err != nil {
		return provider.IsCompleteResult{}, fmt.Errorf("unable to wait for Helm release %s/%s: %w", r.Namespace, r.Name, err)
	}
	objs, err := apply.Parse([]byte(m))
	if err != nil {
		return provider.IsCompleteResult{}, fmt.Errorf("unable to read the manifest of Helm release %s/%s revision %d: %w", r.Namespace, r.Name, w.Revision, err)
	}
	for _, u := range objs {
		if u.GetNamespace() == "" {
			u.SetNamespace(r.Namespace) // cluster-scoped kinds drop it
		}
	}
	cl, err := h.connect(ctx, p)
	if err != nil {
		return provider.IsCompleteResult{}, err
	}
	pending, err := notReady(ctx, cl.apply, objs)
	if err != nil {
		return provider.IsCompleteResult{}, err
	}
	if len(pending) == 0 {
		slog.InfoContext(ctx, "the Helm release's resources are ready", "release", r.Namespace+"/"+r.Name, "revision", w.Revision)
		return provider.IsCompleteResult{IsComplete: true}, nil
	}
	if h.now().Before(w.Deadline) {
		slog.InfoContext(ctx, "the Helm release's resources are not ready yet", "release", r.Namespace+"/"+r.Name, "revision", w.Revision, "notReady", len(pending), "deadline", w.Deadline)
		return provider.IsCompleteResult{}, nil
	}
	reason := fmt.Sprintf("Helm release %s/%s revision %d is not ready after its Timeout of %s: %s", r.Namespace, r.Name, w.Revision, w.Timeout, summarize(pending))
	if ferr := c.FailRevision(ctx, r.Name, r.Namespace, w.Revision, "wait failed: "+reason, w.Atomic, r.Timeout); ferr != nil {
		reason += "; " + ferr.Error()
	} else if w.Atomic {
		reason += "; rolled back (Atomic)"
	}
	return provider.IsCompleteResult{}, errors.New(reason)
}

// ownsRelease reports whether the release owner label l is me's (or one
// of ours: the marks this resource had before an Update changed Owner).
func ownsRelease(l string, me owner, ours []string) bool {
	return l == me.releaseLabel() || slices.ContainsFunc(ours, func(m string) bool { return shortHash16(m) == l })
}

// releaseIsOurs settles a chart's Delete: it reports whether to uninstall
// the release, only while it is this resource's (see
// docs/custom-resources.md, Ownership), the
// Helm form of [Handler.ownedGuard]:
//
//   - a release another resource owns now is left; a record that it was
//     taken from this resource goes (this resource has let go);
//   - a release another chart of the stack declares is left — given back
//     to it if it was taken from it;
//   - a release taken over from a resource absent from the template and
//     not recorded as deleted in the stack's ledger is given back to it
//     (rolled back to that owner's last revision): the Delete of a Create
//     rolled back while the renamed-away chart still exists.
func (h *Handler) releaseIsOurs(ctx context.Context, cl *cluster, c *helm.Client, r helm.Release, me owner, ours []string, decl *stackObjects) (bool, error) {
	held, err := c.Owner(r.Name, r.Namespace)
	if err != nil {
		return false, err
	}
	what := r.Namespace + "/" + r.Name
	giveBack := func(to string) (bool, error) {
		_, err := c.GiveBack(ctx, r.Name, r.Namespace, to, r.Timeout)
		return false, err
	}
	if held.Exists && held.Owner != "" && !ownsRelease(held.Owner, me, ours) {
		if held.Previous != "" && ownsRelease(held.Previous, me, ours) {
			if err := c.Relabel(r.Name, r.Namespace, map[string]*string{helm.PreviousOwnerLabel: nil}); err != nil {
				slog.WarnContext(ctx, "unable to record that this resource let go of a Helm release", "release", what, "error", err)
			}
		}
		slog.InfoContext(ctx, "not uninstalling a Helm release another resource owns now", "release", what, "owner", held.Owner)
		return false, nil
	}
	if held.Exists {
		if other := decl.declarerOf(me, ours, ReleaseKeyHash(r.Namespace, r.Name)); other != "" {
			if held.Previous == shortHash16(other) {
				slog.InfoContext(ctx, "giving a Helm release back to the resource it was taken from, which declares it again", "release", what, "owner", other)
				return giveBack(held.Previous)
			}
			slog.InfoContext(ctx, "not uninstalling a Helm release another chart of the stack declares", "release", what, "chart", other)
			return false, nil
		}
		if prev := held.Previous; prev != "" && !ownsRelease(prev, me, ours) && decl != nil && decl.markOfHash(prev) == "" {
			if !h.ownerHashGone(ctx, cl, me.stack, prev) {
				slog.InfoContext(ctx, "giving a Helm release back to the resource it was taken from (a rolled-back Create)", "release", what, "owner", prev)
				return giveBack(prev)
			}
			slog.InfoContext(ctx, "the Helm release's former owner was deleted; uninstalling it", "release", what, "former", prev)
		}
	}
	return true, nil
}

package apply

import (
	"context"
	"fmt"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
)

// Labelled returns every object carrying the label key label, of every
// kind the API server serves that can be listed and deleted, whatever the
// manifest that made it: the way to find a resource's objects when its
// manifest can no longer be read. Objects already being deleted are left
// out. The list is in a likely apply order (Namespaces and
// CustomResourceDefinitions first), for [Client.Delete] to delete in
// reverse, and every object has its apiVersion and kind set.
//
// A group whose discovery fails (an aggregated API whose service is down)
// is skipped: its objects cannot be reached anyway.
func (c *Client) Labelled(ctx context.Context, label string) ([]*unstructured.Unstructured, error) {
	if label == "" {
		return nil, fmt.Errorf("no label to look for")
	}
	c.Reset()
	var lists []*metav1.APIResourceList
	err := c.retry(ctx, func() error {
		var err error
		lists, err = c.Discovery.ServerPreferredResources()
		if err != nil && discovery.IsGroupDiscoveryFailedError(err) {
			return nil
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("unable to list the API server's resource types: %w", err)
	}
	var out []*unstructured.Unstructured
	for _, rl := range lists {
		gv, err := schema.ParseGroupVersion(rl.GroupVersion)
		if err != nil {
			continue
		}
		for _, r := range rl.APIResources {
			if strings.Contains(r.Name, "/") || !slices.Contains(r.Verbs, "list") || !slices.Contains(r.Verbs, "delete") {
				continue
			}
			gvr := gv.WithResource(r.Name)
			var l *unstructured.UnstructuredList
			err := c.retry(ctx, func() error {
				var err error
				l, err = c.Dynamic.Resource(gvr).List(ctx, metav1.ListOptions{LabelSelector: label})
				return err
			})
			if err != nil {
				return nil, fmt.Errorf("unable to list %s labelled %s: %w", gvr.String(), label, err)
			}
			for i := range l.Items {
				u := &l.Items[i]
				if u.GetDeletionTimestamp() != nil {
					continue
				}
				u.SetAPIVersion(gv.String())
				u.SetKind(r.Kind)
				out = append(out, u)
			}
		}
	}
	return likelyApplyOrder(out), nil
}

// likelyApplyOrder returns objs in the order they were likely applied in
// when that order is unknown: Namespaces, then CustomResourceDefinitions,
// then other cluster-scoped objects, then namespaced ones (each kept in its
// given order). [Client.Delete] deletes in reverse, so nothing is deleted
// before what lives in it.
func likelyApplyOrder(objs []*unstructured.Unstructured) []*unstructured.Unstructured {
	rank := func(u *unstructured.Unstructured) int {
		switch {
		case u.GroupVersionKind().Group == "" && u.GetKind() == "Namespace":
			return 0
		case isCRD(u):
			return 1
		case u.GetNamespace() == "":
			return 2
		}
		return 3
	}
	out := slices.Clone(objs)
	slices.SortStableFunc(out, func(a, b *unstructured.Unstructured) int { return rank(a) - rank(b) })
	return out
}

// PruneLabelled deletes every object carrying the label key label, of any
// kind, that cur does not contain: the prune of an update whose previous
// manifest cannot be read. Objects in cur are never deleted. It returns how
// many objects it deleted. A [GuardOption] checks each object before it is
// deleted.
func (c *Client) PruneLabelled(ctx context.Context, cur []*unstructured.Unstructured, label string, opts ...DeleteOption) (int, error) {
	keep := map[Key]bool{}
	for _, u := range cur {
		keep[c.normalKey(ctx, u)] = true
	}
	found, err := c.Labelled(ctx, label)
	if err != nil {
		return 0, fmt.Errorf("unable to prune: %w", err)
	}
	var drop []*unstructured.Unstructured
	for _, u := range found {
		if !keep[KeyOf(u)] {
			drop = append(drop, u)
		}
	}
	if err := c.Delete(ctx, drop, opts...); err != nil {
		return 0, fmt.Errorf("unable to prune: %w", err)
	}
	return len(drop), nil
}

package apply

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Prune deletes what an update left behind: the objects of old that cur no
// longer contains, and every object carrying label whose kind appears in
// old or cur but which is in neither. Objects in cur are never deleted.
// It returns how many objects it deleted.
// A [GuardOption] checks each object before it is deleted.
func (c *Client) Prune(ctx context.Context, old, cur []*unstructured.Unstructured, label string, opts ...DeleteOption) (int, error) {
	keep := map[Key]bool{}
	for _, u := range cur {
		keep[c.normalKey(ctx, u)] = true
	}
	n := 0
	seen := map[Key]bool{}
	for _, u := range old {
		k := c.normalKey(ctx, u)
		seen[k] = true
		if keep[k] {
			continue
		}
		if err := c.DeleteOne(ctx, u.DeepCopy(), opts...); err != nil {
			return n, fmt.Errorf("unable to prune: %w", err)
		}
		n++
	}
	if label == "" {
		return n, nil
	}
	kinds := map[schema.GroupKind]schema.GroupVersionKind{}
	for _, list := range [][]*unstructured.Unstructured{old, cur} {
		for _, u := range list {
			gvk := u.GroupVersionKind()
			kinds[gvk.GroupKind()] = gvk
		}
	}
	for _, gvk := range kinds {
		m, err := c.Mapping(ctx, gvk)
		if err != nil {
			continue // the kind is gone; nothing of it to prune
		}
		var l *unstructured.UnstructuredList
		err = c.retry(ctx, func() error {
			var err error
			l, err = c.Dynamic.Resource(m.Resource).List(ctx, metav1.ListOptions{LabelSelector: label})
			return err
		})
		if err != nil {
			return n, fmt.Errorf("unable to list %s labelled %s to prune: %w", m.Resource.String(), label, err)
		}
		for i := range l.Items {
			u := &l.Items[i]
			k := Key{Group: gvk.Group, Kind: gvk.Kind, Namespace: u.GetNamespace(), Name: u.GetName()}
			if keep[k] || seen[k] || u.GetDeletionTimestamp() != nil {
				continue
			}
			u.SetAPIVersion(gvk.GroupVersion().String())
			u.SetKind(gvk.Kind)
			if err := c.DeleteOne(ctx, u, opts...); err != nil {
				return n, fmt.Errorf("unable to prune: %w", err)
			}
			n++
		}
	}
	return n, nil
}

// normalKey is KeyOf with the namespace the API server uses: default for a
// namespaced object without one, none for a cluster-scoped object.
func (c *Client) normalKey(ctx context.Context, u *unstructured.Unstructured) Key {
	k := KeyOf(u)
	if m, err := c.Mapping(ctx, u.GroupVersionKind()); err == nil {
		if m.Scope.Name() == "namespace" {
			if k.Namespace == "" {
				k.Namespace = metav1.NamespaceDefault
			}
		} else {
			k.Namespace = ""
		}
	} else if k.Namespace == "" {
		k.Namespace = metav1.NamespaceDefault
	}
	return k
}

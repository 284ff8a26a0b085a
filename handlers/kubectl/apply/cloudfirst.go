package apply

import (
	"context"
	"fmt"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// CloudBacked reports whether deleting u makes a controller remove cloud
// resources that would otherwise outlive the cluster and block the VPC's
// deletion: a Service of type LoadBalancer (an ELB or NLB, its target
// groups and ENIs), an Ingress (an ALB), a Gateway API Gateway, or a
// PersistentVolumeClaim (its EBS or EFS volume, with a Delete reclaim
// policy).
func CloudBacked(u *unstructured.Unstructured) bool {
	gvk := u.GroupVersionKind()
	switch {
	case gvk.Group == "" && gvk.Kind == "Service":
		t, _, _ := unstructured.NestedString(u.Object, "spec", "type")
		return t == "LoadBalancer"
	case gvk.Group == "" && gvk.Kind == "PersistentVolumeClaim":
		return true
	case (gvk.Group == "networking.k8s.io" || gvk.Group == "extensions") && gvk.Kind == "Ingress":
		return true
	case gvk.Group == "gateway.networking.k8s.io" && gvk.Kind == "Gateway":
		return true
	}
	return false
}

// deleteCloudBackedFirst deletes the cloud-backed objects of objs (see
// [CloudBacked]) in reverse order, each waited for until it is gone — its
// controller's finalizer cleared, which it does once the cloud resource is
// deleted — and then until [Client.CloudResourceGone] says its cloud
// resource is gone too. It returns the other objects, in their order, for
// the caller to delete after: the controllers that own the cloud resources
// (an AWS Load Balancer Controller deployed by the same manifest) and what
// they run on stay until their work is done.
func (c *Client) deleteCloudBackedFirst(ctx context.Context, objs []*unstructured.Unstructured, opts ...DeleteOption) ([]*unstructured.Unstructured, error) {
	var rest, first []*unstructured.Unstructured
	for _, u := range objs {
		if CloudBacked(u) {
			first = append(first, u)
		} else {
			rest = append(rest, u)
		}
	}
	for _, u := range slices.Backward(first) {
		u = u.DeepCopy()
		if err := c.DeleteOne(ctx, u, opts...); err != nil {
			return nil, err
		}
		if guardOf(opts) != nil && c.stillThere(ctx, u) {
			continue // kept by the guard: its cloud resources stay too
		}
		if c.CloudResourceGone != nil {
			if err := c.CloudResourceGone(ctx, u); err != nil {
				return nil, fmt.Errorf("%s is deleted, but its cloud resources are not gone: %w", Describe(u), err)
			}
		}
	}
	return rest, nil
}

// stillThere reports whether u exists and is not being deleted.
func (c *Client) stillThere(ctx context.Context, u *unstructured.Unstructured) bool {
	ri, _, err := c.resource(ctx, u.DeepCopy())
	if err != nil {
		return false
	}
	cur, err := ri.Get(ctx, u.GetName(), metav1.GetOptions{})
	return err == nil && cur.GetDeletionTimestamp() == nil
}

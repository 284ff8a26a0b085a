package apply

import (
	"context"
	"fmt"
	"slices"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
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

// splitCloudBacked returns the cloud-backed objects of objs and the
// others, each in their order.
func splitCloudBacked(objs []*unstructured.Unstructured) (cloud, rest []*unstructured.Unstructured) {
	for _, u := range objs {
		if CloudBacked(u) {
			cloud = append(cloud, u)
		} else {
			rest = append(rest, u)
		}
	}
	return cloud, rest
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
	first, rest := splitCloudBacked(objs)
	for _, u := range slices.Backward(first) {
		u = u.DeepCopy()
		ri, live, sent, err := c.sendDelete(ctx, u, opts...)
		if err != nil {
			return nil, err
		}
		if !sent && live != nil {
			continue // kept by the guard: its cloud resources stay too
		}
		if sent {
			if err := c.waitGone(ctx, ri, u); err != nil {
				return nil, err
			}
		}
		if c.CloudResourceGone != nil {
			if err := c.CloudResourceGone(ctx, u); err != nil {
				return nil, fmt.Errorf("%s is deleted, but its cloud resources are not gone: %w", Describe(u), err)
			}
		}
	}
	return rest, nil
}

// StartCloudDeletes is the first step of a Delete that may outlive one
// invocation: it sends the deletion of each cloud-backed object of objs
// (see [CloudBacked]), in reverse order, without waiting for any. It
// returns the cloud-backed objects to wait for (see [Client.Deleting]; an
// object already gone is among them, its cloud resources may not be; one
// the guard kept is not), with the UID of the object deleted, and the
// other objects of objs, in their order, to delete once they are gone.
func (c *Client) StartCloudDeletes(ctx context.Context, objs []*unstructured.Unstructured, opts ...DeleteOption) (waiting, rest []*unstructured.Unstructured, err error) {
	first, rest := splitCloudBacked(objs)
	for _, u := range slices.Backward(first) {
		u = u.DeepCopy()
		_, live, sent, err := c.sendDelete(ctx, u, opts...)
		if err != nil {
			return nil, nil, err
		}
		if !sent && live != nil {
			continue // kept by the guard
		}
		waiting = append(waiting, u)
	}
	return waiting, rest, nil
}

// Deleting describes u, a cloud-backed object whose deletion was sent, if
// it still exists: "v1 Service web/lb (finalizers service.k8s.aws/resources)";
// "" once it is gone, replaced by a new object of the same name (or made
// again since, not being deleted), or held
// only by the garbage collector's foregroundDeletion (its dependents being
// deleted, which hold no cloud resources).
func (c *Client) Deleting(ctx context.Context, u *unstructured.Unstructured) (string, error) {
	live, err := c.Get(ctx, u)
	if apierrors.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		if strings.Contains(err.Error(), "no matches for kind") {
			return "", nil // its kind is no longer served
		}
		return "", fmt.Errorf("unable to check that %s is deleted: %w", Describe(u), err)
	}
	if u.GetUID() != "" && live.GetUID() != u.GetUID() {
		return "", nil
	}
	var fins []string
	for _, f := range live.GetFinalizers() {
		if f != metav1.FinalizerDeleteDependents {
			fins = append(fins, f)
		}
	}
	if len(fins) == 0 || live.GetDeletionTimestamp() == nil {
		return "", nil // (not being deleted: made again since)
	}
	return Describe(live) + " (finalizers " + strings.Join(fins, ", ") + ")", nil
}

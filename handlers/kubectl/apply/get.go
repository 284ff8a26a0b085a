package apply

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Get reads the live object u names (a namespaced object without a
// namespace is looked for in "default"); a missing object is an error
// apierrors.IsNotFound recognises.
func (c *Client) Get(ctx context.Context, u *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	u = u.DeepCopy()
	ri, _, err := c.resource(ctx, u)
	if err != nil {
		return nil, err
	}
	var live *unstructured.Unstructured
	err = c.retry(ctx, func() error {
		var gerr error
		live, gerr = ri.Get(ctx, u.GetName(), metav1.GetOptions{})
		return gerr
	})
	return live, err
}

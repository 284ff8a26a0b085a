// Package apply applies, prunes and deletes Kubernetes objects the way the
// kubectl handler's manifests need: server-side apply under one field
// manager, in the manifest's order, with discovery through a cached
// RESTMapper (so CRDs created earlier in the same manifest work), retries
// of transient API errors (an API server restarting), and deletes in
// reverse order that wait for finalizers.
//
// It is not a kubectl replacement: no client-side apply, no
// last-applied-configuration annotation, no kustomize. Objects are
// unstructured; nothing here knows Go types of Kubernetes kinds.
package apply

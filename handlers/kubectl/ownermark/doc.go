// Package ownermark names the owner of the objects a Kubernetes manifest
// applies: the owner mark annotation the kubectl handler writes on each
// object and the server-side apply field manager it applies with. The
// handler and `eksforge drift` (which must dry-run an apply as that same
// manager) share these names.
package ownermark

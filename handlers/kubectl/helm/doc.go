// Package helm installs, upgrades and uninstalls Helm releases for the
// kubectl handler with the Helm v4 Go SDK (no helm binary): charts from a
// chart repository (its index.yaml), from an OCI registry (ECR private
// registries log in with ecr:GetAuthorizationToken; others are anonymous),
// or as packaged bytes (an S3 asset). Upgrade has `helm upgrade --install`
// semantics, and a release left in a pending state by a handler that died
// is recovered first: rolled back to its last deployed revision, or
// uninstalled when it never deployed.
//
// It is not a Helm CLI: no plugins, no repositories.yaml the user manages,
// no kubeconfig. Everything Helm caches goes to a temporary directory.
package helm

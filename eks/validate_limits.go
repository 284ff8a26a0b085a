package eks

import (
	"github.com/eksforge/eksforge/cdk"
)

// addAsset stages the manifest's JSON as a file asset readable by the
// kubectl handler and returns the ManifestAsset property.
func (m *KubernetesManifest) addAsset() map[string]any {
	loc := cdk.StackOf(m).AddFileAsset(cdk.FileAssetSource{Data: m.body, Extension: ".json", DisplayName: m.Node().Path() + " manifest"})
	grantAssetRead(m, KubectlProviderOf(m.cluster), loc.BucketName, loc.ObjectKey)
	return map[string]any{"Bucket": loc.BucketName, "Key": loc.ObjectKey}
}

// OffloadableResource implements [cdk.TemplateOffloader]: an inline
// manifest can move to an S3 asset when its stack's rendered template is
// over cdk.MaxTemplateBytes, unless it holds late-bound values (tokens),
// which an asset cannot carry. Synthesis calls it; programs need not.
func (m *KubernetesManifest) OffloadableResource() (*cdk.CfnResource, string) {
	if !m.inline || m.Resource == nil {
		return nil, ""
	}
	if cdk.IsUnresolved(string(m.body)) {
		return m.Resource, "these manifests hold late-bound values (tokens), which an S3 asset cannot carry (move the objects with tokens into smaller manifests)"
	}
	return m.Resource, ""
}

// OffloadFromTemplate implements [cdk.TemplateOffloader]: the manifest
// moves to an S3 asset (property ManifestAsset), as manifests over
// ManifestAssetThreshold always do, and says so with an info message.
// Synthesis calls it; programs need not.
func (m *KubernetesManifest) OffloadFromTemplate(templateBytes int) {
	m.Resource.AddPropertyDeletionOverride("Manifest")
	m.Resource.AddPropertyOverride("ManifestAsset", m.addAsset())
	m.inline = false
	m.Node().AddInfo("moved to an S3 asset: the stack's template was %d bytes, over CloudFormation's %d", templateBytes, cdk.MaxTemplateBytes)
}

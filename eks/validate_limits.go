package eks

import (
	"sort"

	"github.com/eksforge/eksforge/cdk"
)

// ManifestTemplateBudget is how many bytes of manifests (their JSON) one
// stack's template holds inline. Above it the largest manifests move to S3
// assets, as those over ManifestAssetThreshold always do, until the rest
// fits: many manifests just under the threshold would otherwise make a
// template over CloudFormation's 1 MB (cdk.MaxTemplateBytes). 640 KB
// leaves room for the JSON escaping of the inline strings (about a sixth
// more) and for the cluster's own resources.
const ManifestTemplateBudget = 640 * 1024

// addAsset stages the manifest's JSON as a file asset readable by the
// kubectl handler and returns the ManifestAsset property.
func (m *KubernetesManifest) addAsset() map[string]any {
	loc := cdk.StackOf(m).AddFileAsset(cdk.FileAssetSource{Data: m.body, Extension: ".json", DisplayName: m.Node().Path() + " manifest"})
	grantAssetRead(m, KubectlProviderOf(m.cluster), loc.BucketName, loc.ObjectKey)
	return map[string]any{"Bucket": loc.BucketName, "Key": loc.ObjectKey}
}

// moveToAsset turns an inline manifest into an S3 asset.
func (m *KubernetesManifest) moveToAsset() {
	m.Resource.AddPropertyDeletionOverride("Manifest")
	m.Resource.AddPropertyOverride("ManifestAsset", m.addAsset())
	m.inline = false
}

// templateBudget is the aspect, one per stack, that keeps the stack's
// inline manifests within ManifestTemplateBudget.
type templateBudget struct{ stack *cdk.Stack }

// watchTemplateBudget makes sure the manifest's stack has its budget aspect.
func watchTemplateBudget(m *KubernetesManifest) {
	stack := cdk.StackOf(m)
	for _, a := range cdk.AspectsOf(stack).All() {
		if b, ok := a.(*templateBudget); ok && b.stack == stack {
			return
		}
	}
	cdk.AspectsOf(stack).Add(&templateBudget{stack: stack})
}

// Visit runs once, on the stack: it moves the largest inline manifests
// without late-bound values to assets until the rest fits the budget.
func (b *templateBudget) Visit(c cdk.Construct) {
	if c != cdk.Construct(b.stack) {
		return
	}
	var inline []*KubernetesManifest
	total := 0
	for _, x := range b.stack.Node().FindAll() {
		m, ok := x.(*KubernetesManifest)
		if !ok || !m.inline || cdk.StackOf(m) != b.stack {
			continue
		}
		total += len(m.body)
		if !cdk.IsUnresolved(string(m.body)) {
			inline = append(inline, m)
		}
	}
	if total <= ManifestTemplateBudget {
		return
	}
	sort.SliceStable(inline, func(i, j int) bool { return len(inline[i].body) > len(inline[j].body) })
	for _, m := range inline {
		if total <= ManifestTemplateBudget {
			break
		}
		m.moveToAsset()
		total -= len(m.body)
		m.Node().AddInfo("moved to an S3 asset: the stack's inline manifests were over %d bytes", ManifestTemplateBudget)
	}
}

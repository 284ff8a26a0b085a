package eks_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

// configMap is a ConfigMap whose value makes its manifest's JSON about
// size bytes.
func configMap(name string, size int, extra ...any) map[string]any {
	data := map[string]any{"v": strings.Repeat("v", size-100)}
	if len(extra) > 0 {
		data["token"] = extra[0]
	}
	return map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": name}, "data": data}
}

// TestManyManifestsUnderTheThresholdFitTheTemplate: 24 manifests just
// under ManifestAssetThreshold (1.2 MB together) would make a template
// over CloudFormation's 1 MB; synthesis measures the rendered template and
// moves the largest to S3 assets, and no more than needed, until it fits.
func TestManyManifestsUnderTheThresholdFitTheTemplate(t *testing.T) {
	t.Parallel()
	app, stack := newStack()
	c := vc(stack)
	const n = 24
	var manifests []*eks.KubernetesManifest
	for i := range n {
		// m0 is the largest, m23 the smallest.
		manifests = append(manifests, c.AddManifest(fmt.Sprintf("m%d", i), configMap(fmt.Sprintf("c%d", i), eks.ManifestAssetThreshold-600-i*10)))
	}
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := asm.TemplateOf(stack)
	if len(b) > cdk.MaxTemplateBytes {
		t.Fatalf("template is %d bytes, over %d", len(b), cdk.MaxTemplateBytes)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(b, &tmpl); err != nil {
		t.Fatal(err)
	}
	resources := tmpl["Resources"].(map[string]any)
	var moved []int
	for i, m := range manifests {
		v, err := stack.Resolve(m.Resource.LogicalID())
		if err != nil {
			t.Fatal(err)
		}
		id, _ := v.(string)
		p := resources[id].(map[string]any)["Properties"].(map[string]any)
		_, hasInline := p["Manifest"]
		_, hasAsset := p["ManifestAsset"]
		if hasInline == hasAsset {
			t.Errorf("m%d: Manifest %v, ManifestAsset %v; want exactly one", i, hasInline, hasAsset)
		}
		info := false
		for _, e := range m.Node().Metadata() {
			info = info || (e.Type == cdk.MetadataInfo && strings.Contains(fmt.Sprint(e.Data), "moved to an S3 asset: the stack's template was"))
		}
		if hasAsset != info {
			t.Errorf("m%d: ManifestAsset %v but info message %v", i, hasAsset, info)
		}
		if hasAsset {
			moved = append(moved, i)
		}
	}
	sort.Ints(moved)
	// The largest move: m0..mk-1, and at least the 1.2 MB - 1 MB excess.
	if len(moved) < 4 {
		t.Fatalf("moved %v, want at least the 4 largest", moved)
	}
	for k, i := range moved {
		if i != k {
			t.Fatalf("moved %v, want the largest (m0, m1, ...)", moved)
		}
	}
	// No more than needed: the smallest moved manifest (about 49 KB
	// escaped) would not have fitted back.
	if room := cdk.MaxTemplateBytes - len(b); room > eks.ManifestAssetThreshold {
		t.Errorf("template is %d bytes after moving %d manifests: %d bytes of room, more manifests moved than needed", len(b), len(moved), room)
	}
	t.Logf("template %d bytes; moved %d of %d manifests", len(b), len(moved), n)
}

// TestTemplateLimitsThatCannotBeFixedFail: what cannot leave the template
// is an error with the sizes and the construct paths; over 500 resources
// is an error naming the count and what to do.
func TestTemplateLimitsThatCannotBeFixedFail(t *testing.T) {
	t.Parallel()
	t.Run("fails with manifests holding tokens over 1 MB", func(t *testing.T) {
		t.Parallel()
		app, stack := newStack()
		c := vc(stack)
		for i := range 24 {
			c.AddManifest(fmt.Sprintf("m%d", i), configMap(fmt.Sprintf("c%d", i), eks.ManifestAssetThreshold-600-i*10, c.ClusterName()))
		}
		wantProblem(t, app, "Stack", "the template is", "CloudFormation accepts at most 1048576",
			"the largest resources are Stack/C/manifest-m", "bytes)",
			"these cannot leave the template: Stack/C/manifest-m0 (51497 bytes), Stack/C/manifest-m1 (51487 bytes)", "and 19 more, because these manifests hold late-bound values (tokens)",
			"move some into a cdk.NestedStack or another stack")
	})
	t.Run("fails with 501 resources", func(t *testing.T) {
		t.Parallel()
		// One manifest adds one resource to the cluster's own (and the
		// kubectl provider's, which the first manifest brings).
		_, probe := newStack()
		vc(probe).AddManifest("m0", obj("v1", "ConfigMap", "", "c0"))
		base := len(templateOf(t, probe)["Resources"].(map[string]any))
		app, stack := newStack()
		c := vc(stack)
		for i := range 501 - base + 1 {
			c.AddManifest(fmt.Sprintf("m%d", i), obj("v1", "ConfigMap", "", fmt.Sprintf("c%d", i)))
		}
		wantProblem(t, app, "Stack", "the stack has 501 resources; CloudFormation allows at most 500 per stack: move some constructs into a cdk.NestedStack or another stack")
	})
}

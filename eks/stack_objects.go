package eks

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"

	"github.com/eksforge/eksforge/cdk"
)

// stackObjectsMappingID is the id, under each stack, of the template
// mapping that holds what the stack's manifests declare, per cluster.
const stackObjectsMappingID = "EksforgeStackObjects"

// declareStackObjects gives the manifest's properties StackObjects: what
// every manifest of its stack declares on its cluster, as the JSON object
// {"<construct address>": ["<16 hex of sha256(group/kind/namespace/name)>",
// ...]}. The kubectl handler's prunes and Deletes leave an object that
// another resource of the stack declares, so an object moved between
// manifests survives whichever order CloudFormation updates them in
// (docs/custom-resources.md, Ownership). The value is computed at
// synthesis, once per stack and cluster, into a template mapping that the
// property reads with Fn::FindInMap: the template holds the list once, and
// each resource's events carry it resolved. A manifest whose own objects
// did not change gets an Update when another one's did, which the handler
// answers without touching the cluster.
func declareStackObjects(m *KubernetesManifest, properties map[string]any) {
	stack := cdk.StackOf(m)
	var mapping *cdk.CfnMapping
	if c, ok := stack.Node().TryFindChild(stackObjectsMappingID).(*cdk.CfnMapping); ok {
		mapping = c
	} else {
		mapping = cdk.NewCfnMapping(stack, stackObjectsMappingID, cdk.CfnMappingProps{})
	}
	key := "c" + shortHex(m.cluster.Node().Addr())
	cluster := m.cluster
	mapping.SetValue(key, "Objects", cdk.LazyString(func() string { return renderStackObjects(stack, cluster) }))
	properties["StackObjects"] = cdk.Fn.FindInMap(mapping.LogicalID(), key, "Objects")
}

// renderStackObjects is the StackObjects value of stack and cluster.
func renderStackObjects(stack *cdk.Stack, c ICluster) string {
	out := map[string][]string{}
	for _, m := range stateOf(c).manifests {
		if cdk.StackOf(m) != stack {
			continue
		}
		keys := []string{}
		for _, o := range m.objects {
			if k := objectKey(o); k != "" {
				keys = append(keys, shortHex16(k))
			}
		}
		slices.Sort(keys)
		out[m.Node().Addr()] = slices.Compact(keys)
	}
	b, _ := json.Marshal(out) // strings only: cannot fail
	return string(b)
}

func shortHex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:4])
}

func shortHex16(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

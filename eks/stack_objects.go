package eks

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"

	"github.com/eksforge/eksforge/cdk"
)

// stackObjectsMappingID is the id, under each stack, of the template
// mapping that holds what the stack's manifests, charts and patches
// declare, per cluster.
const stackObjectsMappingID = "EksforgeStackObjects"

// What StackObjects lists, per kind of resource: the second-level key of
// the mapping.
const (
	declaresObjects  = "Objects"  // manifests: their objects
	declaresReleases = "Releases" // Helm charts: their release
	declaresPatches  = "Patches"  // patches: their target
)

// declareStackObjects gives the properties of a manifest, chart or patch
// (scope, on cluster c) StackObjects: what every resource of the same kind
// in its stack declares on its cluster, as the JSON object
// {"<construct address>": ["<key>", ...]}, the key being, for manifests,
// 16 hex of sha256(group/kind/namespace/name) of each object; for charts,
// the same of helm.sh/Release/<namespace>/<release>; for patches,
// "<ResourceName> <namespace>" as written (the handler resolves the type).
// The kubectl handler's prunes and Deletes leave an object that another
// resource of the stack declares, so an object moved between manifests
// survives whichever order CloudFormation updates them in, and give back
// what a rolled-back Create or Update took over (docs/custom-resources.md,
// Ownership). The value is computed at synthesis, once per stack, cluster
// and kind, into a template mapping that the property reads with
// Fn::FindInMap: the template holds the list once, and each resource's
// events carry it resolved. A resource whose own properties did not change
// gets an Update when another one's declaration did, which the handler
// answers without touching the cluster.
func declareStackObjects(scope cdk.Construct, c ICluster, kind string, properties map[string]any) {
	stack := cdk.StackOf(scope)
	var mapping *cdk.CfnMapping
	if m, ok := stack.Node().TryFindChild(stackObjectsMappingID).(*cdk.CfnMapping); ok {
		mapping = m
	} else {
		mapping = cdk.NewCfnMapping(stack, stackObjectsMappingID, cdk.CfnMappingProps{})
	}
	key := "c" + shortHex(c.Node().Addr())
	mapping.SetValue(key, kind, cdk.LazyString(func() string { return renderStackObjects(stack, c, kind) }))
	properties["StackObjects"] = cdk.Fn.FindInMap(mapping.LogicalID(), key, kind)
}

// renderStackObjects is the StackObjects value of stack, cluster and kind.
func renderStackObjects(stack *cdk.Stack, c ICluster, kind string) string {
	out := map[string][]string{}
	add := func(scope cdk.Construct, keys []string) {
		if cdk.StackOf(scope) != stack {
			return
		}
		slices.Sort(keys)
		out[scope.Node().Addr()] = slices.Compact(append([]string{}, keys...))
	}
	st := stateOf(c)
	switch kind {
	case declaresObjects:
		for _, m := range st.manifests {
			keys := []string{}
			for _, o := range m.objects {
				if k := objectKey(o); k != "" {
					keys = append(keys, shortHex16(k))
				}
			}
			add(m, keys)
		}
	case declaresReleases:
		for _, h := range st.charts {
			keys := []string{}
			if !cdk.IsUnresolved(h.release) && !cdk.IsUnresolved(h.namespace) {
				keys = append(keys, shortHex16("helm.sh/Release/"+h.namespace+"/"+h.release))
			}
			add(h, keys)
		}
	case declaresPatches:
		for _, p := range st.patches {
			keys := []string{}
			if p.resourceName != "" && p.namespace != "" && !cdk.IsUnresolved(p.resourceName) {
				keys = append(keys, p.resourceName+" "+p.namespace)
			}
			add(p, keys)
		}
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

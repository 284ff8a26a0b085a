package eks

import (
	"sort"

	"github.com/eksforge/eksforge/cdk"
)

// retainedNeighbours warns, at synthesis, when a manifest deleted with the
// stack holds a Namespace in which a retained manifest (service accounts
// are manifests too), Helm release or patch keeps objects, or its change
// to one: deleting the Namespace deletes everything in it, so what the
// user asked to keep would go with it.
type retainedNeighbours struct {
	m *KubernetesManifest
}

// Visit adds the warnings once, on the manifest itself.
func (r retainedNeighbours) Visit(c cdk.Construct) {
	if c != cdk.Construct(r.m) || isRetained(r.m.Resource) {
		return
	}
	names := make([]string, 0, len(r.m.provides.namespaces))
	for ns := range r.m.provides.namespaces {
		names = append(names, ns)
	}
	sort.Strings(names)
	st := stateOf(r.m.cluster)
	for _, ns := range names {
		for _, o := range st.manifests {
			if o != r.m && isRetained(o.Resource) && o.uses.namespaces[ns] {
				r.warn(ns, o.Node().Path())
			}
		}
		for _, h := range st.charts {
			if isRetained(h.Resource) && h.namespace == ns {
				r.warn(ns, h.Node().Path())
			}
		}
		for _, p := range st.patches {
			if isRetained(p.Resource) && p.namespace == ns {
				r.warn(ns, p.Node().Path())
			}
		}
	}
}

func (r retainedNeighbours) warn(ns, neighbour string) {
	r.m.Node().AddWarning("Namespace %q is deleted with this manifest, but %s (RemovalPolicyRetain) keeps objects in it, which deleting the namespace deletes too: retain this manifest as well (RemovalPolicy: cdk.RemovalPolicyRetain), or declare the Namespace in a retained manifest", ns, neighbour)
}

// isRetained reports whether the resource stays when it leaves the stack.
func isRetained(r *cdk.CfnResource) bool {
	if r == nil {
		return false
	}
	p := r.CfnOptions().DeletionPolicy
	return p == "Retain" || p == "RetainExceptOnCreate"
}

package eks

import (
	"strings"

	"github.com/eksforge/eksforge/cdk"
)

// Implicit ordering: a manifest that creates a Namespace, a
// CustomResourceDefinition or a ServiceAccount is applied before the
// manifests (and Helm charts) of the same cluster that use them, through
// DependsOn, whatever order they were defined in.

var clusterScoped = map[string]bool{
	"Namespace": true, "CustomResourceDefinition": true, "ClusterRole": true, "ClusterRoleBinding": true,
	"PersistentVolume": true, "StorageClass": true, "PriorityClass": true, "Node": true,
	"MutatingWebhookConfiguration": true, "ValidatingWebhookConfiguration": true, "APIService": true,
	"IngressClass": true, "RuntimeClass": true, "CSIDriver": true, "VolumeAttachment": true,
}

func newRefs() manifestRefs {
	return manifestRefs{namespaces: map[string]bool{}, kinds: map[string]bool{}, serviceAccounts: map[string]bool{}}
}

// analyzeObjects returns what objects use and create.
func analyzeObjects(objects []map[string]any) (uses, provides manifestRefs) {
	uses, provides = newRefs(), newRefs()
	for _, o := range objects {
		av, _ := o["apiVersion"].(string)
		kind, _ := o["kind"].(string)
		md, _ := o["metadata"].(map[string]any)
		name, _ := md["name"].(string)
		ns, _ := md["namespace"].(string)
		switch kind {
		case "Namespace":
			provides.namespaces[name] = true
		case "CustomResourceDefinition":
			spec, _ := o["spec"].(map[string]any)
			group, _ := spec["group"].(string)
			names, _ := spec["names"].(map[string]any)
			k, _ := names["kind"].(string)
			provides.kinds[group+"/"+k] = true
		case "ServiceAccount":
			if ns == "" {
				ns = "default"
			}
			provides.serviceAccounts[ns+"/"+name] = true
		}
		if ns != "" && !clusterScoped[kind] {
			uses.namespaces[ns] = true
		}
		if i := strings.LastIndex(av, "/"); i > 0 {
			uses.kinds[av[:i]+"/"+kind] = true
		}
		if sa := podServiceAccount(o); sa != "" {
			n := ns
			if n == "" {
				n = "default"
			}
			uses.serviceAccounts[n+"/"+sa] = true
		}
	}
	return uses, provides
}

// podServiceAccount finds the service account of a pod or of a workload's
// pod template.
func podServiceAccount(o map[string]any) string {
	spec, _ := o["spec"].(map[string]any)
	for depth := 0; spec != nil && depth < 4; depth++ {
		if sa, _ := spec["serviceAccountName"].(string); sa != "" {
			return sa
		}
		next := spec
		spec = nil
		for _, k := range []string{"template", "jobTemplate"} {
			if t, ok := next[k].(map[string]any); ok {
				spec, _ = t["spec"].(map[string]any)
				break
			}
		}
	}
	return ""
}

// needs reports whether something using u needs something providing p.
func needs(u, p manifestRefs) bool {
	for k := range u.namespaces {
		if p.namespaces[k] {
			return true
		}
	}
	for k := range u.kinds {
		if p.kinds[k] {
			return true
		}
	}
	for k := range u.serviceAccounts {
		if p.serviceAccounts[k] {
			return true
		}
	}
	return false
}

func dependsOn(a, b cdk.Construct) bool {
	for _, d := range a.Node().Dependencies() {
		if d == b {
			return true
		}
	}
	return false
}

// order adds a dependency of a on b unless b already depends on a.
func order(a, b cdk.Construct) {
	if a == b || dependsOn(b, a) || dependsOn(a, b) {
		return
	}
	a.Node().AddDependency(b)
}

// registerManifest orders m against the cluster's other manifests and
// charts.
func registerManifest(m *KubernetesManifest) {
	st := stateOf(m.cluster)
	for _, e := range st.manifests {
		if needs(m.uses, e.provides) {
			order(m, e)
		} else if needs(e.uses, m.provides) {
			order(e, m)
		}
	}
	for _, h := range st.charts {
		if needs(h.uses, m.provides) {
			order(h, m)
		}
	}
	st.manifests = append(st.manifests, m)
}

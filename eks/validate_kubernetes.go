package eks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"k8s.io/apimachinery/pkg/api/validate/content"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/util/jsonpath"

	"github.com/eksforge/eksforge/cdk"
)

// clusterScopedKinds are the built-in kinds without a namespace, by
// group/kind; an object of another kind without metadata.namespace goes to
// "default".
var clusterScopedKinds = map[string]bool{
	"/Namespace": true, "/Node": true, "/PersistentVolume": true, "/ComponentStatus": true,
	"rbac.authorization.k8s.io/ClusterRole": true, "rbac.authorization.k8s.io/ClusterRoleBinding": true,
	"apiextensions.k8s.io/CustomResourceDefinition": true, "apiregistration.k8s.io/APIService": true,
	"storage.k8s.io/StorageClass": true, "storage.k8s.io/CSIDriver": true, "storage.k8s.io/CSINode": true,
	"storage.k8s.io/VolumeAttachment": true, "scheduling.k8s.io/PriorityClass": true,
	"admissionregistration.k8s.io/ValidatingWebhookConfiguration":   true,
	"admissionregistration.k8s.io/MutatingWebhookConfiguration":     true,
	"admissionregistration.k8s.io/ValidatingAdmissionPolicy":        true,
	"admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding": true,
	"networking.k8s.io/IngressClass":                                true, "node.k8s.io/RuntimeClass": true,
	"certificates.k8s.io/CertificateSigningRequest": true,
	"flowcontrol.apiserver.k8s.io/FlowSchema":       true, "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration": true,
}

// groupOf returns the API group of an apiVersion ("apps/v1" → "apps").
func groupOf(apiVersion string) string {
	if i := strings.LastIndex(apiVersion, "/"); i >= 0 {
		return apiVersion[:i]
	}
	return ""
}

// objectKey identifies an object in a cluster (group/kind/namespace/name),
// or "" when part of it is late-bound.
func objectKey(o map[string]any) string {
	av, _ := o["apiVersion"].(string)
	kind, _ := o["kind"].(string)
	md, _ := o["metadata"].(map[string]any)
	name, _ := md["name"].(string)
	ns, _ := md["namespace"].(string)
	if av == "" || kind == "" || name == "" || cdk.IsUnresolved(av+kind+name+ns) {
		return ""
	}
	gk := groupOf(av) + "/" + kind
	if clusterScopedKinds[gk] {
		ns = ""
	} else if ns == "" {
		ns = "default"
	}
	return gk + "/" + ns + "/" + name
}

// describeKey names an object key for messages.
func describeKey(k string) string {
	parts := strings.SplitN(k, "/", 4)
	kind := parts[1]
	if parts[0] != "" {
		kind += "." + parts[0]
	}
	if parts[2] == "" {
		return kind + " " + parts[3]
	}
	return kind + " " + parts[2] + "/" + parts[3]
}

// checkObject checks the metadata of one manifest object as the API
// server would: name, namespace, label and annotation keys and label
// values. It returns one message per problem.
func checkObject(o map[string]any) []string {
	var errs []string
	av, _ := o["apiVersion"].(string)
	kind, _ := o["kind"].(string)
	group := groupOf(av)
	if v, ok := o["apiVersion"]; ok && v != nil {
		if _, isStr := v.(string); !isStr {
			errs = append(errs, fmt.Sprintf("apiVersion is a %T (%v): write it as a string, e.g. \"apps/v1\"", v, v))
		}
	}
	if v, ok := o["kind"]; ok && v != nil {
		if _, isStr := v.(string); !isStr {
			errs = append(errs, fmt.Sprintf("kind is a %T (%v): write it as a string, e.g. \"Deployment\"", v, v))
		}
	}
	if strings.Count(av, "/") > 1 {
		errs = append(errs, fmt.Sprintf("apiVersion %q is not <group>/<version> or <version>", av))
	}
	mdv, hasMd := o["metadata"]
	md, _ := mdv.(map[string]any)
	if hasMd && mdv != nil && md == nil {
		return append(errs, fmt.Sprintf("metadata is a %T: write it as a map with name, namespace, labels", mdv))
	}
	if v, ok := md["name"]; ok && v != nil {
		name, isStr := v.(string)
		switch {
		case !isStr:
			errs = append(errs, fmt.Sprintf("metadata.name is a %T (%v): write it as a string", v, v))
		case name == "" || cdk.IsUnresolved(name):
		case group == "rbac.authorization.k8s.io":
			if msgs := content.IsPathSegmentName(name); len(msgs) > 0 {
				errs = append(errs, fmt.Sprintf("metadata.name %q of a %s: %s", name, kind, strings.Join(msgs, "; ")))
			}
		case group == "" && kind == "Namespace":
			if e := validateDNSLabel("metadata.name", name); e != "" {
				errs = append(errs, e)
			}
		case group == "" && kind == "Service":
			if len(validation.IsDNS1035Label(name)) > 0 {
				errs = append(errs, fmt.Sprintf("metadata.name %q of a Service is not a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit", name))
			}
		default:
			if e := validateDNSSubdomain("metadata.name", name); e != "" {
				errs = append(errs, e)
			}
		}
	}
	if v, ok := md["namespace"]; ok && v != nil {
		if ns, isStr := v.(string); !isStr {
			errs = append(errs, fmt.Sprintf("metadata.namespace is a %T (%v): write it as a string", v, v))
		} else if ns != "" {
			if e := validateDNSLabel("metadata.namespace", ns); e != "" {
				errs = append(errs, e)
			}
		}
	}
	for _, field := range []string{"labels", "annotations"} {
		v, ok := md[field]
		if !ok || v == nil {
			continue
		}
		m, isMap := v.(map[string]any)
		if !isMap {
			errs = append(errs, fmt.Sprintf("metadata.%s is a %T: write it as a map of strings", field, v))
			continue
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if e := validateLabelKey(k); e != "" {
				errs = append(errs, fmt.Sprintf("metadata.%s: %s", field, e))
			}
			val, isStr := m[k].(string)
			if !isStr && m[k] != nil {
				errs = append(errs, fmt.Sprintf("metadata.%s[%q] is a %T (%v): Kubernetes takes strings only; quote it", field, k, m[k], m[k]))
				continue
			}
			if field == "labels" {
				if e := validateLabelValue(k, val); e != "" {
					errs = append(errs, "metadata.labels: "+e)
				}
			}
		}
	}
	return errs
}

// registerObjects records the manifest's objects in the cluster's state and
// reports an object another manifest of the cluster (or this one) already
// declares: deleting one manifest would delete the other's object, and
// the two would overwrite each other on every update.
func (m *KubernetesManifest) registerObjects() {
	st := stateOf(m.cluster)
	if st.objects == nil {
		st.objects = map[string]string{}
	}
	local := map[string]int{}
	for i, o := range m.objects {
		k := objectKey(o)
		if k == "" {
			continue
		}
		if j, ok := local[k]; ok {
			m.Node().AddError("objects %d and %d are both %s: declare each object once", j+1, i+1, describeKey(k))
			continue
		}
		local[k] = i
		if prev, ok := st.objects[k]; ok {
			m.Node().AddError("object %d (%s) is already declared by %s in the same cluster: deleting either manifest would delete the object; declare it once", i+1, describeKey(k), prev)
			continue
		}
		st.objects[k] = m.Node().Path()
	}
}

// checkHelmChart checks a chart's name, version constraint and release
// against Helm's rules and the cluster's other releases.
func (h *HelmChart) checkHelmChart(c ICluster, o HelmChartOptions, ns string) {
	n := h.Node()
	checkRemovalPolicy(n, "RemovalPolicy", o.RemovalPolicy)
	if o.Namespace != "" {
		if e := validateDNSLabel("Namespace", o.Namespace); e != "" {
			n.AddError("%s", e)
		}
	}
	chart := o.Chart
	switch {
	case chart == "" || cdk.IsUnresolved(chart):
	case strings.TrimSpace(chart) != chart || strings.ContainsAny(chart, " \t\n"):
		n.AddError("Chart %q contains white space: give the chart's name", chart)
	case o.Repository == "" && !strings.HasPrefix(chart, "oci://") && !strings.HasPrefix(chart, "https://") && !strings.HasPrefix(chart, "http://"):
		n.AddError("Chart %q has no Repository: the handler has no local repositories, so set Repository to the chart repository's URL, or give a full oci:// reference", chart)
	case o.Repository != "" && strings.Contains(chart, "://"):
		n.AddError("Chart %q is a full reference and Repository %q is set too: give the chart's name in Repository, or remove Repository", chart, o.Repository)
	case strings.HasPrefix(o.Repository, "http") && strings.Contains(chart, "/"):
		n.AddError("Chart %q is not a chart name: with an https:// Repository, give the name alone (\"nginx\", not \"bitnami/nginx\")", chart)
	}
	if v := o.Version; v != "" && !cdk.IsUnresolved(v) {
		if _, err := semver.NewConstraint(v); err != nil {
			n.AddError("Version %q is not a chart version or version constraint (e.g. \"1.2.3\", \"~1.2\", \">=1.0.0 <2.0.0\"): %v", v, err)
		}
	}
	if cdk.IsUnresolved(h.release) || cdk.IsUnresolved(ns) {
		return
	}
	st := stateOf(c)
	if st.releases == nil {
		st.releases = map[string]string{}
	}
	key := ns + "/" + h.release
	if prev, ok := st.releases[key]; ok {
		n.AddError("release %q in namespace %q is already installed by %s in the same cluster: Helm allows one release of a name per namespace; set a different Release", h.release, ns, prev)
		return
	}
	st.releases[key] = n.Path()
}

// jsonPatchOps are the operations of RFC 6902.
var jsonPatchOps = map[string]bool{"add": true, "remove": true, "replace": true, "move": true, "copy": true, "test": true}

// checkJSONPatch checks the operations of a JSON patch (RFC 6902).
func checkJSONPatch(field string, ops []any) []string {
	var errs []string
	for i, e := range ops {
		op, ok := e.(map[string]any)
		if !ok {
			errs = append(errs, fmt.Sprintf("%s[%d] is a %T, not an operation: use eks.JSONPatchOperation{Op: \"replace\", Path: \"/spec/replicas\", Value: 3}", field, i, e))
			continue
		}
		name, _ := op["op"].(string)
		if !jsonPatchOps[name] {
			errs = append(errs, fmt.Sprintf("%s[%d] has op %q: use add, remove, replace, move, copy or test", field, i, name))
			continue
		}
		p, isStr := op["path"].(string)
		if !isStr {
			errs = append(errs, fmt.Sprintf("%s[%d] (%s) has no path: set a JSON pointer, e.g. \"/spec/replicas\"", field, i, name))
		} else if p != "" && !strings.HasPrefix(p, "/") && !cdk.IsUnresolved(p) {
			errs = append(errs, fmt.Sprintf("%s[%d] (%s) has path %q, which is not a JSON pointer: start it with \"/\", e.g. \"/spec/replicas\"", field, i, name, p))
		}
		switch name {
		case "move", "copy":
			from, _ := op["from"].(string)
			if from == "" {
				errs = append(errs, fmt.Sprintf("%s[%d] (%s) has no from: set the source JSON pointer", field, i, name))
			} else if !strings.HasPrefix(from, "/") && !cdk.IsUnresolved(from) {
				errs = append(errs, fmt.Sprintf("%s[%d] (%s) has from %q, which is not a JSON pointer: start it with \"/\"", field, i, name, from))
			}
		case "add", "replace", "test":
			if _, ok := op["value"]; !ok {
				errs = append(errs, fmt.Sprintf("%s[%d] (%s %s) has no value: set Value", field, i, name, p))
			}
		}
	}
	return errs
}

// checkJSONPath parses a KubernetesObjectValue's JSONPath as the handler
// will, with client-go's parser.
func checkJSONPath(p string) string {
	if p == "" || cdk.IsUnresolved(p) {
		return ""
	}
	expr := p
	if !strings.HasPrefix(strings.TrimSpace(expr), "{") {
		expr = "{" + expr + "}"
	}
	if err := jsonpath.New("value").Parse(expr); err != nil {
		return fmt.Sprintf("JsonPath %q is not a valid JSONPath (%v): write it as kubectl does, e.g. \".status.loadBalancer.ingress[0].hostname\"", p, err)
	}
	return ""
}

// checkPatchProps checks a patch's target.
func (p *KubernetesPatch) checkPatchProps(props KubernetesPatchProps) {
	n := p.Node()
	checkRemovalPolicy(n, "RemovalPolicy", props.RemovalPolicy)
	if ns := props.ResourceNamespace; ns != "" {
		if e := validateDNSLabel("ResourceNamespace", ns); e != "" {
			n.AddError("%s", e)
		}
	}
	rn := props.ResourceName
	if rn == "" || cdk.IsUnresolved(rn) || strings.Count(rn, "/") != 1 {
		return // reported by the constructor
	}
	typ, name, _ := strings.Cut(rn, "/")
	if typ == "" || name == "" {
		n.AddError("ResourceName %q must be \"<type>/<name>\" with both parts, e.g. \"deployment/hello-kubernetes\"", rn)
		return
	}
	if strings.ContainsAny(typ, " \t") {
		n.AddError("ResourceName %q has white space in its type: use a resource type such as deployment", rn)
	}
	if msgs := content.IsPathSegmentName(name); len(msgs) > 0 || strings.ContainsAny(name, " \t") {
		n.AddError("ResourceName %q has an invalid object name %q: use the object's metadata.name", rn, name)
	}
}

// isEmptyPatch reports a patch that changes nothing: an empty map or an
// empty list of operations.
func isEmptyPatch(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

// checkObjectValueProps checks what a KubernetesObjectValue reads.
func (v *KubernetesObjectValue) checkObjectValueProps(props KubernetesObjectValueProps) {
	n := v.Node()
	if e := checkJSONPath(props.JsonPath); e != "" {
		n.AddError("%s", e)
	}
	if ns := props.ObjectNamespace; ns != "" {
		if e := validateDNSLabel("ObjectNamespace", ns); e != "" {
			n.AddError("%s", e)
		}
	}
	if props.ObjectName != "" && !cdk.IsUnresolved(props.ObjectName) {
		if msgs := content.IsPathSegmentName(props.ObjectName); len(msgs) > 0 || strings.ContainsAny(props.ObjectName, " \t") {
			n.AddError("ObjectName %q is not a Kubernetes object name: use the object's metadata.name", props.ObjectName)
		}
	}
	if t := props.ObjectType; t != "" && !cdk.IsUnresolved(t) && strings.ContainsAny(t, " \t/") {
		n.AddError("ObjectType %q is not a resource type: use a resource type such as service, ingress or deployment", t)
	}
}

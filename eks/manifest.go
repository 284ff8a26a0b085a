package eks

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/scheme"

	"github.com/eksforge/eksforge/cdk"
)

// KubernetesManifestResourceType is the custom resource type of manifests.
const KubernetesManifestResourceType = "Custom::AWSCDK-EKS-KubernetesResource"

// PruneLabelPrefix starts the label that marks the objects of a manifest
// (followed by the construct's address).
const PruneLabelPrefix = "aws.cdk.eks/prune-"

// ManifestAssetThreshold is the size of a manifest's JSON above which it
// travels as an S3 asset (property ManifestAsset) instead of inline in the
// template: 50 KB keeps templates under CloudFormation's 1 MB limit with
// room for many manifests, and the handler's request under Lambda's 256 KB
// payload limit. Smaller manifests move to assets too, largest first, when
// together they would make the stack's rendered template exceed
// cdk.MaxTemplateBytes (see [cdk.TemplateOffloader]).
const ManifestAssetThreshold = 50 * 1024

// KubernetesManifestOptions are the settings of a manifest besides its
// cluster and objects.
type KubernetesManifestOptions struct {
	// Overwrite takes ownership of fields other field managers own
	// (server-side apply with force), e.g. to adopt existing objects.
	// Default: false (a conflict fails the apply).
	Overwrite bool
	// Prune deletes objects that an update removes from the manifest,
	// found by the label PruneLabelPrefix+<address>.
	// Default: the cluster's (true unless its Kubectl.DisablePrune is set).
	Prune *bool
	// SkipValidation applies objects the API server's schema validation
	// would reject for unknown fields.
	// Default: false.
	SkipValidation bool
	// RemovalPolicy says what happens to the objects when the manifest
	// leaves the stack: cdk.RemovalPolicyRetain keeps them.
	// Default: cdk.RemovalPolicyDestroy (deleted).
	RemovalPolicy cdk.RemovalPolicy
	// DeleteTimeout is how long the manifest's Delete may wait for the
	// cloud resources of its Services of type LoadBalancer, Ingresses,
	// Gateways and PersistentVolumeClaims (load balancers, volumes) to be
	// gone before it fails, at most 59 minutes. Longer than the kubectl
	// handler's timeout less a minute, the wait continues past one
	// invocation in the cluster's kubectl provider's waiter
	// (docs/custom-resources.md, "Teardown order"); a shared handler
	// (Kubectl.Provider) has none and allows no more than that.
	// Default: one handler invocation.
	DeleteTimeout cdk.Duration
}

// KubernetesManifestProps define a KubernetesManifest.
type KubernetesManifestProps struct {
	KubernetesManifestOptions
	// Cluster is where the objects go. Required.
	Cluster ICluster
	// Manifest are the objects, applied in order: typed k8s.io/api objects
	// (apiVersion and kind are filled in from client-go's scheme),
	// map[string]any, *unstructured.Unstructured, or [YAML] documents.
	// Values may hold tokens; map keys may not. Required.
	Manifest []any
}

// YAML is one or more YAML documents (separated by "---") given as objects
// of a manifest; they are parsed when the manifest is constructed and a
// parse error is reported with the manifest's path.
type YAML string

// KubernetesManifest applies Kubernetes objects to a cluster (custom
// resource Custom::AWSCDK-EKS-KubernetesResource, served by the cluster's
// kubectl handler): created with server-side apply, updated in place,
// deleted with the stack.
type KubernetesManifest struct {
	cdk.Base
	// Resource is the custom resource.
	Resource *cdk.CfnResource

	cluster    ICluster
	objects    []map[string]any
	pruneLabel string
	uses       manifestRefs
	provides   manifestRefs
	// body is the manifest's JSON; inline says it is in the template
	// (property Manifest) rather than an S3 asset (ManifestAsset).
	body   []byte
	inline bool
	// cloud says which controllers delete the cloud resources of the
	// objects (eks/teardown_order.go).
	cloud cloudNeeds
}

// manifestRefs are what a manifest creates or needs: namespaces, custom
// kinds (group/Kind) and service accounts (namespace/name).
type manifestRefs struct {
	namespaces, kinds, serviceAccounts map[string]bool
}

// NewKubernetesManifest adds a manifest to scope. Invalid objects are
// synthesis errors naming the manifest's path.
func NewKubernetesManifest(scope cdk.Construct, id string, props KubernetesManifestProps) *KubernetesManifest {
	m := &KubernetesManifest{cluster: props.Cluster}
	cdk.InitConstruct(m, scope, id)
	requiredCluster(m.Node().Path(), "KubernetesManifestProps.Cluster", props.Cluster)
	if len(props.Manifest) == 0 {
		m.Node().AddError("the manifest has no objects: set KubernetesManifestProps.Manifest")
	}
	m.objects = m.normalize(props.Manifest)
	m.registerObjects()
	checkRemovalPolicy(m.Node(), "RemovalPolicy", props.RemovalPolicy)
	warnSecretObjects(m, m.objects)
	m.checkRemovedAPIs()

	prune := !kubectlOptions(props.Cluster).DisablePrune
	if props.Prune != nil {
		prune = *props.Prune
	}
	if prune {
		m.pruneLabel = PruneLabelPrefix + m.Node().Addr()
		for _, o := range m.objects {
			md, _ := o["metadata"].(map[string]any)
			if md == nil {
				continue
			}
			labels, _ := md["labels"].(map[string]any)
			if labels == nil {
				labels = map[string]any{}
				md["labels"] = labels
			}
			if _, ok := labels[m.pruneLabel]; !ok {
				labels[m.pruneLabel] = ""
			}
		}
	}

	list := make([]any, len(m.objects))
	for i, o := range m.objects {
		list[i] = o
	}
	properties := map[string]any{
		"Overwrite":      boolProp(props.Overwrite),
		"SkipValidation": boolProp(props.SkipValidation),
	}
	if prune {
		properties["PruneLabel"] = m.pruneLabel
	}
	body, err := json.Marshal(list)
	if err != nil {
		m.Node().AddError("the manifest cannot be written as JSON: %v", err)
	}
	m.body = body
	if len(body) > ManifestAssetThreshold {
		if cdk.IsUnresolved(string(body)) {
			m.Node().AddError("the manifest is %d bytes, over the %d bytes that fit in the template, and holds late-bound values (tokens), which an S3 asset cannot carry: split the objects with tokens into a smaller manifest", len(body), ManifestAssetThreshold)
		} else {
			properties["ManifestAsset"] = m.addAsset()
		}
	} else {
		properties["Manifest"] = cdk.Fn.ToJsonString(list)
		m.inline = true
	}
	var total float64
	if !props.DeleteTimeout.IsZero() {
		var secs float64
		var ok bool
		if secs, total, ok = operationTimeout(m.Node(), props.Cluster, "DeleteTimeout", props.DeleteTimeout); ok {
			properties["DeleteTimeout"] = (time.Duration(secs) * time.Second).String()
		}
	}
	declareStackObjects(m, m.cluster, declaresObjects, properties)
	m.Resource = newKubectlResource(m, kubectlResourceProps{
		cluster:       props.Cluster,
		typ:           KubernetesManifestResourceType,
		properties:    properties,
		removalPolicy: props.RemovalPolicy,
		totalSeconds:  total,
	})
	if total > 0 {
		// The Delete's wait continues in the provider's waiter, which the
		// kubectl handler must be allowed to start first.
		kp := KubectlProviderOf(props.Cluster).(*KubectlProvider)
		m.Resource.Node().AddDependency(kp.startsWaiter(kp.Handler))
	}
	m.uses, m.provides = analyzeObjects(m.objects)
	m.cloud = objectsCloudNeeds(m.objects)
	registerManifest(m)
	orderManifestTeardown(m)
	if len(m.provides.namespaces) > 0 {
		cdk.AspectsOf(m).Add(retainedNeighbours{m: m})
	}
	return m
}

// Objects returns the manifest's objects as rendered (prune label added).
func (m *KubernetesManifest) Objects() []map[string]any { return m.objects }

// PruneLabel is the label marking the manifest's objects, or "" without
// pruning.
func (m *KubernetesManifest) PruneLabel() string { return m.pruneLabel }

// Cluster is the manifest's cluster.
func (m *KubernetesManifest) Cluster() ICluster { return m.cluster }

// AddManifest applies Kubernetes objects to the cluster, in order, as one
// KubernetesManifest with id "manifest-<id>" under the cluster.
func (c *Cluster) AddManifest(id string, objects ...any) *KubernetesManifest {
	return NewKubernetesManifest(c, "manifest-"+id, KubernetesManifestProps{Cluster: c, Manifest: objects})
}

// AddManifest applies objects to any cluster, owned or imported (see
// [Cluster.AddManifest]).
func AddManifest(c ICluster, id string, objects ...any) *KubernetesManifest {
	return NewKubernetesManifest(c, "manifest-"+id, KubernetesManifestProps{Cluster: c, Manifest: objects})
}

// normalize turns the given objects into maps, reporting invalid ones.
func (m *KubernetesManifest) normalize(in []any) []map[string]any {
	var out []map[string]any
	for _, v := range in {
		if y, ok := v.(YAML); ok {
			docs, err := ManifestsFromYAML(strings.NewReader(string(y)))
			if err != nil {
				m.Node().AddError("%v", err)
				continue
			}
			for _, d := range docs {
				out = append(out, d.(map[string]any))
			}
			continue
		}
		o, err := toObject(v)
		if err != nil {
			m.Node().AddError("object %d: %v", len(out)+1, err)
			continue
		}
		out = append(out, o)
	}
	for i, o := range out {
		desc := describeObject(o)
		var missing []string
		if s, _ := o["apiVersion"].(string); s == "" {
			missing = append(missing, "apiVersion")
		}
		if s, _ := o["kind"].(string); s == "" {
			missing = append(missing, "kind")
		}
		md, _ := o["metadata"].(map[string]any)
		// Server-side apply needs a name (generateName cannot be applied).
		if name, _ := md["name"].(string); name == "" {
			missing = append(missing, "metadata.name")
		}
		if len(missing) > 0 {
			m.Node().AddError("object %d (%s) has no %s: every Kubernetes object needs apiVersion, kind and metadata.name", i+1, desc, strings.Join(missing, ", "))
		}
		if k := tokenKey(o, ""); k != "" {
			m.Node().AddError("object %d (%s) has a late-bound value (token) in the map key %s: keys must be known at synthesis; move the value into a map value", i+1, desc, k)
		}
		for _, e := range checkObject(o) {
			m.Node().AddError("object %d (%s): %s", i+1, desc, e)
		}
	}
	return out
}

// describeObject names an object for messages.
func describeObject(o map[string]any) string {
	av, _ := o["apiVersion"].(string)
	kind, _ := o["kind"].(string)
	md, _ := o["metadata"].(map[string]any)
	name, _ := md["name"].(string)
	ns, _ := md["namespace"].(string)
	if ns != "" {
		name = ns + "/" + name
	}
	s := strings.TrimSpace(strings.Join([]string{av, kind, name}, " "))
	if s == "" {
		return "empty"
	}
	return s
}

// tokenKey returns the path of a map key holding a token, or "".
func tokenKey(v any, path string) string {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if cdk.IsUnresolved(k) {
				return strings.TrimPrefix(path+"."+k, ".")
			}
			if p := tokenKey(x[k], path+"."+k); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range x {
			if p := tokenKey(e, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

// toObject converts one given object into a JSON-like map (a deep copy).
// Anything encoding/json can write is accepted, at any depth (see
// jsonValue); typed API objects get their apiVersion and kind from
// client-go's scheme.
func toObject(v any) (map[string]any, error) {
	if isNil(v) {
		if v == nil {
			return nil, fmt.Errorf("the object is nil: pass a Kubernetes object")
		}
		return nil, fmt.Errorf("the object is a nil %T: pass a Kubernetes object", v)
	}
	switch x := v.(type) {
	case *unstructured.Unstructured:
		return jsonObject(x.Object)
	case unstructured.Unstructured:
		return jsonObject(x.Object)
	case runtime.Object:
		obj := x.DeepCopyObject()
		if isNil(obj) {
			return nil, fmt.Errorf("the object is a nil %T: pass a Kubernetes object", v)
		}
		gvk := obj.GetObjectKind().GroupVersionKind()
		if gvk.Kind == "" {
			kinds, _, err := scheme.Scheme.ObjectKinds(obj)
			if err != nil || len(kinds) == 0 {
				return nil, fmt.Errorf("%T is not a type client-go's scheme knows: set its TypeMeta (APIVersion, Kind) or give a map", x)
			}
			obj.GetObjectKind().SetGroupVersionKind(kinds[0])
		}
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
		if err != nil {
			return nil, fmt.Errorf("cannot convert %T: %v", x, err)
		}
		cleanTyped(u)
		delete(u, "status")
		return jsonObject(u)
	}
	// A typed object given by value (corev1.Pod{...} rather than &corev1.Pod{...}).
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Struct {
		ptr := reflect.New(rv.Type())
		ptr.Elem().Set(rv)
		if o, ok := ptr.Interface().(runtime.Object); ok {
			return toObject(o)
		}
	}
	// Any other map or struct.
	out, err := jsonValue(v)
	if err != nil {
		return nil, err
	}
	m, ok := out.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%T is not a Kubernetes object (a JSON object): give a map, a struct or a typed k8s.io/api object", v)
	}
	return m, nil
}

// cleanTyped drops the null creationTimestamp fields typed objects carry
// (ObjectMeta's zero time) and empty structs that stand for unset fields.
func cleanTyped(v any) {
	switch x := v.(type) {
	case map[string]any:
		if ts, ok := x["creationTimestamp"]; ok && ts == nil {
			delete(x, "creationTimestamp")
		}
		// Zero non-pointer structs of the typed API (a Namespace's spec, a
		// Deployment's strategy, a container's resources) mean "unset".
		for _, k := range []string{"resources", "spec", "strategy", "updateStrategy"} {
			if r, ok := x[k].(map[string]any); ok && len(r) == 0 {
				delete(x, k)
			}
		}
		for _, e := range x {
			cleanTyped(e)
		}
	case []any:
		for _, e := range x {
			cleanTyped(e)
		}
	}
}

package eks

import (
	"strings"

	"github.com/eksforge/eksforge/cdk"
)

// KubernetesPatchResourceType is the custom resource type of patches.
const KubernetesPatchResourceType = "Custom::AWSCDK-EKS-KubernetesPatch"

// PatchType is how a patch is applied.
type PatchType string

// Patch types; the zero value is a strategic merge patch.
const (
	// PatchTypeStrategic is a strategic merge patch (the zero value).
	PatchTypeStrategic PatchType = ""
	// PatchTypeMerge is a JSON merge patch (RFC 7386).
	PatchTypeMerge PatchType = "merge"
	// PatchTypeJSON is a JSON patch (RFC 6902): a list of operations
	// ([]JSONPatchOperation or []any).
	PatchTypeJSON PatchType = "json"
)

func (t PatchType) cfn() string {
	if t == "" {
		return "strategic"
	}
	return string(t)
}

// JSONPatchOperation is one operation of a JSON patch (RFC 6902).
type JSONPatchOperation struct {
	// Op is add, remove, replace, move, copy or test.
	Op string `json:"op"`
	// Path is the JSON pointer of the target, e.g. "/spec/replicas".
	Path string `json:"path"`
	// Value is the operation's value (add, replace, test).
	Value any `json:"value,omitempty"`
	// From is the source pointer (move, copy).
	From string `json:"from,omitempty"`
}

// KubernetesPatchProps define a KubernetesPatch.
type KubernetesPatchProps struct {
	// Cluster holds the patched object. Required.
	Cluster ICluster
	// ResourceName is "<type>/<name>", e.g. "deployment/coredns".
	// Required.
	ResourceName string
	// ResourceNamespace is the object's namespace.
	// Default: "default".
	ResourceNamespace string
	// ApplyPatch is applied on create and update: a map for strategic and
	// merge patches, a list of operations for JSON patches. Required.
	ApplyPatch any
	// RestorePatch is applied when the patch leaves the stack, and on an
	// update before the new ApplyPatch when it changed.
	// Default: an empty patch (nothing is restored).
	RestorePatch any
	// PatchType is how the patches are applied.
	// Default: strategic merge.
	PatchType PatchType
	// RemovalPolicy: cdk.RemovalPolicyRetain skips the restore patch.
	// Default: cdk.RemovalPolicyDestroy.
	RemovalPolicy cdk.RemovalPolicy
}

// KubernetesPatch patches an existing Kubernetes object (custom resource
// Custom::AWSCDK-EKS-KubernetesPatch) and restores it on delete.
type KubernetesPatch struct {
	cdk.Base
	// Resource is the custom resource.
	Resource *cdk.CfnResource

	namespace    string // the target's namespace ("" when late-bound)
	resourceName string // the target, "<type>/<name>"
}

// NewKubernetesPatch adds a patch to scope.
func NewKubernetesPatch(scope cdk.Construct, id string, props KubernetesPatchProps) *KubernetesPatch {
	p := &KubernetesPatch{}
	cdk.InitConstruct(p, scope, id)
	requiredCluster(p.Node().Path(), "KubernetesPatchProps.Cluster", props.Cluster)
	if props.ResourceName == "" {
		p.Node().AddError("ResourceName is required: set KubernetesPatchProps.ResourceName to \"<type>/<name>\", e.g. \"deployment/hello-kubernetes\"")
	} else if !cdk.IsUnresolved(props.ResourceName) && strings.Count(props.ResourceName, "/") != 1 {
		p.Node().AddError("ResourceName %q must be \"<type>/<name>\", e.g. \"deployment/hello-kubernetes\"", props.ResourceName)
	}
	if isNil(props.ApplyPatch) {
		p.Node().AddError("ApplyPatch is required: a map for strategic and merge patches, a list of operations for JSON patches")
	}
	p.checkPatchProps(props)
	switch props.PatchType {
	case PatchTypeStrategic, PatchTypeMerge, PatchTypeJSON:
	default:
		p.Node().AddError("PatchType %q is not one of strategic, merge, json", string(props.PatchType))
	}
	ns := props.ResourceNamespace
	if ns == "" {
		ns = "default"
	}
	restore := props.RestorePatch
	if restore == nil {
		if props.PatchType == PatchTypeJSON {
			restore = []any{}
		} else {
			restore = map[string]any{}
		}
	}
	apply := p.patchValue("ApplyPatch", props.ApplyPatch, props.PatchType)
	rest := p.patchValue("RestorePatch", restore, props.PatchType)
	if !isNil(props.ApplyPatch) && isEmptyPatch(apply) {
		p.Node().AddError("ApplyPatch is empty: it would change nothing; give the fields to patch, or remove the patch")
	}
	properties := map[string]any{
		"ResourceName":      props.ResourceName,
		"ResourceNamespace": ns,
		"ApplyPatchJson":    cdk.Fn.ToJsonString(apply),
		"RestorePatchJson":  cdk.Fn.ToJsonString(rest),
		"PatchType":         props.PatchType.cfn(),
	}
	if props.Cluster != nil {
		declareStackObjects(p, props.Cluster, declaresPatches, properties)
	}
	p.Resource = newKubectlResource(p, kubectlResourceProps{
		cluster:       props.Cluster,
		typ:           KubernetesPatchResourceType,
		properties:    properties,
		removalPolicy: props.RemovalPolicy,
	})
	if props.Cluster != nil {
		if !cdk.IsUnresolved(ns) {
			p.namespace = ns
		}
		p.resourceName = props.ResourceName
		st := stateOf(props.Cluster)
		st.patches = append(st.patches, p)
	}
	return p
}

// patchValue converts a patch to JSON-like values and checks its shape.
func (p *KubernetesPatch) patchValue(field string, v any, t PatchType) any {
	if v == nil {
		return nil
	}
	out, err := jsonValue(v)
	if err != nil {
		p.Node().AddError("%s: %v", field, err)
		return nil
	}
	_, isList := out.([]any)
	_, isMap := out.(map[string]any)
	switch {
	case t == PatchTypeJSON && !isList:
		p.Node().AddError("%s of a JSON patch must be a list of operations ([]eks.JSONPatchOperation), got %T", field, v)
	case t != PatchTypeJSON && !isMap:
		p.Node().AddError("%s of a %s patch must be an object (map), got %T; a list of operations needs PatchType eks.PatchTypeJSON", field, t.cfn(), v)
	}
	if ops, ok := out.([]any); ok && t == PatchTypeJSON {
		for _, e := range checkJSONPatch(field, ops) {
			p.Node().AddError("%s", e)
		}
	}
	if k := tokenKey(out, ""); k != "" {
		p.Node().AddError("%s has a late-bound value (token) in the map key %s: keys must be known at synthesis", field, k)
	}
	return out
}

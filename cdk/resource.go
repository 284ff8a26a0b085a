package cdk

import (
	"fmt"
	"sort"
	"strings"
)

// CfnResourceProps defines a CloudFormation resource.
type CfnResourceProps struct {
	// Type is the CloudFormation resource type, e.g. "AWS::SNS::Topic".
	Type string
	// Properties are the resource's properties. Values may hold tokens.
	// Default: no properties (or those the host construct renders, see
	// [PropertiesRenderer]).
	Properties map[string]any
	// Tagging says how the resource takes tags; taggable resources receive
	// the tags applied with [TagsOf].
	// Default: not taggable.
	Tagging TagFormat
	// TagProperty is the property holding tags.
	// Default: "Tags".
	TagProperty string
}

// PropertiesRenderer is implemented by typed resources (the generated L1
// constructs): their properties are rendered from the Go props at synthesis,
// so changes made after construction are honoured.
type PropertiesRenderer interface {
	CfnProperties() map[string]any
}

// CfnResourceOptions are the resource attributes other than its properties.
type CfnResourceOptions struct {
	// Condition makes the resource conditional.
	// Default: none.
	Condition *CfnCondition
	// CreationPolicy is the resource's CreationPolicy attribute.
	// Default: none.
	CreationPolicy map[string]any
	// DeletionPolicy is "Delete", "Retain", "RetainExceptOnCreate" or
	// "Snapshot"; usually set through ApplyRemovalPolicy.
	// Default: CloudFormation's (Delete for most resources).
	DeletionPolicy string
	// UpdatePolicy is the resource's UpdatePolicy attribute.
	// Default: none.
	UpdatePolicy map[string]any
	// UpdateReplacePolicy is "Delete", "Retain" or "Snapshot".
	// Default: CloudFormation's (Delete).
	UpdateReplacePolicy string
	// Metadata is the resource's Metadata attribute; synthesis adds the
	// construct path under "aws:cdk:path".
	// Default: only the path.
	Metadata map[string]any
	// Version is the resource's Version attribute (custom resources).
	// Default: none.
	Version string
}

// CfnResource is a CloudFormation resource in a stack's template.
type CfnResource struct {
	CfnElement
	typ         string
	Properties  map[string]any
	options     CfnResourceOptions
	overrides   map[string]any
	dependsOn   []*CfnResource
	tags        *TagManager
	tagProperty string
	known       map[string]bool
	errs        []string
}

// NewCfnResource adds a resource to the stack that holds scope.
func NewCfnResource(scope Construct, id string, props CfnResourceProps) *CfnResource {
	r := &CfnResource{}
	InitCfnResource(r, scope, id, props)
	return r
}

type resourceHolder interface {
	Element
	cfnResource() *CfnResource
}

func (r *CfnResource) cfnResource() *CfnResource { return r }

// InitCfnResource initialises host, a struct embedding CfnResource, as a
// resource under scope. Generated L1 constructors call it.
func InitCfnResource(host Element, scope Construct, id string, props CfnResourceProps) {
	rh, ok := host.(resourceHolder)
	if !ok {
		panic(fmt.Sprintf("cdk: %T does not embed cdk.CfnResource", host))
	}
	if props.Type == "" {
		panic(fmt.Sprintf("cdk: resource %q under %q needs a Type", id, scope.Node().Path()))
	}
	r := rh.cfnResource()
	r.typ = props.Type
	r.Properties = props.Properties
	initElement(host, scope, id)
	if props.Tagging != TagFormatNone {
		r.tagProperty = props.TagProperty
		if r.tagProperty == "" {
			r.tagProperty = "Tags"
		}
		r.tags = NewTagManager(props.Tagging, props.Type)
	}
}

// Type is the CloudFormation resource type.
func (r *CfnResource) Type() string { return r.typ }

// Ref returns {"Ref": logicalId} as a string token.
func (r *CfnResource) Ref() string { return AsString(r.refReference()) }

// GetAtt returns an attribute of the resource ({"Fn::GetAtt": [id, attr]})
// as a Reference; [AsString] or [GetAttString] give a string token.
func (r *CfnResource) GetAtt(attr string) *Reference { return GetAtt(r.host(), attr) }

// GetAttString returns an attribute of the resource as a string token.
func (r *CfnResource) GetAttString(attr string) string { return AsString(r.GetAtt(attr)) }

// GetAttList returns a list-valued attribute of the resource as a list token.
func (r *CfnResource) GetAttList(attr string) []string { return GetAttList(r.host(), attr) }

func (r *CfnResource) host() Element { return r.Node().Host().(Element) }

// CfnOptions returns the resource's attributes for reading or changing.
func (r *CfnResource) CfnOptions() *CfnResourceOptions { return &r.options }

// TagManager returns the manager of the resource's tags, or nil when the
// resource is not taggable.
func (r *CfnResource) TagManager() *TagManager { return r.tags }

// AddDependency makes this resource depend on target (DependsOn). Across
// stacks it orders the stacks instead.
func (r *CfnResource) AddDependency(target *CfnResource) {
	if target == nil || target == r {
		return
	}
	if target.stack != r.stack {
		r.Node().AddDependency(target)
		return
	}
	for _, d := range r.dependsOn {
		if d == target {
			return
		}
	}
	r.dependsOn = append(r.dependsOn, target)
}

// RemoveDependency removes a DependsOn added with AddDependency.
func (r *CfnResource) RemoveDependency(target *CfnResource) {
	for i, d := range r.dependsOn {
		if d == target {
			r.dependsOn = append(r.dependsOn[:i:i], r.dependsOn[i+1:]...)
			return
		}
	}
}

// ObtainDependencies returns the resources this one has DependsOn on.
func (r *CfnResource) ObtainDependencies() []*CfnResource {
	return append([]*CfnResource(nil), r.dependsOn...)
}

// AddMetadata sets a key of the resource's Metadata attribute.
func (r *CfnResource) AddMetadata(key string, value any) {
	if r.options.Metadata == nil {
		r.options.Metadata = map[string]any{}
	}
	r.options.Metadata[key] = value
}

// ApplyRemovalPolicy sets what happens to the physical resource when it is
// removed from the stack or replaced.
func (r *CfnResource) ApplyRemovalPolicy(p RemovalPolicy) {
	del, repl, err := p.policies()
	if err != nil {
		r.errs = append(r.errs, err.Error())
		return
	}
	r.options.DeletionPolicy = del
	r.options.UpdateReplacePolicy = repl
}

// DeclareProperties lists the resource type's property names, so that a
// property override naming another property is reported at synthesis.
// Generated L1 constructors call it.
func (r *CfnResource) DeclareProperties(names ...string) {
	r.known = make(map[string]bool, len(names))
	for _, n := range names {
		r.known[n] = true
	}
}

// resourceAttributes are the keys a resource definition may have.
var resourceAttributes = map[string]bool{
	"Type": true, "Properties": true, "DependsOn": true, "Condition": true, "CreationPolicy": true,
	"DeletionPolicy": true, "UpdatePolicy": true, "UpdateReplacePolicy": true, "Metadata": true, "Version": true,
}

// AddOverride sets a value at a dot-separated path of the rendered resource
// definition, e.g. "Properties.Tags.0.Value" or "DependsOn" — the escape
// hatch for anything the typed API does not expose. Use "\." for a dot
// inside a key. A nil value removes the key (see AddDeletionOverride).
func (r *CfnResource) AddOverride(path string, value any) {
	parts := splitOverridePath(path)
	if len(parts) == 0 || parts[0] == "" {
		r.errs = append(r.errs, fmt.Sprintf("the override path %q is empty", path))
		return
	}
	if !resourceAttributes[parts[0]] {
		r.errs = append(r.errs, fmt.Sprintf("the override path %q starts with %q, which is not a resource attribute; use one of Properties, DependsOn, Condition, CreationPolicy, DeletionPolicy, UpdatePolicy, UpdateReplacePolicy, Metadata (AddPropertyOverride takes a path inside Properties)", path, parts[0]))
		return
	}
	if parts[0] == "Properties" && len(parts) > 1 && r.known != nil && !r.known[parts[1]] {
		r.errs = append(r.errs, fmt.Sprintf("the override path %q names the property %q, which %s does not have; known properties: %s", path, parts[1], r.typ, strings.Join(sortedKeys(r.known), ", ")))
		return
	}
	if r.overrides == nil {
		r.overrides = map[string]any{}
	}
	cur := r.overrides
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	if value == nil {
		cur[parts[len(parts)-1]] = deletion{}
	} else {
		cur[parts[len(parts)-1]] = value
	}
}

// deletion marks a key removed by an override.
type deletion struct{}

// AddDeletionOverride removes the value at path of the rendered resource.
func (r *CfnResource) AddDeletionOverride(path string) { r.AddOverride(path, nil) }

// AddPropertyOverride sets a value at a path inside Properties.
func (r *CfnResource) AddPropertyOverride(path string, value any) {
	r.AddOverride("Properties."+path, value)
}

// AddPropertyDeletionOverride removes the value at a path inside Properties.
func (r *CfnResource) AddPropertyDeletionOverride(path string) {
	r.AddOverride("Properties."+path, nil)
}

func splitOverridePath(path string) []string {
	var parts []string
	var cur strings.Builder
	for i := 0; i < len(path); i++ {
		switch {
		case path[i] == '\\' && i+1 < len(path) && path[i+1] == '.':
			cur.WriteByte('.')
			i++
		case path[i] == '.':
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(path[i])
		}
	}
	return append(parts, cur.String())
}

func (r *CfnResource) properties() map[string]any {
	var props map[string]any
	if pr, ok := r.Node().Host().(PropertiesRenderer); ok {
		props = pr.CfnProperties()
	} else if r.Properties != nil {
		props = make(map[string]any, len(r.Properties))
		for k, v := range r.Properties {
			props[k] = v
		}
	}
	if r.tags != nil && r.tags.HasTags() {
		if props == nil {
			props = map[string]any{}
		}
		props[r.tagProperty] = r.tags.renderWith(props[r.tagProperty])
	}
	return props
}

func (r *CfnResource) renderSection() (string, any) {
	def := newObject()
	def.set("Type", r.typ)
	if p := r.properties(); len(p) > 0 {
		def.set("Properties", p)
	}
	if deps := r.renderDependsOn(); len(deps) > 0 {
		def.set("DependsOn", deps)
	}
	o := r.options
	if o.Condition != nil {
		def.set("Condition", o.Condition.LogicalID())
	}
	if o.CreationPolicy != nil {
		def.set("CreationPolicy", o.CreationPolicy)
	}
	if o.UpdatePolicy != nil {
		def.set("UpdatePolicy", o.UpdatePolicy)
	}
	if o.UpdateReplacePolicy != "" {
		def.set("UpdateReplacePolicy", o.UpdateReplacePolicy)
	}
	if o.DeletionPolicy != "" {
		def.set("DeletionPolicy", o.DeletionPolicy)
	}
	if o.Version != "" {
		def.set("Version", o.Version)
	}
	md := map[string]any{}
	for k, v := range o.Metadata {
		md[k] = v
	}
	if r.stack.pathMetadata() {
		md["aws:cdk:path"] = r.Node().Path()
	}
	if len(md) > 0 {
		def.set("Metadata", md)
	}
	return "Resources", def
}

func (r *CfnResource) renderDependsOn() []any {
	deps := append([]*CfnResource(nil), r.dependsOn...)
	sort.SliceStable(deps, func(i, j int) bool { return deps[i].Node().Path() < deps[j].Node().Path() })
	out := make([]any, 0, len(deps))
	for _, d := range deps {
		out = append(out, d.LogicalID())
	}
	return out
}

package cfngen

import (
	"fmt"
	"sort"
	"strings"
)

// Kind is the Go shape of a property.
type Kind int

// The kinds of property types.
const (
	KindString Kind = iota // string
	KindInt                // *int (int in a list)
	KindFloat              // *float64 (float64 in a list)
	KindBool               // *bool (bool in a list)
	KindList               // []Elem
	KindMap                // map[string]Elem (Elem is a string)
	KindStruct             // *Struct (Struct in a list)
	KindTags               // []cdk.CfnTag
	KindAny                // any: JSON, unions
)

// Type is the Go type of a property.
type Type struct {
	Kind   Kind
	Elem   *Type   // KindList, KindMap
	Struct *Struct // KindStruct
}

// Expr is the type as a struct field's type.
func (t *Type) Expr() string {
	switch t.Kind {
	case KindInt:
		return "*int"
	case KindFloat:
		return "*float64"
	case KindBool:
		return "*bool"
	case KindStruct:
		return "*" + t.Struct.GoName
	}
	return t.ElemExpr()
}

// ElemExpr is the type as the element of a list or map.
func (t *Type) ElemExpr() string {
	switch t.Kind {
	case KindString:
		return "string"
	case KindInt:
		return "int"
	case KindFloat:
		return "float64"
	case KindBool:
		return "bool"
	case KindList:
		return "[]" + t.Elem.ElemExpr()
	case KindMap:
		return "map[string]" + t.Elem.ElemExpr()
	case KindStruct:
		return t.Struct.GoName
	case KindTags:
		return "[]cdk.CfnTag"
	}
	return "any"
}

// Field is a property of a resource or of a property type.
type Field struct {
	CfnName    string
	GoName     string
	Type       *Type
	Schema     *Schema // the property's schema, $ref followed
	Raw        *Schema // the property's schema as written
	Required   bool
	CreateOnly bool
	WriteOnly  bool
	Deprecated bool
}

// Struct is a resource's props struct or one of its property types.
type Struct struct {
	GoName   string
	CfnName  string // the definition name (or property name for inline objects); "" for props
	Resource *Resource
	Fields   []*Field
	Schema   *Schema
	// validates: the struct, or one it holds, has required fields.
	validates bool
}

// Attr is a resource attribute (a readOnlyProperties entry).
type Attr struct {
	GoName  string // "AttrArn"
	CfnName string // "Arn", "KubernetesNetworkConfig.ServiceIpv6Cidr"
	List    bool
}

// Resource is one resource type.
type Resource struct {
	TypeName  string // "AWS::EKS::Cluster"
	GoName    string // "CfnCluster"
	Schema    *ResourceSchema
	Props     *Struct
	Structs   []*Struct // property types, in the order they were named
	Attrs     []Attr
	TagFormat string // cdk.TagFormat constant name; "" when not taggable
	TagProp   string
	File      string // file name in the package
	// Docs is the type's documentation beyond its schema (may be nil).
	Docs *TypeDocs

	pkg   *Package
	top   *Schema
	byPtr map[*Schema]*Struct
	// merged caches mergedObject by union schema.
	merged map[*Schema]*Schema
	marks  map[*Schema]map[string]*mark
	// required are extra required properties per object schema (the first
	// branch of a oneOf/anyOf of required lists), for samples only.
}

type mark struct{ readOnly, createOnly, writeOnly, deprecated bool }

// Package is one namespace, e.g. AWS::EKS → cfn/eks, package cfneks.
type Package struct {
	Vendor, Service string
	Name            string // "cfneks"
	Dir             string // "eks"
	Resources       []*Resource
	names           nameSet
}

// Namespace is "AWS::EKS".
func (p *Package) Namespace() string { return p.Vendor + "::" + p.Service }

// PackageDir is the directory (under cfn/) of a namespace's package: the
// service in lower case for AWS ("AWS::EKS" → "eks"), vendor and service
// for other vendors ("Alexa::ASK" → "alexaask").
func PackageDir(vendor, service string) string {
	d := strings.ToLower(GoName(service))
	if vendor != "AWS" {
		d = strings.ToLower(GoName(vendor)) + d
	}
	return d
}

// Build groups the schemas into packages and resolves every type.
// Only namespaces whose package dir is in dirs are built (all when dirs is
// empty). Packages come sorted by dir, resources by type name.
func Build(schemas []*ResourceSchema, dirs []string) ([]*Package, error) {
	return BuildWithDocs(schemas, nil, dirs)
}

// BuildWithDocs is Build with documentation for what the schemas do not
// describe, by resource type name.
func BuildWithDocs(schemas []*ResourceSchema, docs map[string]*TypeDocs, dirs []string) ([]*Package, error) {
	want := map[string]bool{}
	for _, d := range dirs {
		want[d] = true
	}
	byDir := map[string]*Package{}
	for _, rs := range schemas {
		parts := strings.Split(rs.TypeName, "::")
		dir := PackageDir(parts[0], parts[1])
		if len(want) > 0 && !want[dir] {
			continue
		}
		p := byDir[dir]
		if p == nil {
			p = &Package{Vendor: parts[0], Service: parts[1], Dir: dir, Name: "cfn" + dir, names: nameSet{}}
			byDir[dir] = p
		} else if p.Namespace() != parts[0]+"::"+parts[1] {
			return nil, fmt.Errorf("namespaces %s and %s::%s would share the package directory %q", p.Namespace(), parts[0], parts[1], dir)
		}
		p.Resources = append(p.Resources, &Resource{TypeName: rs.TypeName, Schema: rs, pkg: p, Docs: docs[rs.TypeName]})
	}
	for d := range want {
		if byDir[d] == nil {
			return nil, fmt.Errorf("no schema for the namespace of package dir %q", d)
		}
	}
	var pkgs []*Package
	for _, p := range byDir {
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].Dir < pkgs[j].Dir })
	for _, p := range pkgs {
		files := nameSet{"doc": true}
		// Resource and props names first, so that property types yield.
		for _, r := range p.Resources {
			base := GoName(strings.Split(r.TypeName, "::")[2])
			r.GoName = p.names.take("Cfn" + base)
			p.names.take(r.GoName + "Props")
			p.names.take("New" + r.GoName)
			r.File = files.take(strings.ToLower(base)) + ".go"
		}
		for _, r := range p.Resources {
			if err := r.build(); err != nil {
				return nil, fmt.Errorf("%s: %w", r.TypeName, err)
			}
		}
	}
	return pkgs, nil
}

// deref follows $ref to #/definitions/..., returning the schema and the
// name of the last definition followed ("" when s is not a reference).
func (r *Resource) deref(s *Schema) (*Schema, string) {
	name := ""
	for i := 0; s != nil && s.Ref != ""; i++ {
		const prefix = "#/definitions/"
		if !strings.HasPrefix(s.Ref, prefix) || i > 20 {
			return &Schema{}, name
		}
		name = strings.TrimPrefix(s.Ref, prefix)
		d, ok := r.Schema.Definitions[name]
		if !ok {
			return &Schema{}, name
		}
		s = d
	}
	return s, name
}

// locate resolves a property path (/properties/A/B, "*" for list items) to
// the object schema holding its last property and that property's name.
func (r *Resource) locate(path string) (*Schema, string, bool) {
	if !strings.HasPrefix(path, "/properties/") {
		return nil, "", false
	}
	parts := strings.Split(strings.TrimPrefix(path, "/properties/"), "/")
	owner := r.top
	for i := 0; i < len(parts)-1; i++ {
		p, ok := owner.Properties[parts[i]]
		if !ok {
			return nil, "", false
		}
		s, _ := r.deref(p)
		for i+1 < len(parts)-1 && parts[i+1] == "*" && s.Items != nil {
			s, _ = r.deref(s.Items)
			i++
		}
		owner = s
	}
	last := parts[len(parts)-1]
	if _, ok := owner.Properties[last]; !ok {
		return nil, "", false
	}
	return owner, last, true
}

func (r *Resource) markAll(paths []string, set func(*mark)) {
	for _, p := range paths {
		owner, name, ok := r.locate(p)
		if !ok {
			continue
		}
		m := r.marks[owner]
		if m == nil {
			m = map[string]*mark{}
			r.marks[owner] = m
		}
		if m[name] == nil {
			m[name] = &mark{}
		}
		set(m[name])
	}
}

func (r *Resource) markOf(owner *Schema, name string) mark {
	if m := r.marks[owner][name]; m != nil {
		return *m
	}
	return mark{}
}

func (r *Resource) build() error {
	rs := r.Schema
	r.top = &Schema{Properties: rs.Properties, Required: rs.Required}
	r.byPtr = map[*Schema]*Struct{}
	r.merged = map[*Schema]*Schema{}
	r.marks = map[*Schema]map[string]*mark{}
	r.markAll(rs.ReadOnlyProperties, func(m *mark) { m.readOnly = true })
	r.markAll(rs.CreateOnlyProperties, func(m *mark) { m.createOnly = true })
	r.markAll(rs.WriteOnlyProperties, func(m *mark) { m.writeOnly = true })
	r.markAll(rs.DeprecatedProperties, func(m *mark) { m.deprecated = true })
	tagProp := ""
	taggable := false
	switch {
	case rs.Tagging != nil && rs.Tagging.Taggable != nil:
		taggable = *rs.Tagging.Taggable
	case rs.Taggable != nil:
		taggable = *rs.Taggable
	default:
		_, taggable = rs.Properties["Tags"]
	}
	if taggable {
		tagProp = "Tags"
		if rs.Tagging != nil && rs.Tagging.TagProperty != "" {
			tagProp = strings.TrimPrefix(rs.Tagging.TagProperty, "/properties/")
		}
	}
	r.Props = &Struct{GoName: r.GoName + "Props", Resource: r, Schema: r.top}
	r.fillStruct(r.Props, tagProp)
	if tagProp != "" {
		for _, f := range r.Props.Fields {
			if f.CfnName != tagProp {
				continue
			}
			switch {
			case f.Type.Kind == KindTags:
				r.TagFormat = "TagFormatStandard"
			case f.Type.Kind == KindList && f.Type.Elem.Kind == KindStruct && hasFields(f.Type.Elem.Struct, "Key", "Value", "PropagateAtLaunch"):
				r.TagFormat = "TagFormatAutoScalingGroup"
			case f.Type.Kind == KindMap:
				r.TagFormat = "TagFormatMap"
			case f.Type.Kind == KindAny && hasType(f.Schema, "object"):
				r.TagFormat = "TagFormatMap"
			}
			if r.TagFormat != "" {
				r.TagProp = tagProp
			}
		}
	}
	r.buildAttrs()
	r.computeValidates()
	return nil
}

func hasFields(s *Struct, names ...string) bool {
	have := map[string]bool{}
	for _, f := range s.Fields {
		have[f.CfnName] = true
	}
	for _, n := range names {
		if !have[n] {
			return false
		}
	}
	return len(have) == len(names)
}

// fillStruct adds the writable properties of st.Schema as fields.
func (r *Resource) fillStruct(st *Struct, tagProp string) {
	o := st.Schema
	names := make([]string, 0, len(o.Properties))
	for n := range o.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	required := map[string]bool{}
	for _, n := range o.Required {
		required[n] = true
	}
	taken := nameSet{"CfnProperties": true}
	for _, n := range names {
		m := r.markOf(o, n)
		if m.readOnly {
			continue
		}
		raw := o.Properties[n]
		f := &Field{CfnName: n, GoName: taken.take(GoName(n)), Raw: raw, Required: required[n], CreateOnly: m.createOnly, WriteOnly: m.writeOnly, Deprecated: m.deprecated}
		f.Schema, _ = r.deref(raw)
		if (n == "Tags" || (st == r.Props && n == tagProp)) && r.isKeyValueList(f.Schema) {
			f.Type = &Type{Kind: KindTags}
		} else {
			f.Type = r.typeOf(raw, f.GoName)
		}
		st.Fields = append(st.Fields, f)
	}
}

// isKeyValueList reports whether s is a list of {Key: string, Value: string}.
func (r *Resource) isKeyValueList(s *Schema) bool {
	if s.single() != "array" || s.Items == nil {
		return false
	}
	it, _ := r.deref(s.Items)
	if len(it.Properties) != 2 {
		return false
	}
	for _, n := range []string{"Key", "Value"} {
		p, ok := it.Properties[n]
		if !ok {
			return false
		}
		ps, _ := r.deref(p)
		if r.shallowKey(ps) != "string" {
			return false
		}
	}
	return true
}

// shallowKey classifies a schema without naming any struct: "string",
// "integer", "number", "boolean", "array", "map", "any", or "object:<ptr>"
// for a struct-shaped schema.
func (r *Resource) shallowKey(s *Schema) string {
	s, _ = r.deref(s)
	switch t := r.kindOf(s); t {
	case "object":
		return fmt.Sprintf("object:%p", s)
	case "union":
		return "any"
	default:
		return t
	}
}

// kindOf is the JSON type a schema describes: string, integer, number,
// boolean, array, object (with properties), map, any or union.
func (r *Resource) kindOf(s *Schema) string {
	if len(s.Type) > 1 {
		return "any"
	}
	t := s.single()
	if t == "" {
		switch {
		case len(s.Properties) > 0:
			t = "object"
		case s.Items != nil:
			t = "array"
		case len(s.enum()) > 0 && allStrings(s.enum()):
			return "string"
		case s.Const != nil:
			if _, ok := s.Const.(string); ok {
				return "string"
			}
			return "any"
		case len(s.OneOf) > 0 || len(s.AnyOf) > 0 || len(s.AllOf) > 0:
			return "union"
		default:
			return "any"
		}
	}
	switch t {
	case "string", "integer", "number", "boolean", "array":
		return t
	case "object":
		if len(s.Properties) > 0 {
			return "object"
		}
		if r.mapValue(s) != nil {
			return "map"
		}
		if len(s.OneOf)+len(s.AnyOf) > 0 {
			return "union"
		}
		return "any"
	}
	return "any"
}

// mapValue returns the value schema of an object whose values (by
// patternProperties or additionalProperties) are all strings, or may all
// be strings (a list of types including "string").
func (r *Resource) mapValue(s *Schema) *Schema {
	var vals []*Schema
	keys := make([]string, 0, len(s.PatternProperties))
	for k := range s.PatternProperties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vals = append(vals, s.PatternProperties[k])
	}
	if a := s.additional(); a != nil {
		vals = append(vals, a)
	}
	if len(vals) == 0 {
		return nil
	}
	for _, v := range vals {
		d, _ := r.deref(v)
		if !hasType(d, "string") && !(d.single() == "" && len(d.enum()) > 0 && allStrings(d.enum())) {
			return nil
		}
	}
	d, _ := r.deref(vals[0])
	return d
}

// hasType reports whether s's type is t or a list of types including t.
func hasType(s *Schema, t string) bool {
	for _, x := range s.Type {
		if x == t {
			return true
		}
	}
	return false
}

func allStrings(l []any) bool {
	for _, v := range l {
		if _, ok := v.(string); !ok {
			return false
		}
	}
	return true
}

// unionBranch returns the one schema all branches of a oneOf/anyOf/allOf
// agree on, or nil when they describe different types.
func (r *Resource) unionBranch(s *Schema) *Schema {
	var branches []*Schema
	for _, l := range [][]*Schema{s.OneOf, s.AnyOf, s.AllOf} {
		for _, b := range l {
			d, _ := r.deref(b)
			// A branch with no type information only constrains.
			if b.Ref == "" && len(d.Type) == 0 && len(d.Properties) == 0 && d.Items == nil && len(d.enum()) == 0 && d.Const == nil && len(d.OneOf)+len(d.AnyOf)+len(d.AllOf) == 0 {
				continue
			}
			branches = append(branches, b)
		}
	}
	if len(branches) == 0 {
		return nil
	}
	key := r.shallowKey(branches[0])
	if key == "any" || key == "array" || key == "map" {
		return nil
	}
	for _, b := range branches[1:] {
		if r.shallowKey(b) != key {
			return nil
		}
	}
	return branches[0]
}

// typeOf returns the Go type of a property schema; hint names an inline
// object's struct.
func (r *Resource) typeOf(raw *Schema, hint string) *Type {
	s, def := r.deref(raw)
	if def != "" {
		hint = GoName(def)
	}
	switch r.kindOf(s) {
	case "string":
		return &Type{Kind: KindString}
	case "integer":
		return &Type{Kind: KindInt}
	case "number":
		return &Type{Kind: KindFloat}
	case "boolean":
		return &Type{Kind: KindBool}
	case "array":
		if s.Items == nil {
			return &Type{Kind: KindList, Elem: &Type{Kind: KindAny}}
		}
		e := r.typeOf(s.Items, hint)
		if e.Kind == KindList || e.Kind == KindTags {
			e = &Type{Kind: KindAny}
		}
		return &Type{Kind: KindList, Elem: e}
	case "map":
		return &Type{Kind: KindMap, Elem: &Type{Kind: KindString}}
	case "object":
		return &Type{Kind: KindStruct, Struct: r.structFor(s, def, hint)}
	case "union":
		if b := r.unionBranch(s); b != nil {
			return r.typeOf(b, hint)
		}
		if m := r.mergedObject(s); m != nil {
			return &Type{Kind: KindStruct, Struct: r.structFor(m, def, hint)}
		}
	}
	return &Type{Kind: KindAny}
}

// mergedObject returns, for a oneOf/anyOf whose branches are all objects
// with properties (a tagged union such as {"A": ...} | {"B": ...}), one
// object schema holding every branch's properties (the first branch to
// name a property gives its schema); a property is required when every
// branch requires it. The branches are kept as its OneOf/AnyOf, so the
// struct's doc can say which to set. The result is cached per union.
func (r *Resource) mergedObject(s *Schema) *Schema {
	if m, ok := r.merged[s]; ok {
		return m
	}
	branches := s.OneOf
	if len(branches) == 0 {
		branches = s.AnyOf
	}
	if len(branches) == 0 {
		return nil
	}
	m := &Schema{Properties: map[string]*Schema{}, Description: s.Description}
	count := map[string]int{}
	for _, b := range branches {
		d, _ := r.deref(b)
		if r.kindOf(d) != "object" {
			return nil
		}
		for n, p := range d.Properties {
			if _, ok := m.Properties[n]; !ok {
				m.Properties[n] = p
			}
		}
		for _, n := range d.Required {
			count[n]++
		}
		if len(s.OneOf) > 0 {
			m.OneOf = append(m.OneOf, d)
		} else {
			m.AnyOf = append(m.AnyOf, d)
		}
	}
	for n, c := range count {
		if c == len(branches) {
			m.Required = append(m.Required, n)
		}
	}
	sort.Strings(m.Required)
	r.merged[s] = m
	return m
}

func (r *Resource) structFor(s *Schema, def, hint string) *Struct {
	if st, ok := r.byPtr[s]; ok {
		return st
	}
	base := strings.TrimPrefix(r.GoName, "Cfn")
	st := &Struct{GoName: r.pkg.names.takeType("Cfn" + base + hint), CfnName: def, Resource: r, Schema: s}
	if def == "" {
		st.CfnName = hint
	}
	r.byPtr[s] = st
	r.Structs = append(r.Structs, st)
	r.fillStruct(st, "")
	return st
}

// computeValidates marks the structs that have, or hold, required fields.
func (r *Resource) computeValidates() {
	all := append([]*Struct{r.Props}, r.Structs...)
	for changed := true; changed; {
		changed = false
		for _, st := range all {
			if st.validates {
				continue
			}
			for _, f := range st.Fields {
				if f.Required || (f.Type.Kind == KindStruct && f.Type.Struct.validates) ||
					(f.Type.Kind == KindList && f.Type.Elem.Kind == KindStruct && f.Type.Elem.Struct.validates) {
					st.validates = true
					changed = true
					break
				}
			}
		}
	}
}

func (r *Resource) buildAttrs() {
	taken := nameSet{}
	add := func(cfn string, list bool) {
		parts := strings.Split(cfn, ".")
		g := "Attr"
		for _, p := range parts {
			g += GoName(p)
		}
		r.Attrs = append(r.Attrs, Attr{GoName: taken.take(g), CfnName: cfn, List: list})
	}
	paths := append([]string(nil), r.Schema.ReadOnlyProperties...)
	sort.Strings(paths)
	seen := map[string]bool{}
	for _, p := range paths {
		if seen[p] || strings.Contains(p, "/*") {
			continue
		}
		seen[p] = true
		owner, name, ok := r.locate(p)
		if !ok {
			continue
		}
		cfn := strings.ReplaceAll(strings.TrimPrefix(p, "/properties/"), "/", ".")
		s, _ := r.deref(owner.Properties[name])
		switch r.kindOf(s) {
		case "array":
			add(cfn, true)
		case "object":
			subs := make([]string, 0, len(s.Properties))
			for n := range s.Properties {
				subs = append(subs, n)
			}
			sort.Strings(subs)
			for _, n := range subs {
				ss, _ := r.deref(s.Properties[n])
				switch r.kindOf(ss) {
				case "string", "integer", "number", "boolean":
					add(cfn+"."+n, false)
				case "array":
					add(cfn+"."+n, true)
				}
			}
		default:
			add(cfn, false)
		}
	}
}

package cfndiff

import (
	"encoding/json"
	"reflect"
	"regexp"
	"sort"
	"strings"
)

// Kind is what happened to a resource or template element.
type Kind int

// Kinds of change.
const (
	// Added: only in the new template.
	Added Kind = iota + 1
	// Removed: only in the old template.
	Removed
	// Modified: in both, with different definitions (or replaced because
	// something it refers to is).
	Modified
)

func (k Kind) marker() string {
	switch k {
	case Added:
		return "[+]"
	case Removed:
		return "[-]"
	default:
		return "[~]"
	}
}

// TemplateDiff is the difference between two templates.
type TemplateDiff struct {
	// Resources are the resources that differ, by logical ID.
	Resources []ResourceDiff
	// Parameters, Outputs, Conditions, Mappings and Rules are the named
	// elements of those sections that differ, by name.
	Parameters, Outputs, Conditions, Mappings, Rules []ElementDiff
	// Description is set when the template description differs.
	Description *ElementDiff
	// IAM lists the IAM statements and managed policies added or removed.
	IAM []IAMChange
	// SecurityGroups lists the security group rules added or removed.
	SecurityGroups []SecurityGroupChange
}

// ResourceDiff is one resource that differs.
type ResourceDiff struct {
	// LogicalID is the resource's logical ID.
	LogicalID string
	// Kind is Added, Removed or Modified.
	Kind Kind
	// OldType and NewType are the resource types ("" when absent).
	OldType, NewType string
	// ConstructPath is the resource's aws:cdk:path metadata, if any.
	ConstructPath string
	// Properties are the property changes, by path.
	Properties []PropertyDiff
	// Attributes are changes outside Properties (DependsOn,
	// DeletionPolicy, UpdateReplacePolicy, Condition, ...).
	Attributes []PropertyDiff
	// Replace says CloudFormation replaces the resource: a new one is
	// created and the old one deleted.
	Replace bool
	// ReplaceReasons say why, one per cause.
	ReplaceReasons []string
	// Manifest is the change of a Kubernetes manifest's objects read from
	// its S3 asset (see [CompareWith]), or nil.
	Manifest *ManifestDiff
}

// Type returns the new type, or the old one for a removed resource.
func (r ResourceDiff) Type() string {
	if r.NewType != "" {
		return r.NewType
	}
	return r.OldType
}

// PropertyDiff is one changed value.
type PropertyDiff struct {
	// Path is the property's path, "."-separated ("ScalingConfig.MinSize").
	Path string
	// Old and New are the values (nil when absent).
	Old, New any
	// HasOld and HasNew say whether the values were present at all.
	HasOld, HasNew bool
	// Replaces says this change makes CloudFormation replace the resource.
	Replaces bool
}

// ElementDiff is one changed template element (a parameter, an output, ...).
type ElementDiff struct {
	// Name is the element's name.
	Name string
	// Kind is Added, Removed or Modified.
	Kind Kind
	// Old and New are the definitions (nil when absent).
	Old, New any
}

// IsEmpty says whether the templates are equivalent.
func (d *TemplateDiff) IsEmpty() bool {
	return len(d.Resources) == 0 && len(d.Parameters) == 0 && len(d.Outputs) == 0 &&
		len(d.Conditions) == 0 && len(d.Mappings) == 0 && len(d.Rules) == 0 && d.Description == nil
}

// Replacements returns the resources that would be replaced.
func (d *TemplateDiff) Replacements() []ResourceDiff {
	var out []ResourceDiff
	for _, r := range d.Resources {
		if r.Replace {
			out = append(out, r)
		}
	}
	return out
}

// criticalTypes are replaced only with an explicit warning: replacing them
// loses a cluster's workloads or capacity.
var criticalTypes = map[string]string{
	"AWS::EKS::Cluster":        "the EKS cluster is deleted and created again: every workload, Kubernetes object and node on it is lost",
	"AWS::EKS::Nodegroup":      "a new node group is created and the old one deleted: its nodes are drained and terminated",
	"AWS::EKS::FargateProfile": "the Fargate profile is deleted and created again: pods it scheduled are rescheduled",
}

// Warnings returns one line per replaced EKS cluster, node group or Fargate
// profile.
func (d *TemplateDiff) Warnings() []string {
	var out []string
	for _, r := range d.Replacements() {
		what, ok := criticalTypes[r.Type()]
		if !ok {
			continue
		}
		name := r.LogicalID
		if r.ConstructPath != "" {
			name += " (" + r.ConstructPath + ")"
		}
		out = append(out, "WARNING: "+r.Type()+" "+name+" will be REPLACED: "+what+"; because "+strings.Join(r.ReplaceReasons, "; "))
	}
	return out
}

// Compare returns the difference from old to new. Either may be nil (a
// stack not deployed yet, or deleted).
func Compare(old, new map[string]any) *TemplateDiff {
	d := &TemplateDiff{}
	d.Resources = compareResources(section(old, "Resources"), section(new, "Resources"))
	d.Parameters = compareElements(section(old, "Parameters"), section(new, "Parameters"))
	d.Outputs = compareElements(section(old, "Outputs"), section(new, "Outputs"))
	d.Conditions = compareElements(section(old, "Conditions"), section(new, "Conditions"))
	d.Mappings = compareElements(section(old, "Mappings"), section(new, "Mappings"))
	d.Rules = compareElements(section(old, "Rules"), section(new, "Rules"))
	if od, nd := old["Description"], new["Description"]; !equal(od, nd) {
		d.Description = &ElementDiff{Name: "Description", Kind: kindOf(od != nil, nd != nil), Old: od, New: nd}
	}
	d.IAM = compareIAM(section(old, "Resources"), section(new, "Resources"))
	d.SecurityGroups = compareSecurityGroups(section(old, "Resources"), section(new, "Resources"))
	return d
}

func kindOf(hasOld, hasNew bool) Kind {
	switch {
	case !hasOld:
		return Added
	case !hasNew:
		return Removed
	default:
		return Modified
	}
}

func section(t map[string]any, name string) map[string]any {
	m, _ := t[name].(map[string]any)
	return m
}

func sortedKeys(ms ...map[string]any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

func compareElements(old, new map[string]any) []ElementDiff {
	var out []ElementDiff
	for _, k := range sortedKeys(old, new) {
		o, hasOld := old[k]
		n, hasNew := new[k]
		if hasOld && hasNew && equal(o, n) {
			continue
		}
		out = append(out, ElementDiff{Name: k, Kind: kindOf(hasOld, hasNew), Old: o, New: n})
	}
	return out
}

// equal compares decoded JSON values; numbers compare by value whatever
// their Go type.
func equal(a, b any) bool {
	return reflect.DeepEqual(normalize(a), normalize(b))
}

func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = normalize(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = normalize(e)
		}
		return l
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case json.Number:
		f, _ := x.Float64()
		return f
	default:
		return v
	}
}

func compareResources(old, new map[string]any) []ResourceDiff {
	byID := map[string]*ResourceDiff{}
	var ids []string
	for _, id := range sortedKeys(old, new) {
		o, hasOld := old[id].(map[string]any)
		n, hasNew := new[id].(map[string]any)
		if hasOld && hasNew && equal(o, n) {
			continue
		}
		r := &ResourceDiff{LogicalID: id, Kind: kindOf(hasOld, hasNew)}
		r.OldType, _ = o["Type"].(string)
		r.NewType, _ = n["Type"].(string)
		r.ConstructPath = cdkPath(n)
		if r.ConstructPath == "" {
			r.ConstructPath = cdkPath(o)
		}
		if r.Kind == Modified {
			oprops, _ := o["Properties"].(map[string]any)
			nprops, _ := n["Properties"].(map[string]any)
			diffValues("", oprops, nprops, &r.Properties)
			for _, k := range sortedKeys(o, n) {
				if k == "Properties" || k == "Type" || k == "Metadata" {
					continue
				}
				ov, ho := o[k]
				nv, hn := n[k]
				if !equal(ov, nv) {
					r.Attributes = append(r.Attributes, PropertyDiff{Path: k, Old: ov, New: nv, HasOld: ho, HasNew: hn})
				}
			}
			if !equal(o["Metadata"], n["Metadata"]) {
				r.Attributes = append(r.Attributes, PropertyDiff{Path: "Metadata", Old: o["Metadata"], New: n["Metadata"], HasOld: o["Metadata"] != nil, HasNew: n["Metadata"] != nil})
			}
			if r.OldType != r.NewType {
				r.Replace = true
				r.ReplaceReasons = append(r.ReplaceReasons, "its type changes from "+r.OldType+" to "+r.NewType)
			} else {
				for _, p := range createOnlyPaths(r.NewType) {
					if !equal(valuesAt(oprops, p), valuesAt(nprops, p)) {
						r.Replace = true
						r.ReplaceReasons = append(r.ReplaceReasons, dotted(p)+" changes")
						markReplacing(r.Properties, dotted(p))
					}
				}
			}
		}
		byID[id] = r
		ids = append(ids, id)
	}
	propagateReplacement(old, new, byID, &ids)
	sort.Strings(ids)
	out := make([]ResourceDiff, 0, len(ids))
	for _, id := range ids {
		out = append(out, *byID[id])
	}
	return out
}

// propagateReplacement marks resources whose create-only properties refer
// (Ref, Fn::GetAtt, Fn::Sub) to a replaced resource: the reference's value
// changes, so they are replaced too. It repeats until nothing changes.
func propagateReplacement(old, new map[string]any, byID map[string]*ResourceDiff, ids *[]string) {
	for changed := true; changed; {
		changed = false
		for _, id := range sortedKeys(new) {
			n, ok := new[id].(map[string]any)
			if !ok {
				continue
			}
			if _, existed := old[id].(map[string]any); !existed {
				continue
			}
			r := byID[id]
			if r != nil && r.Replace {
				continue
			}
			typ, _ := n["Type"].(string)
			props, _ := n["Properties"].(map[string]any)
			for _, p := range createOnlyPaths(typ) {
				for _, reference := range References(valuesAt(props, p)) {
					ref := reference.Target
					target := byID[ref]
					if target == nil || !target.Replace {
						continue
					}
					if r == nil {
						r = &ResourceDiff{LogicalID: id, Kind: Modified, OldType: typ, NewType: typ, ConstructPath: cdkPath(n)}
						byID[id] = r
						*ids = append(*ids, id)
					}
					r.Replace = true
					r.ReplaceReasons = append(r.ReplaceReasons, dotted(p)+" refers to "+ref+", which is replaced")
					changed = true
				}
			}
		}
	}
}

func cdkPath(r map[string]any) string {
	md, _ := r["Metadata"].(map[string]any)
	p, _ := md["aws:cdk:path"].(string)
	return p
}

func createOnlyPaths(typ string) []string {
	s := createOnly[typ]
	if s == "" {
		s = customCreateOnly[typ]
	}
	if s == "" {
		return nil
	}
	return strings.Split(s, " ")
}

func dotted(p string) string {
	return strings.ReplaceAll(strings.ReplaceAll(p, "/*", "[*]"), "/", ".")
}

// markReplacing flags the property diffs at, above or below path p.
func markReplacing(diffs []PropertyDiff, p string) {
	p = strings.ReplaceAll(p, "[*]", "")
	for i := range diffs {
		d := strings.ReplaceAll(diffs[i].Path, "[*]", "")
		if d == p || strings.HasPrefix(d, p+".") || strings.HasPrefix(p, d+".") {
			diffs[i].Replaces = true
		}
	}
}

// valuesAt returns the value at the "/"-separated path p of props; a "*"
// segment collects the values of every element of a list.
func valuesAt(v any, p string) any {
	if p == "" {
		return v
	}
	head, rest, _ := strings.Cut(p, "/")
	if head == "*" {
		l, ok := v.([]any)
		if !ok {
			return nil
		}
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = valuesAt(e, rest)
		}
		return out
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	return valuesAt(m[head], rest)
}

// isIntrinsic says whether m is an intrinsic function call ({"Ref": ...},
// {"Fn::GetAtt": ...}), which is compared as one value.
func isIntrinsic(m map[string]any) bool {
	if len(m) != 1 {
		return false
	}
	for k := range m {
		return k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::")
	}
	return false
}

func diffValues(path string, old, new any, out *[]PropertyDiff) {
	om, oIsMap := old.(map[string]any)
	nm, nIsMap := new.(map[string]any)
	if oIsMap && nIsMap && !isIntrinsic(om) && !isIntrinsic(nm) {
		for _, k := range sortedKeys(om, nm) {
			ov, ho := om[k]
			nv, hn := nm[k]
			if ho && hn {
				diffValues(join(path, k), ov, nv, out)
			} else {
				*out = append(*out, PropertyDiff{Path: join(path, k), Old: ov, New: nv, HasOld: ho, HasNew: hn})
			}
		}
		return
	}
	if !equal(old, new) {
		*out = append(*out, PropertyDiff{Path: path, Old: old, New: new, HasOld: old != nil, HasNew: new != nil})
	}
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

var subRef = regexp.MustCompile(`\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}`)

// Reference is one reference found in a template value.
type Reference struct {
	// Target is the logical ID referred to, or the export name for
	// "ImportValue".
	Target string
	// Via is "Ref", "GetAtt", "Sub" or "ImportValue".
	Via string
}

// References returns what v refers to, in document order (map keys
// sorted): logical IDs through Ref, Fn::GetAtt and Fn::Sub (pseudo
// parameters such as AWS::Region included), and export names through
// Fn::ImportValue of a literal name.
func References(v any) []Reference {
	var out []Reference
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if len(x) == 1 {
				if r, ok := x["Ref"].(string); ok {
					out = append(out, Reference{r, "Ref"})
					return
				}
				switch g := x["Fn::GetAtt"].(type) {
				case []any:
					if len(g) > 0 {
						if s, ok := g[0].(string); ok {
							out = append(out, Reference{s, "GetAtt"})
						}
					}
					return
				case string:
					out = append(out, Reference{strings.SplitN(g, ".", 2)[0], "GetAtt"})
					return
				}
				if name, ok := x["Fn::ImportValue"].(string); ok {
					out = append(out, Reference{name, "ImportValue"})
					return
				}
				if s, ok := x["Fn::Sub"]; ok {
					tmpl, _ := s.(string)
					if l, ok := s.([]any); ok && len(l) > 0 {
						tmpl, _ = l[0].(string)
						if len(l) > 1 {
							walk(l[1])
						}
					}
					for _, m := range subRef.FindAllStringSubmatch(tmpl, -1) {
						out = append(out, Reference{m[1], "Sub"})
					}
					return
				}
			}
			for _, k := range sortedKeys(x) {
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

package cdk

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// TagFormat is how a resource type takes tags in its template.
type TagFormat int

// Tag formats of CloudFormation resource types.
const (
	// TagFormatNone: the resource is not taggable.
	TagFormatNone TagFormat = iota
	// TagFormatStandard: a list of {"Key": k, "Value": v}.
	TagFormatStandard
	// TagFormatAutoScalingGroup: a list of {"Key", "Value", "PropagateAtLaunch"}.
	TagFormatAutoScalingGroup
	// TagFormatMap: an object {k: v}.
	TagFormatMap
	// TagFormatKeyValue: a list of {"Key": k, "Value": v} (for types whose
	// schema names the list items differently but renders the same).
	TagFormatKeyValue
)

// initialTagPriority ranks tags given in a resource's own properties: tags
// applied with TagsOf (priority 100 by default) override them.
const initialTagPriority = 50

type tag struct {
	value     string
	priority  int
	propagate bool
}

// TagManager holds the tags of one taggable resource.
type TagManager struct {
	format   TagFormat
	resource string
	tags     map[string]tag
	removed  map[string]int
}

// NewTagManager returns an empty manager for a resource type.
func NewTagManager(format TagFormat, resourceType string) *TagManager {
	return &TagManager{format: format, resource: resourceType, tags: map[string]tag{}, removed: map[string]int{}}
}

// SetTag adds or replaces a tag, unless one of higher priority is set or it
// was removed with a higher priority.
func (m *TagManager) SetTag(key, value string, priority int, applyToLaunchedInstances bool) {
	if p, ok := m.removed[key]; ok && p > priority {
		return
	}
	if t, ok := m.tags[key]; ok && t.priority > priority {
		return
	}
	delete(m.removed, key)
	m.tags[key] = tag{value: value, priority: priority, propagate: applyToLaunchedInstances}
}

// RemoveTag removes a tag unless it was set with a higher priority.
func (m *TagManager) RemoveTag(key string, priority int) {
	if t, ok := m.tags[key]; ok && t.priority > priority {
		return
	}
	delete(m.tags, key)
	m.removed[key] = priority
}

// HasTags reports whether any tag is set.
func (m *TagManager) HasTags() bool { return len(m.tags) > 0 || len(m.removed) > 0 }

// TagValues returns the tags as a map.
func (m *TagManager) TagValues() map[string]string {
	out := make(map[string]string, len(m.tags))
	for k, t := range m.tags {
		out[k] = t.value
	}
	return out
}

// renderWith merges the resource's own tag property value (rendered from
// its props) with the managed tags and renders them in the resource's format,
// sorted by key.
func (m *TagManager) renderWith(own any) any {
	merged := &TagManager{format: m.format, tags: map[string]tag{}, removed: map[string]int{}}
	for k, p := range m.removed {
		merged.removed[k] = p
	}
	for k, t := range m.tags {
		merged.tags[k] = t
	}
	for k, v := range parseTags(own) {
		merged.SetTag(k, v.value, initialTagPriority, v.propagate)
	}
	keys := sortedKeys(merged.tags)
	if len(keys) == 0 {
		return nil
	}
	if m.format == TagFormatMap {
		out := make(map[string]any, len(keys))
		for _, k := range keys {
			out[k] = merged.tags[k].value
		}
		return out
	}
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		t := merged.tags[k]
		if m.format == TagFormatAutoScalingGroup {
			out = append(out, map[string]any{"Key": k, "Value": t.value, "PropagateAtLaunch": t.propagate})
		} else {
			out = append(out, map[string]any{"Key": k, "Value": t.value})
		}
	}
	return out
}

// parseTags reads tags given in a resource's own properties.
func parseTags(v any) map[string]tag {
	out := map[string]tag{}
	switch x := v.(type) {
	case map[string]string:
		for k, val := range x {
			out[k] = tag{value: val, propagate: true}
		}
	case map[string]any:
		for k, val := range x {
			out[k] = tag{value: fmt.Sprint(val), propagate: true}
		}
	case []any:
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				k, _ := m["Key"].(string)
				val, _ := m["Value"].(string)
				p := true
				if b, ok := m["PropagateAtLaunch"].(bool); ok {
					p = b
				}
				out[k] = tag{value: val, propagate: p}
			}
		}
	case []map[string]any:
		for _, m := range x {
			k, _ := m["Key"].(string)
			val, _ := m["Value"].(string)
			out[k] = tag{value: val, propagate: true}
		}
	case []CfnTag:
		for _, t := range x {
			out[t.Key] = tag{value: t.Value, propagate: true}
		}
	case []map[string]string:
		for _, m := range x {
			out[m["Key"]] = tag{value: m["Value"], propagate: true}
		}
	}
	return out
}

// Taggable is implemented by constructs that take tags.
type Taggable interface {
	TagManager() *TagManager
}

// TagProps tune how a tag is applied.
type TagProps struct {
	// Priority decides between tags set on the same key: the highest wins,
	// and on a tie the one applied last.
	// Default: 100 for Add, 200 for Remove.
	Priority int
	// IncludeResourceTypes limits the tag to these CloudFormation types.
	// Default: all taggable types.
	IncludeResourceTypes []string
	// ExcludeResourceTypes exempts these CloudFormation types.
	// Default: none.
	ExcludeResourceTypes []string
	// ExcludeFromLaunchedInstances stops Auto Scaling groups from
	// propagating the tag to the instances they launch.
	// Default: false (instances are tagged).
	ExcludeFromLaunchedInstances bool
}

// Tags applies tags to every taggable resource in a scope.
type Tags struct{ scope Construct }

// TagsOf returns the tag API for scope.
func TagsOf(scope Construct) Tags { return Tags{scope} }

// Add tags every taggable resource under the scope with key=value. A key
// AWS refuses (empty, over 128 characters, or starting with the reserved
// "aws:") or a value over 256 characters is a synthesis error on the
// scope.
func (t Tags) Add(key, value string, props ...TagProps) {
	checkTag(t.scope.Node(), key, value)
	p := mergeTagProps(props, 100)
	AspectsOf(t.scope).Add(&tagAspect{key: key, value: value, props: p})
}

// Remove removes the tag key from every taggable resource under the scope.
func (t Tags) Remove(key string, props ...TagProps) {
	p := mergeTagProps(props, 200)
	AspectsOf(t.scope).Add(&tagAspect{key: key, remove: true, props: p})
}

func mergeTagProps(props []TagProps, defPriority int) TagProps {
	var p TagProps
	if len(props) > 0 {
		p = props[0]
	}
	if p.Priority == 0 {
		p.Priority = defPriority
	}
	return p
}

type tagAspect struct {
	key, value string
	remove     bool
	props      TagProps
}

func (a *tagAspect) Visit(c Construct) {
	tg, ok := c.(Taggable)
	if !ok {
		return
	}
	tm := tg.TagManager()
	if tm == nil {
		return
	}
	if len(a.props.IncludeResourceTypes) > 0 && !contains(a.props.IncludeResourceTypes, tm.resource) {
		return
	}
	if contains(a.props.ExcludeResourceTypes, tm.resource) {
		return
	}
	if a.remove {
		tm.RemoveTag(a.key, a.props.Priority)
	} else {
		tm.SetTag(a.key, a.value, a.props.Priority, !a.props.ExcludeFromLaunchedInstances)
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// Aspect visits every construct under the scope it is added to, at
// synthesis, before templates are rendered.
type Aspect interface {
	Visit(c Construct)
}

// Aspects are the aspects added to one scope.
type Aspects struct{ scope Construct }

// AspectsOf returns the aspects API for scope.
func AspectsOf(scope Construct) Aspects { return Aspects{scope} }

// Add adds an aspect to the scope: it will visit the scope and every
// construct below it.
func (a Aspects) Add(aspect Aspect) {
	n := a.scope.Node()
	n.aspects = append(n.aspects, aspect)
}

// All returns the aspects added directly to the scope.
func (a Aspects) All() []Aspect { return append([]Aspect(nil), a.scope.Node().aspects...) }

// invokeAspects applies every aspect to the constructs under its scope,
// top-down, each aspect once per construct. Aspects that add aspects are
// honoured; ones that add aspects above themselves get a warning.
func invokeAspects(root *Node) {
	type key struct {
		a Aspect
		n *Node
	}
	done := map[key]bool{}
	var visit func(n *Node, inherited []Aspect)
	visit = func(n *Node, inherited []Aspect) {
		for {
			all := append(append([]Aspect(nil), inherited...), n.aspects...)
			ran := false
			for _, a := range all {
				k := key{a, n}
				if done[k] {
					continue
				}
				done[k] = true
				ran = true
				a.Visit(n.host)
			}
			if !ran {
				break
			}
		}
		all := append(append([]Aspect(nil), inherited...), n.aspects...)
		for _, c := range append([]*Node(nil), n.children...) {
			visit(c, all)
		}
	}
	visit(root, nil)
}

// checkTag reports a tag that AWS would refuse on every resource.
func checkTag(n *Node, key, value string) {
	if !IsUnresolved(key) {
		switch {
		case strings.TrimSpace(key) == "":
			n.AddError("TagsOf(%s).Add: the tag key is empty: tag keys are 1 to 128 characters", n.Path())
		case utf8.RuneCountInString(key) > 128:
			n.AddError("TagsOf(%s).Add: tag key %q is %d characters long; AWS allows at most 128", n.Path(), key, utf8.RuneCountInString(key))
		case strings.HasPrefix(strings.ToLower(key), "aws:"):
			n.AddError("TagsOf(%s).Add: tag key %q starts with \"aws:\", which AWS reserves for its own tags: choose another key", n.Path(), key)
		}
	}
	if !IsUnresolved(value) && utf8.RuneCountInString(value) > 256 {
		n.AddError("TagsOf(%s).Add: the value of tag %q is %d characters long; AWS allows at most 256", n.Path(), key, utf8.RuneCountInString(value))
	}
}

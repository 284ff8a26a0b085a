package cdk

import (
	"fmt"
)

// Element is a construct that renders into a section of a CloudFormation
// template: a resource, output, parameter, condition, mapping or rule.
type Element interface {
	Construct
	cfnElement() *CfnElement
	// renderSection returns the template section ("Resources", "Outputs", …)
	// and this element's unresolved definition.
	renderSection() (string, any)
}

// CfnElement holds what every template element shares: its stack and its
// logical ID. It is embedded in [CfnResource], [CfnOutput] and the others.
type CfnElement struct {
	Base
	stack    *Stack
	override string
	locked   bool
	refs     map[string]*Reference
}

func (e *CfnElement) cfnElement() *CfnElement { return e }

func initElement(host Element, scope Construct, id string) {
	InitConstruct(host, scope, id)
	e := host.cfnElement()
	e.stack = StackOf(scope)
	e.stack.elementsDirty = true
}

// Stack returns the stack whose template holds this element.
func (e *CfnElement) Stack() *Stack { return e.stack }

// LogicalID returns the element's logical ID as a string token: it resolves
// to the final ID, so it may be used before OverrideLogicalID is called.
func (e *CfnElement) LogicalID() string {
	return AsString(logicalIDToken{e})
}

type logicalIDToken struct{ e *CfnElement }

func (t logicalIDToken) Resolve(*ResolveContext) any { return t.e.stack.logicalIDOf(t.e) }
func (t logicalIDToken) displayHint() string         { return "LogicalID" }

// OverrideLogicalID sets the element's logical ID, replacing the one made
// from its path. It panics when a cross-stack export has already fixed it.
func (e *CfnElement) OverrideLogicalID(id string) {
	if e.locked {
		panic(fmt.Sprintf("cdk: the logical ID of %q is used by a cross-stack export and can no longer be overridden", e.Node().Path()))
	}
	if id == "" || IsUnresolved(id) {
		panic(fmt.Sprintf("cdk: %q: a logical ID override must be a non-empty literal string", e.Node().Path()))
	}
	e.override = id
}

// reference returns the cached Reference for attribute attr ("" for Ref).
func (e *CfnElement) reference(attr string, value func() any, list bool) *Reference {
	if e.refs == nil {
		e.refs = map[string]*Reference{}
	}
	key := attr
	if list {
		key += "#list"
	}
	if r, ok := e.refs[key]; ok {
		return r
	}
	display := attr
	if attr == "" {
		display = "Ref"
	}
	r := &Reference{target: e, display: display, value: value(), list: list}
	e.refs[key] = r
	return r
}

// refReference returns the {"Ref": logicalId} reference to this element.
func (e *CfnElement) refReference() *Reference {
	return e.reference("", func() any { return map[string]any{"Ref": e.LogicalID()} }, false)
}

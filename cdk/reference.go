package cdk

import "fmt"

// Reference is a Ref or Fn::GetAtt of a template element. When it is used
// in another stack, synthesis turns it into an export and Fn::ImportValue
// (or a nested-stack parameter or output) and orders the stacks.
type Reference struct {
	target  *CfnElement
	display string
	value   any
	list    bool
	byStack map[*Stack]any
}

// Target returns the element referenced.
func (r *Reference) Target() Construct { return r.target.Node().Host() }

// DisplayName is "Ref" or the attribute's name.
func (r *Reference) DisplayName() string { return r.display }

func (r *Reference) displayHint() string {
	return r.target.Node().ID() + "." + r.display
}

// String describes the reference for error messages.
func (r *Reference) String() string {
	return fmt.Sprintf("{%s[%s]}", r.target.Node().Path(), r.display)
}

// Resolve renders the reference for the stack being rendered.
func (r *Reference) Resolve(ctx *ResolveContext) any {
	if ctx.prep != nil {
		ctx.prep.record(ctx, r)
	}
	consumer := ctx.Stack
	if consumer == nil || consumer == r.target.stack {
		return r.value
	}
	if v, ok := r.byStack[consumer]; ok {
		return v
	}
	if ctx.prep != nil {
		// Collected; the real value is assigned before rendering.
		return r.value
	}
	ctx.Errorf("%s is used in stack %q but the reference was not prepared; resolve values only during synthesis", r, consumer.Node().Path())
	return nil
}

func (r *Reference) assign(consumer *Stack, v any) {
	if r.byStack == nil {
		r.byStack = map[*Stack]any{}
	}
	r.byStack[consumer] = v
}

// Ref returns {"Ref": logicalId} of an element as a string token.
func Ref(e Element) string { return AsString(e.cfnElement().refReference()) }

// GetAtt returns {"Fn::GetAtt": [logicalId, attr]} of an element as a
// Reference; encode it with AsString, AsList or AsNumber.
func GetAtt(e Element, attr string) *Reference {
	ce := e.cfnElement()
	return ce.reference(attr, func() any {
		return map[string]any{"Fn::GetAtt": []any{ce.LogicalID(), attr}}
	}, false)
}

// GetAttList returns a list-valued attribute of an element as a list token.
func GetAttList(e Element, attr string) []string {
	ce := e.cfnElement()
	return AsList(ce.reference(attr, func() any {
		return map[string]any{"Fn::GetAtt": []any{ce.LogicalID(), attr}}
	}, true))
}

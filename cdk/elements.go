package cdk

import "fmt"

// CfnOutputProps define a stack output.
type CfnOutputProps struct {
	// Value is the output's value; it may hold tokens. Required.
	Value string
	// Description describes the output.
	// Default: none.
	Description string
	// ExportName exports the value under this name for Fn::ImportValue.
	// Default: not exported.
	ExportName string
	// Condition makes the output conditional.
	// Default: none.
	Condition *CfnCondition
	// Key overrides the output's logical ID.
	// Default: made from the construct path.
	Key string
}

// CfnOutput is an output of a stack's template.
type CfnOutput struct {
	CfnElement
	props CfnOutputProps
}

// NewCfnOutput adds an output to the stack that holds scope.
func NewCfnOutput(scope Construct, id string, props CfnOutputProps) *CfnOutput {
	o := &CfnOutput{props: props}
	initElement(o, scope, id)
	if props.Key != "" {
		o.OverrideLogicalID(props.Key)
	}
	o.Node().AddValidation(func() []string {
		if o.props.Value == "" {
			return []string{"the output has no Value; set CfnOutputProps.Value"}
		}
		return nil
	})
	return o
}

// Value is the output's value.
func (o *CfnOutput) Value() string { return o.props.Value }

// ExportName is the name the output is exported under, if any.
func (o *CfnOutput) ExportName() string { return o.props.ExportName }

// ImportValue returns Fn::ImportValue of this output's export, for use in
// another stack. It panics when the output has no ExportName.
func (o *CfnOutput) ImportValue() string {
	if o.props.ExportName == "" {
		panic(fmt.Sprintf("cdk: output %q has no ExportName; set one to import it", o.Node().Path()))
	}
	return Fn.ImportValue(o.props.ExportName)
}

func (o *CfnOutput) renderSection() (string, any) {
	def := newObject()
	if o.props.Description != "" {
		def.set("Description", o.props.Description)
	}
	def.set("Value", o.props.Value)
	if o.props.ExportName != "" {
		def.set("Export", map[string]any{"Name": o.props.ExportName})
	}
	if o.props.Condition != nil {
		def.set("Condition", o.props.Condition.LogicalID())
	}
	return "Outputs", def
}

// CfnParameterProps define a template parameter.
type CfnParameterProps struct {
	// Type is the parameter's type: "String", "Number",
	// "List<Number>", "CommaDelimitedList", an AWS-specific type or an
	// SSM parameter type.
	// Default: "String".
	Type string
	// Default is the value used when none is given at deploy time.
	// Default: no default (a value is required).
	Default any
	// AllowedPattern is a regular expression the value must match.
	// Default: none.
	AllowedPattern string
	// AllowedValues lists the values allowed.
	// Default: any.
	AllowedValues []string
	// ConstraintDescription explains a constraint violation.
	// Default: none.
	ConstraintDescription string
	// Description describes the parameter.
	// Default: none.
	Description string
	// MaxLength is the longest String value allowed.
	// Default: no limit.
	MaxLength *int
	// MinLength is the shortest String value allowed.
	// Default: no limit.
	MinLength *int
	// MaxValue is the largest Number allowed.
	// Default: no limit.
	MaxValue *float64
	// MinValue is the smallest Number allowed.
	// Default: no limit.
	MinValue *float64
	// NoEcho masks the value in the console and API.
	// Default: false.
	NoEcho bool
}

// CfnParameter is a parameter of a stack's template.
type CfnParameter struct {
	CfnElement
	props CfnParameterProps
}

// NewCfnParameter adds a parameter to the stack that holds scope.
func NewCfnParameter(scope Construct, id string, props CfnParameterProps) *CfnParameter {
	if props.Type == "" {
		props.Type = "String"
	}
	p := &CfnParameter{props: props}
	initElement(p, scope, id)
	return p
}

// Type is the parameter's type.
func (p *CfnParameter) Type() string { return p.props.Type }

// ValueAsString returns {"Ref": parameter} as a string token.
func (p *CfnParameter) ValueAsString() string { return AsString(p.refReference()) }

// ValueAsList returns {"Ref": parameter} as a list token (for list types).
func (p *CfnParameter) ValueAsList() []string {
	return AsList(p.reference("", func() any { return map[string]any{"Ref": p.LogicalID()} }, true))
}

// ValueAsNumber returns {"Ref": parameter} as a number token.
func (p *CfnParameter) ValueAsNumber() float64 { return AsNumber(p.refReference()) }

// ValueAsInt returns {"Ref": parameter} as an int token, for integer-typed
// fields such as the *int properties of typed resources.
func (p *CfnParameter) ValueAsInt() int { return AsInt(p.refReference()) }

func (p *CfnParameter) renderSection() (string, any) {
	def := newObject()
	def.set("Type", p.props.Type)
	if p.props.Default != nil {
		def.set("Default", p.props.Default)
	}
	if p.props.AllowedPattern != "" {
		def.set("AllowedPattern", p.props.AllowedPattern)
	}
	if p.props.AllowedValues != nil {
		def.set("AllowedValues", p.props.AllowedValues)
	}
	if p.props.ConstraintDescription != "" {
		def.set("ConstraintDescription", p.props.ConstraintDescription)
	}
	if p.props.Description != "" {
		def.set("Description", p.props.Description)
	}
	if p.props.MaxLength != nil {
		def.set("MaxLength", *p.props.MaxLength)
	}
	if p.props.MaxValue != nil {
		def.set("MaxValue", *p.props.MaxValue)
	}
	if p.props.MinLength != nil {
		def.set("MinLength", *p.props.MinLength)
	}
	if p.props.MinValue != nil {
		def.set("MinValue", *p.props.MinValue)
	}
	if p.props.NoEcho {
		def.set("NoEcho", true)
	}
	return "Parameters", def
}

// CfnConditionProps define a template condition.
type CfnConditionProps struct {
	// Expression is the condition: one of the Fn.Condition* functions.
	// Required.
	Expression ConditionExpression
}

// CfnCondition is a condition of a stack's template. It is itself a
// ConditionExpression ({"Condition": name}) for use inside other conditions.
type CfnCondition struct {
	CfnElement
	// Expression is the condition's expression.
	Expression ConditionExpression
}

// NewCfnCondition adds a condition to the stack that holds scope.
func NewCfnCondition(scope Construct, id string, props CfnConditionProps) *CfnCondition {
	c := &CfnCondition{Expression: props.Expression}
	initElement(c, scope, id)
	c.Node().AddValidation(func() []string {
		if c.Expression == nil {
			return []string{"the condition has no Expression; set it with one of the Fn.Condition* functions"}
		}
		return nil
	})
	return c
}

// Resolve makes a condition usable as an expression: {"Condition": name}.
func (c *CfnCondition) Resolve(*ResolveContext) any {
	return map[string]any{"Condition": c.LogicalID()}
}

func (c *CfnCondition) isConditionExpression() {}

func (c *CfnCondition) renderSection() (string, any) {
	return "Conditions", c.Expression
}

// CfnMappingProps define a template mapping.
type CfnMappingProps struct {
	// Mapping is the two-level map: top-level key → second-level key → value.
	Mapping map[string]map[string]any
}

// CfnMapping is a mapping of a stack's template.
type CfnMapping struct {
	CfnElement
	mapping map[string]map[string]any
}

// NewCfnMapping adds a mapping to the stack that holds scope.
func NewCfnMapping(scope Construct, id string, props CfnMappingProps) *CfnMapping {
	m := &CfnMapping{mapping: map[string]map[string]any{}}
	for k, v := range props.Mapping {
		m.mapping[k] = map[string]any{}
		for k2, v2 := range v {
			m.mapping[k][k2] = v2
		}
	}
	initElement(m, scope, id)
	return m
}

// SetValue sets mapping[key1][key2].
func (m *CfnMapping) SetValue(key1, key2 string, value any) {
	if m.mapping[key1] == nil {
		m.mapping[key1] = map[string]any{}
	}
	m.mapping[key1][key2] = value
}

// FindInMap returns the value at key1/key2: the literal when both keys are
// known at synthesis, otherwise an Fn::FindInMap token.
func (m *CfnMapping) FindInMap(key1, key2 string) string {
	if !IsUnresolved(key1) && !IsUnresolved(key2) {
		if v, ok := m.mapping[key1][key2]; ok {
			if s, ok := v.(string); ok {
				return s
			}
		} else {
			panic(fmt.Sprintf("cdk: mapping %q has no value at %q/%q", m.Node().Path(), key1, key2))
		}
	}
	return Fn.FindInMap(m.LogicalID(), key1, key2)
}

func (m *CfnMapping) renderSection() (string, any) { return "Mappings", m.mapping }

// CfnRuleAssertion is one assertion of a rule.
type CfnRuleAssertion struct {
	// Assert is the condition that must hold.
	Assert ConditionExpression
	// AssertDescription is shown when it does not.
	AssertDescription string
}

// CfnRuleProps define a template rule.
type CfnRuleProps struct {
	// RuleCondition says when the rule applies.
	// Default: always.
	RuleCondition ConditionExpression
	// Assertions must all hold when the rule applies.
	Assertions []CfnRuleAssertion
}

// CfnRule is a rule of a stack's template, checked on deploy.
type CfnRule struct {
	CfnElement
	props CfnRuleProps
}

// NewCfnRule adds a rule to the stack that holds scope.
func NewCfnRule(scope Construct, id string, props CfnRuleProps) *CfnRule {
	r := &CfnRule{props: props}
	initElement(r, scope, id)
	return r
}

// AddAssertion adds an assertion to the rule.
func (r *CfnRule) AddAssertion(assert ConditionExpression, description string) {
	r.props.Assertions = append(r.props.Assertions, CfnRuleAssertion{Assert: assert, AssertDescription: description})
}

func (r *CfnRule) renderSection() (string, any) {
	def := newObject()
	if r.props.RuleCondition != nil {
		def.set("RuleCondition", r.props.RuleCondition)
	}
	if len(r.props.Assertions) > 0 {
		var as []any
		for _, a := range r.props.Assertions {
			o := newObject()
			o.set("Assert", a.Assert)
			if a.AssertDescription != "" {
				o.set("AssertDescription", a.AssertDescription)
			}
			as = append(as, o)
		}
		def.set("Assertions", as)
	}
	return "Rules", def
}

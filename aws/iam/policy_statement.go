package iam

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/nilref"
)

// Effect is whether a statement allows or denies.
type Effect string

// Statement effects.
const (
	// EffectAllow allows the actions.
	EffectAllow Effect = "Allow"
	// EffectDeny denies the actions.
	EffectDeny Effect = "Deny"
)

// PolicyStatementProps define a [PolicyStatement].
type PolicyStatementProps struct {
	// Sid is the statement's identifier.
	// Default: none.
	Sid string
	// Effect allows or denies.
	// Default: EffectAllow.
	Effect Effect
	// Actions are the actions allowed or denied, "service:Action", with
	// wildcards ("s3:Get*", "*").
	// Default: none (then NotActions must be set).
	Actions []string
	// NotActions are the actions the statement does not apply to.
	// Default: none.
	NotActions []string
	// Resources are the ARNs the statement applies to ("*" for all).
	// Default: none (required in identity policies).
	Resources []string
	// NotResources are the ARNs the statement does not apply to.
	// Default: none.
	NotResources []string
	// Principals the statement applies to (resource and trust policies only).
	// Default: none.
	Principals []IPrincipal
	// NotPrincipals the statement does not apply to.
	// Default: none.
	NotPrincipals []IPrincipal
	// Conditions restrict when the statement applies.
	// Default: none.
	Conditions Conditions
}

// PolicyStatement is one statement of an IAM policy. Build it with
// [NewPolicyStatement] and the Add methods; it is rendered as the AWS CDK
// renders it: lists of one element become a single value, duplicate values
// are dropped.
//
// Invalid input (an action without a service prefix, Actions together with
// NotActions) is recorded on the statement and reported, with the path of
// the policy that holds it, when the app is synthesized.
type PolicyStatement struct {
	sid           string
	effect        Effect
	actions       []string
	notActions    []string
	resources     []string
	notResources  []string
	principals    []IPrincipal
	notPrincipals []IPrincipal
	principal     map[string][]string
	notPrincipal  map[string][]string
	conditions    Conditions
	principalCond *string
	errs          []string
	frozen        bool
}

// NewPolicyStatement returns a statement built from props.
func NewPolicyStatement(props PolicyStatementProps) *PolicyStatement {
	s := &PolicyStatement{sid: props.Sid, effect: props.Effect, principal: map[string][]string{}, notPrincipal: map[string][]string{}}
	if s.effect == "" {
		s.effect = EffectAllow
	}
	s.AddActions(props.Actions...)
	s.AddNotActions(props.NotActions...)
	s.AddPrincipals(props.Principals...)
	s.AddNotPrincipals(props.NotPrincipals...)
	s.AddResources(props.Resources...)
	s.AddNotResources(props.NotResources...)
	s.AddConditions(props.Conditions)
	return s
}

// actionPattern is the AWS CDK's check of an action string.
var actionPattern = regexp.MustCompile(`^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*]+)$`)

func (s *PolicyStatement) checkFrozen(method string) {
	if s.frozen {
		panic(fmt.Sprintf("iam: PolicyStatement.%s: the statement was frozen when its policy was rendered; create a new statement instead", method))
	}
}

func (s *PolicyStatement) validateActions(actions []string) {
	for _, a := range actions {
		if !cdk.IsUnresolved(a) && !actionPattern.MatchString(a) {
			s.errs = append(s.errs, fmt.Sprintf("action %q is invalid: an action is a service namespace, a colon and an action name, such as \"s3:GetObject\" (wildcards allowed: \"s3:Get*\", \"*\")", a))
		}
	}
}

// AddActions adds actions, "service:Action".
func (s *PolicyStatement) AddActions(actions ...string) *PolicyStatement {
	s.checkFrozen("AddActions")
	if len(actions) > 0 && len(s.notActions) > 0 {
		s.errs = append(s.errs, "a statement cannot have both Actions and NotActions")
	}
	s.validateActions(actions)
	s.actions = append(s.actions, actions...)
	return s
}

// AddNotActions adds actions the statement does not apply to.
func (s *PolicyStatement) AddNotActions(actions ...string) *PolicyStatement {
	s.checkFrozen("AddNotActions")
	if len(actions) > 0 && len(s.actions) > 0 {
		s.errs = append(s.errs, "a statement cannot have both Actions and NotActions")
	}
	s.validateActions(actions)
	s.notActions = append(s.notActions, actions...)
	return s
}

// AddResources adds resource ARNs.
func (s *PolicyStatement) AddResources(arns ...string) *PolicyStatement {
	s.checkFrozen("AddResources")
	if len(arns) > 0 && len(s.notResources) > 0 {
		s.errs = append(s.errs, "a statement cannot have both Resources and NotResources")
	}
	s.resources = append(s.resources, arns...)
	return s
}

// AddAllResources adds "*".
func (s *PolicyStatement) AddAllResources() *PolicyStatement { return s.AddResources("*") }

// AddNotResources adds ARNs the statement does not apply to.
func (s *PolicyStatement) AddNotResources(arns ...string) *PolicyStatement {
	s.checkFrozen("AddNotResources")
	if len(arns) > 0 && len(s.resources) > 0 {
		s.errs = append(s.errs, "a statement cannot have both Resources and NotResources")
	}
	s.notResources = append(s.notResources, arns...)
	return s
}

// AddPrincipals adds principals; their conditions are added to the
// statement (every principal of a statement must have the same ones).
func (s *PolicyStatement) AddPrincipals(principals ...IPrincipal) *PolicyStatement {
	s.checkFrozen("AddPrincipals")
	if len(principals) > 0 && len(s.notPrincipals) > 0 {
		s.errs = append(s.errs, "a statement cannot have both Principals and NotPrincipals")
	}
	for _, p := range principals {
		if nilref.IsNil(p) {
			s.errs = append(s.errs, fmt.Sprintf("Principals: a principal %s: pass a principal, such as iam.NewServicePrincipal(\"ec2.amazonaws.com\") or a role", nilref.Describe(p)))
			continue
		}
		s.principals = append(s.principals, p)
		f := p.PolicyFragment()
		mergePrincipalJSON(s.principal, f.PrincipalJSON)
		s.addPrincipalConditions(f.Conditions)
	}
	return s
}

// AddNotPrincipals adds principals the statement does not apply to.
func (s *PolicyStatement) AddNotPrincipals(principals ...IPrincipal) *PolicyStatement {
	s.checkFrozen("AddNotPrincipals")
	if len(principals) > 0 && len(s.principals) > 0 {
		s.errs = append(s.errs, "a statement cannot have both Principals and NotPrincipals")
	}
	for _, p := range principals {
		if nilref.IsNil(p) {
			s.errs = append(s.errs, fmt.Sprintf("NotPrincipals: a principal %s: pass a principal, such as iam.NewServicePrincipal(\"ec2.amazonaws.com\") or a role", nilref.Describe(p)))
			continue
		}
		s.notPrincipals = append(s.notPrincipals, p)
		f := p.PolicyFragment()
		mergePrincipalJSON(s.notPrincipal, f.PrincipalJSON)
		s.addPrincipalConditions(f.Conditions)
	}
	return s
}

func (s *PolicyStatement) addPrincipalConditions(c Conditions) {
	key := canonicalJSON(c)
	if s.principalCond == nil {
		s.principalCond = &key
	} else if *s.principalCond != key {
		s.errs = append(s.errs, fmt.Sprintf("all principals of a statement must have the same conditions (got %s and %s); use one statement per principal", *s.principalCond, key))
		return
	}
	s.AddConditions(c)
}

// AddServicePrincipal adds the principal of an AWS service.
func (s *PolicyStatement) AddServicePrincipal(service string) *PolicyStatement {
	return s.AddPrincipals(NewServicePrincipal(service))
}

// AddArnPrincipal adds a principal by ARN.
func (s *PolicyStatement) AddArnPrincipal(arn string) *PolicyStatement {
	return s.AddPrincipals(NewArnPrincipal(arn))
}

// AddAwsAccountPrincipal adds the root of an account.
func (s *PolicyStatement) AddAwsAccountPrincipal(accountID string) *PolicyStatement {
	return s.AddPrincipals(NewAccountPrincipal(accountID))
}

// AddAccountRootPrincipal adds the root of the current account.
func (s *PolicyStatement) AddAccountRootPrincipal() *PolicyStatement {
	return s.AddPrincipals(NewAccountRootPrincipal())
}

// AddAnyPrincipal adds everyone ({"AWS": "*"}).
func (s *PolicyStatement) AddAnyPrincipal() *PolicyStatement {
	return s.AddPrincipals(NewAnyPrincipal())
}

// AddCondition adds a condition under an operator; when the operator is
// already present, the keys are merged (the new values win).
func (s *PolicyStatement) AddCondition(operator string, value any) *PolicyStatement {
	s.checkFrozen("AddCondition")
	if s.conditions == nil {
		s.conditions = Conditions{}
	}
	if existing, ok := s.conditions[operator]; ok {
		_, am := asStringMap(existing)
		_, bm := asStringMap(value)
		if (!am || !bm) && canonicalJSON(existing) != canonicalJSON(value) {
			s.errs = append(s.errs, fmt.Sprintf("the %s conditions %s and %s cannot be merged (one is not a map of keys, e.g. a token); put them in separate statements", operator, canonicalJSON(existing), canonicalJSON(value)))
			return s
		}
		s.conditions[operator] = mergeConditionValue(existing, value)
	} else {
		s.conditions[operator] = value
	}
	return s
}

// AddConditions adds several operators' conditions.
func (s *PolicyStatement) AddConditions(c Conditions) *PolicyStatement {
	for _, op := range sortedKeys(c) {
		s.AddCondition(op, c[op])
	}
	return s
}

// AddAccountCondition requires sts:ExternalId to equal accountID.
func (s *PolicyStatement) AddAccountCondition(accountID string) *PolicyStatement {
	return s.AddCondition("StringEquals", map[string]any{"sts:ExternalId": accountID})
}

// AddSourceAccountCondition requires aws:SourceAccount to equal accountID.
func (s *PolicyStatement) AddSourceAccountCondition(accountID string) *PolicyStatement {
	return s.AddCondition("StringEquals", map[string]any{"aws:SourceAccount": accountID})
}

// AddSourceArnCondition requires aws:SourceArn to equal arn.
func (s *PolicyStatement) AddSourceArnCondition(arn string) *PolicyStatement {
	return s.AddCondition("ArnEquals", map[string]any{"aws:SourceArn": arn})
}

// Sid is the statement's identifier.
func (s *PolicyStatement) Sid() string { return s.sid }

// Effect is Allow or Deny.
func (s *PolicyStatement) Effect() Effect { return s.effect }

// Actions returns a copy of the actions.
func (s *PolicyStatement) Actions() []string { return append([]string(nil), s.actions...) }

// NotActions returns a copy of the not-actions.
func (s *PolicyStatement) NotActions() []string { return append([]string(nil), s.notActions...) }

// Resources returns a copy of the resources.
func (s *PolicyStatement) Resources() []string { return append([]string(nil), s.resources...) }

// NotResources returns a copy of the not-resources.
func (s *PolicyStatement) NotResources() []string {
	return append([]string(nil), s.notResources...)
}

// Principals returns a copy of the principals.
func (s *PolicyStatement) Principals() []IPrincipal {
	return append([]IPrincipal(nil), s.principals...)
}

// NotPrincipals returns a copy of the not-principals.
func (s *PolicyStatement) NotPrincipals() []IPrincipal {
	return append([]IPrincipal(nil), s.notPrincipals...)
}

// Conditions returns a copy of the conditions.
func (s *PolicyStatement) Conditions() Conditions { return copyConditions(s.conditions) }

// HasPrincipal reports whether the statement names principals (or
// not-principals).
func (s *PolicyStatement) HasPrincipal() bool {
	return len(s.principals)+len(s.notPrincipals) > 0
}

// HasResource reports whether the statement names resources (or
// not-resources).
func (s *PolicyStatement) HasResource() bool { return len(s.resources)+len(s.notResources) > 0 }

// Copy returns an unfrozen copy of the statement.
func (s *PolicyStatement) Copy() *PolicyStatement {
	return NewPolicyStatement(s.props())
}

func (s *PolicyStatement) props() PolicyStatementProps {
	return PolicyStatementProps{
		Sid: s.sid, Effect: s.effect,
		Actions: s.Actions(), NotActions: s.NotActions(),
		Resources: s.Resources(), NotResources: s.NotResources(),
		Principals: s.Principals(), NotPrincipals: s.NotPrincipals(),
		Conditions: s.Conditions(),
	}
}

// Freeze forbids further changes (policies freeze their statements when
// rendered, as the AWS CDK does).
func (s *PolicyStatement) Freeze() *PolicyStatement { s.frozen = true; return s }

// Frozen reports whether Freeze was called.
func (s *PolicyStatement) Frozen() bool { return s.frozen }

// ValidateForAnyPolicy returns the problems that make the statement invalid
// in any policy.
func (s *PolicyStatement) ValidateForAnyPolicy() []string {
	errs := append([]string(nil), s.errs...)
	if len(s.actions) == 0 && len(s.notActions) == 0 {
		errs = append(errs, "a policy statement must have at least one action or not-action")
	}
	return errs
}

// ValidateForIdentityPolicy returns the problems that make the statement
// invalid in an identity policy (of a role, user or group): principals are
// not allowed there, resources are required, a Sid must be alphanumeric.
func (s *PolicyStatement) ValidateForIdentityPolicy() []string {
	errs := s.ValidateForAnyPolicy()
	if s.HasPrincipal() {
		errs = append(errs, fmt.Sprintf("a policy statement in an identity policy cannot name principals (it names %s): the identity the policy is attached to is the principal; put principals only in resource and trust policies", s.principalSummary()))
	}
	if !s.HasResource() {
		errs = append(errs, "a policy statement in an identity policy must name at least one resource (use AddAllResources for \"*\")")
	}
	if s.sid != "" && !cdk.IsUnresolved(s.sid) && !sidPattern.MatchString(s.sid) {
		errs = append(errs, fmt.Sprintf("statement ID (Sid) %q must be alphanumeric (A-Z, a-z, 0-9) in an identity policy", s.sid))
	}
	return errs
}

var sidPattern = regexp.MustCompile(`^[0-9A-Za-z]*$`)

// ValidateForResourcePolicy returns the problems that make the statement
// invalid in a resource policy (a key or bucket policy): a principal and a
// resource are required.
func (s *PolicyStatement) ValidateForResourcePolicy() []string {
	errs := s.ValidateForAnyPolicy()
	if !s.HasPrincipal() {
		errs = append(errs, "a policy statement in a resource policy must name at least one principal")
	}
	if !s.HasResource() {
		errs = append(errs, "a policy statement in a resource policy must name at least one resource")
	}
	return errs
}

// ValidateForTrustPolicy returns the problems that make the statement
// invalid in a role's trust policy: a principal is required.
func (s *PolicyStatement) ValidateForTrustPolicy() []string {
	errs := s.ValidateForAnyPolicy()
	if !s.HasPrincipal() {
		errs = append(errs, "a policy statement in a trust policy must name at least one principal")
	}
	return errs
}

func (s *PolicyStatement) principalSummary() string {
	out := ""
	for i, p := range append(s.Principals(), s.notPrincipals...) {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprint(p)
	}
	return out
}

// ToStatementJSON renders the statement, unresolved: lists of one value
// become the value, duplicates are dropped, empty elements are left out.
func (s *PolicyStatement) ToStatementJSON() map[string]any {
	m := map[string]any{"Effect": string(s.effect)}
	put := func(k string, v any) {
		if v != nil {
			m[k] = v
		}
	}
	put("Action", normList(s.actions))
	put("NotAction", normList(s.notActions))
	put("Resource", normList(s.resources))
	put("NotResource", normList(s.notResources))
	put("Principal", normPrincipal(s.principal))
	put("NotPrincipal", normPrincipal(s.notPrincipal))
	if len(s.conditions) > 0 {
		m["Condition"] = map[string]any(copyConditions(s.conditions))
	}
	if s.sid != "" {
		m["Sid"] = s.sid
	}
	return m
}

func normList(l []string) any {
	if r := cdk.ReverseList(l); r != nil {
		return l
	}
	u := uniq(l)
	switch len(u) {
	case 0:
		return nil
	case 1:
		return u[0]
	}
	out := make([]any, len(u))
	for i, v := range u {
		out[i] = v
	}
	return out
}

func normPrincipal(p map[string][]string) any {
	if len(p) == 0 {
		return nil
	}
	if lit, ok := p[literalPrincipalKey]; ok && len(lit) > 0 {
		return lit[0]
	}
	out := map[string]any{}
	for k, v := range p {
		if n := normList(v); n != nil {
			out[k] = n
		}
	}
	return out
}

func uniq(l []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range l {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// canonicalJSON renders v (conditions, principal maps) deterministically for
// comparisons; tokens other than strings are identified by their encoding.
func canonicalJSON(v any) string {
	b, err := json.Marshal(canon(v))
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(b)
}

func canon(v any) any {
	switch x := v.(type) {
	case nil, string, bool, float64, int, int64:
		return x
	case cdk.Resolvable:
		return cdk.AsString(x)
	case Conditions:
		return canon(map[string]any(x))
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = canon(e)
		}
		return out
	case map[string]string:
		return x
	case map[string][]string:
		return x
	case []string:
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = canon(e)
		}
		return out
	}
	return fmt.Sprintf("%T:%v", v, v)
}

// sortedCopy returns a sorted, de-duplicated copy of l.
func sortedCopy(l []string) []string {
	out := uniq(l)
	sort.Strings(out)
	return out
}

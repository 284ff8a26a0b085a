package iam

import (
	"fmt"
	"sort"
)

// literalPrincipalKey marks a principal written as a bare string
// ("Principal": "*") rather than an object, as the AWS CDK's
// LITERAL_STRING_KEY does.
const literalPrincipalKey = "LiteralString"

// jsonPrincipal is a principal read from a policy's JSON.
type jsonPrincipal struct {
	principalBase
	json map[string][]string
}

func (p *jsonPrincipal) GrantPrincipal() IPrincipal { return p }
func (p *jsonPrincipal) PolicyFragment() *PrincipalPolicyFragment {
	return &PrincipalPolicyFragment{PrincipalJSON: p.json}
}
func (p *jsonPrincipal) String() string { return fmt.Sprintf("JsonPrincipal(%v)", p.json) }

// PrincipalFromJSON returns the principal a policy's Principal element
// describes: "*", or an object such as {"AWS": ["arn:..."], "Service": "ec2.amazonaws.com"}.
// It is rendered back as it was written.
func PrincipalFromJSON(v any) (IPrincipal, error) {
	switch x := v.(type) {
	case string:
		return &jsonPrincipal{json: map[string][]string{literalPrincipalKey: {x}}}, nil
	case map[string]any:
		out := map[string][]string{}
		for k, val := range x {
			l, err := stringList(val)
			if err != nil {
				return nil, fmt.Errorf("principal %q: %w", k, err)
			}
			out[k] = l
		}
		return &jsonPrincipal{json: out}, nil
	case map[string]string:
		out := map[string][]string{}
		for k, val := range x {
			out[k] = []string{val}
		}
		return &jsonPrincipal{json: out}, nil
	case map[string][]string:
		return &jsonPrincipal{json: x}, nil
	}
	return nil, fmt.Errorf("a principal must be a string or an object, got %T", v)
}

// stringList reads a string or a list of strings.
func stringList(v any) ([]string, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return []string{x}, nil
	case []string:
		return x, nil
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("item %d is %T, not a string", i, e)
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("must be a string or a list of strings, got %T", v)
}

// PolicyStatementFromJSON reads a statement as written in a policy
// document (decoded by encoding/json): Sid, Effect, Action, NotAction,
// Resource, NotResource, Principal, NotPrincipal, Condition. It is the AWS
// CDK's PolicyStatement.fromJson; a statement without any action is an
// error.
func PolicyStatementFromJSON(obj map[string]any) (*PolicyStatement, error) {
	props := PolicyStatementProps{}
	var errs []string
	str := func(key string) string {
		v, ok := obj[key]
		if !ok {
			return ""
		}
		s, isStr := v.(string)
		if !isStr {
			errs = append(errs, fmt.Sprintf("%s must be a string, got %T", key, v))
		}
		return s
	}
	list := func(key string) []string {
		l, err := stringList(obj[key])
		if err != nil {
			errs = append(errs, key+" "+err.Error())
		}
		return l
	}
	principal := func(key string) []IPrincipal {
		v, ok := obj[key]
		if !ok {
			return nil
		}
		p, err := PrincipalFromJSON(v)
		if err != nil {
			errs = append(errs, key+": "+err.Error())
			return nil
		}
		return []IPrincipal{p}
	}
	props.Sid = str("Sid")
	switch e := Effect(str("Effect")); e {
	case "", EffectAllow, EffectDeny:
		props.Effect = e
	default:
		errs = append(errs, fmt.Sprintf("Effect must be Allow or Deny, got %q", e))
	}
	props.Actions = list("Action")
	props.NotActions = list("NotAction")
	props.Resources = list("Resource")
	props.NotResources = list("NotResource")
	props.Principals = principal("Principal")
	props.NotPrincipals = principal("NotPrincipal")
	if c, ok := obj["Condition"]; ok {
		m, isMap := c.(map[string]any)
		if !isMap {
			errs = append(errs, fmt.Sprintf("Condition must be an object, got %T", c))
		}
		props.Conditions = Conditions(m)
	}
	known := map[string]bool{"Sid": true, "Effect": true, "Action": true, "NotAction": true, "Resource": true, "NotResource": true, "Principal": true, "NotPrincipal": true, "Condition": true}
	var unknown []string
	for k := range obj {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		errs = append(errs, fmt.Sprintf("unknown statement element %q", k))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("invalid policy statement: %v", errs)
	}
	s := NewPolicyStatement(props)
	if e := s.ValidateForAnyPolicy(); len(e) > 0 {
		return nil, fmt.Errorf("invalid policy statement: %v", e)
	}
	return s, nil
}

// PolicyDocumentFromJSON reads a policy document as written in JSON
// (decoded by encoding/json), e.g. a policy published by a project for its
// controller: {"Version": "2012-10-17", "Statement": [...]}.
func PolicyDocumentFromJSON(obj map[string]any) (*PolicyDocument, error) {
	doc := NewPolicyDocument(PolicyDocumentProps{})
	raw, ok := obj["Statement"]
	if !ok {
		return doc, nil
	}
	var list []any
	switch x := raw.(type) {
	case []any:
		list = x
	case map[string]any:
		list = []any{x}
	default:
		return nil, fmt.Errorf("invalid policy document: Statement must be a list of statements, got %T", raw)
	}
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("invalid policy document: statement %d is %T, not an object", i, e)
		}
		s, err := PolicyStatementFromJSON(m)
		if err != nil {
			return nil, fmt.Errorf("statement %d: %w", i, err)
		}
		doc.AddStatements(s)
	}
	return doc, nil
}

package iam

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"

	"github.com/eksforge/eksforge/cdk"
)

// PolicyDocumentProps define a [PolicyDocument].
type PolicyDocumentProps struct {
	// Statements of the document.
	// Default: none.
	Statements []*PolicyStatement
	// AssignSids gives every statement without a Sid its index as Sid.
	// Default: false.
	AssignSids bool
	// KeepStatements renders the statements as they were added, without
	// merging compatible ones.
	// Default: false: statements that differ only in actions, resources or
	// principals are merged, and values are sorted (the AWS CDK's
	// @aws-cdk/aws-iam:minimizePolicies behaviour).
	KeepStatements bool
}

// PolicyDocument is an IAM policy document. It is a [cdk.Resolvable]: put it
// where a resource expects a policy (an L1's PolicyDocument or KeyPolicy
// property) and it renders as
//
//	{"Statement": [...], "Version": "2012-10-17"}
//
// when the template is synthesized, with the statements merged, sorted and
// de-duplicated as the AWS CDK does with @aws-cdk/aws-iam:minimizePolicies
// (recommended for every new AWS CDK project). An empty document renders as
// nothing, so the property is left out.
type PolicyDocument struct {
	statements []*PolicyStatement
	assignSids bool
	keep       bool
}

// NewPolicyDocument returns a document with props' statements.
func NewPolicyDocument(props PolicyDocumentProps) *PolicyDocument {
	d := &PolicyDocument{assignSids: props.AssignSids, keep: props.KeepStatements}
	d.AddStatements(props.Statements...)
	return d
}

// AddStatements appends statements.
func (d *PolicyDocument) AddStatements(statements ...*PolicyStatement) {
	for _, s := range statements {
		if s == nil {
			panic("iam: PolicyDocument.AddStatements: nil statement")
		}
		d.statements = append(d.statements, s)
	}
}

// Statements returns the statements as added.
func (d *PolicyDocument) Statements() []*PolicyStatement {
	return append([]*PolicyStatement(nil), d.statements...)
}

// IsEmpty reports whether the document has no statement.
func (d *PolicyDocument) IsEmpty() bool { return len(d.statements) == 0 }

// StatementCount is the number of statements added.
func (d *PolicyDocument) StatementCount() int { return len(d.statements) }

// ValidateForAnyPolicy returns the problems of every statement.
func (d *PolicyDocument) ValidateForAnyPolicy() []string {
	return d.validate((*PolicyStatement).ValidateForAnyPolicy)
}

// ValidateForIdentityPolicy returns the problems that make the document
// invalid as an identity policy.
func (d *PolicyDocument) ValidateForIdentityPolicy() []string {
	return d.validate((*PolicyStatement).ValidateForIdentityPolicy)
}

// ValidateForResourcePolicy returns the problems that make the document
// invalid as a resource policy.
func (d *PolicyDocument) ValidateForResourcePolicy() []string {
	return d.validate((*PolicyStatement).ValidateForResourcePolicy)
}

// ValidateForTrustPolicy returns the problems that make the document
// invalid as a role's trust policy.
func (d *PolicyDocument) ValidateForTrustPolicy() []string {
	return d.validate((*PolicyStatement).ValidateForTrustPolicy)
}

func (d *PolicyDocument) validate(f func(*PolicyStatement) []string) []string {
	var out []string
	for i, s := range d.statements {
		for _, e := range f(s) {
			out = append(out, "statement "+strconv.Itoa(i)+": "+e)
		}
	}
	return out
}

// MergedStatements returns the statements as they will be rendered: merged
// unless KeepStatements is set.
func (d *PolicyDocument) MergedStatements() []*PolicyStatement {
	if d.keep {
		return d.Statements()
	}
	return mergeStatements(d.statements)
}

// ToJSON renders the document unresolved (tokens stay encoded), nil when
// empty. Values are not sorted; the resolved form is.
func (d *PolicyDocument) ToJSON() map[string]any {
	if d.IsEmpty() {
		return nil
	}
	stmts := d.MergedStatements()
	out := make([]any, len(stmts))
	for i, s := range stmts {
		out[i] = s.ToStatementJSON()
	}
	return map[string]any{"Statement": out, "Version": "2012-10-17"}
}

// String is a token for the document, usable where a string is expected.
func (d *PolicyDocument) String() string { return cdk.AsString(d) }

// Resolve renders the document for a template (cdk.Resolvable).
func (d *PolicyDocument) Resolve(ctx *cdk.ResolveContext) any {
	if d.IsEmpty() {
		return nil
	}
	for _, s := range d.statements {
		s.Freeze()
	}
	stmts := d.MergedStatements()
	seen := map[string]bool{}
	var out []any
	for _, s := range stmts {
		r, _ := ctx.Resolve(s.ToStatementJSON()).(map[string]any)
		if r == nil {
			continue
		}
		key := jsonKey(r)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, r)
	}
	for i, x := range out {
		st := x.(map[string]any)
		if d.assignSids {
			if _, ok := st["Sid"]; !ok {
				st["Sid"] = strconv.Itoa(i)
			}
		}
		if !d.keep {
			for _, k := range []string{"Action", "Resource", "NotAction", "NotResource"} {
				if v, ok := st[k]; ok {
					st[k] = sortByJSON(v)
				}
			}
			for _, k := range []string{"Principal", "NotPrincipal"} {
				if p, ok := st[k].(map[string]any); ok {
					for pk, pv := range p {
						p[pk] = sortByJSON(pv)
					}
				}
			}
		}
	}
	return map[string]any{"Statement": out, "Version": "2012-10-17"}
}

// jsonKey is the JSON text of a resolved value, as JavaScript's
// JSON.stringify would write it for the comparisons the AWS CDK makes.
func jsonKey(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// sortByJSON sorts a resolved list by the JSON of its values, drops
// duplicates, and returns a single value for a list of one.
func sortByJSON(v any) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	byKey := map[string]any{}
	var keys []string
	for _, x := range l {
		k := jsonKey(x)
		if _, dup := byKey[k]; !dup {
			keys = append(keys, k)
		}
		byKey[k] = x
	}
	sort.Strings(keys)
	if len(keys) == 1 {
		return byKey[keys[0]]
	}
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = byKey[k]
	}
	return out
}

// mergeStatements merges statements that differ in at most one of
// actions, resources and principals, repeating until nothing changes (the
// AWS CDK's mergeStatements with mergeIfCombinable).
func mergeStatements(in []*PolicyStatement) []*PolicyStatement {
	stmts := append([]*PolicyStatement(nil), in...)
	for changed := true; changed; {
		changed = false
		for i := 0; i < len(stmts); i++ {
			for j := i + 1; j < len(stmts); {
				if m := mergeIfCombinable(stmts[i], stmts[j]); m != nil {
					stmts[i] = m
					stmts = append(stmts[:j], stmts[j+1:]...)
					changed = true
				} else {
					j++
				}
			}
		}
	}
	return stmts
}

func mergeIfCombinable(a, b *PolicyStatement) *PolicyStatement {
	if a.effect != b.effect || a.sid != "" || b.sid != "" ||
		canonicalJSON(a.conditions) != canonicalJSON(b.conditions) ||
		len(a.errs) > 0 || len(b.errs) > 0 ||
		!setEqual(a.notActions, b.notActions) || !setEqual(a.notResources, b.notResources) ||
		!principalsEqual(a.notPrincipals, b.notPrincipals) {
		return nil
	}
	same := 0
	if setEqual(a.actions, b.actions) {
		same++
	}
	if setEqual(a.resources, b.resources) {
		same++
	}
	if principalsEqual(a.principals, b.principals) {
		same++
	}
	if same < 2 || hasLiteralPrincipal(a.principals) != hasLiteralPrincipal(b.principals) {
		return nil
	}
	p := a.props()
	p.Actions = sortedCopy(append(a.Actions(), b.actions...))
	p.Resources = sortedCopy(append(a.Resources(), b.resources...))
	p.Principals = mergePrincipals(a.principals, b.principals)
	p.Conditions = nil
	m := NewPolicyStatement(p)
	// Principal conditions were added again by AddPrincipals; the
	// statement's own conditions are the same in a and b.
	m.AddConditions(a.conditions)
	return m
}

func setEqual(a, b []string) bool {
	ua, ub := uniq(a), uniq(b)
	if len(ua) != len(ub) {
		return false
	}
	set := map[string]bool{}
	for _, x := range ub {
		set[x] = true
	}
	for _, x := range ua {
		if !set[x] {
			return false
		}
	}
	return true
}

func principalKeys(ps []IPrincipal) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.PolicyFragment().dedupeKey()
	}
	return out
}

func principalsEqual(a, b []IPrincipal) bool { return setEqual(principalKeys(a), principalKeys(b)) }

func mergePrincipals(a, b []IPrincipal) []IPrincipal {
	seen := map[string]bool{}
	var out []IPrincipal
	for _, p := range append(append([]IPrincipal(nil), a...), b...) {
		k := p.PolicyFragment().dedupeKey()
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}

func hasLiteralPrincipal(ps []IPrincipal) bool {
	for _, p := range ps {
		if _, ok := p.PolicyFragment().PrincipalJSON[literalPrincipalKey]; ok {
			return true
		}
	}
	return false
}

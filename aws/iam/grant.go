package iam

import (
	"fmt"
	"strings"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/nilref"
)

// ResourceEnvironment is the account and region a resource lives in; either
// may be a token (an environment-agnostic stack) or "" when unknown.
type ResourceEnvironment struct {
	// Account is the AWS account ID.
	Account string
	// Region is the AWS region.
	Region string
}

// EnvOf returns the environment of the stack holding c.
func EnvOf(c cdk.Construct) ResourceEnvironment {
	s := cdk.StackOf(c)
	return ResourceEnvironment{Account: s.Account(), Region: s.Region()}
}

// AddToResourcePolicyResult is the result of
// [IResourceWithPolicy.AddToResourcePolicy].
type AddToResourcePolicyResult struct {
	// StatementAdded reports whether the statement was added.
	StatementAdded bool
	// PolicyDependable is the construct holding the policy (a bucket
	// policy, the key itself).
	// Default: the resource.
	PolicyDependable cdk.Construct
}

// IResourceWithPolicy is a resource with a resource policy, such as a key or
// a bucket.
type IResourceWithPolicy interface {
	cdk.Construct
	// Env is where the resource lives.
	Env() ResourceEnvironment
	// AddToResourcePolicy adds a statement to the resource's policy.
	AddToResourcePolicy(statement *PolicyStatement) AddToResourcePolicyResult
}

// GrantOnPrincipalOptions are the options of [GrantAddToPrincipal].
type GrantOnPrincipalOptions struct {
	// Grantee receives the permissions.
	Grantee IGrantable
	// Actions to allow.
	Actions []string
	// ResourceArns the actions are allowed on.
	ResourceArns []string
	// Conditions of the statement.
	// Default: none.
	Conditions Conditions
	// Scope is the construct on which a nil or typed-nil Grantee (or one
	// whose GrantPrincipal is nil) is reported as a synthesis error,
	// usually the resource being granted on.
	// Default: none: such a Grantee panics with a message (a programming
	// error, as the function has no construct to report on).
	Scope cdk.Construct
}

// GrantWithResourceOptions are the options of
// [GrantAddToPrincipalOrResource].
type GrantWithResourceOptions struct {
	// Grantee receives the permissions.
	Grantee IGrantable
	// Actions to allow.
	Actions []string
	// ResourceArns the actions are allowed on.
	ResourceArns []string
	// Resource whose policy receives the statement when the principal's own
	// policy cannot.
	Resource IResourceWithPolicy
	// ResourceSelfArns are the ARNs written in the resource policy's
	// statement ("*" for a key policy, which can only mean the key).
	// Default: ResourceArns.
	ResourceSelfArns []string
	// Conditions of the statements.
	// Default: none.
	Conditions Conditions
}

// GrantOnPrincipalAndResourceOptions are the options of
// [GrantOnPrincipalAndResource].
type GrantOnPrincipalAndResourceOptions struct {
	GrantWithResourceOptions
	// ResourcePolicyPrincipal is the principal named in the resource policy.
	// Default: the grantee's principal.
	ResourcePolicyPrincipal IPrincipal
}

// Grant is the result of granting permissions: the statements added to
// identity and resource policies, and the constructs that carry them.
type Grant struct {
	principalStatements []*PolicyStatement
	resourceStatements  []*PolicyStatement
	dependables         []cdk.Construct
	description         string
}

func describeGrant(grantee IGrantable, actions, arns []string) string {
	return fmt.Sprintf("permissions for %v to call %s on %s", grantee, strings.Join(actions, ","), strings.Join(arns, ","))
}

// GrantAddToPrincipal adds a statement to the grantee's identity policy.
// The grant does not succeed when the grantee has no policy of its own (a
// service principal). A nil or typed-nil grantee is an error on o.Scope,
// or a panic with a message when Scope is not set.
func GrantAddToPrincipal(o GrantOnPrincipalOptions) *Grant {
	if g, bad := badGrantee(o.Scope, o.Grantee, o.Actions); bad {
		return g
	}
	g := &Grant{description: describeGrant(o.Grantee, o.Actions, o.ResourceArns)}
	st := NewPolicyStatement(PolicyStatementProps{Actions: o.Actions, Resources: o.ResourceArns, Conditions: o.Conditions})
	res := o.Grantee.GrantPrincipal().AddToPrincipalPolicy(st)
	if !res.StatementAdded {
		return g
	}
	if res.PolicyDependable == nil {
		panic(fmt.Sprintf("iam: %v reported a statement added without the construct holding it (PolicyDependable)", o.Grantee.GrantPrincipal()))
	}
	g.principalStatements = append(g.principalStatements, st)
	g.dependables = append(g.dependables, res.PolicyDependable)
	return g
}

// badGrantee reports a nil or typed-nil grantee (or principal) on scope,
// or panics with a message without one, and returns the empty grant to
// return instead.
func badGrantee(scope cdk.Construct, grantee IGrantable, actions []string) (*Grant, bool) {
	what := ""
	switch {
	case nilref.IsNil(grantee):
		what = "the grantee " + nilref.Describe(grantee)
	case nilref.IsNil(grantee.GrantPrincipal()):
		what = fmt.Sprintf("the grantee's principal (%T.GrantPrincipal()) %s", grantee, nilref.Describe(grantee.GrantPrincipal()))
	default:
		return nil, false
	}
	msg := fmt.Sprintf("granting %s: %s: pass a role, user, group or another grantable that exists", strings.Join(actions, ","), what)
	if nilref.IsNil(scope) {
		panic("iam: " + msg)
	}
	scope.Node().AddError("%s", msg)
	return &Grant{description: msg}, true
}

// TokenComparison is the result of comparing two strings that may be
// tokens.
type TokenComparison int

// Results of [CompareStrings].
const (
	// TokenSame: both are equal.
	TokenSame TokenComparison = iota
	// TokenDifferent: both are known and differ.
	TokenDifferent
	// TokenOneUnresolved: one is a token, the other is not.
	TokenOneUnresolved
	// TokenBothUnresolved: both are different tokens.
	TokenBothUnresolved
)

// CompareStrings compares two strings that may be tokens, as the AWS CDK's
// Token.compareStrings does.
func CompareStrings(a, b string) TokenComparison {
	ua, ub := cdk.IsUnresolved(a), cdk.IsUnresolved(b)
	switch {
	case a == b:
		return TokenSame
	case ua && ub:
		return TokenBothUnresolved
	case ua || ub:
		return TokenOneUnresolved
	}
	return TokenDifferent
}

// GrantAddToPrincipalOrResource adds a statement to the grantee's identity
// policy when the grantee is in the resource's account, and to the
// resource's policy otherwise (or when the grantee has no policy).
func GrantAddToPrincipalOrResource(o GrantWithResourceOptions) *Grant {
	if g, bad := badGrantee(o.Resource, o.Grantee, o.Actions); bad {
		return g
	}
	g := GrantAddToPrincipal(GrantOnPrincipalOptions{Grantee: o.Grantee, Actions: o.Actions, ResourceArns: o.ResourceArns, Conditions: o.Conditions})
	same := false
	if acct := o.Grantee.GrantPrincipal().PrincipalAccount(); acct != "" {
		c := CompareStrings(o.Resource.Env().Account, acct)
		same = c == TokenSame || c == TokenBothUnresolved
	}
	if g.Success() && same {
		return g
	}
	arns := o.ResourceSelfArns
	if arns == nil {
		arns = o.ResourceArns
	}
	st := NewPolicyStatement(PolicyStatementProps{Actions: o.Actions, Resources: arns, Principals: []IPrincipal{o.Grantee.GrantPrincipal()}, Conditions: o.Conditions})
	res := o.Resource.AddToResourcePolicy(st)
	out := &Grant{description: g.description, resourceStatements: []*PolicyStatement{st}}
	if res.StatementAdded {
		dep := res.PolicyDependable
		if dep == nil {
			dep = o.Resource
		}
		out.dependables = append(out.dependables, dep)
	}
	return out
}

// GrantOnPrincipalAndResource adds a statement to both the grantee's
// identity policy and the resource's policy (needed across accounts).
func GrantOnPrincipalAndResource(o GrantOnPrincipalAndResourceOptions) *Grant {
	if g, bad := badGrantee(o.Resource, o.Grantee, o.Actions); bad {
		return g
	}
	g := GrantAddToPrincipal(GrantOnPrincipalOptions{Grantee: o.Grantee, Actions: o.Actions, ResourceArns: o.ResourceArns, Conditions: o.Conditions})
	arns := o.ResourceSelfArns
	if arns == nil {
		arns = o.ResourceArns
	}
	p := o.ResourcePolicyPrincipal
	if p == nil {
		p = o.Grantee.GrantPrincipal()
	}
	st := NewPolicyStatement(PolicyStatementProps{Actions: o.Actions, Resources: arns, Principals: []IPrincipal{p}, Conditions: o.Conditions})
	res := o.Resource.AddToResourcePolicy(st)
	out := &Grant{description: g.description, principalStatements: g.principalStatements, resourceStatements: []*PolicyStatement{st}, dependables: g.dependables}
	if res.StatementAdded {
		dep := res.PolicyDependable
		if dep == nil {
			dep = o.Resource
		}
		out.dependables = append(out.dependables, dep)
	}
	return out
}

// GrantDrop returns a grant that did nothing, for grantees that need no
// permission.
func GrantDrop(grantee IGrantable, intent string) *Grant {
	return &Grant{description: fmt.Sprintf("%v: %s", grantee, intent)}
}

// Success reports whether a statement was added to an identity or resource
// policy.
func (g *Grant) Success() bool {
	return len(g.principalStatements) > 0 || len(g.resourceStatements) > 0
}

// AssertSuccess panics when the grant added nothing.
func (g *Grant) AssertSuccess() {
	if !g.Success() {
		panic("iam: " + g.description + " could not be added to an identity or resource policy: grant to a role, user or group, or to a resource with a policy")
	}
}

// PrincipalStatements are the statements added to identity policies.
func (g *Grant) PrincipalStatements() []*PolicyStatement {
	return append([]*PolicyStatement(nil), g.principalStatements...)
}

// ResourceStatements are the statements added to resource policies.
func (g *Grant) ResourceStatements() []*PolicyStatement {
	return append([]*PolicyStatement(nil), g.resourceStatements...)
}

// Dependables are the constructs carrying the grant's statements (the
// policies).
func (g *Grant) Dependables() []cdk.Construct { return append([]cdk.Construct(nil), g.dependables...) }

// ApplyBefore makes each construct depend on the policies carrying the
// grant, so the permission exists before they are created.
func (g *Grant) ApplyBefore(constructs ...cdk.Construct) {
	for _, c := range constructs {
		if len(g.dependables) > 0 {
			c.Node().AddDependency(g.dependables...)
		}
	}
}

// Combine returns a grant holding the statements and dependables of both.
func (g *Grant) Combine(other *Grant) *Grant {
	return &Grant{
		description:         g.description,
		principalStatements: append(g.PrincipalStatements(), other.principalStatements...),
		resourceStatements:  append(g.ResourceStatements(), other.resourceStatements...),
		dependables:         append(g.Dependables(), other.dependables...),
	}
}

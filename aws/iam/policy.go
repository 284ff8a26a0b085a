package iam

import (
	"fmt"
	"slices"

	"github.com/eksforge/eksforge/cdk"
	cfniam "github.com/eksforge/eksforge/cfn/iam"
	"github.com/eksforge/eksforge/internal/nilref"
)

// IIdentity is an IAM identity with policies of its own: a role, a user or
// a group.
type IIdentity interface {
	IPrincipal
	cdk.Construct
	// AttachInlinePolicy attaches a [Policy] to the identity.
	AttachInlinePolicy(policy *Policy)
	// AddManagedPolicy attaches a managed policy to the identity.
	AddManagedPolicy(policy IManagedPolicy)
}

// PolicyProps define a [Policy].
type PolicyProps struct {
	// PolicyName is the policy's name, unique among the policies of each
	// identity it is attached to.
	// Default: the policy resource's logical ID (its last 128 characters).
	PolicyName string
	// Statements of the policy.
	// Default: none.
	Statements []*PolicyStatement
	// Document is the policy's document; Statements are added to it.
	// Default: an empty document.
	Document *PolicyDocument
	// Roles to attach the policy to.
	// Default: none.
	Roles []IRole
	// Users to attach the policy to.
	// Default: none.
	Users []IUser
	// Groups to attach the policy to.
	// Default: none.
	Groups []IGroup
}

// Policy is an inline identity policy (AWS::IAM::Policy) attached to roles,
// users and groups. A role's AddToPolicy creates one, "DefaultPolicy", the
// first time it is called.
//
// A policy with no statement, or attached to no identity, is an error at
// synthesis (the AWS CDK silently leaves such a policy out of the
// template).
type Policy struct {
	cdk.Base
	resource *cfniam.CfnPolicy
	document *PolicyDocument
	roles    []IRole
	users    []IUser
	groups   []IGroup
}

// NewPolicy adds a policy to scope.
func NewPolicy(scope cdk.Construct, id string, props PolicyProps) *Policy {
	p := &Policy{document: props.Document}
	cdk.InitConstruct(p, scope, id)
	typedNils := nilref.Clear(&props, "PolicyProps")
	for _, e := range typedNils {
		p.Node().AddError("%s: pass a value, or leave the field unset", e)
	}
	if p.document == nil {
		p.document = NewPolicyDocument(PolicyDocumentProps{})
	}
	p.resource = cfniam.NewCfnPolicy(p, "Resource", cfniam.CfnPolicyProps{
		PolicyDocument: p.document,
		PolicyName:     props.PolicyName,
	})
	if props.PolicyName == "" {
		res := p.resource
		p.resource.Props.PolicyName = cdk.AsString(cdk.LazyWithContext(func(ctx *cdk.ResolveContext) any {
			id, _ := ctx.Resolve(res.LogicalID()).(string)
			if len(id) > 128 {
				id = id[len(id)-128:]
			}
			return id
		}))
	}
	p.AddStatements(props.Statements...)
	for _, r := range props.Roles {
		p.AttachToRole(r)
	}
	for _, u := range props.Users {
		p.AttachToUser(u)
	}
	for _, g := range props.Groups {
		p.AttachToGroup(g)
	}
	p.Node().AddValidation(p.validate)
	return p
}

func (p *Policy) validate() []string {
	var errs []string
	if p.document.IsEmpty() {
		errs = append(errs, "the policy has no statement: add statements (PolicyProps.Statements or AddStatements) or remove it")
	}
	if len(p.roles)+len(p.users)+len(p.groups) == 0 {
		errs = append(errs, "the policy is attached to no role, user or group: attach it (PolicyProps.Roles/Users/Groups or AttachToRole) or remove it")
	}
	return append(errs, p.document.ValidateForIdentityPolicy()...)
}

// Resource is the AWS::IAM::Policy resource.
func (p *Policy) Resource() *cfniam.CfnPolicy { return p.resource }

// Document is the policy's document.
func (p *Policy) Document() *PolicyDocument { return p.document }

// PolicyName is the policy's name (a token when generated).
func (p *Policy) PolicyName() string { return p.resource.Props.PolicyName }

// AddStatements adds statements to the policy.
func (p *Policy) AddStatements(statements ...*PolicyStatement) {
	kept := statements[:0:0]
	for i, s := range statements {
		if !nilref.Report(p.Node(), fmt.Sprintf("Policy.AddStatements: statement %d", i), "pass a statement made with iam.NewPolicyStatement", s) {
			kept = append(kept, s)
		}
	}
	statements = kept
	p.document.AddStatements(statements...)
}

// AttachToRole attaches the policy to a role (once).
func (p *Policy) AttachToRole(r IRole) {
	if nilref.Report(p.Node(), "Policy.AttachToRole: the role", "pass a role", r) {
		return
	}
	for _, x := range p.roles {
		if x == r {
			return
		}
	}
	p.roles = append(p.roles, r)
	p.resource.Props.Roles = append(p.resource.Props.Roles, r.RoleName())
	r.AttachInlinePolicy(p)
}

// AttachToUser attaches the policy to a user (once).
func (p *Policy) AttachToUser(u IUser) {
	if nilref.Report(p.Node(), "Policy.AttachToUser: the user", "pass a user", u) {
		return
	}
	for _, x := range p.users {
		if x == u {
			return
		}
	}
	p.users = append(p.users, u)
	p.resource.Props.Users = append(p.resource.Props.Users, u.UserName())
	u.AttachInlinePolicy(p)
}

// AttachToGroup attaches the policy to a group (once).
func (p *Policy) AttachToGroup(g IGroup) {
	if nilref.Report(p.Node(), "Policy.AttachToGroup: the group", "pass a group", g) {
		return
	}
	for _, x := range p.groups {
		if x == g {
			return
		}
	}
	p.groups = append(p.groups, g)
	p.resource.Props.Groups = append(p.resource.Props.Groups, g.GroupName())
	g.AttachInlinePolicy(p)
}

// identityPolicies are the policies of an identity (a role, user or
// group): its inline policies, its default policy (made on first use) and
// its managed policies. The methods name the identity's type (kind) in
// the errors they report.
type identityPolicies struct {
	inline        []*Policy
	defaultPolicy *Policy
	managed       []IManagedPolicy
}

// attach records p, reporting an error on p when another policy of the
// same name is attached, and reports whether p is new.
func (ip *identityPolicies) attach(p *Policy) bool {
	for _, x := range ip.inline {
		if x == p {
			return false
		}
		if n := p.PolicyName(); !cdk.IsUnresolved(n) && n == x.PolicyName() {
			p.Node().AddError("a policy named %q is already attached to the same identity (%s); policy names must be unique per identity", n, x.Node().Path())
		}
	}
	ip.inline = append(ip.inline, p)
	return true
}

// attachInline attaches p to owner with attachTo unless it already is; a
// nil p is an error on owner.
func (ip *identityPolicies) attachInline(owner cdk.Construct, kind string, p *Policy, attachTo func(*Policy)) {
	if nilref.Report(owner.Node(), kind+".AttachInlinePolicy: the policy", "pass a policy made with iam.NewPolicy", p) {
		return
	}
	if ip.attach(p) {
		attachTo(p)
	}
}

// addStatement adds statement to the default policy, which newDefault
// makes and attachInline attaches on first use; a nil statement is an
// error on owner.
func (ip *identityPolicies) addStatement(owner cdk.Construct, kind string, statement *PolicyStatement, newDefault func() *Policy, attachInline func(*Policy)) AddToPrincipalPolicyResult {
	if nilref.Report(owner.Node(), kind+".AddToPrincipalPolicy: the statement", "pass a statement made with iam.NewPolicyStatement", statement) {
		return AddToPrincipalPolicyResult{}
	}
	if ip.defaultPolicy == nil {
		ip.defaultPolicy = newDefault()
		attachInline(ip.defaultPolicy)
	}
	ip.defaultPolicy.AddStatements(statement)
	return AddToPrincipalPolicyResult{StatementAdded: true, PolicyDependable: ip.defaultPolicy}
}

// addManaged records p and appends its ARN to arns unless it already is
// attached; a nil p is an error on owner.
func (ip *identityPolicies) addManaged(owner cdk.Construct, kind string, p IManagedPolicy, arns *[]string) {
	if nilref.Report(owner.Node(), kind+".AddManagedPolicy: the policy", "pass a managed policy (iam.NewManagedPolicy, iam.ManagedPolicyFromAwsManagedPolicyName)", p) {
		return
	}
	if slices.Contains(ip.managed, p) {
		return
	}
	ip.managed = append(ip.managed, p)
	*arns = append(*arns, p.ManagedPolicyArn())
}

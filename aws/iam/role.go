package iam

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/eksforge/eksforge/cdk"
	cfniam "github.com/eksforge/eksforge/cfn/iam"
	"github.com/eksforge/eksforge/internal/nilref"
	"github.com/eksforge/eksforge/internal/optarg"
)

// IRole is an IAM role, defined in this app ([Role]) or imported
// ([RoleFromRoleArn]).
type IRole interface {
	IIdentity
	// RoleArn is the role's ARN.
	RoleArn() string
	// RoleName is the role's name.
	RoleName() string
	// Grant allows grantee to perform actions on the role.
	Grant(grantee IGrantable, actions ...string) *Grant
	// GrantPassRole allows grantee to pass the role to a service
	// (iam:PassRole).
	GrantPassRole(grantee IGrantable) *Grant
	// GrantAssumeRole allows grantee to assume the role (sts:AssumeRole);
	// the grantee must be an IAM identity with an ARN.
	GrantAssumeRole(grantee IPrincipal) *Grant
}

// RoleProps define a [Role].
type RoleProps struct {
	// AssumedBy is the principal trusted to assume the role. Required.
	AssumedBy IPrincipal
	// ExternalIDs are the external IDs the assuming principal must give
	// (a StringEquals sts:ExternalId condition).
	// Default: none.
	ExternalIDs []string
	// ManagedPolicies attached to the role.
	// Default: none.
	ManagedPolicies []IManagedPolicy
	// InlinePolicies are policies embedded in the role, by name (rendered
	// in the role's Policies property, sorted by name).
	// Default: none.
	InlinePolicies map[string]*PolicyDocument
	// Path of the role.
	// Default: "/" (not rendered).
	Path string
	// PermissionsBoundary is a managed policy bounding the role's
	// permissions.
	// Default: none.
	PermissionsBoundary IManagedPolicy
	// RoleName is the role's physical name. A name prevents replacing the
	// role and must be unique in the account.
	// Default: a name CloudFormation generates.
	RoleName string
	// MaxSessionDuration is the longest session, between 1 and 12 hours.
	// Default: CloudFormation's (1 hour).
	MaxSessionDuration cdk.Duration
	// Description of the role.
	// Default: none.
	Description string
}

// Role is an IAM role (AWS::IAM::Role) with a trust policy, managed
// policies, inline policies and a default policy that AddToPolicy and
// grants add statements to.
type Role struct {
	cdk.Base
	resource   *cfniam.CfnRole
	assumeRole *PolicyDocument
	inline     map[string]*PolicyDocument
	policies   identityPolicies
	arn        string
}

// NewRole adds a role to scope. It panics when AssumedBy is nil.
func NewRole(scope cdk.Construct, id string, props RoleProps) *Role {
	r := &Role{inline: props.InlinePolicies}
	cdk.InitConstruct(r, scope, id)
	typedNils := nilref.Clear(&props, "RoleProps")
	for _, e := range typedNils {
		r.Node().AddError("%s: pass a value, or leave the field unset", e)
	}
	if props.AssumedBy == nil && len(typedNils) == 0 {
		panic(fmt.Sprintf("iam: role %q needs RoleProps.AssumedBy: the principal allowed to assume it, e.g. iam.NewServicePrincipal(\"ec2.amazonaws.com\")", r.Node().Path()))
	}
	r.assumeRole = NewPolicyDocument(PolicyDocumentProps{})
	trust := r.assumeRole
	if len(props.ExternalIDs) > 0 {
		trust = NewPolicyDocument(PolicyDocumentProps{})
	}
	if props.AssumedBy != nil {
		addPrincipalToAssumeRole(props.AssumedBy, trust)
	}
	if trust != r.assumeRole {
		var ext any = props.ExternalIDs
		if len(props.ExternalIDs) == 1 {
			ext = props.ExternalIDs[0]
		}
		for _, s := range trust.statements {
			s.AddCondition("StringEquals", map[string]any{"sts:ExternalId": ext})
			r.assumeRole.AddStatements(s)
		}
	}

	cfnProps := cfniam.CfnRoleProps{
		AssumeRolePolicyDocument: r.assumeRole,
		Path:                     props.Path,
		RoleName:                 props.RoleName,
		Description:              props.Description,
	}
	if props.PermissionsBoundary != nil {
		cfnProps.PermissionsBoundary = props.PermissionsBoundary.ManagedPolicyArn()
	}
	for _, name := range sortedKeys(props.InlinePolicies) {
		cfnProps.Policies = append(cfnProps.Policies, cfniam.CfnRolePolicyProperty{PolicyName: name, PolicyDocument: props.InlinePolicies[name]})
	}
	if !props.MaxSessionDuration.IsZero() {
		secs, err := props.MaxSessionDuration.ToSeconds()
		switch {
		case err != nil:
			r.Node().AddError("MaxSessionDuration: %v", err)
		case props.MaxSessionDuration.IsUnresolved():
			r.Node().AddError("MaxSessionDuration must be known at synthesis, not a token")
		case secs < 3600 || secs > 43200:
			r.Node().AddError("MaxSessionDuration is %s (%v seconds), but must be between 1 and 12 hours (3600 to 43200 seconds)", props.MaxSessionDuration.ToHumanString(), secs)
		default:
			cfnProps.MaxSessionDuration = cdk.Ptr(int(math.Round(secs)))
		}
	}
	if n := props.RoleName; n != "" && !cdk.IsUnresolved(n) && len(n) > 64 {
		r.Node().AddError("RoleName %q is %d characters long; IAM allows at most 64", n, len(n))
	}
	if d := props.Description; len(d) > 1000 {
		r.Node().AddError("Description is %d characters long; IAM allows at most 1000", len(d))
	}
	r.resource = cfniam.NewCfnRole(r, "Resource", cfnProps)
	r.arn = r.resource.AttrArn()
	if n := props.RoleName; n != "" && !cdk.IsUnresolved(n) && !cdk.IsUnresolved(props.Path) {
		r.arn = crossEnvironmentArn(r, r.arn, "role"+rolePath(props.Path)+n)
	}
	for _, m := range props.ManagedPolicies {
		r.AddManagedPolicy(m)
	}
	r.Node().AddValidation(func() []string {
		var errs []string
		for _, e := range r.assumeRole.ValidateForTrustPolicy() {
			errs = append(errs, "trust policy: "+e)
		}
		for _, name := range sortedKeys(r.inline) {
			for _, e := range r.inline[name].ValidateForIdentityPolicy() {
				errs = append(errs, "inline policy "+name+": "+e)
			}
		}
		return errs
	})
	return r
}

// Resource is the AWS::IAM::Role resource.
func (r *Role) Resource() *cfniam.CfnRole { return r.resource }

// ApplyRemovalPolicy sets what happens to the role when it leaves the
// stack (CloudFormation deletes it by default).
func (r *Role) ApplyRemovalPolicy(p cdk.RemovalPolicy) { r.resource.ApplyRemovalPolicy(p) }

// RoleArn is the role's ARN ({"Fn::GetAtt": [role, "Arn"]}). In a stack of
// another account or region, where that reference cannot go, a role with a
// RoleName has its ARN written out (arn:<partition>:iam::<account>:role/<path><name>),
// as the AWS CDK does.
func (r *Role) RoleArn() string { return r.arn }

func rolePath(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// crossEnvironmentArn returns a token that renders ref in the resource's
// own environment and the ARN formatted from the resource's known name in a
// stack of another account or region.
func crossEnvironmentArn(c cdk.Construct, ref string, resource string) string {
	return cdk.AsString(cdk.LazyWithContext(func(ctx *cdk.ResolveContext) any {
		own := cdk.StackOf(c)
		if ctx.Stack != nil && differentEnvironment(ctx.Stack, own) {
			return "arn:" + own.Partition() + ":iam::" + own.Account() + ":" + resource
		}
		return ref
	}))
}

func differentEnvironment(a, b *cdk.Stack) bool {
	return CompareStrings(a.Account(), b.Account()) == TokenDifferent || CompareStrings(a.Region(), b.Region()) == TokenDifferent
}

// RoleName is the role's name ({"Ref": role}).
func (r *Role) RoleName() string { return r.resource.Ref() }

// RoleId is the role's stable unique ID.
func (r *Role) RoleId() string { return r.resource.AttrRoleId() }

// AssumeRolePolicy is the role's trust policy; add statements to trust
// more principals.
func (r *Role) AssumeRolePolicy() *PolicyDocument { return r.assumeRole }

// GrantPrincipal returns r.
func (r *Role) GrantPrincipal() IPrincipal { return r }

// AssumeRoleAction is "sts:AssumeRole".
func (r *Role) AssumeRoleAction() string { return "sts:AssumeRole" }

// PolicyFragment returns {"AWS": [roleArn]}.
func (r *Role) PolicyFragment() *PrincipalPolicyFragment {
	return &PrincipalPolicyFragment{PrincipalJSON: map[string][]string{"AWS": {r.RoleArn()}}}
}

// PrincipalAccount is the account of the role's stack.
func (r *Role) PrincipalAccount() string { return cdk.StackOf(r).Account() }

// String describes the role.
func (r *Role) String() string { return r.Node().Path() }

// AddToPrincipalPolicy adds a statement to the role's default policy
// (AWS::IAM::Policy "DefaultPolicy", created on first use).
func (r *Role) AddToPrincipalPolicy(statement *PolicyStatement) AddToPrincipalPolicyResult {
	return r.policies.addStatement(r, "Role", statement, func() *Policy { return NewPolicy(r, "DefaultPolicy", PolicyProps{}) }, r.AttachInlinePolicy)
}

// AddToPolicy adds a statement to the role's default policy and reports
// whether it was added.
func (r *Role) AddToPolicy(statement *PolicyStatement) bool {
	return r.AddToPrincipalPolicy(statement).StatementAdded
}

// DefaultPolicy is the policy AddToPolicy adds to, nil before first use.
func (r *Role) DefaultPolicy() *Policy { return r.policies.defaultPolicy }

// AttachInlinePolicy attaches a policy to the role.
func (r *Role) AttachInlinePolicy(p *Policy) {
	r.policies.attachInline(r, "Role", p, func(p *Policy) { p.AttachToRole(r) })
}

// AddManagedPolicy attaches a managed policy (once).
func (r *Role) AddManagedPolicy(p IManagedPolicy) {
	r.policies.addManaged(r, "Role", p, &r.resource.Props.ManagedPolicyArns)
}

// ManagedPolicies returns the attached managed policies.
func (r *Role) ManagedPolicies() []IManagedPolicy {
	return slices.Clone(r.policies.managed)
}

// Grant allows grantee to perform actions on this role.
func (r *Role) Grant(grantee IGrantable, actions ...string) *Grant {
	return GrantAddToPrincipal(GrantOnPrincipalOptions{Grantee: grantee, Actions: actions, ResourceArns: []string{r.RoleArn()}, Scope: r})
}

// GrantPassRole allows grantee to pass this role to a service.
func (r *Role) GrantPassRole(grantee IGrantable) *Grant { return r.Grant(grantee, "iam:PassRole") }

// GrantAssumeRole allows grantee to assume this role. A principal without an
// ARN (a service, an account, a federated identity) cannot be granted this
// way: trust it in the role's AssumedBy or AssumeRolePolicy instead; that
// mistake is reported at synthesis.
func (r *Role) GrantAssumeRole(grantee IPrincipal) *Grant {
	return grantAssumeRole(r, grantee, r.Grant)
}

func grantAssumeRole(r IRole, grantee IPrincipal, grant func(IGrantable, ...string) *Grant) *Grant {
	if nilref.IsNil(grantee) {
		return grant(grantee, "sts:AssumeRole") // reported on r
	}
	if err := requireIdentityArn(grantee); err != "" {
		r.Node().AddError("GrantAssumeRole: %s; add it to the role's trust policy instead (RoleProps.AssumedBy or AssumeRolePolicy().AddStatements)", err)
		return GrantDrop(grantee, "sts:AssumeRole")
	}
	return grant(grantee, "sts:AssumeRole")
}

// requireIdentityArn returns why p is not an identity with an ARN, or "".
func requireIdentityArn(p IPrincipal) string {
	switch p.(type) {
	case *ServicePrincipal, *AccountPrincipal, *AccountRootPrincipal, *FederatedPrincipal, *CompositePrincipal:
		return fmt.Sprintf("the principal %v has no ARN of an IAM user or role", p)
	}
	if _, ok := PrincipalArn(p); !ok {
		return fmt.Sprintf("the principal %v has no ARN (its policy fragment has no single \"AWS\" entry)", p)
	}
	return ""
}

// PrincipalArn returns the ARN of a principal that names one IAM entity
// ({"AWS": [arn]}), and false for any other principal (a service, a
// federated identity, several principals). Constructs that need a
// principal's ARN (an aws-auth mapping, an access entry) use it.
func PrincipalArn(p IPrincipal) (string, bool) {
	f := p.PolicyFragment()
	if len(f.PrincipalJSON) != 1 || len(f.PrincipalJSON["AWS"]) != 1 {
		return "", false
	}
	return f.PrincipalJSON["AWS"][0], true
}

// FromRoleArnOptions tune [RoleFromRoleArn].
type FromRoleArnOptions struct {
	// Immutable stops statements from being added to the role: grants and
	// AddToPolicy then succeed without changing the role (useful for a
	// role managed elsewhere). The zero value is the AWS CDK's default,
	// mutable: grants attach an AWS::IAM::Policy to the imported role.
	// Default: false (mutable).
	Immutable bool
	// DefaultPolicyName is the id and the name of the policy created for
	// statements added to the role.
	// Default: "Policy" followed by the unique id of the imported role
	// (safe when the same role is imported in several stacks).
	DefaultPolicyName string
}

// importedRole is a role defined outside the app.
type importedRole struct {
	cdk.Base
	arn      string
	name     string
	account  string
	opts     FromRoleArnOptions
	policies identityPolicies
}

// RoleFromRoleArn imports an existing role by ARN. The role name is the last
// component of the ARN's resource (paths such as "service-role/" are
// skipped). The role is mutable, as in the AWS CDK: statements added to it
// (by grants, AddToPrincipalPolicy) go into an AWS::IAM::Policy attached to
// it, unless opts.Immutable is set or the role is in another account than
// the stack. Managed policies added to an imported role are ignored (they
// would change a role this app does not own). It panics on a malformed
// ARN. Pass at most one options value.
func RoleFromRoleArn(scope cdk.Construct, id string, arn string, opts ...FromRoleArnOptions) IRole {
	r := &importedRole{arn: arn, opts: optarg.One(scope.Node().Path()+"/"+id+": RoleFromRoleArn", opts)}
	cdk.InitConstruct(r, scope, id)
	if cdk.IsUnresolved(arn) {
		r.name = cdk.Fn.Select(1, cdk.Fn.Split(":role/", arn))
		r.account = cdk.Fn.Select(4, cdk.Fn.Split(":", arn))
		return r
	}
	c, err := cdk.SplitArn(arn, cdk.ArnFormatSlashResourceName)
	if err != nil || c.Service != "iam" || c.Resource != "role" || c.ResourceName == "" {
		panic(fmt.Sprintf("iam: %s: %q is not a role ARN; expected arn:<partition>:iam::<account>:role/<name>", r.Node().Path(), arn))
	}
	parts := strings.Split(c.ResourceName, "/")
	r.name = parts[len(parts)-1]
	r.account = c.Account
	return r
}

// RoleFromRoleName imports an existing role of the stack's account by name;
// it is RoleFromRoleArn with arn:<partition>:iam::<account>:role/<name>.
func RoleFromRoleName(scope cdk.Construct, id string, roleName string, opts ...FromRoleArnOptions) IRole {
	if roleName == "" {
		panic(fmt.Sprintf("iam: %s/%s: RoleFromRoleName needs a role name", scope.Node().Path(), id))
	}
	s := cdk.StackOf(scope)
	arn := s.FormatArn(cdk.ArnComponents{Service: "iam", NoRegion: true, Resource: "role", ResourceName: roleName})
	r := &importedRole{arn: arn, name: roleName, account: s.Account(), opts: optarg.One(scope.Node().Path()+"/"+id+": RoleFromRoleArn", opts)}
	cdk.InitConstruct(r, scope, id)
	return r
}

func (r *importedRole) RoleArn() string                 { return r.arn }
func (r *importedRole) RoleName() string                { return r.name }
func (r *importedRole) GrantPrincipal() IPrincipal      { return r }
func (r *importedRole) AssumeRoleAction() string        { return "sts:AssumeRole" }
func (r *importedRole) PrincipalAccount() string        { return r.account }
func (r *importedRole) String() string                  { return r.Node().Path() }
func (r *importedRole) AddManagedPolicy(IManagedPolicy) {}
func (r *importedRole) PolicyFragment() *PrincipalPolicyFragment {
	return &PrincipalPolicyFragment{PrincipalJSON: map[string][]string{"AWS": {r.arn}}}
}

func (r *importedRole) AddToPrincipalPolicy(statement *PolicyStatement) AddToPrincipalPolicyResult {
	if r.opts.Immutable {
		return AddToPrincipalPolicyResult{StatementAdded: true, PolicyDependable: r}
	}
	if CompareStrings(cdk.StackOf(r).Account(), r.account) == TokenDifferent {
		return AddToPrincipalPolicyResult{}
	}
	return r.policies.addStatement(r, "Role", statement, func() *Policy {
		name := r.opts.DefaultPolicyName
		if name == "" {
			name = "Policy" + cdk.UniqueID(r)
		}
		return NewPolicy(r, name, PolicyProps{PolicyName: name})
	}, r.AttachInlinePolicy)
}

func (r *importedRole) AttachInlinePolicy(p *Policy) {
	if r.opts.Immutable {
		return
	}
	r.policies.attachInline(r, "Role", p, func(p *Policy) { p.AttachToRole(r) })
}

func (r *importedRole) Grant(grantee IGrantable, actions ...string) *Grant {
	return GrantAddToPrincipal(GrantOnPrincipalOptions{Grantee: grantee, Actions: actions, ResourceArns: []string{r.arn}, Scope: r})
}

func (r *importedRole) GrantPassRole(grantee IGrantable) *Grant {
	return r.Grant(grantee, "iam:PassRole")
}

func (r *importedRole) GrantAssumeRole(grantee IPrincipal) *Grant {
	return grantAssumeRole(r, grantee, r.Grant)
}

package iam

import (
	"github.com/eksforge/eksforge/cdk"
	cfniam "github.com/eksforge/eksforge/cfn/iam"
	"github.com/eksforge/eksforge/internal/nilref"
)

// IUser is an IAM user.
type IUser interface {
	IIdentity
	// UserArn is the user's ARN.
	UserArn() string
	// UserName is the user's name.
	UserName() string
	// AddToGroup makes the user a member of group.
	AddToGroup(group IGroup)
}

// IGroup is an IAM group.
type IGroup interface {
	IIdentity
	// GroupArn is the group's ARN.
	GroupArn() string
	// GroupName is the group's name.
	GroupName() string
}

// UserProps define a [User].
type UserProps struct {
	// UserName is the user's name.
	// Default: a name CloudFormation generates.
	UserName string
	// Path of the user.
	// Default: "/".
	Path string
	// Groups the user belongs to.
	// Default: none.
	Groups []IGroup
	// ManagedPolicies attached to the user.
	// Default: none.
	ManagedPolicies []IManagedPolicy
	// PermissionsBoundary bounds the user's permissions.
	// Default: none.
	PermissionsBoundary IManagedPolicy
}

// User is an IAM user (AWS::IAM::User).
type User struct {
	cdk.Base
	resource *cfniam.CfnUser
	groups   []IGroup
	policies identityPolicies
}

// NewUser adds a user to scope.
func NewUser(scope cdk.Construct, id string, props UserProps) *User {
	u := &User{}
	cdk.InitConstruct(u, scope, id)
	typedNils := nilref.Clear(&props, "UserProps")
	for _, e := range typedNils {
		u.Node().AddError("%s: pass a value, or leave the field unset", e)
	}
	p := cfniam.CfnUserProps{
		UserName: props.UserName,
		Path:     props.Path,
	}
	if props.PermissionsBoundary != nil {
		p.PermissionsBoundary = props.PermissionsBoundary.ManagedPolicyArn()
	}
	u.resource = cfniam.NewCfnUser(u, "Resource", p)
	for _, m := range props.ManagedPolicies {
		u.AddManagedPolicy(m)
	}
	for _, g := range props.Groups {
		u.AddToGroup(g)
	}
	return u
}

// Resource is the AWS::IAM::User resource.
func (u *User) Resource() *cfniam.CfnUser { return u.resource }

// UserArn is the user's ARN.
func (u *User) UserArn() string { return u.resource.AttrArn() }

// UserName is the user's name ({"Ref": user}).
func (u *User) UserName() string { return u.resource.Ref() }

// GrantPrincipal returns u.
func (u *User) GrantPrincipal() IPrincipal { return u }

// AssumeRoleAction is "sts:AssumeRole".
func (u *User) AssumeRoleAction() string { return "sts:AssumeRole" }

// PolicyFragment returns {"AWS": [userArn]}.
func (u *User) PolicyFragment() *PrincipalPolicyFragment {
	return &PrincipalPolicyFragment{PrincipalJSON: map[string][]string{"AWS": {u.UserArn()}}}
}

// PrincipalAccount is the account of the user's stack.
func (u *User) PrincipalAccount() string { return cdk.StackOf(u).Account() }

// String describes the user.
func (u *User) String() string { return u.Node().Path() }

// AddToPrincipalPolicy adds a statement to the user's default policy.
func (u *User) AddToPrincipalPolicy(statement *PolicyStatement) AddToPrincipalPolicyResult {
	return u.policies.addStatement(u, "User", statement, func() *Policy { return NewPolicy(u, "DefaultPolicy", PolicyProps{}) }, u.AttachInlinePolicy)
}

// AddToPolicy adds a statement to the user's default policy.
func (u *User) AddToPolicy(statement *PolicyStatement) bool {
	return u.AddToPrincipalPolicy(statement).StatementAdded
}

// AttachInlinePolicy attaches a policy to the user.
func (u *User) AttachInlinePolicy(p *Policy) {
	u.policies.attachInline(u, "User", p, func(p *Policy) { p.AttachToUser(u) })
}

// AddManagedPolicy attaches a managed policy (once).
func (u *User) AddManagedPolicy(p IManagedPolicy) {
	u.policies.addManaged(u, "User", p, &u.resource.Props.ManagedPolicyArns)
}

// AddToGroup makes the user a member of group.
func (u *User) AddToGroup(g IGroup) {
	if nilref.Report(u.Node(), "User.AddToGroup: the group", "pass a group", g) {
		return
	}
	for _, x := range u.groups {
		if x == g {
			return
		}
	}
	u.groups = append(u.groups, g)
	u.resource.Props.Groups = append(u.resource.Props.Groups, g.GroupName())
}

// GroupProps define a [Group].
type GroupProps struct {
	// GroupName is the group's name.
	// Default: a name CloudFormation generates.
	GroupName string
	// Path of the group.
	// Default: "/".
	Path string
	// ManagedPolicies attached to the group.
	// Default: none.
	ManagedPolicies []IManagedPolicy
}

// Group is an IAM group (AWS::IAM::Group). A group cannot be a principal
// of a resource or trust policy; it can only hold policies for its users.
type Group struct {
	cdk.Base
	resource *cfniam.CfnGroup
	policies identityPolicies
}

// NewGroup adds a group to scope.
func NewGroup(scope cdk.Construct, id string, props GroupProps) *Group {
	g := &Group{}
	cdk.InitConstruct(g, scope, id)
	typedNils := nilref.Clear(&props, "GroupProps")
	for _, e := range typedNils {
		g.Node().AddError("%s: pass a value, or leave the field unset", e)
	}
	g.resource = cfniam.NewCfnGroup(g, "Resource", cfniam.CfnGroupProps{
		GroupName: props.GroupName,
		Path:      props.Path,
	})
	for _, m := range props.ManagedPolicies {
		g.AddManagedPolicy(m)
	}
	return g
}

// Resource is the AWS::IAM::Group resource.
func (g *Group) Resource() *cfniam.CfnGroup { return g.resource }

// GroupArn is the group's ARN.
func (g *Group) GroupArn() string { return g.resource.AttrArn() }

// GroupName is the group's name ({"Ref": group}).
func (g *Group) GroupName() string { return g.resource.Ref() }

// GrantPrincipal returns g.
func (g *Group) GrantPrincipal() IPrincipal { return g }

// AssumeRoleAction is "sts:AssumeRole".
func (g *Group) AssumeRoleAction() string { return "sts:AssumeRole" }

// PolicyFragment returns {"AWS": [groupArn]}; IAM does not accept groups as
// principals, so a statement naming one is rejected at deploy time.
func (g *Group) PolicyFragment() *PrincipalPolicyFragment {
	return &PrincipalPolicyFragment{PrincipalJSON: map[string][]string{"AWS": {g.GroupArn()}}}
}

// PrincipalAccount is the account of the group's stack.
func (g *Group) PrincipalAccount() string { return cdk.StackOf(g).Account() }

// String describes the group.
func (g *Group) String() string { return g.Node().Path() }

// AddToPrincipalPolicy adds a statement to the group's default policy.
func (g *Group) AddToPrincipalPolicy(statement *PolicyStatement) AddToPrincipalPolicyResult {
	return g.policies.addStatement(g, "Group", statement, func() *Policy { return NewPolicy(g, "DefaultPolicy", PolicyProps{}) }, g.AttachInlinePolicy)
}

// AddToPolicy adds a statement to the group's default policy.
func (g *Group) AddToPolicy(statement *PolicyStatement) bool {
	return g.AddToPrincipalPolicy(statement).StatementAdded
}

// AttachInlinePolicy attaches a policy to the group.
func (g *Group) AttachInlinePolicy(p *Policy) {
	g.policies.attachInline(g, "Group", p, func(p *Policy) { p.AttachToGroup(g) })
}

// AddManagedPolicy attaches a managed policy (once).
func (g *Group) AddManagedPolicy(p IManagedPolicy) {
	g.policies.addManaged(g, "Group", p, &g.resource.Props.ManagedPolicyArns)
}

// AddUser makes user a member of the group.
func (g *Group) AddUser(user IUser) {
	if nilref.Report(g.Node(), "Group.AddUser: the user", "pass a user", user) {
		return
	}
	user.AddToGroup(g)
}

package iam_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// TestNilArguments passes nil and typed-nil values to the iam methods and
// functions that have no props: a method of a construct reports an error
// on that construct's path; a statement reports it on the policy that
// holds it.
func TestNilArguments(t *testing.T) {
	t.Parallel()
	var (
		role   *iam.Role
		user   *iam.User
		group  *iam.Group
		pol    *iam.Policy
		mp     *iam.ManagedPolicy
		st     *iam.PolicyStatement
		sp     *iam.ServicePrincipal
		anyUsr iam.IUser
	)
	svc := iam.NewServicePrincipal("ec2.amazonaws.com")
	newRole := func(s *cdk.Stack) *iam.Role { return iam.NewRole(s, "R", iam.RoleProps{AssumedBy: svc}) }
	stmt := func(p iam.PolicyStatementProps) *iam.PolicyStatement {
		p.Actions, p.Resources = []string{"s3:GetObject"}, []string{"*"}
		return iam.NewPolicyStatement(p)
	}
	for _, tc := range []struct {
		name  string
		build func(s *cdk.Stack)
		want  []string
	}{
		{"fails on a typed-nil principal of a statement", func(s *cdk.Stack) {
			newRole(s).AddToPolicy(stmt(iam.PolicyStatementProps{Principals: []iam.IPrincipal{sp}}))
		}, []string{"[Stack/R/DefaultPolicy]", "Principals: a principal is a nil *iam.ServicePrincipal"}},
		{"fails on a nil NotPrincipal of a statement", func(s *cdk.Stack) {
			newRole(s).AddToPolicy(stmt(iam.PolicyStatementProps{NotPrincipals: []iam.IPrincipal{nil}}))
		}, []string{"[Stack/R/DefaultPolicy]", "NotPrincipals: a principal is nil"}},
		{"fails on a nil statement for a role", func(s *cdk.Stack) { newRole(s).AddToPrincipalPolicy(st) },
			[]string{"[Stack/R]", "Role.AddToPrincipalPolicy: the statement is a nil *iam.PolicyStatement"}},
		{"fails on a nil statement for a user", func(s *cdk.Stack) { iam.NewUser(s, "U", iam.UserProps{}).AddToPolicy(st) },
			[]string{"[Stack/U]", "User.AddToPrincipalPolicy: the statement is a nil *iam.PolicyStatement"}},
		{"fails on a nil statement for a group", func(s *cdk.Stack) { iam.NewGroup(s, "G", iam.GroupProps{}).AddToPolicy(st) },
			[]string{"[Stack/G]", "Group.AddToPrincipalPolicy: the statement is a nil *iam.PolicyStatement"}},
		{"fails on a nil statement of a policy", func(s *cdk.Stack) {
			p := iam.NewPolicy(s, "P", iam.PolicyProps{Roles: []iam.IRole{newRole(s)}})
			p.AddStatements(stmt(iam.PolicyStatementProps{}), st)
		}, []string{"[Stack/P]", "Policy.AddStatements: statement 1 is a nil *iam.PolicyStatement"}},
		{"fails on a nil statement of a managed policy", func(s *cdk.Stack) {
			iam.NewManagedPolicy(s, "M", iam.ManagedPolicyProps{Statements: []*iam.PolicyStatement{stmt(iam.PolicyStatementProps{})}}).AddStatements(st)
		}, []string{"[Stack/M]", "ManagedPolicy.AddStatements: statement 0 is a nil *iam.PolicyStatement"}},
		{"fails on a nil inline policy", func(s *cdk.Stack) { newRole(s).AttachInlinePolicy(pol) },
			[]string{"[Stack/R]", "Role.AttachInlinePolicy: the policy is a nil *iam.Policy"}},
		{"fails on a typed-nil managed policy", func(s *cdk.Stack) { newRole(s).AddManagedPolicy(mp) },
			[]string{"[Stack/R]", "Role.AddManagedPolicy: the policy is a nil *iam.ManagedPolicy"}},
		{"fails on a typed-nil managed policy of a user", func(s *cdk.Stack) { iam.NewUser(s, "U", iam.UserProps{}).AddManagedPolicy(mp) },
			[]string{"[Stack/U]", "User.AddManagedPolicy: the policy is a nil *iam.ManagedPolicy"}},
		{"fails on a typed-nil group of a user", func(s *cdk.Stack) { iam.NewUser(s, "U", iam.UserProps{}).AddToGroup(group) },
			[]string{"[Stack/U]", "User.AddToGroup: the group is a nil *iam.Group"}},
		{"fails on a nil user of a group", func(s *cdk.Stack) { iam.NewGroup(s, "G", iam.GroupProps{}).AddUser(anyUsr) },
			[]string{"[Stack/G]", "Group.AddUser: the user is nil"}},
		{"fails on a typed-nil role of a policy", func(s *cdk.Stack) {
			iam.NewPolicy(s, "P", iam.PolicyProps{Statements: []*iam.PolicyStatement{stmt(iam.PolicyStatementProps{})}, Users: []iam.IUser{iam.NewUser(s, "U", iam.UserProps{})}}).AttachToRole(role)
		}, []string{"[Stack/P]", "Policy.AttachToRole: the role is a nil *iam.Role"}},
		{"fails on a typed-nil user of a managed policy", func(s *cdk.Stack) {
			iam.NewManagedPolicy(s, "M", iam.ManagedPolicyProps{Statements: []*iam.PolicyStatement{stmt(iam.PolicyStatementProps{})}}).AttachToUser(user)
		}, []string{"[Stack/M]", "ManagedPolicy.AttachToUser: the user is a nil *iam.User"}},
		{"fails on a typed-nil grantee of a role", func(s *cdk.Stack) { newRole(s).GrantPassRole(role) },
			[]string{"[Stack/R]", "granting iam:PassRole: the grantee is a nil *iam.Role"}},
		{"fails on a typed-nil principal assuming a role", func(s *cdk.Stack) { newRole(s).GrantAssumeRole(sp) },
			[]string{"[Stack/R]", "granting sts:AssumeRole: the grantee is a nil *iam.ServicePrincipal"}},
		{"fails on a typed-nil grantee of an imported role", func(s *cdk.Stack) {
			iam.RoleFromRoleArn(s, "I", "arn:aws:iam::123456789012:role/x").Grant(user, "iam:PassRole")
		}, []string{"[Stack/I]", "granting iam:PassRole: the grantee is a nil *iam.User"}},
		{"fails on a typed-nil grantee with a Scope", func(s *cdk.Stack) {
			iam.GrantAddToPrincipal(iam.GrantOnPrincipalOptions{Grantee: role, Actions: []string{"s3:GetObject"}, ResourceArns: []string{"*"}, Scope: newRole(s)})
		}, []string{"[Stack/R]", "granting s3:GetObject: the grantee is a nil *iam.Role"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := synthtest.NewStack()
			tc.build(stack)
			synthtest.WantErrors(t, synthtest.SynthError(t, app), tc.want...)
		})
	}
}

// TestNilArgumentsWithoutAConstructPanicWithAMessage: functions with no
// construct to report on (value constructors) panic, documented, with the
// argument and what to pass.
func TestNilArgumentsWithoutAConstructPanicWithAMessage(t *testing.T) {
	t.Parallel()
	var (
		role *iam.Role
		sp   *iam.ServicePrincipal
		oidc *iam.OpenIDConnectProvider
	)
	for _, tc := range []struct {
		name string
		f    func()
		want string
	}{
		{"fails on a typed-nil grantee without a Scope", func() {
			iam.GrantAddToPrincipal(iam.GrantOnPrincipalOptions{Grantee: role, Actions: []string{"s3:GetObject"}, ResourceArns: []string{"*"}})
		}, "iam: granting s3:GetObject: the grantee is a nil *iam.Role: pass a role"},
		{"fails on a typed-nil principal of a composite", func() { iam.NewCompositePrincipal(iam.NewAccountRootPrincipal(), sp) },
			"iam: CompositePrincipal: principal 1 is a nil *iam.ServicePrincipal: pass a principal"},
		{"fails on a typed-nil principal with conditions", func() { iam.WithConditions(sp, iam.Conditions{}) },
			"iam: WithConditions: the principal is a nil *iam.ServicePrincipal"},
		{"fails on a typed-nil OpenID Connect provider", func() { iam.NewOpenIDConnectPrincipal(oidc, nil) },
			"iam: NewOpenIDConnectPrincipal: the provider is a nil *iam.OpenIDConnectProvider"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if msg := synthtest.MustPanic(t, tc.f); !strings.Contains(msg, tc.want) {
				t.Errorf("panic %q does not contain %q", msg, tc.want)
			}
		})
	}
}

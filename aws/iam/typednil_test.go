package iam_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// TestTypedNilProps passes typed nils (`var r *iam.Role`) in every
// interface field of the iam constructors' props: each is a synthesis
// error naming the construct path and the field, never a panic.
func TestTypedNilProps(t *testing.T) {
	t.Parallel()
	var (
		role   *iam.Role
		user   *iam.User
		group  *iam.Group
		policy *iam.ManagedPolicy
		sp     *iam.ServicePrincipal
	)
	svc := iam.NewServicePrincipal("ec2.amazonaws.com")
	for _, tc := range []struct {
		name  string
		build func(s *cdk.Stack)
		want  []string
	}{
		{"fails on a nil AssumedBy", func(s *cdk.Stack) { iam.NewRole(s, "R", iam.RoleProps{AssumedBy: sp}) },
			[]string{"Stack/R", "RoleProps.AssumedBy is a nil *iam.ServicePrincipal"}},
		{"fails on a nil managed policy", func(s *cdk.Stack) {
			iam.NewRole(s, "R", iam.RoleProps{AssumedBy: svc, ManagedPolicies: []iam.IManagedPolicy{policy}})
		}, []string{"Stack/R", "RoleProps.ManagedPolicies[0] is a nil *iam.ManagedPolicy"}},
		{"fails on a nil permissions boundary", func(s *cdk.Stack) {
			iam.NewRole(s, "R", iam.RoleProps{AssumedBy: svc, PermissionsBoundary: policy})
		}, []string{"Stack/R", "RoleProps.PermissionsBoundary is a nil *iam.ManagedPolicy"}},
		{"fails on a nil role of a policy", func(s *cdk.Stack) {
			iam.NewPolicy(s, "P", iam.PolicyProps{Roles: []iam.IRole{role}, Statements: []*iam.PolicyStatement{iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"s3:GetObject"}, Resources: []string{"*"}})}})
		}, []string{"Stack/P", "PolicyProps.Roles[0] is a nil *iam.Role"}},
		{"fails on nil users and groups of a managed policy", func(s *cdk.Stack) {
			iam.NewManagedPolicy(s, "M", iam.ManagedPolicyProps{Users: []iam.IUser{user}, Groups: []iam.IGroup{nil}})
		}, []string{"Stack/M", "ManagedPolicyProps.Users[0] is a nil *iam.User", "ManagedPolicyProps.Groups[0] is nil"}},
		{"fails on a nil group of a user", func(s *cdk.Stack) { iam.NewUser(s, "U", iam.UserProps{Groups: []iam.IGroup{group}}) },
			[]string{"Stack/U", "UserProps.Groups[0] is a nil *iam.Group"}},
		{"fails on a nil managed policy of a group", func(s *cdk.Stack) {
			iam.NewGroup(s, "G", iam.GroupProps{ManagedPolicies: []iam.IManagedPolicy{policy}})
		}, []string{"Stack/G", "GroupProps.ManagedPolicies[0] is a nil *iam.ManagedPolicy"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := synthtest.NewStack()
			tc.build(stack)
			synthtest.WantErrors(t, synthtest.SynthError(t, app), tc.want...)
		})
	}
}

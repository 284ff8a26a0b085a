package iam_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// fakeResource is a resource with a policy, in a given account.
type fakeResource struct {
	cdk.Base
	account string
	added   []*iam.PolicyStatement
	accept  bool
}

func (f *fakeResource) Env() iam.ResourceEnvironment {
	return iam.ResourceEnvironment{Account: f.account}
}
func (f *fakeResource) AddToResourcePolicy(s *iam.PolicyStatement) iam.AddToResourcePolicyResult {
	if !f.accept {
		return iam.AddToResourcePolicyResult{}
	}
	f.added = append(f.added, s)
	return iam.AddToResourcePolicyResult{StatementAdded: true}
}

func TestGrantAddToPrincipalOrResource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		stackAccount    string
		resourceAccount string
		grantee         func(s *cdk.Stack) iam.IGrantable
		accept          bool
		wantPrincipal   int
		wantResource    int
		wantDependables int
	}{
		{"same account (both unknown): identity policy only", "", "", func(s *cdk.Stack) iam.IGrantable {
			return iam.NewRole(s, "R", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
		}, true, 1, 0, 1},
		{"same literal account: identity policy only", "111111111111", "111111111111", func(s *cdk.Stack) iam.IGrantable {
			return iam.NewRole(s, "R", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
		}, true, 1, 0, 1},
		{"another account: resource policy too", "111111111111", "222222222222", func(s *cdk.Stack) iam.IGrantable {
			return iam.NewRole(s, "R", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
		}, true, 0, 1, 1},
		{"a service principal: resource policy", "", "", func(*cdk.Stack) iam.IGrantable { return iam.NewServicePrincipal("sns") }, true, 0, 1, 1},
		{"a resource that refuses: resource statement without dependable", "", "", func(*cdk.Stack) iam.IGrantable { return iam.NewServicePrincipal("sns") }, false, 0, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack(cdk.Environment{Account: tc.stackAccount, Region: map[bool]string{true: "us-east-1"}[tc.stackAccount != ""]})
			res := &fakeResource{accept: tc.accept, account: tc.resourceAccount}
			cdk.InitConstruct(res, stack, "Res")
			if res.account == "" {
				res.account = stack.Account()
			}
			g := iam.GrantAddToPrincipalOrResource(iam.GrantWithResourceOptions{
				Grantee: tc.grantee(stack), Actions: []string{"sns:Publish"}, ResourceArns: []string{"arn:topic"}, Resource: res, ResourceSelfArns: []string{"*"},
			})
			if len(g.PrincipalStatements()) != tc.wantPrincipal || len(g.ResourceStatements()) != tc.wantResource || len(g.Dependables()) != tc.wantDependables {
				t.Errorf("principal %d resource %d dependables %d", len(g.PrincipalStatements()), len(g.ResourceStatements()), len(g.Dependables()))
			}
			for _, s := range res.added {
				if s.Resources()[0] != "*" || !s.HasPrincipal() {
					t.Errorf("resource statement %v", s.ToStatementJSON())
				}
			}
		})
	}
}

func TestGrantOnPrincipalAndResource(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	res := &fakeResource{accept: true}
	cdk.InitConstruct(res, stack, "Res")
	res.account = stack.Account()
	role := iam.NewRole(stack, "R", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
	g := iam.GrantOnPrincipalAndResource(iam.GrantOnPrincipalAndResourceOptions{
		GrantWithResourceOptions: iam.GrantWithResourceOptions{Grantee: role, Actions: []string{"kms:Decrypt"}, ResourceArns: []string{"*"}, Resource: res},
		ResourcePolicyPrincipal:  iam.NewAccountPrincipal("123456789012"),
	})
	if len(g.PrincipalStatements()) != 1 || len(g.ResourceStatements()) != 1 || len(g.Dependables()) != 2 {
		t.Errorf("principal %d resource %d dependables %d", len(g.PrincipalStatements()), len(g.ResourceStatements()), len(g.Dependables()))
	}
	if p := res.added[0].Principals()[0]; p.PrincipalAccount() != "123456789012" {
		t.Errorf("resource policy principal %v", p)
	}
	if d := iam.GrantDrop(role, "nothing needed"); d.Success() {
		t.Error("GrantDrop should not succeed")
	}
}

func TestCompareStrings(t *testing.T) {
	t.Parallel()
	tok1, tok2 := cdk.Fn.Ref("A"), cdk.Fn.Ref("B")
	tests := []struct {
		a, b string
		want iam.TokenComparison
	}{
		{"x", "x", iam.TokenSame},
		{"x", "y", iam.TokenDifferent},
		{tok1, "y", iam.TokenOneUnresolved},
		{tok1, tok2, iam.TokenBothUnresolved},
		{tok1, tok1, iam.TokenSame},
	}
	for _, tc := range tests {
		if got := iam.CompareStrings(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareStrings(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestStatementPrincipalHelpers(t *testing.T) {
	t.Parallel()
	s := iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"sts:AssumeRole"}}).
		AddServicePrincipal("ec2").
		AddArnPrincipal("arn:aws:iam::123456789012:role/r").
		AddAwsAccountPrincipal("222233334444").
		AddAccountRootPrincipal().
		AddAnyPrincipal()
	if len(s.Principals()) != 5 || len(s.ValidateForTrustPolicy()) != 0 {
		t.Errorf("principals %v problems %v", s.Principals(), s.ValidateForTrustPolicy())
	}
	doc := iam.NewPolicyDocument(iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{s}})
	if doc.StatementCount() != 1 || len(doc.ValidateForResourcePolicy()) != 1 || doc.ToJSON()["Version"] != "2012-10-17" {
		t.Errorf("document: %d statements, problems %v", doc.StatementCount(), doc.ValidateForResourcePolicy())
	}
	if !cdk.IsUnresolved(doc.String()) {
		t.Error("String should be a token")
	}
}

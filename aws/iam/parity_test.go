package iam_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cdklib"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// TestParityWithAwsCdk builds the apps of testdata/parity/*.js in Go and
// compares the templates with what aws-cdk-lib 2.276.0 synthesizes for them,
// with the feature flags new AWS CDK projects set: the same resource types
// and counts, the same logical IDs, and the same properties and attributes
// of every resource. The "live" subtests run the apps with node through
// internal/testenv/cdklib (skipped when npm is offline, or with -short) and
// also check that the recorded templates (testdata/parity/*.template.json,
// which the "recorded" subtests compare with when node is unavailable) are
// current. The only normalization is for the one intended difference: a
// role's inline policies are sorted by name here (Go maps have no order), in
// insertion order there; CloudFormation treats the list as unordered.
func TestParityWithAwsCdk(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		build func(stack *cdk.Stack)
	}{
		{"role", buildParityRole},
		{"iam", buildParityIAM},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			tc.build(stack)
			cdklib.CheckParity(t, tc.name, synthtest.TemplateJSON(t, stack), nil)
		})
	}
}

func buildParityRole(stack *cdk.Stack) {
	role := iam.NewRole(stack, "NodeRole", iam.RoleProps{
		AssumedBy:       iam.NewServicePrincipal("ec2.amazonaws.com"),
		ManagedPolicies: []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEKSWorkerNodePolicy")},
	})
	role.AddToPolicy(allow([]string{"s3:GetObject"}, "arn:aws:s3:::assets/*"))
	role.AddToPolicy(allow([]string{"s3:PutObject"}, "arn:aws:s3:::assets/*"))
	role.AddToPolicy(allow([]string{"s3:ListBucket", "s3:GetBucketLocation"}, "arn:aws:s3:::logs", "arn:aws:s3:::assets"))
	role.AddToPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
		Actions:    []string{"ec2:DescribeInstances"},
		Resources:  []string{"*"},
		Conditions: iam.Conditions{"StringEquals": map[string]any{"aws:RequestedRegion": "us-east-1"}},
	}))
}

func buildParityIAM(stack *cdk.Stack) {
	issuer := "oidc.eks.us-east-1.amazonaws.com/id/ABC"
	provider := iam.NewOpenIDConnectProvider(stack, "Provider", iam.OpenIDConnectProviderProps{URL: "https://" + issuer, ClientIDs: []string{"sts.amazonaws.com"}})
	doc := func(action string) *iam.PolicyDocument {
		return iam.NewPolicyDocument(iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{allow([]string{action}, "*")}})
	}
	oidcRole := iam.NewRole(stack, "OidcRole", iam.RoleProps{
		AssumedBy: iam.NewOpenIDConnectPrincipal(provider, iam.Conditions{"StringEquals": map[string]any{
			issuer + ":sub": "system:serviceaccount:default:app", issuer + ":aud": "sts.amazonaws.com",
		}}),
		MaxSessionDuration:  cdk.Hours(2),
		Path:                "/eks/",
		Description:         "desc",
		RoleName:            "my-role",
		PermissionsBoundary: iam.ManagedPolicyFromAwsManagedPolicyName("PowerUserAccess"),
		InlinePolicies:      map[string]*iam.PolicyDocument{"Alpha": doc("sns:Publish"), "Zeta": doc("sqs:SendMessage")},
	})
	svcRole := iam.NewRole(stack, "ServiceRole", iam.RoleProps{
		AssumedBy:   iam.NewServicePrincipal("eks.amazonaws.com").WithConditions(iam.Conditions{"StringEquals": map[string]any{"aws:SourceAccount": "123456789012"}}),
		ExternalIDs: []string{"x1"},
	})
	oidcRole.GrantPassRole(svcRole)
	oidcRole.GrantAssumeRole(svcRole)
	accountRole := iam.NewRole(stack, "AccountRole", iam.RoleProps{AssumedBy: iam.NewAccountPrincipal("222233334444")})
	fedRole := iam.NewRole(stack, "FederatedRole", iam.RoleProps{
		AssumedBy: iam.NewFederatedPrincipal("cognito-identity.amazonaws.com",
			iam.Conditions{"StringEquals": map[string]any{"cognito-identity.amazonaws.com:aud": "pool"}}, "sts:AssumeRoleWithWebIdentity"),
	})
	iam.NewRole(stack, "CompositeRole", iam.RoleProps{AssumedBy: iam.NewCompositePrincipal(
		iam.NewServicePrincipal("lambda.amazonaws.com"), iam.NewAccountRootPrincipal(), iam.NewArnPrincipal("arn:aws:iam::111111111111:role/x"))})
	imported := iam.RoleFromRoleArn(stack, "Imported", "arn:aws:iam::123456789012:role/service-role/imp")
	imported.AddToPrincipalPolicy(allow([]string{"s3:GetObject"}, "*"))
	immutable := iam.RoleFromRoleArn(stack, "Immutable", "arn:aws:iam::123456789012:role/imp2", iam.FromRoleArnOptions{Immutable: true})
	immutable.AddToPrincipalPolicy(allow([]string{"s3:GetObject"}, "*"))
	user := iam.NewUser(stack, "User", iam.UserProps{ManagedPolicies: []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("ReadOnlyAccess")}})
	group := iam.NewGroup(stack, "Group", iam.GroupProps{})
	group.AddUser(user)
	user.AddToPolicy(allow([]string{"ec2:DescribeInstances"}, "*"))
	group.AddToPolicy(allow([]string{"ec2:DescribeVpcs"}, "*"))
	iam.NewManagedPolicy(stack, "Managed", iam.ManagedPolicyProps{
		Statements: []*iam.PolicyStatement{allow([]string{"logs:*"}, "*")},
		Roles:      []iam.IRole{accountRole},
	})
	iam.NewPolicy(stack, "Inline", iam.PolicyProps{
		Statements: []*iam.PolicyStatement{allow([]string{"ecr:GetAuthorizationToken"}, "*")},
		Roles:      []iam.IRole{fedRole}, Users: []iam.IUser{user}, Groups: []iam.IGroup{group},
	})
	s := allow([]string{"s3:GetObject"}, "*")
	s.AddCondition("StringEquals", map[string]any{"a": "1"})
	s.AddCondition("StringEquals", map[string]any{"b": "2"})
	s.AddCondition("Bool", map[string]any{"c": "true"})
	accountRole.AddToPolicy(s)
	accountRole.AddToPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{NotActions: []string{"iam:*"}, NotResources: []string{"arn:aws:s3:::x"}, Effect: iam.EffectDeny, Sid: "DenyAll"}))
	fromJSON, err := iam.PolicyDocumentFromJSON(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{
				"Effect":    "Allow",
				"Action":    []any{"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"},
				"Resource":  "*",
				"Condition": map[string]any{"Null": map[string]any{"aws:RequestTag/elbv2.k8s.aws/cluster": "false"}},
			},
			map[string]any{"Effect": "Allow", "Action": "ec2:DescribeVpcs", "Resource": "*"},
			map[string]any{"Effect": "Allow", "Action": []any{"ec2:DescribeSubnets"}, "Resource": []any{"*"}},
		},
	})
	if err != nil {
		panic(err)
	}
	iam.NewManagedPolicy(stack, "FromJson", iam.ManagedPolicyProps{Document: fromJSON, Roles: []iam.IRole{fedRole}})
	trustRole := iam.NewRole(stack, "TrustRole", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	for _, js := range []map[string]any{
		{"Effect": "Allow", "Principal": map[string]any{"AWS": []any{"arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/b"}}, "Action": "sts:AssumeRole"},
		{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": "o-abcdefghij"}}},
	} {
		s, err := iam.PolicyStatementFromJSON(js)
		if err != nil {
			panic(err)
		}
		trustRole.AssumeRolePolicy().AddStatements(s)
	}
	importedProvider := iam.OpenIDConnectProviderFromArn(stack, "ImportedProvider", "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/DEF")
	iam.NewRole(stack, "ImportedProviderRole", iam.RoleProps{AssumedBy: iam.NewOpenIDConnectPrincipal(importedProvider, nil)})
	cdk.NewCfnOutput(stack, "ImportedName", cdk.CfnOutputProps{Value: imported.RoleName()})
	cdk.NewCfnOutput(stack, "ProviderIssuer", cdk.CfnOutputProps{Value: provider.OpenIDConnectProviderIssuer()})
	cdk.NewCfnOutput(stack, "ImportedProviderIssuer", cdk.CfnOutputProps{Value: importedProvider.OpenIDConnectProviderIssuer()})
}

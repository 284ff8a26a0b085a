package iam_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

var Match = assertions.Match

func allow(actions []string, resources ...string) *iam.PolicyStatement {
	return iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: actions, Resources: resources})
}

func TestRoleProps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		props func(stack *cdk.Stack) iam.RoleProps
		want  map[string]any
	}{
		{"defaults render only the trust policy", func(*cdk.Stack) iam.RoleProps {
			return iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")}
		}, map[string]any{
			"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]any{"Service": "ec2.amazonaws.com"}}}, "Version": "2012-10-17"},
			"ManagedPolicyArns":        Match.Absent(), "Policies": Match.Absent(), "RoleName": Match.Absent(), "Path": Match.Absent(), "MaxSessionDuration": Match.Absent(),
		}},
		{"managed policies by AWS name use the stack's partition", func(*cdk.Stack) iam.RoleProps {
			return iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2"), ManagedPolicies: []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEKSWorkerNodePolicy")}}
		}, map[string]any{"ManagedPolicyArns": []any{map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::aws:policy/AmazonEKSWorkerNodePolicy"}}}}}},
		{"managed policies by ARN and by name", func(s *cdk.Stack) iam.RoleProps {
			return iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2"), ManagedPolicies: []iam.IManagedPolicy{
				iam.ManagedPolicyFromManagedPolicyArn(s, "ByArn", "arn:aws:iam::123456789012:policy/p1"),
			}}
		}, map[string]any{"ManagedPolicyArns": []any{"arn:aws:iam::123456789012:policy/p1"}}},
		{"inline policies are sorted by name", func(*cdk.Stack) iam.RoleProps {
			return iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2"), InlinePolicies: map[string]*iam.PolicyDocument{
				"Zeta":  iam.NewPolicyDocument(iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{allow([]string{"sqs:SendMessage"}, "*")}}),
				"Alpha": iam.NewPolicyDocument(iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{allow([]string{"sns:Publish"}, "*")}}),
			}}
		}, map[string]any{"Policies": []any{
			map[string]any{"PolicyName": "Alpha", "PolicyDocument": map[string]any{"Statement": []any{map[string]any{"Action": "sns:Publish", "Effect": "Allow", "Resource": "*"}}, "Version": "2012-10-17"}},
			map[string]any{"PolicyName": "Zeta", "PolicyDocument": map[string]any{"Statement": []any{map[string]any{"Action": "sqs:SendMessage", "Effect": "Allow", "Resource": "*"}}, "Version": "2012-10-17"}},
		}}},
		{"name, path, description, boundary and session duration", func(*cdk.Stack) iam.RoleProps {
			return iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2"), RoleName: "my-role", Path: "/eks/", Description: "desc",
				PermissionsBoundary: iam.ManagedPolicyFromAwsManagedPolicyName("PowerUserAccess"), MaxSessionDuration: cdk.Hours(2)}
		}, map[string]any{"RoleName": "my-role", "Path": "/eks/", "Description": "desc", "MaxSessionDuration": 7200,
			"PermissionsBoundary": map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::aws:policy/PowerUserAccess"}}}}},
		{"external IDs become a condition", func(*cdk.Stack) iam.RoleProps {
			return iam.RoleProps{AssumedBy: iam.NewAccountPrincipal("111122223333"), ExternalIDs: []string{"a", "b"}}
		}, map[string]any{"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Condition": map[string]any{"StringEquals": map[string]any{"sts:ExternalId": []any{"a", "b"}}}}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			iam.NewRole(stack, "Role", tc.props(stack))
			tmpl := assertions.FromStack(t, stack)
			tmpl.ResourceCountIs("AWS::IAM::Role", 1)
			tmpl.HasResourceProperties("AWS::IAM::Role", tc.want)
		})
	}
}

func TestRoleInEnvironmentStackUsesLiteralPartition(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack(cdk.Environment{Account: "123456789012", Region: "cn-north-1"})
	iam.NewRole(stack, "Role", iam.RoleProps{AssumedBy: iam.NewAccountRootPrincipal(), ManagedPolicies: []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("ReadOnlyAccess")}})
	assertions.FromStack(t, stack).HasResourceProperties("AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{"Principal": map[string]any{"AWS": "arn:aws-cn:iam::123456789012:root"}}}},
		"ManagedPolicyArns":        []any{"arn:aws-cn:iam::aws:policy/ReadOnlyAccess"},
	})
}

func TestRoleDefaultPolicy(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	role := iam.NewRole(stack, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	if role.DefaultPolicy() != nil {
		t.Fatal("no default policy before the first statement")
	}
	if !role.AddToPolicy(allow([]string{"s3:GetObject"}, "arn:aws:s3:::b/*")) {
		t.Fatal("AddToPolicy should add")
	}
	res := role.AddToPrincipalPolicy(allow([]string{"s3:PutObject"}, "arn:aws:s3:::b/*"))
	if !res.StatementAdded || res.PolicyDependable != role.DefaultPolicy() {
		t.Errorf("AddToPrincipalPolicy = %+v", res)
	}
	tmpl := assertions.FromStack(t, stack)
	tmpl.ResourceCountIs("AWS::IAM::Policy", 1)
	if id := tmpl.ResourceID("AWS::IAM::Policy", nil); id != "RoleDefaultPolicy5FFB7DAB" {
		t.Errorf("default policy logical ID = %s", id)
	}
	tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"PolicyName": "RoleDefaultPolicy5FFB7DAB",
		"Roles":      []any{map[string]any{"Ref": "Role1ABCC5F0"}},
		"PolicyDocument": map[string]any{"Statement": []any{
			map[string]any{"Action": []any{"s3:GetObject", "s3:PutObject"}, "Effect": "Allow", "Resource": "arn:aws:s3:::b/*"},
		}, "Version": "2012-10-17"},
	})
}

func TestRoleGrants(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	target := iam.NewRole(stack, "Target", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("eks")})
	user := iam.NewUser(stack, "User", iam.UserProps{})
	g1 := target.GrantPassRole(user)
	g2 := target.GrantAssumeRole(user)
	if !g1.Success() || !g2.Success() || len(g1.PrincipalStatements()) != 1 || len(g1.Dependables()) != 1 {
		t.Fatalf("grants should succeed: %v %v", g1.Success(), g2.Success())
	}
	dep := cdk.NewCfnResource(stack, "Consumer", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	g1.Combine(g2).ApplyBefore(dep)
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"Users": []any{map[string]any{"Ref": "User00B015A1"}},
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": []any{"iam:PassRole", "sts:AssumeRole"}, "Resource": map[string]any{"Fn::GetAtt": []any{"Target3191CF44", "Arn"}},
		}}},
	})
	tmpl.HasResource("AWS::SNS::Topic", map[string]any{"DependsOn": []any{"UserDefaultPolicy1F97781E"}})
}

func TestGrantToServicePrincipalAddsNothing(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	role := iam.NewRole(stack, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
	g := role.GrantPassRole(iam.NewServicePrincipal("eks"))
	if g.Success() {
		t.Fatal("a service principal has no policy: the grant cannot succeed")
	}
	msg := synthtest.MustPanic(t, g.AssertSuccess)
	if !strings.Contains(msg, "could not be added") || !strings.Contains(msg, "iam:PassRole") {
		t.Errorf("AssertSuccess panic = %q", msg)
	}
}

func TestRoleFromRoleArn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		arn      string
		opts     iam.FromRoleArnOptions
		env      cdk.Environment
		roleName string
		policies int
		want     map[string]any
	}{
		{"mutable by default: grants attach a policy", "arn:aws:iam::123456789012:role/service-role/imp", iam.FromRoleArnOptions{}, cdk.Environment{}, "imp", 1,
			map[string]any{"PolicyName": "PolicyStackImported1CBA9C50", "Roles": []any{"imp"}}},
		{"a default policy name", "arn:aws:iam::123456789012:role/imp", iam.FromRoleArnOptions{DefaultPolicyName: "Extra"}, cdk.Environment{}, "imp", 1,
			map[string]any{"PolicyName": "Extra", "Roles": []any{"imp"}}},
		{"immutable roles are left alone", "arn:aws:iam::123456789012:role/imp", iam.FromRoleArnOptions{Immutable: true}, cdk.Environment{}, "imp", 0, nil},
		{"roles of another account are left alone", "arn:aws:iam::999999999999:role/imp", iam.FromRoleArnOptions{}, cdk.Environment{Account: "123456789012", Region: "us-east-1"}, "imp", 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack(tc.env)
			r := iam.RoleFromRoleArn(stack, "Imported", tc.arn, tc.opts)
			if r.RoleName() != tc.roleName || r.RoleArn() != tc.arn {
				t.Errorf("name %q arn %q", r.RoleName(), r.RoleArn())
			}
			r.AddToPrincipalPolicy(allow([]string{"s3:GetObject"}, "*"))
			r.AddManagedPolicy(iam.ManagedPolicyFromAwsManagedPolicyName("ReadOnlyAccess"))
			tmpl := assertions.FromStack(t, stack)
			tmpl.ResourceCountIs("AWS::IAM::Policy", tc.policies)
			if tc.want != nil {
				tmpl.HasResourceProperties("AWS::IAM::Policy", tc.want)
			}
		})
	}
}

func TestRoleFromTokenArn(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	p := cdk.NewCfnParameter(stack, "RoleArn", cdk.CfnParameterProps{Type: "String"})
	r := iam.RoleFromRoleArn(stack, "Imported", p.ValueAsString())
	cdk.NewCfnOutput(stack, "Name", cdk.CfnOutputProps{Value: r.RoleName()})
	assertions.FromStack(t, stack).HasOutput("Name", map[string]any{"Value": map[string]any{
		"Fn::Select": []any{1, map[string]any{"Fn::Split": []any{":role/", map[string]any{"Ref": "RoleArn"}}}},
	}})
}

func TestPolicyManagedPolicyUserGroup(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	role := iam.NewRole(stack, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
	user := iam.NewUser(stack, "User", iam.UserProps{ManagedPolicies: []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("ReadOnlyAccess")}})
	group := iam.NewGroup(stack, "Group", iam.GroupProps{})
	group.AddUser(user)
	group.AddToPolicy(allow([]string{"ec2:DescribeVpcs"}, "*"))
	mp := iam.NewManagedPolicy(stack, "MP", iam.ManagedPolicyProps{Statements: []*iam.PolicyStatement{allow([]string{"logs:*"}, "*")}, Roles: []iam.IRole{role}})
	other := iam.NewRole(stack, "Other", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
	other.AddManagedPolicy(mp)
	other.AddManagedPolicy(mp) // once only
	pol := iam.NewPolicy(stack, "Pol", iam.PolicyProps{Statements: []*iam.PolicyStatement{allow([]string{"ecr:GetAuthorizationToken"}, "*")}, Users: []iam.IUser{user}})
	pol.AttachToGroup(group)
	pol.AttachToRole(role)
	pol.AttachToRole(role) // once only

	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::IAM::User", map[string]any{
		"Groups":            []any{map[string]any{"Ref": "GroupC77FDACD"}},
		"ManagedPolicyArns": []any{map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::aws:policy/ReadOnlyAccess"}}}},
	})
	tmpl.HasResource("AWS::IAM::Group", map[string]any{"Properties": Match.Absent()})
	tmpl.HasResourceProperties("AWS::IAM::ManagedPolicy", map[string]any{
		"Description": "", "Path": "/",
		"Roles":          []any{map[string]any{"Ref": "Role1ABCC5F0"}},
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{"Action": "logs:*", "Effect": "Allow", "Resource": "*"}}},
	})
	tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{"ManagedPolicyArns": Match.Exact([]any{map[string]any{"Ref": "MPAF8D442C"}})})
	tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"PolicyName": "Pol0FE9AD5D",
		"Users":      []any{map[string]any{"Ref": "User00B015A1"}},
		"Groups":     []any{map[string]any{"Ref": "GroupC77FDACD"}},
		"Roles":      []any{map[string]any{"Ref": "Role1ABCC5F0"}},
	})
	tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyName": "GroupDefaultPolicy402C318A", "Groups": []any{map[string]any{"Ref": "GroupC77FDACD"}}})
}

func TestSynthesisErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		build func(stack *cdk.Stack)
		want  []string
	}{
		{"fails on an action without a service prefix", func(s *cdk.Stack) {
			r := iam.NewRole(s, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
			r.AddToPolicy(allow([]string{"GetObject"}, "*"))
		}, []string{"Stack/Role/DefaultPolicy", `action "GetObject" is invalid`}},
		{"fails on an identity statement with principals", func(s *cdk.Stack) {
			r := iam.NewRole(s, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
			r.AddToPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"s3:GetObject"}, Resources: []string{"*"}, Principals: []iam.IPrincipal{iam.NewAccountRootPrincipal()}}))
		}, []string{"Stack/Role/DefaultPolicy", "identity policy cannot name principals"}},
		{"fails on an inline policy statement with principals", func(s *cdk.Stack) {
			iam.NewRole(s, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2"), InlinePolicies: map[string]*iam.PolicyDocument{
				"P": iam.NewPolicyDocument(iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"s3:A"}, Resources: []string{"*"}, Principals: []iam.IPrincipal{iam.NewAnyPrincipal()}})}}),
			}})
		}, []string{"Stack/Role", "inline policy P", "cannot name principals"}},
		{"fails on a trust statement without principals", func(s *cdk.Stack) {
			r := iam.NewRole(s, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
			r.AssumeRolePolicy().AddStatements(iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"sts:TagSession"}}))
		}, []string{"Stack/Role", "trust policy", "must name at least one principal"}},
		{"fails to grant sts:AssumeRole to a principal without an ARN", func(s *cdk.Stack) {
			r := iam.NewRole(s, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
			r.GrantAssumeRole(iam.NewServicePrincipal("lambda.amazonaws.com"))
		}, []string{"Stack/Role", "ServicePrincipal(lambda.amazonaws.com) has no ARN", "trust policy"}},
		{"fails to grant an imported role to a federated principal", func(s *cdk.Stack) {
			r := iam.RoleFromRoleArn(s, "Imported", "arn:aws:iam::123456789012:role/x")
			r.GrantAssumeRole(iam.NewWebIdentityPrincipal("idp", nil))
		}, []string{"Stack/Imported", "has no ARN"}},
		{"fails on a session duration above 12 hours", func(s *cdk.Stack) {
			iam.NewRole(s, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2"), MaxSessionDuration: cdk.Hours(13)})
		}, []string{"Stack/Role", "MaxSessionDuration is 13 hours", "between 1 and 12 hours"}},
		{"fails on a session duration below 1 hour", func(s *cdk.Stack) {
			iam.NewRole(s, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2"), MaxSessionDuration: cdk.Minutes(30)})
		}, []string{"MaxSessionDuration is 30 minutes"}},
		{"fails on a role name over 64 characters", func(s *cdk.Stack) {
			iam.NewRole(s, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2"), RoleName: strings.Repeat("r", 65)})
		}, []string{"is 65 characters long"}},
		{"fails on an empty policy attached to nothing", func(s *cdk.Stack) {
			iam.NewPolicy(s, "Pol", iam.PolicyProps{})
		}, []string{"Stack/Pol", "has no statement", "attached to no role"}},
		{"fails on two policies of one name on a role", func(s *cdk.Stack) {
			r := iam.NewRole(s, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
			for _, id := range []string{"P1", "P2"} {
				iam.NewPolicy(s, id, iam.PolicyProps{PolicyName: "same", Roles: []iam.IRole{r}, Statements: []*iam.PolicyStatement{allow([]string{"s3:A"}, "*")}})
			}
		}, []string{"Stack/P2", `a policy named "same" is already attached`, "Stack/P1"}},
		{"fails on an empty managed policy", func(s *cdk.Stack) {
			iam.NewManagedPolicy(s, "MP", iam.ManagedPolicyProps{})
		}, []string{"Stack/MP", "managed policy has no statement"}},
		{"reports every problem at once", func(s *cdk.Stack) {
			a := iam.NewRole(s, "A", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
			a.AddToPolicy(allow([]string{"nope"}, "*"))
			b := iam.NewRole(s, "B", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
			b.AddToPolicy(allow([]string{"s3:GetObject"}))
		}, []string{"Stack/A/DefaultPolicy", `action "nope"`, "Stack/B/DefaultPolicy", "at least one resource"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := synthtest.NewStack()
			tc.build(stack)
			synthtest.WantErrors(t, synthtest.SynthError(t, app), tc.want...)
		})
	}
}

func TestConstructionPanics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    func(stack *cdk.Stack)
		want string
	}{
		{"fails on a role without AssumedBy", func(s *cdk.Stack) { iam.NewRole(s, "Role", iam.RoleProps{}) }, `role "Stack/Role" needs RoleProps.AssumedBy`},
		{"fails on a malformed role ARN", func(s *cdk.Stack) {
			iam.RoleFromRoleArn(s, "Imported", "arn:aws:iam::123456789012:user/u")
		}, `Stack/Imported: "arn:aws:iam::123456789012:user/u" is not a role ARN`},
		{"fails on an empty managed policy name", func(*cdk.Stack) { iam.ManagedPolicyFromAwsManagedPolicyName("") }, "needs a policy name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			if msg := synthtest.MustPanic(t, func() { tc.f(stack) }); !strings.Contains(msg, tc.want) {
				t.Errorf("panic %q does not mention %q", msg, tc.want)
			}
		})
	}
}

func TestRoleFromRoleNameAndRemovalPolicy(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack(cdk.Environment{Account: "123456789012", Region: "us-east-1"})
	r := iam.RoleFromRoleName(stack, "Imported", "deployer")
	if r.RoleArn() != "arn:aws:iam::123456789012:role/deployer" || r.RoleName() != "deployer" {
		t.Errorf("arn %q name %q", r.RoleArn(), r.RoleName())
	}
	role := iam.NewRole(stack, "Role", iam.RoleProps{AssumedBy: r})
	role.ApplyRemovalPolicy(cdk.RemovalPolicyRetain)
	assertions.FromStack(t, stack).HasResource("AWS::IAM::Role", map[string]any{
		"DeletionPolicy": "Retain",
		"Properties": map[string]any{"AssumeRolePolicyDocument": map[string]any{"Statement": []any{
			map[string]any{"Principal": map[string]any{"AWS": "arn:aws:iam::123456789012:role/deployer"}},
		}}},
	})
}

package kms_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/internal/testenv/cfnlint"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

var Match = assertions.Match

var accountRoot = map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::", map[string]any{"Ref": "AWS::AccountId"}, ":root"}}}

func TestKeyProps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		props    kms.KeyProps
		want     map[string]any
		deletion string
	}{
		{"defaults: account root administers, retained", kms.KeyProps{}, map[string]any{
			"KeyPolicy":         map[string]any{"Statement": []any{map[string]any{"Action": "kms:*", "Effect": "Allow", "Principal": map[string]any{"AWS": accountRoot}, "Resource": "*"}}, "Version": "2012-10-17"},
			"EnableKeyRotation": Match.Absent(), "Description": Match.Absent(), "PendingWindowInDays": Match.Absent(), "Enabled": Match.Absent(),
		}, "Retain"},
		{"rotation and description", kms.KeyProps{EnableKeyRotation: true, Description: "d"}, map[string]any{"EnableKeyRotation": true, "Description": "d"}, "Retain"},
		{"rotation period enables rotation", kms.KeyProps{RotationPeriod: cdk.Days(180)}, map[string]any{"EnableKeyRotation": true, "RotationPeriodInDays": 180}, "Retain"},
		{"pending window", kms.KeyProps{PendingWindow: cdk.Days(7)}, map[string]any{"PendingWindowInDays": 7}, "Retain"},
		{"disabled, multi-Region, asymmetric", kms.KeyProps{Disabled: true, MultiRegion: true, KeySpec: kms.KeySpecRSA2048, KeyUsage: kms.KeyUsageSignVerify},
			map[string]any{"Enabled": false, "MultiRegion": true, "KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}, "Retain"},
		{"removal policy destroy", kms.KeyProps{RemovalPolicy: cdk.RemovalPolicyDestroy}, map[string]any{}, "Delete"},
		{"a given policy replaces the default", kms.KeyProps{Policy: iam.NewPolicyDocument(iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{
			iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"kms:Decrypt"}, Resources: []string{"*"}, Principals: []iam.IPrincipal{iam.NewArnPrincipal("arn:aws:iam::123456789012:role/r")}}),
		}})}, map[string]any{"KeyPolicy": map[string]any{"Statement": []any{map[string]any{"Action": "kms:Decrypt", "Principal": map[string]any{"AWS": "arn:aws:iam::123456789012:role/r"}}}}}, "Retain"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			kms.NewKey(stack, "Key", tc.props)
			tmpl := assertions.FromStack(t, stack)
			tmpl.ResourceCountIs("AWS::KMS::Key", 1)
			tmpl.HasResourceProperties("AWS::KMS::Key", tc.want)
			tmpl.HasResource("AWS::KMS::Key", map[string]any{"DeletionPolicy": tc.deletion, "UpdateReplacePolicy": tc.deletion})
		})
	}
}

func TestKeyAdminsAndAliases(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	admin := iam.NewRole(stack, "Admin", iam.RoleProps{AssumedBy: iam.NewAccountRootPrincipal()})
	key := kms.NewKey(stack, "Key", kms.KeyProps{Alias: "first", Admins: []iam.IGrantable{admin}})
	second := key.AddAlias("alias/second")
	if second.TargetKey() != kms.IKey(key) || second.AliasName() == "" {
		t.Error("alias accessors")
	}
	tmpl := assertions.FromStack(t, stack)
	tmpl.ResourceCountIs("AWS::KMS::Alias", 2)
	tmpl.HasResourceProperties("AWS::KMS::Alias", map[string]any{"AliasName": "alias/first", "TargetKeyId": map[string]any{"Fn::GetAtt": []any{"Key961B73FD", "Arn"}}})
	tmpl.HasResourceProperties("AWS::KMS::Alias", map[string]any{"AliasName": "alias/second"})
	tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
		"Action": Match.ArrayWith([]any{"kms:Create*", "kms:ScheduleKeyDeletion"}), "Resource": map[string]any{"Fn::GetAtt": []any{"Key961B73FD", "Arn"}},
	}}}})
}

func TestKeyGrants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		grant       func(k *kms.Key, g iam.IGrantable) *iam.Grant
		actions     any
		keyPolicies int
	}{
		{"decrypt", (*kms.Key).GrantDecrypt, "kms:Decrypt", 1},
		{"encrypt", (*kms.Key).GrantEncrypt, []any{"kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"}, 1},
		{"encrypt and decrypt", (*kms.Key).GrantEncryptDecrypt, []any{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"}, 1},
		{"any actions", func(k *kms.Key, g iam.IGrantable) *iam.Grant { return k.Grant(g, "kms:DescribeKey") }, "kms:DescribeKey", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			role := iam.NewRole(stack, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
			key := kms.NewKey(stack, "Key", kms.KeyProps{})
			g := tc.grant(key, role)
			if !g.Success() || len(g.PrincipalStatements()) != 1 || len(g.ResourceStatements()) != 0 {
				t.Errorf("same-account grant: success %v, %d principal and %d resource statements", g.Success(), len(g.PrincipalStatements()), len(g.ResourceStatements()))
			}
			tmpl := assertions.FromStack(t, stack)
			tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
				"Action": tc.actions, "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{"Key961B73FD", "Arn"}},
			}}}})
			// The default key policy already lets the account's IAM
			// policies grant access: nothing is added to it.
			tmpl.HasResourceProperties("AWS::KMS::Key", map[string]any{"KeyPolicy": map[string]any{"Statement": Match.Exact([]any{map[string]any{
				"Action": "kms:*", "Effect": "Allow", "Principal": map[string]any{"AWS": accountRoot}, "Resource": "*",
			}})}})
		})
	}
}

func TestKeyGrantToAnotherAccount(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	keyStack := cdk.NewStack(app, "Keys", cdk.StackProps{Env: cdk.Environment{Account: "111111111111", Region: "us-east-1"}})
	key := kms.NewKey(keyStack, "Key", kms.KeyProps{})
	consumer := iam.RoleFromRoleArn(keyStack, "Consumer", "arn:aws:iam::222222222222:role/consumer")
	g := key.GrantDecrypt(consumer)
	if !g.Success() || len(g.ResourceStatements()) != 1 {
		t.Fatalf("cross-account grant should add to the key policy: %v %d", g.Success(), len(g.ResourceStatements()))
	}
	tmpl := assertions.FromStack(t, keyStack)
	tmpl.HasResourceProperties("AWS::KMS::Key", map[string]any{"KeyPolicy": map[string]any{"Statement": []any{
		map[string]any{"Action": "kms:*", "Principal": map[string]any{"AWS": "arn:aws:iam::111111111111:root"}},
		map[string]any{"Action": "kms:Decrypt", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::222222222222:role/consumer"}, "Resource": "*"},
	}}})
	// A role of another account is not changed by this app.
	tmpl.ResourceCountIs("AWS::IAM::Policy", 0)
}

func TestKeyFromKeyArn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		arn           func(stack *cdk.Stack) string
		id            string
		region        string
		account       string
		regionIsToken bool
	}{
		{"literal ARN", func(*cdk.Stack) string {
			return "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
		}, "1234abcd-12ab-34cd-56ef-1234567890ab", "eu-west-1", "111122223333", false},
		{"token ARN", func(s *cdk.Stack) string {
			return cdk.NewCfnParameter(s, "KeyArn", cdk.CfnParameterProps{Type: "String"}).ValueAsString()
		}, "", "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			key := kms.KeyFromKeyArn(stack, "Key", tc.arn(stack))
			env := key.Env()
			if tc.regionIsToken {
				if !cdk.IsUnresolved(env.Region) || !cdk.IsUnresolved(key.KeyId()) {
					t.Errorf("token ARN: region %q and id %q should be tokens", env.Region, key.KeyId())
				}
				cdk.NewCfnOutput(stack, "Region", cdk.CfnOutputProps{Value: env.Region})
				assertions.FromStack(t, stack).HasOutput("Region", map[string]any{"Value": map[string]any{
					"Fn::Select": []any{3, map[string]any{"Fn::Split": []any{":", map[string]any{"Ref": "KeyArn"}}}},
				}})
				return
			}
			if key.KeyId() != tc.id || env.Region != tc.region || env.Account != tc.account {
				t.Errorf("id %q region %q account %q", key.KeyId(), env.Region, env.Account)
			}
			if r := key.AddToResourcePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{})); r.StatementAdded {
				t.Error("the policy of an imported key cannot change")
			}
			key.AddAlias("imported")
			assertions.FromStack(t, stack).HasResourceProperties("AWS::KMS::Alias", map[string]any{"AliasName": "alias/imported", "TargetKeyId": tc.arn(stack)})
		})
	}
}

func TestKeyErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		build func(stack *cdk.Stack)
		want  []string
	}{
		{"fails on an alias starting with alias/aws/", func(s *cdk.Stack) {
			kms.NewKey(s, "Key", kms.KeyProps{Alias: "alias/aws/ebs"})
		}, []string{"Stack/Key/Alias", `alias "alias/aws/ebs" starts with "alias/aws/"`, "reserved for AWS managed keys"}},
		{"fails on an alias starting with aws/ once prefixed", func(s *cdk.Stack) {
			kms.NewKey(s, "Key", kms.KeyProps{}).AddAlias("AWS/x")
		}, []string{`alias "alias/AWS/x" starts with "alias/aws/"`}},
		{"fails on an alias with invalid characters", func(s *cdk.Stack) {
			kms.NewKey(s, "Key", kms.KeyProps{Alias: "my key"})
		}, []string{`alias "alias/my key" is invalid`}},
		{"fails on an empty alias", func(s *cdk.Stack) {
			kms.NewKey(s, "Key", kms.KeyProps{}).AddAlias("alias/")
		}, []string{"alias name is empty"}},
		{"fails on a pending window out of range", func(s *cdk.Stack) {
			kms.NewKey(s, "Key", kms.KeyProps{PendingWindow: cdk.Days(31)})
		}, []string{"Stack/Key", "PendingWindow must be between 7 and 30 days, got 31"}},
		{"fails on a rotation period out of range", func(s *cdk.Stack) {
			kms.NewKey(s, "Key", kms.KeyProps{RotationPeriod: cdk.Days(30)})
		}, []string{"RotationPeriod must be between 90 and 2560 days"}},
		{"fails on rotation of an asymmetric key", func(s *cdk.Stack) {
			kms.NewKey(s, "Key", kms.KeyProps{EnableKeyRotation: true, KeySpec: kms.KeySpecRSA2048, KeyUsage: kms.KeyUsageSignVerify})
		}, []string{"rotation cannot be enabled on RSA_2048 keys"}},
		{"fails on a spec that does not fit the usage", func(s *cdk.Stack) {
			kms.NewKey(s, "Key", kms.KeyProps{KeySpec: kms.KeySpecHMAC256})
		}, []string{"key spec HMAC_256 cannot be used for ENCRYPT_DECRYPT"}},
		{"fails on a key policy statement without principal", func(s *cdk.Stack) {
			kms.NewKey(s, "Key", kms.KeyProps{}).AddToResourcePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"kms:Decrypt"}, Resources: []string{"*"}}))
		}, []string{"Stack/Key", "key policy", "must name at least one principal"}},
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

func TestKeyConstructionPanics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    func(stack *cdk.Stack)
		want string
	}{
		{"fails on a malformed key ARN", func(s *cdk.Stack) { kms.KeyFromKeyArn(s, "K", "arn:aws:kms:us-east-1:123456789012:alias/x") }, "Stack/K: key ARN must be arn:<partition>:kms:<region>:<account>:key/<keyId>"},
		{"fails on an alias without key", func(s *cdk.Stack) { kms.NewAlias(s, "A", kms.AliasProps{AliasName: "x"}) }, `alias "Stack/A" needs AliasProps.TargetKey`},
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

// TestGoldenTemplates compares a key with grants with testdata (go test
// -update rewrites it) and checks it with cfn-lint.
func TestGoldenTemplates(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	role := iam.NewRole(stack, "NodeRole", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	handler := iam.NewRole(stack, "HandlerRole", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("lambda.amazonaws.com")})
	key := kms.NewKey(stack, "SecretsKey", kms.KeyProps{Alias: "eks/secrets", Description: "EKS secrets encryption", EnableKeyRotation: true})
	key.GrantEncryptDecrypt(role)
	key.GrantDecrypt(handler)
	key.GrantDecrypt(iam.RoleFromRoleArn(stack, "Auditor", "arn:aws:iam::222222222222:role/auditor", iam.FromRoleArnOptions{Immutable: true}))
	path := synthtest.CheckGolden(t, "key-grants.template.json", stack)
	cfnlint.LintFiles(t, path)
}

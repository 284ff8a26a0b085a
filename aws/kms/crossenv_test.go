package kms_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
)

// A key of one account granted to a named role of a stack in another
// account: the key policy names the role by its written-out ARN and the
// role's policy allows the key's actions on "*", as in the AWS CDK.
func TestKeyGrantToRoleOfAnotherAccountStack(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	a := cdk.NewStack(app, "A", cdk.StackProps{Env: cdk.Environment{Account: "111111111111", Region: "us-east-1"}})
	b := cdk.NewStack(app, "B", cdk.StackProps{Env: cdk.Environment{Account: "222222222222", Region: "us-east-1"}})
	key := kms.NewKey(a, "Key", kms.KeyProps{})
	role := iam.NewRole(b, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com"), RoleName: "consumer", Path: "/eks/"})
	key.GrantDecrypt(role)
	cdk.NewCfnOutput(b, "Arn", cdk.CfnOutputProps{Value: role.RoleArn()})

	assertions.FromStack(t, a).HasResourceProperties("AWS::KMS::Key", map[string]any{"KeyPolicy": map[string]any{"Statement": []any{
		map[string]any{"Action": "kms:*", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::111111111111:root"}, "Resource": "*"},
		map[string]any{"Action": "kms:Decrypt", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::222222222222:role/eks/consumer"}, "Resource": "*"},
	}, "Version": "2012-10-17"}})
	tb := assertions.FromStack(t, b)
	tb.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": []any{
		map[string]any{"Action": "kms:Decrypt", "Effect": "Allow", "Resource": "*"},
	}}})
	// In its own stack the role's ARN is still its attribute.
	tb.HasOutput("Arn", map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{"Role1ABCC5F0", "Arn"}}})
}

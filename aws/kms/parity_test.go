package kms_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cdklib"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// TestParityWithAwsCdk builds the app of testdata/parity/key.js in Go and
// compares the template with what aws-cdk-lib 2.276.0 synthesizes for it,
// with the feature flags new AWS CDK projects set: the same resources
// (types, counts, logical IDs, properties, removal policies) and outputs.
// The "live" subtest runs the app with node through
// internal/testenv/cdklib (skipped when npm is offline, or with -short) and
// also checks that the recorded template (testdata/parity/key.template.json,
// which the "recorded" subtest compares with) is current.
func TestParityWithAwsCdk(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	buildParityKey(stack)
	cdklib.CheckParity(t, "key", synthtest.TemplateJSON(t, stack), nil)
}

func buildParityKey(stack *cdk.Stack) {
	role := iam.NewRole(stack, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	plain := kms.NewKey(stack, "Plain", kms.KeyProps{})
	plain.GrantDecrypt(role)
	key := kms.NewKey(stack, "SecretsKey", kms.KeyProps{
		Alias:             "eks/secrets",
		Description:       "EKS secrets encryption",
		EnableKeyRotation: true,
		PendingWindow:     cdk.Days(7),
		RemovalPolicy:     cdk.RemovalPolicyDestroy,
	})
	key.AddAlias("alias/eks/other")
	key.GrantEncryptDecrypt(role)
	admin := iam.NewRole(stack, "Admin", iam.RoleProps{AssumedBy: iam.NewAccountRootPrincipal()})
	key.GrantAdmin(admin)
	other := iam.RoleFromRoleArn(stack, "OtherAccountRole", "arn:aws:iam::999999999999:role/consumer")
	key.GrantDecrypt(other)
	imported := kms.KeyFromKeyArn(stack, "Imported", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
	imported.GrantEncrypt(role)
	cdk.NewCfnOutput(stack, "KeyId", cdk.CfnOutputProps{Value: key.KeyId()})
	cdk.NewCfnOutput(stack, "KeyArn", cdk.CfnOutputProps{Value: key.KeyArn()})
}

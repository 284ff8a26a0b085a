package s3_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cdklib"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// TestParityWithAwsCdk builds the app of testdata/parity/bucket.js in Go and
// compares the template with what aws-cdk-lib 2.276.0 synthesizes for it,
// with the feature flags new AWS CDK projects set (and, on the JavaScript
// side, eksforge's secure bucket defaults spelled out: SSE-S3, all public
// access blocked, enforceSSL): the same resources
// (types, counts, logical IDs, properties, removal policies) and outputs.
// The "live" subtest runs the app with node through
// internal/testenv/cdklib (skipped when npm is offline, or with -short) and
// also checks that the recorded template (testdata/parity/bucket.template.json,
// which the "recorded" subtest compares with) is current.
func TestParityWithAwsCdk(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	buildParityBucket(stack)
	cdklib.CheckParity(t, "bucket", synthtest.TemplateJSON(t, stack), nil)
}

func buildParityBucket(stack *cdk.Stack) {
	role := iam.NewRole(stack, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	writer := iam.NewRole(stack, "Writer", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("lambda.amazonaws.com")})
	plain := s3.NewBucket(stack, "Plain", s3.BucketProps{})
	plain.GrantRead(role)
	key := kms.NewKey(stack, "Key", kms.KeyProps{})
	secure := s3.NewBucket(stack, "Secure", s3.BucketProps{
		Encryption:        s3.BucketEncryptionKMS,
		EncryptionKey:     key,
		BucketKeyEnabled:  true,
		Versioned:         true,
		BlockPublicAccess: s3.BlockPublicAccessBlockAll,
	})
	secure.GrantReadWrite(role)
	own := s3.NewBucket(stack, "OwnKey", s3.BucketProps{Encryption: s3.BucketEncryptionKMS})
	own.GrantRead(role)
	own.GrantWrite(writer, "uploads/*")
	named := s3.NewBucket(stack, "Named", s3.BucketProps{
		BucketName:        "eksforge-named-bucket",
		Encryption:        s3.BucketEncryptionS3Managed,
		RemovalPolicy:     cdk.RemovalPolicyDestroy,
		BlockPublicAccess: s3.BlockPublicAccessBlockAcls,
	})
	named.GrantPut(writer)
	named.GrantDelete(writer)
	named.GrantPutACL(writer)
	managed := s3.NewBucket(stack, "KmsManaged", s3.BucketProps{Encryption: s3.BucketEncryptionKMSManaged})
	managed.AddToResourcePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
		Actions:    []string{"s3:GetObject"},
		Resources:  []string{managed.ArnForObjects("public/*")},
		Principals: []iam.IPrincipal{iam.NewAccountRootPrincipal()},
	}))
	s3.NewBucket(stack, "Open", s3.BucketProps{AllowInsecureTransport: true, BlockPublicAccess: &s3.BlockPublicAccess{}})
	byName := s3.BucketFromBucketName(stack, "ByName", "other-bucket")
	byName.GrantRead(role)
	byArn := s3.BucketFromBucketArn(stack, "ByArn", "arn:aws:s3:::third-bucket")
	byArn.GrantReadWrite(writer)
	cdk.NewCfnOutput(stack, "ByNameArn", cdk.CfnOutputProps{Value: byName.BucketArn()})
	cdk.NewCfnOutput(stack, "ByArnName", cdk.CfnOutputProps{Value: byArn.BucketName()})
	cdk.NewCfnOutput(stack, "SecureName", cdk.CfnOutputProps{Value: secure.BucketName()})
}

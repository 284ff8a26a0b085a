package s3_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
)

// A bucket and its key in one stack, granted to a role of another stack of
// the same environment: the role's policy imports the ARNs the bucket stack
// exports, and no bucket or key policy is needed.
func TestGrantAcrossStacks(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	storage := cdk.NewStack(app, "Storage", cdk.StackProps{})
	compute := cdk.NewStack(app, "Compute", cdk.StackProps{})
	bucket := s3.NewBucket(storage, "Bucket", s3.BucketProps{EncryptionKey: kms.NewKey(storage, "Key", kms.KeyProps{})})
	role := iam.NewRole(compute, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	bucket.GrantRead(role)

	st := assertions.FromStack(t, storage)
	// Only the TLS-only statement: the grant goes into the role's policy.
	st.HasResourceProperties("AWS::S3::BucketPolicy", map[string]any{"PolicyDocument": map[string]any{"Statement": Match.Exact([]any{
		Match.ObjectLike(map[string]any{"Effect": "Deny", "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}}),
	})}})
	st.HasResourceProperties("AWS::KMS::Key", map[string]any{"KeyPolicy": map[string]any{"Statement": Match.Exact([]any{
		Match.ObjectLike(map[string]any{"Action": "kms:*"}),
	})}})
	st.HasOutput("*", map[string]any{"Export": map[string]any{"Name": "Storage:ExportsOutputFnGetAttBucket83908E77Arn063C8555"}})

	ct := assertions.FromStack(t, compute)
	ct.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": []any{
		map[string]any{"Action": []any{"s3:GetBucket*", "s3:GetObject*", "s3:List*"}, "Resource": []any{
			map[string]any{"Fn::ImportValue": "Storage:ExportsOutputFnGetAttBucket83908E77Arn063C8555"},
			map[string]any{"Fn::Join": []any{"", []any{map[string]any{"Fn::ImportValue": "Storage:ExportsOutputFnGetAttBucket83908E77Arn063C8555"}, "/*"}}},
		}},
		map[string]any{"Action": []any{"kms:Decrypt", "kms:DescribeKey"}, "Resource": map[string]any{"Fn::ImportValue": "Storage:ExportsOutputFnGetAttKey961B73FDArn5A860C43"}},
	}}})
}

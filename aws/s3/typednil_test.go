package s3_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// TestNilGrantees: a nil or typed-nil grantee of a bucket's grants is an
// error on the bucket's path (once, also with a KMS key), never a nil
// dereference.
func TestNilGrantees(t *testing.T) {
	t.Parallel()
	var (
		role *iam.Role
		user *iam.User
	)
	for _, tc := range []struct {
		name  string
		build func(s *cdk.Stack)
		want  []string
	}{
		{"fails on a typed-nil role reading", func(s *cdk.Stack) { s3.NewBucket(s, "B", s3.BucketProps{}).GrantRead(role) },
			[]string{"[Stack/B] granting s3:GetObject*,s3:GetBucket*,s3:List*: the grantee is a nil *iam.Role"}},
		{"fails on a nil grantee writing", func(s *cdk.Stack) { s3.NewBucket(s, "B", s3.BucketProps{}).GrantWrite(nil) },
			[]string{"[Stack/B] granting s3:DeleteObject*", "the grantee is nil"}},
		{"fails on a typed-nil user of a KMS-encrypted bucket", func(s *cdk.Stack) {
			s3.NewBucket(s, "B", s3.BucketProps{EncryptionKey: kms.NewKey(s, "K", kms.KeyProps{})}).GrantReadWrite(user)
		}, []string{"[Stack/B] granting", "the grantee is a nil *iam.User"}},
		{"fails on a typed-nil grantee of an imported bucket", func(s *cdk.Stack) { s3.BucketFromBucketName(s, "I", "my-bucket").GrantPut(role) },
			[]string{"[Stack/I] granting s3:PutObject", "the grantee is a nil *iam.Role"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := synthtest.NewStack()
			tc.build(stack)
			msg := synthtest.SynthError(t, app)
			synthtest.WantErrors(t, msg, tc.want...)
		})
	}
}

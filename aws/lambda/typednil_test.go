package lambda_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// TestNilArguments: a nil or typed-nil grantee of GrantInvoke is an error
// on the function's path; CodeFromBucket, which has no construct, panics
// with a message naming the bucket.
func TestNilArguments(t *testing.T) {
	t.Parallel()
	var role *iam.Role
	for _, tc := range []struct {
		name    string
		grantee iam.IGrantable
		want    string
	}{
		{"fails on a typed-nil grantee", role, "[Stack/Fn] GrantInvoke: the grantee is a nil *iam.Role"},
		{"fails on a nil grantee", nil, "[Stack/Fn] GrantInvoke: the grantee is nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, s := synthtest.NewStack()
			lambda.NewFunction(s, "Fn", inline()).GrantInvoke(tc.grantee)
			synthtest.WantErrors(t, synthtest.SynthError(t, app), tc.want)
		})
	}
	t.Run("fails on a typed-nil bucket of CodeFromBucket, with a panic", func(t *testing.T) {
		t.Parallel()
		var b *s3.Bucket
		msg := synthtest.MustPanic(t, func() { lambda.CodeFromBucket(b, "code.zip", "") })
		if want := "lambda: CodeFromBucket: the bucket is a nil *s3.Bucket"; !strings.Contains(msg, want) {
			t.Errorf("panic %q, want %q", msg, want)
		}
	})
}

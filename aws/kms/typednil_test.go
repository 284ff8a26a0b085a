package kms_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// TestTypedNilProps passes typed nils (`var k *kms.Key`) in the interface
// fields of the kms constructors' props: each is a synthesis error naming
// the construct path and the field, never a panic.
func TestTypedNilProps(t *testing.T) {
	t.Parallel()
	var (
		key  *kms.Key
		role *iam.Role
	)
	for _, tc := range []struct {
		name  string
		build func(s *cdk.Stack)
		want  []string
	}{
		{"fails on a nil TargetKey", func(s *cdk.Stack) { kms.NewAlias(s, "A", kms.AliasProps{AliasName: "alias/x", TargetKey: key}) },
			[]string{"Stack/A", "AliasProps.TargetKey is a nil *kms.Key"}},
		{"fails on a typed-nil grantee", func(s *cdk.Stack) { kms.NewKey(s, "K", kms.KeyProps{}).GrantDecrypt(role) },
			[]string{"[Stack/K] granting kms:Decrypt: the grantee is a nil *iam.Role"}},
		{"fails on a nil grantee", func(s *cdk.Stack) { kms.NewKey(s, "K", kms.KeyProps{}).GrantEncrypt(nil) },
			[]string{"[Stack/K] granting kms:Encrypt", "the grantee is nil"}},
		{"fails on a typed-nil grantee of an imported key", func(s *cdk.Stack) {
			kms.KeyFromKeyArn(s, "I", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab").Grant(role, "kms:Decrypt")
		}, []string{"[Stack/I] granting kms:Decrypt: the grantee is a nil *iam.Role"}},
		{"fails on a nil admin", func(s *cdk.Stack) { kms.NewKey(s, "K", kms.KeyProps{Admins: []iam.IGrantable{role}}) },
			[]string{"Stack/K", "KeyProps.Admins[0] is a nil *iam.Role"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := synthtest.NewStack()
			tc.build(stack)
			synthtest.WantErrors(t, synthtest.SynthError(t, app), tc.want...)
		})
	}
}

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

package ec2_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
)

// TestTypedNilProps passes typed nils (`var v *ec2.Vpc`) in the interface
// fields of the ec2 constructors' props: each is a synthesis error naming
// the construct path and the field, never a panic.
func TestTypedNilProps(t *testing.T) {
	t.Parallel()
	var (
		vpc  *ec2.Vpc
		sg   *ec2.SecurityGroup
		role *iam.Role
	)
	for _, tc := range []struct {
		name  string
		build func(s *cdk.Stack)
		want  []string
	}{
		{"fails on a nil Vpc of a security group", func(s *cdk.Stack) { ec2.NewSecurityGroup(s, "SG", ec2.SecurityGroupProps{Vpc: vpc}) },
			[]string{"Stack/SG", "SecurityGroupProps.Vpc is a nil *ec2.Vpc"}},
		{"fails on a nil SecurityGroup of a launch template", func(s *cdk.Stack) {
			ec2.NewLaunchTemplate(s, "LT", ec2.LaunchTemplateProps{SecurityGroup: sg})
		}, []string{"Stack/LT", "LaunchTemplateProps.SecurityGroup is a nil *ec2.SecurityGroup"}},
		{"fails on a nil Role of a launch template", func(s *cdk.Stack) { ec2.NewLaunchTemplate(s, "LT", ec2.LaunchTemplateProps{Role: role}) },
			[]string{"Stack/LT", "LaunchTemplateProps.Role is a nil *iam.Role"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := agnosticStack()
			tc.build(stack)
			_, err := app.Synth(cdk.InMemory())
			if err == nil {
				t.Fatal("synthesis succeeded, want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

package autoscaling_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// TestTypedNilProps passes typed nils (`var r *iam.Role`) in the interface
// fields of the autoscaling constructors' props: each is a synthesis error
// naming the construct path and the field, never a panic.
func TestTypedNilProps(t *testing.T) {
	t.Parallel()
	var (
		vpc   *ec2.Vpc
		sg    *ec2.SecurityGroup
		role  *iam.Role
		group *autoscaling.AutoScalingGroup
	)
	for _, tc := range []struct {
		name  string
		build func(s *cdk.Stack)
		want  []string
	}{
		{"fails on a nil Vpc", func(s *cdk.Stack) {
			p := minimal(s)
			p.Vpc = vpc
			autoscaling.NewAutoScalingGroup(s, "ASG", p)
		}, []string{"Stack/ASG", "AutoScalingGroupProps.Vpc is a nil *ec2.Vpc"}},
		{"fails on a nil Role", func(s *cdk.Stack) {
			p := minimal(s)
			p.Role = role
			autoscaling.NewAutoScalingGroup(s, "ASG", p)
		}, []string{"Stack/ASG", "AutoScalingGroupProps.Role is a nil *iam.Role"}},
		{"fails on a nil SecurityGroup", func(s *cdk.Stack) {
			p := minimal(s)
			p.SecurityGroup = sg
			autoscaling.NewAutoScalingGroup(s, "ASG", p)
		}, []string{"Stack/ASG", "AutoScalingGroupProps.SecurityGroup is a nil *ec2.SecurityGroup"}},
		{"fails on a nil group of a scheduled action", func(s *cdk.Stack) {
			autoscaling.NewScheduledAction(s, "Action", autoscaling.ScheduledActionProps{
				AutoScalingGroup: group, Schedule: autoscaling.ScheduleExpression("cron(0 8 * * ? *)"), MinCapacity: cdk.Ptr(1),
			})
		}, []string{"Stack/Action", "ScheduledActionProps.AutoScalingGroup is a nil *autoscaling.AutoScalingGroup"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := synthtest.NewStack()
			tc.build(stack)
			synthtest.WantErrors(t, synthtest.SynthError(t, app), tc.want...)
		})
	}
}

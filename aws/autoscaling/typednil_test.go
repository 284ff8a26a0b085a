package autoscaling_test

import (
	"strings"
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
		{"fails on a nil MachineImage", func(s *cdk.Stack) {
			var img ec2.IMachineImage = (*badImage)(nil)
			p := minimal(s)
			p.MachineImage = img
			autoscaling.NewAutoScalingGroup(s, "ASG", p)
		}, []string{"Stack/ASG", "AutoScalingGroupProps.MachineImage is a nil *autoscaling_test.badImage: the field is required"}},
		{"fails on a typed-nil subnet of VpcSubnets", func(s *cdk.Stack) {
			var subnet *ec2.Subnet
			p := minimal(s)
			p.VpcSubnets = ec2.SubnetSelection{Subnets: []ec2.ISubnet{subnet}}
			autoscaling.NewAutoScalingGroup(s, "ASG", p)
		}, []string{"[Stack/ASG] VpcSubnets: VPC \"Stack/Vpc\": SubnetSelection.Subnets[0] is a nil *ec2.Subnet"}},
		{"fails on adding a typed-nil security group", func(s *cdk.Stack) {
			autoscaling.NewAutoScalingGroup(s, "ASG", minimal(s)).AddSecurityGroup(sg)
		}, []string{"[Stack/ASG] AddSecurityGroup: the security group is a nil *ec2.SecurityGroup"}},
		{"fails on attaching a typed-nil security group", func(s *cdk.Stack) {
			autoscaling.NewAutoScalingGroup(s, "ASG", minimal(s)).AttachSecurityGroup(sg)
		}, []string{"[Stack/ASG] AttachSecurityGroup: the security group is a nil *ec2.SecurityGroup"}},
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

// badImage is an ec2.IMachineImage for a typed nil.
type badImage struct{}

func (*badImage) GetImage(cdk.Construct) ec2.ImageConfig { return ec2.ImageConfig{} }

// TestTypedNilRequiredPropsGiveAUsableGroup: with a typed-nil Vpc or
// MachineImage the group records the error and is still whole, so a
// program that goes on configuring it does not crash; synthesis then
// fails naming the field.
func TestTypedNilRequiredPropsGiveAUsableGroup(t *testing.T) {
	t.Parallel()
	var (
		vpc *ec2.Vpc
		img ec2.IMachineImage = (*badImage)(nil)
	)
	for _, tc := range []struct {
		name  string
		props func(p *autoscaling.AutoScalingGroupProps)
		want  string
	}{
		{"fails on a typed-nil Vpc", func(p *autoscaling.AutoScalingGroupProps) { p.Vpc = vpc }, "AutoScalingGroupProps.Vpc is a nil *ec2.Vpc: the field is required"},
		{"fails on a typed-nil MachineImage", func(p *autoscaling.AutoScalingGroupProps) { p.MachineImage = img }, "AutoScalingGroupProps.MachineImage is a nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, s := synthtest.NewStack()
			p := minimal(s)
			tc.props(&p)
			asg := autoscaling.NewAutoScalingGroup(s, "ASG", p)
			asg.Connections().AllowFromAnyIpv4(ec2.PortTcp(22), "ssh")
			asg.AddUserData("echo hello")
			asg.AddToRolePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"s3:GetObject"}, Resources: []string{"*"}}))
			asg.ScaleOnSchedule("Up", autoscaling.ScheduledActionProps{Schedule: autoscaling.ScheduleExpression("cron(0 8 * * ? *)"), MinCapacity: cdk.Ptr(2)})
			if asg.AutoScalingGroupName() == "" || asg.Role() == nil || asg.OsType() == "" {
				t.Errorf("the group is not whole: name %q, role %v, OS %q", asg.AutoScalingGroupName(), asg.Role(), asg.OsType())
			}
			msg := synthtest.SynthError(t, app)
			synthtest.WantErrors(t, msg, "[Stack/ASG] "+tc.want)
			if n := strings.Count(msg, "\n  ["); n != 1 {
				t.Errorf("want exactly the one problem, got %d:\n%s", n, msg)
			}
		})
	}
}

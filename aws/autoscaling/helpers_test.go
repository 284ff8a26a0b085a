package autoscaling_test

import (
	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
)

// minimal returns the required props: a new VPC, m5.large and the
// EKS-optimized AMI for x86_64.
func minimal(stack *cdk.Stack) autoscaling.AutoScalingGroupProps {
	return autoscaling.AutoScalingGroupProps{
		Vpc:          ec2.NewVpc(stack, "Vpc", ec2.VpcProps{}),
		InstanceType: ec2.InstanceTypeOf("m5.large"),
		MachineImage: ec2.EksOptimizedAmi("1.33", ec2.NodeTypeStandard),
	}
}

// panicMessage runs f and returns what it panicked with ("" when it did not).
func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = r.(string)
		}
	}()
	f()
	return ""
}

// Package autoscaling holds the Amazon EC2 Auto Scaling constructs the EKS
// library stands on: [AutoScalingGroup], a group of EC2 instances launched
// from a launch template, used for self-managed Kubernetes nodes. It builds
// on the generated L1 resources of cfn/autoscaling (package cfnautoscaling)
// and on aws/ec2 and aws/iam, and writes what the AWS CDK's aws-autoscaling
// module writes with the feature flag
// @aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig: the
// same resources, logical IDs, properties, tags and policies, checked by a
// test that synthesizes the same apps with aws-cdk-lib.
//
// It is not a complete port of aws-autoscaling: there are no launch
// configurations (AWS no longer offers them to new accounts), no mixed
// instances policies or user-supplied launch templates, no scaling
// policies, lifecycle hooks, warm pools, load balancer attachments or
// CloudFormation Init. Scheduled actions ([AutoScalingGroup.ScaleOnSchedule],
// [ScheduledAction]) are there.
//
// # The group
//
// NewAutoScalingGroup needs a VPC, an instance type and a machine image; it
// adds, under its path:
//
//   - InstanceSecurityGroup, a new security group (unless SecurityGroup is
//     given), managed through Connections();
//   - InstanceRole, a role trusting ec2.amazonaws.com (unless Role is
//     given), and InstanceProfile, the instance profile holding it;
//   - LaunchTemplate, an [ec2.LaunchTemplate] with the image, instance type,
//     user data, key pair, block devices, spot price and metadata options;
//   - ASG, the AWS::AutoScaling::AutoScalingGroup in the selected subnets
//     (private by default), with MinSize 1 and MaxSize max(MinCapacity, 1)
//     unless told otherwise.
//
// For example, spot capacity for an EKS cluster:
//
//	asg := autoscaling.NewAutoScalingGroup(stack, "Nodes", autoscaling.AutoScalingGroupProps{
//		Vpc:          vpc,
//		InstanceType: ec2.InstanceTypeOf("m5.large"),
//		MachineImage: ec2.EksOptimizedAmi("1.33", ec2.NodeTypeStandard),
//		MinCapacity:  cdk.Ptr(0),
//		MaxCapacity:  cdk.Ptr(10),
//		SpotPrice:    "0.05",
//		UpdatePolicy: autoscaling.UpdatePolicyRollingUpdate(),
//	})
//	cdk.TagsOf(asg).Add("kubernetes.io/cluster/demo", "owned")
//	asg.AddUserData("/usr/bin/nodeadm init --config-source file:///etc/eks/nodeconfig.yaml")
//
// # Tags
//
// Tags applied with cdk.TagsOf to the group (or a scope above it) go to
// the AWS::AutoScaling::AutoScalingGroup with PropagateAtLaunch true, so
// the instances get them, unless the tag is applied with
// cdk.TagProps{ExcludeFromLaunchedInstances: true}. They also go to the
// security group, the role and the launch template (and through it to the
// instances and their volumes). Every one of them carries a "Name" tag: the
// group's path, and the launch template's own path on the template, as in
// the AWS CDK.
//
// # Signals and updates
//
// [Signals] render the group's CreationPolicy (and give the role
// cloudformation:SignalResource on the stack); [UpdatePolicy] renders the
// UpdatePolicy's AutoScalingRollingUpdate or AutoScalingReplacingUpdate,
// taking its defaults (pause time, minimum success percentage, waiting on
// signals) from the Signals. The UpdatePolicy also sets
// AutoScalingScheduledAction.IgnoreUnmodifiedGroupSizeProperties unless
// IgnoreUnmodifiedSizeProperties is false.
//
// # Errors
//
// A missing Vpc, InstanceType or MachineImage panics at construction with
// the construct path. Problems with values are recorded on the construct
// and returned together by app.Synth(), each with the path: capacities that
// are negative or out of order (MinCapacity ≤ DesiredCapacity ≤
// MaxCapacity), a malformed spot price, an instance type whose CPU
// architecture differs from the image's (when the image's is known: images
// read from the EKS-optimized, Bottlerocket or Amazon Linux SSM parameters,
// or images with an Architecture method), bad block devices, percentages
// outside 0–100, and durations that are not whole seconds.
package autoscaling

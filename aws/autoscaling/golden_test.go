package autoscaling_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cfnlint"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// TestGoldenTemplates compares whole templates with testdata (go test
// -update rewrites them) and checks each golden with cfn-lint: none may
// have an error.
func TestGoldenTemplates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file  string
		build func(stack *cdk.Stack)
	}{
		// A launch template, spot price, rolling update, block devices and
		// tags propagated at launch (the parity test's "Full" stack).
		{"spot-rolling.template.json", func(stack *cdk.Stack) { buildFull(stack) }},
		// Graviton nodes in an imported VPC with a replacing update, an
		// arm64 Bottlerocket image, extra security group and SSM access.
		{"arm-replacing.template.json", func(stack *cdk.Stack) {
			vpc := ec2.VpcFromVpcAttributes(stack, "Vpc", ec2.VpcAttributes{
				VpcId: "vpc-12345678", AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
				PrivateSubnetIds: []string{"subnet-11111111", "subnet-22222222"},
			})
			asg := autoscaling.NewAutoScalingGroup(stack, "Nodes", autoscaling.AutoScalingGroupProps{
				Vpc:                   vpc,
				InstanceType:          ec2.InstanceTypeOf("m7g.large"),
				MachineImage:          ec2.BottlerocketImage("1.33", ec2.InstanceArchitectureArm64, ec2.BottlerocketVariantStandard),
				UserData:              ec2.UserDataCustom("[settings.kubernetes]\ncluster-name = \"demo\"\n"),
				MinCapacity:           cdk.Ptr(1),
				MaxCapacity:           cdk.Ptr(4),
				UpdatePolicy:          autoscaling.UpdatePolicyReplacingUpdate(),
				Signals:               autoscaling.SignalsWaitForMinCapacity(autoscaling.SignalsOptions{Timeout: cdk.Minutes(10), MinSuccessPercentage: cdk.Ptr(100)}),
				SsmSessionPermissions: true,
				HealthCheck:           autoscaling.HealthCheck{Grace: cdk.Minutes(1)},
				BlockDevices: []autoscaling.BlockDevice{
					{DeviceName: "/dev/xvda", Volume: autoscaling.BlockDeviceVolumeEbs(4, autoscaling.EbsDeviceOptions{VolumeType: ec2.EbsVolumeTypeGp3})},
					{DeviceName: "/dev/xvdb", Volume: autoscaling.BlockDeviceVolumeEbs(80, autoscaling.EbsDeviceOptions{
						VolumeType: ec2.EbsVolumeTypeIo2, Iops: 3000, Encrypted: cdk.Ptr(true), DeleteOnTermination: cdk.Ptr(true)})},
				},
				GroupMetrics:  []autoscaling.GroupMetrics{{autoscaling.GroupMetricInServiceInstances, autoscaling.GroupMetricDesiredCapacity}},
				Notifications: []autoscaling.NotificationConfiguration{{TopicArn: "arn:aws:sns:us-east-1:123456789012:fleet"}},
			})
			asg.AddSecurityGroup(ec2.SecurityGroupFromSecurityGroupId(stack, "ClusterSG", "sg-12345678"))
			cdk.TagsOf(asg).Add("kubernetes.io/cluster/demo", "owned")
		}},
	}
	paths := make([]string, len(tests))
	for i, tc := range tests {
		_, stack := synthtest.NewStack()
		tc.build(stack)
		paths[i] = synthtest.CheckGolden(t, tc.file, stack)
	}
	cfnlint.LintFiles(t, paths...)
}

// TestParityStacksPassCfnLint lints the parity test's stacks, as eksforge
// synthesizes them.
func TestParityStacksPassCfnLint(t *testing.T) {
	t.Parallel()
	app, _ := parityApp()
	dir := t.TempDir()
	if _, err := app.Synth(cdk.WithOutdir(dir)); err != nil {
		t.Fatal(err)
	}
	cfnlint.LintDir(t, dir)
}

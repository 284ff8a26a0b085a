package autoscaling_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cdklib"
)

func eksAmi(arch string) ec2.IMachineImage {
	return ec2.GenericSsmImage("/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/" + arch + "/standard/recommended/image_id")
}

// parityApp builds, with eksforge, the stacks that testdata/parity/asg.js
// builds with aws-cdk-lib.
func parityApp() (*cdk.App, map[string]*cdk.Stack) {
	app := cdk.NewApp(cdk.AppProps{})
	stacks := map[string]*cdk.Stack{}
	stack := func(id string) *cdk.Stack {
		s := cdk.NewStack(app, id, cdk.StackProps{})
		stacks[id] = s
		return s
	}

	{
		s := stack("Basic")
		vpc := ec2.NewVpc(s, "Vpc", ec2.VpcProps{})
		asg := autoscaling.NewAutoScalingGroup(s, "ASG", autoscaling.AutoScalingGroupProps{Vpc: vpc, InstanceType: ec2.InstanceTypeOf("m5.large"), MachineImage: eksAmi("x86_64")})
		asg.ScaleOnSchedule("Morning", autoscaling.ScheduledActionProps{
			Schedule:    autoscaling.ScheduleCron(autoscaling.CronOptions{Minute: "0", Hour: "8", WeekDay: "1-5"}),
			MinCapacity: cdk.Ptr(2), TimeZone: "Europe/Berlin", StartTime: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC),
		})
		asg.ScaleOnSchedule("Night", autoscaling.ScheduledActionProps{Schedule: autoscaling.ScheduleExpression("0 20 * * *"), DesiredCapacity: cdk.Ptr(0), MaxCapacity: cdk.Ptr(1)})
	}
	{
		s := stack("Full")
		buildFull(s)
	}
	{
		s := stack("Existing")
		vpc := ec2.VpcFromVpcAttributes(s, "Vpc", ec2.VpcAttributes{
			VpcId: "vpc-12345678", AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
			PrivateSubnetIds: []string{"subnet-1", "subnet-2"}, PublicSubnetIds: []string{"subnet-3", "subnet-4"},
		})
		role := iam.NewRole(s, "NodeRole", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
		sg := ec2.NewSecurityGroup(s, "NodeSG", ec2.SecurityGroupProps{Vpc: vpc, AllowAllOutbound: cdk.Ptr(false)})
		extra := ec2.SecurityGroupFromSecurityGroupId(s, "Extra", "sg-12345678")
		a := autoscaling.NewAutoScalingGroup(s, "Arm", autoscaling.AutoScalingGroupProps{
			Vpc:                vpc,
			InstanceType:       ec2.InstanceTypeOf("m7g.xlarge"),
			MachineImage:       eksAmi("arm64"),
			Role:               role,
			SecurityGroup:      sg,
			MinCapacity:        cdk.Ptr(2),
			MaxCapacity:        cdk.Ptr(10),
			DetailedMonitoring: true,
			UpdatePolicy:       autoscaling.UpdatePolicyReplacingUpdate(),
			Signals:            autoscaling.SignalsWaitForMinCapacity(autoscaling.SignalsOptions{MinSuccessPercentage: cdk.Ptr(80)}),
			Notifications: []autoscaling.NotificationConfiguration{{
				TopicArn: "arn:aws:sns:us-east-1:123456789012:fleet", ScalingEvents: autoscaling.ScalingEventsErrors(),
			}},
			TerminationPolicies:              []autoscaling.TerminationPolicy{autoscaling.TerminationPolicyOldestInstance, autoscaling.TerminationPolicyDefault},
			MaxInstanceLifetime:              cdk.Days(7),
			SsmSessionPermissions:            true,
			CapacityRebalance:                true,
			DefaultInstanceWarmup:            cdk.Seconds(30),
			NewInstancesProtectedFromScaleIn: true,
			BlockDevices: []autoscaling.BlockDevice{
				{DeviceName: "/dev/sdb", Volume: autoscaling.BlockDeviceVolumeEphemeral(0)},
				{DeviceName: "/dev/sdc", Volume: autoscaling.BlockDeviceVolumeEbsFromSnapshot("snap-1234567890abcdef0", 20)},
			},
		})
		a.AddSecurityGroup(extra)
		a.AddToRolePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::bucket/*"}}))
		a.Connections().AllowTo(ec2.PeerAnyIpv4(), ec2.PortTcp(443), "")

		autoscaling.NewAutoScalingGroup(s, "Rolling", autoscaling.AutoScalingGroupProps{
			Vpc:              vpc,
			InstanceType:     ec2.InstanceTypeOf("c5.large"),
			MachineImage:     eksAmi("x86_64"),
			AllowAllOutbound: cdk.Ptr(false),
			UpdatePolicy: autoscaling.UpdatePolicyRollingUpdate(autoscaling.RollingUpdateOptions{
				SuspendProcesses: []autoscaling.ScalingProcess{autoscaling.ScalingProcessAZRebalance},
			}),
			Signals:                        autoscaling.SignalsWaitForCount(3, autoscaling.SignalsOptions{MinSuccessPercentage: cdk.Ptr(50), Timeout: cdk.Minutes(7)}),
			IgnoreUnmodifiedSizeProperties: cdk.Ptr(false),
			HealthCheck:                    autoscaling.HealthCheck{Type: autoscaling.HealthCheckTypeElb, Grace: cdk.Minutes(2)},
			GroupMetrics:                   []autoscaling.GroupMetrics{{autoscaling.GroupMetricMinSize, autoscaling.GroupMetricMaxSize}},
		})
	}
	return app, stacks
}

// buildFull is the "Full" stack of the parity test, also a golden
// template: self-managed EKS-style nodes with a spot price, a rolling
// update with signals, block devices and tags propagated at launch.
func buildFull(s *cdk.Stack) *autoscaling.AutoScalingGroup {
	vpc := ec2.NewVpc(s, "Vpc", ec2.VpcProps{})
	ud := ec2.UserDataForLinux()
	ud.AddCommands("echo hi")
	asg := autoscaling.NewAutoScalingGroup(s, "Nodes", autoscaling.AutoScalingGroupProps{
		Vpc:                      vpc,
		InstanceType:             ec2.InstanceTypeOf("t3.medium"),
		MachineImage:             eksAmi("x86_64"),
		UserData:                 ud,
		KeyName:                  "my-key",
		SpotPrice:                "0.050",
		MinCapacity:              cdk.Ptr(0),
		MaxCapacity:              cdk.Ptr(5),
		DesiredCapacity:          cdk.Ptr(2),
		VpcSubnets:               ec2.SubnetSelection{SubnetType: ec2.SubnetTypePublic},
		AssociatePublicIpAddress: cdk.Ptr(true),
		RequireImdsv2:            true,
		BlockDevices: []autoscaling.BlockDevice{
			{DeviceName: "/dev/xvda", Volume: autoscaling.BlockDeviceVolumeEbs(50, autoscaling.EbsDeviceOptions{
				VolumeType: ec2.EbsVolumeTypeGp3, Encrypted: cdk.Ptr(true), DeleteOnTermination: cdk.Ptr(true)})},
			{DeviceName: "/dev/xvdb", Volume: autoscaling.BlockDeviceVolumeEbs(100, autoscaling.EbsDeviceOptions{
				VolumeType: ec2.EbsVolumeTypeGp3, Iops: 4000, Throughput: 250})},
		},
		UpdatePolicy: autoscaling.UpdatePolicyRollingUpdate(autoscaling.RollingUpdateOptions{
			MaxBatchSize: 2, MinInstancesInService: 1, PauseTime: cdk.Minutes(10)}),
		Signals:              autoscaling.SignalsWaitForAll(autoscaling.SignalsOptions{Timeout: cdk.Minutes(15)}),
		Cooldown:             cdk.Seconds(120),
		HealthCheck:          autoscaling.HealthCheck{Type: autoscaling.HealthCheckTypeEc2, Grace: cdk.Seconds(60)},
		GroupMetrics:         []autoscaling.GroupMetrics{autoscaling.GroupMetricsAll()},
		AutoScalingGroupName: "my-asg",
	})
	cdk.TagsOf(asg).Add("kubernetes.io/cluster/demo", "owned")
	cdk.TagsOf(asg).Add("team", "platform", cdk.TagProps{ExcludeFromLaunchedInstances: true})
	asg.AddUserData("/etc/eks/bootstrap.sh demo")
	asg.Connections().AllowFrom(ec2.PeerIpv4("10.0.0.0/8"), ec2.PortTcp(22), "")
	return asg
}

// TestParityWithAwsCdk synthesizes the same stacks with aws-cdk-lib (with
// the launch-template feature flag) and eksforge and compares every
// resource: logical IDs, types, properties (tags compared as sets),
// DependsOn, CreationPolicy and UpdatePolicy; and the template parameters.
// Intended differences are listed in docs/architecture.md ("AWS
// constructs"); none shows in these stacks.
func TestParityWithAwsCdk(t *testing.T) {
	t.Parallel()
	dir := cdklib.Synth(t, "testdata/parity/asg.js")
	app, stacks := parityApp()
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Basic", "Full", "Existing"} {
		t.Run(name, func(t *testing.T) {
			want := cdklib.Template(t, dir, name)
			body, _ := asm.TemplateOf(stacks[name])
			var got map[string]any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			cdklib.CompareSection(t, "Resources", got, want, []string{"Type", "Properties", "DependsOn", "CreationPolicy", "UpdatePolicy"})
			cdklib.CompareSection(t, "Parameters", got, want, []string{"Type", "Default"})
		})
	}
}

package autoscaling_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

var Match = assertions.Match

const (
	asgType = "AWS::AutoScaling::AutoScalingGroup"
	ltType  = "AWS::EC2::LaunchTemplate"
)

func TestDefaults(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	asg := autoscaling.NewAutoScalingGroup(stack, "ASG", minimal(stack))
	tmpl := assertions.FromStack(t, stack)
	tmpl.ResourceCountIs(asgType, 1)
	tmpl.ResourceCountIs(ltType, 1)
	tmpl.ResourceCountIs("AWS::IAM::InstanceProfile", 1)
	tmpl.ResourceCountIs("AWS::IAM::Role", 1)
	tmpl.ResourceCountIs("AWS::IAM::Policy", 0)
	tmpl.HasResource(asgType, map[string]any{
		"Properties": map[string]any{
			"MinSize":           "1",
			"MaxSize":           "1",
			"DesiredCapacity":   Match.Absent(),
			"LaunchTemplate":    map[string]any{"LaunchTemplateId": map[string]any{"Ref": "ASGLaunchTemplate0CA92847"}, "Version": map[string]any{"Fn::GetAtt": []any{"ASGLaunchTemplate0CA92847", "LatestVersionNumber"}}},
			"VPCZoneIdentifier": []any{map[string]any{"Ref": "VpcPrivateSubnet1Subnet536B997A"}, map[string]any{"Ref": "VpcPrivateSubnet2Subnet3788AAA1"}},
			"Tags":              []any{map[string]any{"Key": "Name", "PropagateAtLaunch": true, "Value": "Stack/ASG"}},
			"MetricsCollection": Match.Absent(),
		},
		"UpdatePolicy":   map[string]any{"AutoScalingScheduledAction": map[string]any{"IgnoreUnmodifiedGroupSizeProperties": true}},
		"CreationPolicy": Match.Absent(),
	})
	tmpl.HasResource(ltType, map[string]any{
		"Properties": map[string]any{"LaunchTemplateData": map[string]any{
			"IamInstanceProfile":    map[string]any{"Arn": map[string]any{"Fn::GetAtt": []any{"ASGInstanceProfile0A2834D7", "Arn"}}},
			"InstanceType":          "m5.large",
			"Monitoring":            map[string]any{"Enabled": false},
			"SecurityGroupIds":      []any{map[string]any{"Fn::GetAtt": []any{"ASGInstanceSecurityGroup0525485D", "GroupId"}}},
			"UserData":              map[string]any{"Fn::Base64": "#!/bin/bash"},
			"InstanceMarketOptions": Match.Absent(),
			"MetadataOptions":       Match.Absent(),
			"KeyName":               Match.Absent(),
		}},
		"DependsOn": []any{"ASGInstanceRoleE263A41B"},
	})
	tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]any{"Service": "ec2.amazonaws.com"}}}},
	})
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{
		"GroupDescription": "Stack/ASG/InstanceSecurityGroup",
		"Tags":             []any{map[string]any{"Key": "Name", "Value": "Stack/ASG"}},
	})
	if asg.OsType() != ec2.OperatingSystemTypeLinux {
		t.Errorf("OsType = %q, want Linux", asg.OsType())
	}
	if asg.MinCapacity() != 1 || asg.MaxCapacity() != 1 || asg.DesiredCapacity() != nil || asg.SpotPrice() != "" {
		t.Errorf("capacities = %d/%d/%v, spot %q", asg.MinCapacity(), asg.MaxCapacity(), asg.DesiredCapacity(), asg.SpotPrice())
	}
	if asg.Node().DefaultChild() != asg.Resource {
		t.Errorf("the default child is not the AWS::AutoScaling::AutoScalingGroup")
	}
	if _, ok := asg.Role().(*iam.Role); !ok || asg.GrantPrincipal() != asg.Role() {
		t.Errorf("Role() = %T, GrantPrincipal() = %T", asg.Role(), asg.GrantPrincipal())
	}
}

func TestCapacityDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		min, max, desired *int
		wantMin, wantMax  string
		wantDesired       any
	}{
		{"min 0 gives max 1", cdk.Ptr(0), nil, nil, "0", "1", Match.Absent()},
		{"max follows min", cdk.Ptr(3), nil, nil, "3", "3", Match.Absent()},
		{"max follows desired", nil, nil, cdk.Ptr(4), "1", "4", "4"},
		{"all given", cdk.Ptr(0), cdk.Ptr(10), cdk.Ptr(2), "0", "10", "2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			p := minimal(stack)
			p.MinCapacity, p.MaxCapacity, p.DesiredCapacity = tc.min, tc.max, tc.desired
			autoscaling.NewAutoScalingGroup(stack, "ASG", p)
			assertions.FromStack(t, stack).HasResourceProperties(asgType, map[string]any{
				"MinSize": tc.wantMin, "MaxSize": tc.wantMax, "DesiredCapacity": tc.wantDesired,
			})
		})
	}
}

func TestDesiredCapacityWarns(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	p := minimal(stack)
	p.DesiredCapacity = cdk.Ptr(2)
	asg := autoscaling.NewAutoScalingGroup(stack, "ASG", p)
	var warnings []string
	for _, m := range asg.Node().Metadata() {
		if m.Type == cdk.MetadataWarning {
			warnings = append(warnings, m.Data.(string))
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "DesiredCapacity is set to 2: every deployment resets the group") {
		t.Errorf("warnings = %q", warnings)
	}
}

func TestCapacityTokens(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	p := minimal(stack)
	size := cdk.NewCfnParameter(stack, "Size", cdk.CfnParameterProps{Type: "Number"})
	p.MinCapacity = cdk.Ptr(cdk.AsInt(cdk.ReverseString(size.ValueAsString())))
	autoscaling.NewAutoScalingGroup(stack, "ASG", p)
	assertions.FromStack(t, stack).HasResourceProperties(asgType, map[string]any{
		"MinSize": map[string]any{"Ref": "Size"}, "MaxSize": map[string]any{"Ref": "Size"},
	})
}

func TestSpotPrice(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{{"0.05", "0.05"}, {"0.050", "0.05"}, {"1", "1"}, {".5", "0.5"}, {"2.", "2"}}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			p := minimal(stack)
			p.SpotPrice = tc.in
			asg := autoscaling.NewAutoScalingGroup(stack, "ASG", p)
			assertions.FromStack(t, stack).HasResourceProperties(ltType, map[string]any{"LaunchTemplateData": map[string]any{
				"InstanceMarketOptions": map[string]any{"MarketType": "spot", "SpotOptions": map[string]any{"MaxPrice": tc.want}},
			}})
			if asg.SpotPrice() != tc.in {
				t.Errorf("SpotPrice() = %q, want %q", asg.SpotPrice(), tc.in)
			}
		})
	}
}

// TestErrors checks the problems reported by app.Synth(), each with the
// construct path.
func TestErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		modify func(stack *cdk.Stack, p *autoscaling.AutoScalingGroupProps)
		want   string
	}{
		{"fails when min is greater than max", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.MinCapacity, p.MaxCapacity = cdk.Ptr(3), cdk.Ptr(2)
		}, "MinCapacity (3) is greater than MaxCapacity (2)"},
		{"fails when desired is below min", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.MinCapacity, p.MaxCapacity, p.DesiredCapacity = cdk.Ptr(2), cdk.Ptr(5), cdk.Ptr(1)
		}, "DesiredCapacity (1) is less than MinCapacity (2); it must be between MinCapacity and MaxCapacity (5)"},
		{"fails when desired is above max", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.MaxCapacity, p.DesiredCapacity = cdk.Ptr(3), cdk.Ptr(4)
		}, "DesiredCapacity (4) is greater than MaxCapacity (3)"},
		{"fails with a negative capacity", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.MinCapacity = cdk.Ptr(-1)
		}, "MinCapacity is -1; capacities must be 0 or more"},
		{"fails with a negative max", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.MinCapacity, p.MaxCapacity = cdk.Ptr(0), cdk.Ptr(-2)
		}, "MaxCapacity is -2; capacities must be 0 or more"},
		{"fails with a malformed spot price", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.SpotPrice = "$0.05"
		}, `SpotPrice "$0.05" is not a price`},
		{"fails with a zero spot price", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.SpotPrice = "0"
		}, `SpotPrice "0" is not a price`},
		{"fails with a spot price in scientific notation", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.SpotPrice = "5e-2"
		}, `SpotPrice "5e-2" is not a price`},
		{"fails with a public IP in private subnets", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.AssociatePublicIpAddress = cdk.Ptr(true)
		}, "AssociatePublicIpAddress is true, but the selected subnets are not public"},
		{"fails with an arm64 instance type and an x86_64 AMI", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.InstanceType = ec2.InstanceTypeOf("m7g.large")
		}, "InstanceType m7g.large is arm64, but the MachineImage is built for x86_64"},
		{"fails with an x86_64 instance type and an arm64 Bottlerocket AMI", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.MachineImage = ec2.BottlerocketImage("1.33", ec2.InstanceArchitectureArm64, "")
		}, "InstanceType m5.large is x86_64, but the MachineImage is built for arm64"},
		{"fails with an ELB health check without grace", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.HealthCheck = autoscaling.HealthCheck{Type: autoscaling.HealthCheckTypeElb}
		}, "HealthCheck of type ELB needs a Grace period"},
		{"fails with an unknown health check type", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.HealthCheck = autoscaling.HealthCheck{Type: "TCP"}
		}, `HealthCheck.Type "TCP" is not EC2 or ELB`},
		{"fails with a cooldown of fractional seconds", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.Cooldown = cdk.Millis(1500)
		}, "Cooldown: '1500 millis' cannot be converted into a whole number of seconds"},
		{"fails with a max instance lifetime under a day", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.MaxInstanceLifetime = cdk.Hours(12)
		}, "MaxInstanceLifetime is 12 hours; it must be between 1 and 365 days"},
		{"fails with a notification without a topic", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.Notifications = []autoscaling.NotificationConfiguration{{}}
		}, "Notifications[0] has no TopicArn"},
		{"fails with a signal percentage over 100", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.Signals = autoscaling.SignalsWaitForAll(autoscaling.SignalsOptions{MinSuccessPercentage: cdk.Ptr(120)})
		}, "Signals MinSuccessPercentage is 120; it must be a percentage from 0 to 100"},
		{"fails with a rolling update percentage below 0", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.UpdatePolicy = autoscaling.UpdatePolicyRollingUpdate(autoscaling.RollingUpdateOptions{MinSuccessPercentage: cdk.Ptr(-1)})
		}, "UpdatePolicyRollingUpdate MinSuccessPercentage is -1"},
		{"fails with a pause time over an hour", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.UpdatePolicy = autoscaling.UpdatePolicyRollingUpdate(autoscaling.RollingUpdateOptions{PauseTime: cdk.Minutes(90)})
		}, "PauseTime is 1 hour 30 minutes; CloudFormation allows at most one hour"},
		{"fails with a negative signal count", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.Signals = autoscaling.SignalsWaitForCount(-1)
		}, "SignalsWaitForCount(-1): the count must be 0 or more"},
		{"fails with a subnet group that does not exist", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.VpcSubnets = ec2.SubnetSelection{SubnetGroupName: "Nope"}
		}, `VpcSubnets: VPC "Stack/Vpc": there is no subnet group named "Nope"`},
		{"fails with a block device without a name", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.BlockDevices = []autoscaling.BlockDevice{{Volume: autoscaling.BlockDeviceVolumeEbs(10)}}
		}, "BlockDevices[0] has no DeviceName"},
		{"fails with a block device without a volume", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.BlockDevices = []autoscaling.BlockDevice{{DeviceName: "/dev/xvda"}}
		}, "BlockDevices[0] (/dev/xvda) has no Volume"},
		{"fails with an EBS volume without a size", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.BlockDevices = []autoscaling.BlockDevice{{DeviceName: "/dev/xvda", Volume: autoscaling.BlockDeviceVolumeEbs(0)}}
		}, "BlockDevices[0] (/dev/xvda): BlockDeviceVolumeEbs needs a size in GiB"},
		{"fails with a negative volume size", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.BlockDevices = []autoscaling.BlockDevice{{DeviceName: "/dev/xvda", Volume: autoscaling.BlockDeviceVolumeEbs(-5)}}
		}, "the volume size is -5 GiB; it must be positive"},
		{"fails with io1 without iops", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.BlockDevices = []autoscaling.BlockDevice{{DeviceName: "/dev/xvda", Volume: autoscaling.BlockDeviceVolumeEbs(10, autoscaling.EbsDeviceOptions{VolumeType: ec2.EbsVolumeTypeIo1})}}
		}, "VolumeType io1 needs Iops"},
		{"fails with throughput on gp2", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.BlockDevices = []autoscaling.BlockDevice{{DeviceName: "/dev/xvda", Volume: autoscaling.BlockDeviceVolumeEbs(10, autoscaling.EbsDeviceOptions{VolumeType: ec2.EbsVolumeTypeGp2, Throughput: 200})}}
		}, `Throughput needs VolumeType gp3, got "gp2"`},
		{"fails with throughput out of range", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.BlockDevices = []autoscaling.BlockDevice{{DeviceName: "/dev/xvda", Volume: autoscaling.BlockDeviceVolumeEbs(10, autoscaling.EbsDeviceOptions{VolumeType: ec2.EbsVolumeTypeGp3, Throughput: 3000})}}
		}, "Throughput must be between 125 and 2000 MiB/s, got 3000"},
		{"fails with too much throughput for the iops", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.BlockDevices = []autoscaling.BlockDevice{{DeviceName: "/dev/xvda", Volume: autoscaling.BlockDeviceVolumeEbs(10, autoscaling.EbsDeviceOptions{VolumeType: ec2.EbsVolumeTypeGp3, Iops: 3000, Throughput: 1000})}}
		}, "the ratio of Throughput (MiB/s) to Iops is 0.3333333333333333; at most 0.25 is allowed"},
		{"fails with a snapshot volume without a snapshot", func(_ *cdk.Stack, p *autoscaling.AutoScalingGroupProps) {
			p.BlockDevices = []autoscaling.BlockDevice{{DeviceName: "/dev/xvda", Volume: autoscaling.BlockDeviceVolumeEbsFromSnapshot("", 0)}}
		}, "BlockDeviceVolumeEbsFromSnapshot needs a snapshot ID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := synthtest.NewStack()
			p := minimal(stack)
			tc.modify(stack, &p)
			autoscaling.NewAutoScalingGroup(stack, "ASG", p)
			err := synthtest.SynthError(t, app)
			if !strings.Contains(err, "Stack/ASG") || !strings.Contains(err, tc.want) {
				t.Errorf("synthesis error = %q, want one naming Stack/ASG with %q", err, tc.want)
			}
		})
	}
}

func TestAllErrorsAreReportedTogether(t *testing.T) {
	t.Parallel()
	app, stack := synthtest.NewStack()
	p := minimal(stack)
	p.MinCapacity, p.MaxCapacity, p.SpotPrice = cdk.Ptr(5), cdk.Ptr(1), "cheap"
	autoscaling.NewAutoScalingGroup(stack, "ASG", p)
	err := synthtest.SynthError(t, app)
	for _, want := range []string{"MinCapacity (5) is greater than MaxCapacity (1)", `SpotPrice "cheap" is not a price`} {
		if !strings.Contains(err, want) {
			t.Errorf("synthesis error = %q, want it to contain %q", err, want)
		}
	}
}

func TestPanicsWithoutRequiredProps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		modify func(p *autoscaling.AutoScalingGroupProps)
		want   string
	}{
		{"fails without a VPC", func(p *autoscaling.AutoScalingGroupProps) { p.Vpc = nil }, `AutoScalingGroup "Stack/ASG" needs a Vpc`},
		{"fails without an instance type", func(p *autoscaling.AutoScalingGroupProps) { p.InstanceType = ec2.InstanceType{} }, `AutoScalingGroup "Stack/ASG" needs an InstanceType`},
		{"fails without a machine image", func(p *autoscaling.AutoScalingGroupProps) { p.MachineImage = nil }, `AutoScalingGroup "Stack/ASG" needs a MachineImage`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			p := minimal(stack)
			tc.modify(&p)
			if msg := panicMessage(func() { autoscaling.NewAutoScalingGroup(stack, "ASG", p) }); !strings.Contains(msg, tc.want) {
				t.Errorf("panic = %q, want %q", msg, tc.want)
			}
		})
	}
	if msg := panicMessage(func() { autoscaling.BlockDeviceVolumeEphemeral(-1) }); !strings.Contains(msg, "volume index is -1") {
		t.Errorf("panic = %q", msg)
	}
}

func TestArchitectureMatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		it    string
		image ec2.IMachineImage
	}{
		{"arm64 EKS AMI", "m7g.large", ec2.EksOptimizedAmi("1.33", ec2.NodeTypeStandardArm64)},
		{"arm64 Bottlerocket", "c7g.large", ec2.BottlerocketImage("1.33", ec2.InstanceArchitectureArm64, "")},
		{"GPU AMI", "g5.xlarge", ec2.EksOptimizedAmi("1.33", ec2.NodeTypeGpu)},
		{"unknown architecture", "m7g.large", ec2.GenericLinuxImage(map[string]string{"us-east-1": "ami-12345678"})},
		{"parameter without an architecture", "m7g.large", ec2.GenericSsmImage("/my/ami")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := synthtest.NewStack()
			p := minimal(stack)
			p.InstanceType, p.MachineImage = ec2.InstanceTypeOf(tc.it), tc.image
			autoscaling.NewAutoScalingGroup(stack, "ASG", p)
			if err := synthtest.SynthError(t, app); err != "" {
				t.Errorf("synthesis failed: %s", err)
			}
		})
	}
}

func TestLaunchTemplateOptions(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	p := minimal(stack)
	p.KeyName = "ops"
	p.RequireImdsv2 = true
	p.DetailedMonitoring = true
	p.VpcSubnets = ec2.SubnetSelection{SubnetType: ec2.SubnetTypePublic}
	p.AssociatePublicIpAddress = cdk.Ptr(true)
	asg := autoscaling.NewAutoScalingGroup(stack, "ASG", p)
	extra := ec2.SecurityGroupFromSecurityGroupId(stack, "Extra", "sg-12345678")
	asg.AddSecurityGroup(extra)
	asg.Connections().AllowFrom(ec2.PeerIpv4("10.0.0.0/16"), ec2.PortTcp(22), "SSH")
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties(ltType, map[string]any{"LaunchTemplateData": map[string]any{
		"KeyName":         "ops",
		"MetadataOptions": map[string]any{"HttpTokens": "required"},
		"Monitoring":      map[string]any{"Enabled": true},
		"NetworkInterfaces": []any{map[string]any{
			"AssociatePublicIpAddress": true, "DeviceIndex": 0,
			"Groups": []any{map[string]any{"Fn::GetAtt": []any{"ASGInstanceSecurityGroup0525485D", "GroupId"}}, "sg-12345678"},
		}},
		"SecurityGroupIds": Match.Absent(),
	}})
	tmpl.HasResourceProperties(asgType, map[string]any{
		"VPCZoneIdentifier": []any{map[string]any{"Ref": "VpcPublicSubnet1Subnet5C2D37C4"}, map[string]any{"Ref": "VpcPublicSubnet2Subnet691E08A3"}},
	})
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{
		"SecurityGroupIngress": []any{map[string]any{"CidrIp": "10.0.0.0/16", "Description": "SSH", "FromPort": 22, "ToPort": 22, "IpProtocol": "tcp"}},
	})
}

func TestNoPublicIp(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	p := minimal(stack)
	p.AssociatePublicIpAddress = cdk.Ptr(false)
	autoscaling.NewAutoScalingGroup(stack, "ASG", p)
	assertions.FromStack(t, stack).HasResourceProperties(ltType, map[string]any{"LaunchTemplateData": map[string]any{
		"NetworkInterfaces": []any{Match.ObjectLike(map[string]any{"AssociatePublicIpAddress": false, "DeviceIndex": 0})},
	}})
}

func TestGivenRoleAndSecurityGroup(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	p := minimal(stack)
	role := iam.NewRole(stack, "NodeRole", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	sg := ec2.NewSecurityGroup(stack, "NodeSG", ec2.SecurityGroupProps{Vpc: p.Vpc})
	p.Role, p.SecurityGroup = role, sg
	p.AllowAllOutbound = cdk.Ptr(false) // ignored with a given group
	asg := autoscaling.NewAutoScalingGroup(stack, "ASG", p)
	tmpl := assertions.FromStack(t, stack)
	tmpl.ResourceCountIs("AWS::IAM::Role", 1)
	tmpl.ResourceCountIs("AWS::EC2::SecurityGroup", 1)
	tmpl.HasResourceProperties("AWS::IAM::InstanceProfile", map[string]any{"Roles": []any{map[string]any{"Ref": "NodeRoleB5643E21"}}})
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{
		"SecurityGroupEgress": []any{Match.ObjectLike(map[string]any{"CidrIp": "0.0.0.0/0"})},
	})
	if asg.Role() != role || len(asg.Connections().SecurityGroups()) != 1 || asg.Connections().SecurityGroups()[0] != sg {
		t.Errorf("Role() or security groups are not the given ones")
	}
}

func TestClosedSecurityGroup(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	p := minimal(stack)
	p.AllowAllOutbound = cdk.Ptr(false)
	autoscaling.NewAutoScalingGroup(stack, "ASG", p)
	assertions.FromStack(t, stack).HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{
		"SecurityGroupEgress": []any{Match.ObjectLike(map[string]any{"Description": "Disallow all traffic"})},
	})
}

func TestUserData(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	asg := autoscaling.NewAutoScalingGroup(stack, "ASG", minimal(stack))
	asg.AddUserData("echo one", "echo two")
	asg.UserData().AddCommands("echo three")
	assertions.FromStack(t, stack).HasResourceProperties(ltType, map[string]any{"LaunchTemplateData": map[string]any{
		"UserData": map[string]any{"Fn::Base64": "#!/bin/bash\necho one\necho two\necho three"},
	}})

	_, stack = synthtest.NewStack()
	p := minimal(stack)
	p.UserData = ec2.UserDataCustom("settings = true")
	custom := autoscaling.NewAutoScalingGroup(stack, "ASG", p)
	if msg := panicMessage(func() { custom.AddUserData("echo no") }); !strings.Contains(msg, `AutoScalingGroup "Stack/ASG": AddUserData: ec2: custom user data takes no commands`) {
		t.Errorf("panic = %q", msg)
	}
}

func TestBlockDevices(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	p := minimal(stack)
	p.BlockDevices = []autoscaling.BlockDevice{
		{DeviceName: "/dev/xvda", Volume: autoscaling.BlockDeviceVolumeEbs(30, autoscaling.EbsDeviceOptions{
			VolumeType: ec2.EbsVolumeTypeGp3, Encrypted: cdk.Ptr(true), DeleteOnTermination: cdk.Ptr(false), KmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abc"})},
		{DeviceName: "/dev/xvdb", Volume: autoscaling.BlockDeviceVolumeEbs(100, autoscaling.EbsDeviceOptions{VolumeType: ec2.EbsVolumeTypeIo2, Iops: 5000})},
		{DeviceName: "/dev/sdc", Volume: autoscaling.BlockDeviceVolumeEphemeral(1)},
		{DeviceName: "/dev/sdd", Volume: autoscaling.BlockDeviceVolumeNoDevice()},
		{DeviceName: "/dev/sde", Volume: autoscaling.BlockDeviceVolumeEbsFromSnapshot("snap-1", 0)},
		{DeviceName: "/dev/sdf", Volume: autoscaling.BlockDeviceVolumeEbs(8, autoscaling.EbsDeviceOptions{VolumeType: ec2.EbsVolumeTypeGp2, Iops: 100})},
	}
	asg := autoscaling.NewAutoScalingGroup(stack, "ASG", p)
	assertions.FromStack(t, stack).HasResourceProperties(ltType, map[string]any{"LaunchTemplateData": map[string]any{
		"BlockDeviceMappings": []any{
			map[string]any{"DeviceName": "/dev/xvda", "Ebs": map[string]any{"VolumeSize": 30, "VolumeType": "gp3", "Encrypted": true, "DeleteOnTermination": false, "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/abc"}},
			map[string]any{"DeviceName": "/dev/xvdb", "Ebs": map[string]any{"VolumeSize": 100, "VolumeType": "io2", "Iops": 5000}},
			map[string]any{"DeviceName": "/dev/sdc", "VirtualName": "ephemeral1"},
			map[string]any{"DeviceName": "/dev/sdd", "NoDevice": ""},
			map[string]any{"DeviceName": "/dev/sde", "Ebs": map[string]any{"SnapshotId": "snap-1"}},
			map[string]any{"DeviceName": "/dev/sdf", "Ebs": map[string]any{"VolumeSize": 8, "VolumeType": "gp2", "Iops": 100}},
		},
	}})
	var warned bool
	for _, m := range asg.Node().Metadata() {
		if m.Type == cdk.MetadataWarning && strings.Contains(m.Data.(string), "BlockDevices[5] (/dev/sdf): Iops is ignored") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning about Iops on gp2")
	}
}

func TestSignals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		signals *autoscaling.Signals
		desired *int
		want    map[string]any
	}{
		{"all waits for desired", autoscaling.SignalsWaitForAll(), cdk.Ptr(3), map[string]any{"ResourceSignal": map[string]any{"Count": 3}}},
		{"all waits for min without desired", autoscaling.SignalsWaitForAll(autoscaling.SignalsOptions{Timeout: cdk.Minutes(5)}), nil,
			map[string]any{"ResourceSignal": map[string]any{"Count": 2, "Timeout": "PT5M"}}},
		{"min capacity", autoscaling.SignalsWaitForMinCapacity(autoscaling.SignalsOptions{MinSuccessPercentage: cdk.Ptr(50)}), cdk.Ptr(3),
			map[string]any{"ResourceSignal": map[string]any{"Count": 2}, "AutoScalingCreationPolicy": map[string]any{"MinSuccessfulInstancesPercent": 50}}},
		{"count", autoscaling.SignalsWaitForCount(7), nil, map[string]any{"ResourceSignal": map[string]any{"Count": 7}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			p := minimal(stack)
			p.MinCapacity, p.MaxCapacity, p.DesiredCapacity = cdk.Ptr(2), cdk.Ptr(8), tc.desired
			p.Signals = tc.signals
			autoscaling.NewAutoScalingGroup(stack, "ASG", p)
			tmpl := assertions.FromStack(t, stack)
			tmpl.HasResource(asgType, map[string]any{"CreationPolicy": Match.ObjectEquals(tc.want)})
			tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": []any{
				map[string]any{"Action": "cloudformation:SignalResource", "Effect": "Allow", "Resource": map[string]any{"Ref": "AWS::StackId"}},
			}}})
		})
	}
}

func TestUpdatePolicies(t *testing.T) {
	t.Parallel()
	defaults := []any{"HealthCheck", "ReplaceUnhealthy", "AZRebalance", "AlarmNotification", "ScheduledActions", "InstanceRefresh"}
	scheduled := map[string]any{"IgnoreUnmodifiedGroupSizeProperties": true}
	tests := []struct {
		name   string
		modify func(p *autoscaling.AutoScalingGroupProps)
		want   any
	}{
		{"rolling defaults", func(p *autoscaling.AutoScalingGroupProps) {
			p.UpdatePolicy = autoscaling.UpdatePolicyRollingUpdate()
		}, map[string]any{"AutoScalingRollingUpdate": map[string]any{"SuspendProcesses": defaults}, "AutoScalingScheduledAction": scheduled}},
		{"rolling takes its defaults from the signals", func(p *autoscaling.AutoScalingGroupProps) {
			p.UpdatePolicy = autoscaling.UpdatePolicyRollingUpdate(autoscaling.RollingUpdateOptions{MaxBatchSize: 3, SuspendProcesses: []autoscaling.ScalingProcess{}})
			p.Signals = autoscaling.SignalsWaitForAll(autoscaling.SignalsOptions{Timeout: cdk.Minutes(20), MinSuccessPercentage: cdk.Ptr(90)})
		}, map[string]any{"AutoScalingRollingUpdate": map[string]any{
			"MaxBatchSize": 3, "SuspendProcesses": []any{}, "WaitOnResourceSignals": true, "PauseTime": "PT20M", "MinSuccessfulInstancesPercent": 90,
		}, "AutoScalingScheduledAction": scheduled}},
		{"rolling options override the signals", func(p *autoscaling.AutoScalingGroupProps) {
			p.UpdatePolicy = autoscaling.UpdatePolicyRollingUpdate(autoscaling.RollingUpdateOptions{
				WaitOnResourceSignals: cdk.Ptr(false), PauseTime: cdk.Seconds(30), MinSuccessPercentage: cdk.Ptr(75), MinInstancesInService: 1,
			})
			p.Signals = autoscaling.SignalsWaitForAll(autoscaling.SignalsOptions{Timeout: cdk.Minutes(20), MinSuccessPercentage: cdk.Ptr(90)})
		}, map[string]any{"AutoScalingRollingUpdate": map[string]any{
			"MinInstancesInService": 1, "SuspendProcesses": defaults, "PauseTime": "PT30S", "MinSuccessfulInstancesPercent": 75,
		}, "AutoScalingScheduledAction": scheduled}},
		{"replacing", func(p *autoscaling.AutoScalingGroupProps) {
			p.UpdatePolicy = autoscaling.UpdatePolicyReplacingUpdate()
		}, map[string]any{"AutoScalingReplacingUpdate": map[string]any{"WillReplace": true}, "AutoScalingScheduledAction": scheduled}},
		{"no scheduled action setting", func(p *autoscaling.AutoScalingGroupProps) {
			p.IgnoreUnmodifiedSizeProperties = cdk.Ptr(false)
		}, Match.Absent()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			p := minimal(stack)
			tc.modify(&p)
			autoscaling.NewAutoScalingGroup(stack, "ASG", p)
			want := tc.want
			if m, ok := want.(map[string]any); ok {
				want = Match.ObjectEquals(m)
			}
			assertions.FromStack(t, stack).HasResource(asgType, map[string]any{"UpdatePolicy": want})
		})
	}
}

func TestGroupSettings(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	p := minimal(stack)
	p.AutoScalingGroupName = "nodes"
	p.Cooldown = cdk.Minutes(2)
	p.HealthCheck = autoscaling.HealthCheck{Type: autoscaling.HealthCheckTypeElb, Grace: cdk.Seconds(90)}
	p.GroupMetrics = []autoscaling.GroupMetrics{autoscaling.GroupMetricsAll()}
	p.Notifications = []autoscaling.NotificationConfiguration{
		{TopicArn: "arn:aws:sns:us-east-1:123456789012:all"},
		{TopicArn: "arn:aws:sns:us-east-1:123456789012:errors", ScalingEvents: autoscaling.ScalingEventsErrors()},
	}
	p.MaxInstanceLifetime = cdk.Days(30)
	p.DefaultInstanceWarmup = cdk.Minutes(1)
	p.CapacityRebalance = true
	p.TerminationPolicies = []autoscaling.TerminationPolicy{autoscaling.TerminationPolicyNewestInstance}
	p.SsmSessionPermissions = true
	asg := autoscaling.NewAutoScalingGroup(stack, "ASG", p)
	asg.AddGroupMetrics(autoscaling.GroupMetrics{autoscaling.GroupMetricMinSize, autoscaling.GroupMetricMinSize})
	if asg.AreNewInstancesProtectedFromScaleIn() {
		t.Errorf("new instances are protected before ProtectNewInstancesFromScaleIn")
	}
	asg.ProtectNewInstancesFromScaleIn()
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties(asgType, map[string]any{
		"AutoScalingGroupName":   "nodes",
		"Cooldown":               "120",
		"HealthCheckType":        "ELB",
		"HealthCheckGracePeriod": 90,
		"MetricsCollection": []any{
			map[string]any{"Granularity": "1Minute"},
			map[string]any{"Granularity": "1Minute", "Metrics": []any{"GroupMinSize"}},
		},
		"NotificationConfigurations": []any{
			map[string]any{"TopicARN": "arn:aws:sns:us-east-1:123456789012:all", "NotificationTypes": []any{
				"autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_LAUNCH_ERROR", "autoscaling:EC2_INSTANCE_TERMINATE", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"}},
			map[string]any{"TopicARN": "arn:aws:sns:us-east-1:123456789012:errors", "NotificationTypes": []any{
				"autoscaling:EC2_INSTANCE_LAUNCH_ERROR", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"}},
		},
		"MaxInstanceLifetime":              2592000,
		"DefaultInstanceWarmup":            60,
		"CapacityRebalance":                true,
		"TerminationPolicies":              []any{"NewestInstance"},
		"NewInstancesProtectedFromScaleIn": true,
	})
	tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{
		"ManagedPolicyArns": []any{map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::aws:policy/AmazonSSMManagedInstanceCore"}}}},
	})
}

func TestTagsPropagateAtLaunch(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	asg := autoscaling.NewAutoScalingGroup(stack, "ASG", minimal(stack))
	cdk.TagsOf(asg).Add("kubernetes.io/cluster/demo", "owned")
	cdk.TagsOf(stack).Add("env", "test")
	cdk.TagsOf(asg).Add("internal", "yes", cdk.TagProps{ExcludeFromLaunchedInstances: true})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties(asgType, map[string]any{"Tags": []any{
		map[string]any{"Key": "Name", "PropagateAtLaunch": true, "Value": "Stack/ASG"},
		map[string]any{"Key": "env", "PropagateAtLaunch": true, "Value": "test"},
		map[string]any{"Key": "internal", "PropagateAtLaunch": false, "Value": "yes"},
		map[string]any{"Key": "kubernetes.io/cluster/demo", "PropagateAtLaunch": true, "Value": "owned"},
	}})
	tmpl.HasResourceProperties(ltType, map[string]any{"TagSpecifications": []any{map[string]any{
		"ResourceType": "launch-template",
		"Tags": Match.ArrayWith([]any{
			map[string]any{"Key": "Name", "Value": "Stack/ASG/LaunchTemplate"},
			map[string]any{"Key": "kubernetes.io/cluster/demo", "Value": "owned"},
		}),
	}}})
}

func TestNamesAndArns(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	asg := autoscaling.NewAutoScalingGroup(stack, "ASG", minimal(stack))
	imported := autoscaling.AutoScalingGroupFromAutoScalingGroupName(stack, "Imported", "existing-asg")
	imported.AddUserData("ignored")
	cdk.NewCfnOutput(stack, "Name", cdk.CfnOutputProps{Value: asg.AutoScalingGroupName()})
	cdk.NewCfnOutput(stack, "Arn", cdk.CfnOutputProps{Value: asg.AutoScalingGroupArn()})
	cdk.NewCfnOutput(stack, "ImportedArn", cdk.CfnOutputProps{Value: imported.AutoScalingGroupArn()})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasOutput("Name", map[string]any{"Value": map[string]any{"Ref": "ASG46ED3070"}})
	tmpl.HasOutput("Arn", map[string]any{"Value": map[string]any{"Fn::Join": []any{"", []any{
		"arn:", map[string]any{"Ref": "AWS::Partition"}, ":autoscaling:", map[string]any{"Ref": "AWS::Region"}, ":",
		map[string]any{"Ref": "AWS::AccountId"}, ":autoScalingGroup:*:autoScalingGroupName/", map[string]any{"Ref": "ASG46ED3070"},
	}}}})
	tmpl.HasOutput("ImportedArn", map[string]any{"Value": map[string]any{"Fn::Join": []any{"", []any{
		"arn:", map[string]any{"Ref": "AWS::Partition"}, ":autoscaling:", map[string]any{"Ref": "AWS::Region"}, ":",
		map[string]any{"Ref": "AWS::AccountId"}, ":autoScalingGroup:*:autoScalingGroupName/existing-asg",
	}}}})
	if imported.OsType() != ec2.OperatingSystemTypeUnknown || imported.AutoScalingGroupName() != "existing-asg" {
		t.Errorf("imported group: OsType %q, name %q", imported.OsType(), imported.AutoScalingGroupName())
	}
	res := imported.GrantPrincipal().AddToPrincipalPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"s3:GetObject"}, Resources: []string{"*"}}))
	if res.StatementAdded {
		t.Errorf("a statement was added to the unknown role of an imported group")
	}
}

// TestGrants checks that grants to the group go to its role.
func TestGrants(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	asg := autoscaling.NewAutoScalingGroup(stack, "ASG", minimal(stack))
	iam.GrantAddToPrincipal(iam.GrantOnPrincipalOptions{Grantee: asg, Actions: []string{"ec2:DescribeInstances"}, ResourceArns: []string{"*"}})
	asg.AddToRolePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::b/*"}}))
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"Roles": []any{map[string]any{"Ref": "ASGInstanceRoleE263A41B"}},
		"PolicyDocument": map[string]any{"Statement": []any{
			map[string]any{"Action": "ec2:DescribeInstances", "Effect": "Allow", "Resource": "*"},
			map[string]any{"Action": "s3:GetObject", "Effect": "Allow", "Resource": "arn:aws:s3:::b/*"},
		}},
	})
	// The launch template waits for the role's policy.
	tmpl.HasResource(ltType, map[string]any{"DependsOn": Match.ArrayWith([]any{"ASGInstanceRoleDefaultPolicy7636D8BF"})})
}

// TestMultipartUserData checks the user data self-managed EKS nodes use: a
// MIME document whose shell part AddUserData adds to.
func TestMultipartUserData(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	p := minimal(stack)
	mp := ec2.NewMultipartUserData()
	p.UserData = mp
	asg := autoscaling.NewAutoScalingGroup(stack, "ASG", p)
	mp.AddPart(ec2.MultipartBodyFromRawBody(ec2.MultipartBodyOptions{ContentType: "application/node.eks.aws", Body: "apiVersion: node.eks.aws/v1alpha1"}))
	if msg := panicMessage(func() { asg.AddUserData("echo no default part") }); !strings.Contains(msg, `AutoScalingGroup "Stack/ASG": AddUserData: ec2: MultipartUserData.AddCommands needs a default part`) {
		t.Errorf("panic = %q", msg)
	}
	shell := ec2.UserDataForLinux()
	mp.AddUserDataPart(shell, ec2.MultipartContentTypeShellScript, true)
	asg.AddUserData("echo hi")
	if asg.UserData() != mp {
		t.Errorf("UserData() is not the given multipart document")
	}
	assertions.FromStack(t, stack).HasResourceProperties(ltType, map[string]any{"LaunchTemplateData": map[string]any{
		"UserData": map[string]any{"Fn::Base64": map[string]any{"Fn::Join": []any{"", []any{
			Match.StringLikeRegexp(`(?s)^Content-Type: multipart/mixed.*application/node\.eks\.aws.*Content-Transfer-Encoding: base64\n\n$`),
			map[string]any{"Fn::Base64": "#!/bin/bash\necho hi"},
			"\n--+AWS+CDK+User+Data+Separator==--\n",
		}}}},
	}})
}

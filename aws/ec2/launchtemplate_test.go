package ec2_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
)

func TestLaunchTemplate(t *testing.T) {
	t.Parallel()
	_, s := agnosticStack()
	vpc := importedVpc(s)
	role := iam.NewRole(s, "NodeRole", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	lt := ec2.NewLaunchTemplate(s, "Nodes", ec2.LaunchTemplateProps{
		InstanceType:            ec2.InstanceTypeOf("m7g.large"),
		MachineImage:            ec2.EksOptimizedAmi("1.33", ec2.NodeTypeStandardArm64),
		Role:                    role,
		HttpPutResponseHopLimit: 2,
		HttpEndpoint:            cdk.Ptr(true),
		EbsOptimized:            cdk.Ptr(true),
		BlockDevices:            []ec2.BlockDevice{{DeviceName: "/dev/xvda", VolumeSize: 100, Ebs: ec2.EbsDeviceOptions{VolumeType: ec2.EbsVolumeTypeGp3, Iops: 4000, Throughput: 250, DeleteOnTermination: cdk.Ptr(true)}}},
	})
	// Added after construction: still rendered.
	lt.AddSecurityGroup(ec2.NewSecurityGroup(s, "NodeSG", ec2.SecurityGroupProps{Vpc: vpc}))
	lt.UserData().AddCommands("/etc/eks/bootstrap.sh demo")
	cdk.TagsOf(s).Add("team", "platform")
	tmpl := assertions.FromStack(t, s)
	tags := []any{map[string]any{"Key": "Name", "Value": "Stack/Nodes"}, map[string]any{"Key": "team", "Value": "platform"}}
	tmpl.HasResource("AWS::EC2::LaunchTemplate", map[string]any{
		"Properties": map[string]any{
			"LaunchTemplateData": map[string]any{
				"InstanceType":        "m7g.large",
				"ImageId":             ref("SsmParameterValueawsserviceeksoptimizedami133amazonlinux2023arm64standardrecommendedimageidC96584B6F00A464EAD1953AFF4B05118Parameter"),
				"UserData":            map[string]any{"Fn::Base64": "#!/bin/bash\n/etc/eks/bootstrap.sh demo"},
				"IamInstanceProfile":  map[string]any{"Arn": getAtt("NodesProfile26786074", "Arn")},
				"SecurityGroupIds":    []any{getAtt("NodeSG90918DE6", "GroupId")},
				"MetadataOptions":     map[string]any{"HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled", "HttpTokens": Match.Absent()},
				"EbsOptimized":        true,
				"BlockDeviceMappings": []any{map[string]any{"DeviceName": "/dev/xvda", "Ebs": map[string]any{"VolumeSize": 100, "VolumeType": "gp3", "Iops": 4000, "Throughput": 250, "DeleteOnTermination": true}}},
				"TagSpecifications":   []any{map[string]any{"ResourceType": "instance", "Tags": tags}, map[string]any{"ResourceType": "volume", "Tags": tags}},
			},
			"TagSpecifications": []any{map[string]any{"ResourceType": "launch-template", "Tags": tags}},
		},
		"DependsOn": []any{"NodeRoleB5643E21"},
	})
	tmpl.HasResourceProperties("AWS::IAM::InstanceProfile", map[string]any{"Roles": []any{ref("NodeRoleB5643E21")}})
	if !cdk.IsUnresolved(lt.LaunchTemplateId()) || !cdk.IsUnresolved(lt.LatestVersionNumber()) || !cdk.IsUnresolved(lt.DefaultVersionNumber()) {
		t.Errorf("ids and versions should be tokens")
	}
	if lt.OsType() != ec2.OperatingSystemTypeLinux || lt.Role() == nil || lt.InstanceType().String() != "m7g.large" {
		t.Errorf("accessors: %s %v %s", lt.OsType(), lt.Role(), lt.InstanceType())
	}
}

func TestLaunchTemplateMinimal(t *testing.T) {
	t.Parallel()
	_, s := agnosticStack()
	lt := ec2.NewLaunchTemplate(s, "LT", ec2.LaunchTemplateProps{})
	tmpl := assertions.FromStack(t, s)
	tmpl.HasResourceProperties("AWS::EC2::LaunchTemplate", map[string]any{"LaunchTemplateData": map[string]any{
		"SecurityGroupIds": Match.Absent(), "UserData": Match.Absent(), "ImageId": Match.Absent(), "MetadataOptions": Match.Absent(),
	}})
	tmpl.ResourceCountIs("AWS::IAM::InstanceProfile", 0)
	if lt.UserData() != nil || lt.OsType() != ec2.OperatingSystemTypeUnknown || !lt.InstanceType().IsZero() {
		t.Errorf("a bare template has user data, an OS or an instance type")
	}
}

func TestLaunchTemplateErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		props ec2.LaunchTemplateProps
		want  string
	}{
		{"fails on a block device without name", ec2.LaunchTemplateProps{BlockDevices: []ec2.BlockDevice{{VolumeSize: 8}}}, "no DeviceName"},
		{"fails on a block device without size or snapshot", ec2.LaunchTemplateProps{BlockDevices: []ec2.BlockDevice{{DeviceName: "/dev/xvdb"}}}, "needs a VolumeSize"},
		{"fails on throughput for gp2", ec2.LaunchTemplateProps{BlockDevices: []ec2.BlockDevice{{DeviceName: "/dev/xvdb", VolumeSize: 8, Ebs: ec2.EbsDeviceOptions{Throughput: 200}}}}, "only for gp3"},
		{"fails on a hop limit above 64", ec2.LaunchTemplateProps{HttpPutResponseHopLimit: 65}, "from 1 to 64"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, s := agnosticStack()
			mustPanic(t, func() { ec2.NewLaunchTemplate(s, "LT", tc.props) }, `LaunchTemplate "Stack/LT"`, tc.want)
		})
	}
}

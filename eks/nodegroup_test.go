package eks_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

func clusterWithoutCapacity(stack *cdk.Stack, props ...eks.ClusterProps) *eks.Cluster {
	p := eks.ClusterProps{}
	if len(props) > 0 {
		p = props[0]
	}
	p.Version = eks.V1_34
	p.DefaultCapacity = cdk.Ptr(0)
	return eks.NewCluster(stack, "Cluster", p)
}

func its(names ...string) []ec2.InstanceType {
	out := make([]ec2.InstanceType, len(names))
	for i, n := range names {
		out[i] = ec2.InstanceTypeOf(n)
	}
	return out
}

func TestNodegroupDefaults(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	ng := eks.NewNodegroup(stack, "Nodegroup", eks.NodegroupProps{Cluster: c})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::EKS::Nodegroup", map[string]any{
		"ClusterName":        map[string]any{"Ref": "ClusterEB0386A7"},
		"NodeRole":           map[string]any{"Fn::GetAtt": []any{"NodegroupNodeGroupRole038A128B", "Arn"}},
		"ForceUpdateEnabled": true,
		"ScalingConfig":      map[string]any{"DesiredSize": 2, "MinSize": 1, "MaxSize": 2},
		"Subnets":            []any{map[string]any{"Ref": "ClusterDefaultVpcPrivateSubnet1Subnet03F39409"}, map[string]any{"Ref": "ClusterDefaultVpcPrivateSubnet2SubnetA526AEA7"}},
		"InstanceTypes":      Match.Absent(),
		"AmiType":            Match.Absent(),
		"CapacityType":       Match.Absent(),
		"DiskSize":           Match.Absent(),
	})
	tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{"Principal": map[string]any{"Service": "ec2.amazonaws.com"}}}},
		"ManagedPolicyArns": []any{
			partitionArn(":iam::aws:policy/AmazonEKSWorkerNodePolicy"),
			partitionArn(":iam::aws:policy/AmazonEKS_CNI_Policy"),
			partitionArn(":iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"),
		},
	})
	if ng.DesiredSize() != 2 || ng.MinSize() != 1 || ng.MaxSize() != 2 || ng.Role() == nil || ng.Cluster() != c {
		t.Error("accessors")
	}
	if !cdk.IsUnresolved(ng.NodegroupName()) || !cdk.IsUnresolved(ng.NodegroupArn()) {
		t.Error("NodegroupName and NodegroupArn should be tokens")
	}
}

func TestNodegroupOptions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		opts func(*cdk.Stack) eks.NodegroupOptions
		want map[string]any
	}{
		{"min only: desired = max = min", func(*cdk.Stack) eks.NodegroupOptions { return eks.NodegroupOptions{MinSize: cdk.Ptr(4)} },
			map[string]any{"ScalingConfig": map[string]any{"DesiredSize": 4, "MinSize": 4, "MaxSize": 4}}},
		{"desired and max", func(*cdk.Stack) eks.NodegroupOptions {
			return eks.NodegroupOptions{DesiredSize: cdk.Ptr(3), MaxSize: cdk.Ptr(6)}
		}, map[string]any{"ScalingConfig": map[string]any{"DesiredSize": 3, "MinSize": 1, "MaxSize": 6}}},
		{"x86 instance types", func(*cdk.Stack) eks.NodegroupOptions {
			return eks.NodegroupOptions{InstanceTypes: its("m5.large", "m5a.large")}
		},
			map[string]any{"InstanceTypes": []any{"m5.large", "m5a.large"}, "AmiType": "AL2023_x86_64_STANDARD"}},
		{"arm instance types", func(*cdk.Stack) eks.NodegroupOptions {
			return eks.NodegroupOptions{InstanceTypes: its("m6g.large", "c7g.large")}
		},
			map[string]any{"AmiType": "AL2023_ARM_64_STANDARD"}},
		{"gpu instance types", func(*cdk.Stack) eks.NodegroupOptions { return eks.NodegroupOptions{InstanceTypes: its("g5.xlarge")} },
			map[string]any{"AmiType": "AL2023_x86_64_NVIDIA"}},
		{"neuron instance types", func(*cdk.Stack) eks.NodegroupOptions { return eks.NodegroupOptions{InstanceTypes: its("inf2.xlarge")} },
			map[string]any{"AmiType": "AL2023_x86_64_NEURON"}},
		{"bottlerocket", func(*cdk.Stack) eks.NodegroupOptions {
			return eks.NodegroupOptions{InstanceTypes: its("m6g.large"), AmiType: eks.NodegroupAmiTypeBottlerocketArm64}
		}, map[string]any{"AmiType": "BOTTLEROCKET_ARM_64"}},
		{"ami type without instance types", func(*cdk.Stack) eks.NodegroupOptions {
			return eks.NodegroupOptions{AmiType: eks.NodegroupAmiTypeBottlerocketX86_64}
		}, map[string]any{"AmiType": "BOTTLEROCKET_x86_64"}},
		{"spot", func(*cdk.Stack) eks.NodegroupOptions {
			return eks.NodegroupOptions{InstanceTypes: its("m5.large", "c5.large"), CapacityType: eks.CapacityTypeSpot}
		}, map[string]any{"CapacityType": "SPOT"}},
		{"on demand", func(*cdk.Stack) eks.NodegroupOptions {
			return eks.NodegroupOptions{CapacityType: eks.CapacityTypeOnDemand}
		},
			map[string]any{"CapacityType": "ON_DEMAND"}},
		{"disk, labels, taints, release, tags, name", func(*cdk.Stack) eks.NodegroupOptions {
			return eks.NodegroupOptions{
				DiskSize: 100, Labels: map[string]string{"team": "web", "example.com/tier": "front"}, ReleaseVersion: "1.34.0-20251101",
				Taints:        []eks.TaintSpec{{Key: "dedicated", Value: "web", Effect: eks.TaintEffectNoExecute}, {Key: "gpu", Effect: eks.TaintEffectPreferNoSchedule}},
				Tags:          map[string]string{"owner": "me"},
				NodegroupName: "web",
			}
		}, map[string]any{
			"DiskSize": 100, "Labels": map[string]any{"team": "web", "example.com/tier": "front"}, "ReleaseVersion": "1.34.0-20251101",
			"Taints": []any{map[string]any{"Key": "dedicated", "Value": "web", "Effect": "NO_EXECUTE"}, map[string]any{"Key": "gpu", "Effect": "PREFER_NO_SCHEDULE"}},
			"Tags":   map[string]any{"owner": "me"}, "NodegroupName": "web",
		}},
		{"force update off", func(*cdk.Stack) eks.NodegroupOptions { return eks.NodegroupOptions{DisableForceUpdate: true} },
			map[string]any{"ForceUpdateEnabled": false}},
		{"max unavailable", func(*cdk.Stack) eks.NodegroupOptions {
			return eks.NodegroupOptions{MaxSize: cdk.Ptr(5), MaxUnavailable: 2}
		}, map[string]any{"UpdateConfig": map[string]any{"MaxUnavailable": 2, "MaxUnavailablePercentage": Match.Absent()}}},
		{"max unavailable percentage", func(*cdk.Stack) eks.NodegroupOptions { return eks.NodegroupOptions{MaxUnavailablePercentage: 33} },
			map[string]any{"UpdateConfig": map[string]any{"MaxUnavailablePercentage": 33}}},
		{"remote access", func(s *cdk.Stack) eks.NodegroupOptions {
			return eks.NodegroupOptions{RemoteAccess: &eks.NodegroupRemoteAccess{SshKeyName: "my-key", SourceSecurityGroups: []ec2.ISecurityGroup{ec2.SecurityGroupFromSecurityGroupId(s, "SG", "sg-1")}}}
		}, map[string]any{"RemoteAccess": map[string]any{"Ec2SshKey": "my-key", "SourceSecurityGroups": []any{"sg-1"}}}},
		{"launch template keeps ami type unset", func(*cdk.Stack) eks.NodegroupOptions {
			return eks.NodegroupOptions{InstanceTypes: its("m5.large"), LaunchTemplateSpec: &eks.LaunchTemplateSpec{ID: "lt-1", Version: "3"}}
		}, map[string]any{"LaunchTemplate": map[string]any{"Id": "lt-1", "Version": "3"}, "AmiType": Match.Absent()}},
		{"node role", func(s *cdk.Stack) eks.NodegroupOptions {
			return eks.NodegroupOptions{NodeRole: iam.RoleFromRoleArn(s, "R", "arn:aws:iam::123456789012:role/n")}
		}, map[string]any{"NodeRole": "arn:aws:iam::123456789012:role/n"}},
		{"public subnets", func(*cdk.Stack) eks.NodegroupOptions {
			return eks.NodegroupOptions{Subnets: ec2.SubnetSelection{SubnetType: ec2.SubnetTypePublic}}
		}, map[string]any{"Subnets": []any{map[string]any{"Ref": "ClusterDefaultVpcPublicSubnet1Subnet3BFE1BDA"}, map[string]any{"Ref": "ClusterDefaultVpcPublicSubnet2SubnetC4E9A966"}}}},
		{"auto repair", func(*cdk.Stack) eks.NodegroupOptions { return eks.NodegroupOptions{EnableNodeAutoRepair: true} },
			map[string]any{"NodeRepairConfig": map[string]any{"Enabled": true}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := newStack()
			c := clusterWithoutCapacity(stack)
			c.AddNodegroupCapacity("ng", tc.opts(stack))
			assertions.FromStack(t, stack).HasResourceProperties("AWS::EKS::Nodegroup", tc.want)
		})
	}
}

func TestNodegroupLogicalIdsAsTheCDK(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	c.AddNodegroupCapacity("ng")
	tmpl := templateOf(t, stack)
	for _, id := range []string{"ClusterNodegroupng40C45C3C", "ClusterNodegroupngNodeGroupRoleDA0D35DA"} {
		if _, ok := tmpl["Resources"].(map[string]any)[id]; !ok {
			t.Errorf("no %s (the AWS CDK's logical id)", id)
		}
	}
}

func TestNodegroupIpv6RoleCanAssignAddresses(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack, eks.ClusterProps{IpFamily: eks.IpFamilyIpV6})
	c.AddNodegroupCapacity("ng")
	assertions.FromStack(t, stack).HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{"Action": []any{"ec2:AssignIpv6Addresses", "ec2:UnassignIpv6Addresses"}}}},
	})
}

func TestNodegroupValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		opts eks.NodegroupOptions
		want []string
	}{
		{"fails when desired > max", eks.NodegroupOptions{DesiredSize: cdk.Ptr(5), MaxSize: cdk.Ptr(3)}, []string{"Stack/Cluster/Nodegroupng", "desired size 5 is greater than max size 3"}},
		{"fails when desired < min", eks.NodegroupOptions{DesiredSize: cdk.Ptr(1), MinSize: cdk.Ptr(3), MaxSize: cdk.Ptr(4)}, []string{"desired size 1 is less than min size 3"}},
		{"fails with disk size and launch template", eks.NodegroupOptions{DiskSize: 50, LaunchTemplateSpec: &eks.LaunchTemplateSpec{ID: "lt-1"}}, []string{"DiskSize cannot be set with a LaunchTemplateSpec"}},
		{"fails with remote access and launch template", eks.NodegroupOptions{RemoteAccess: &eks.NodegroupRemoteAccess{SshKeyName: "k"}, LaunchTemplateSpec: &eks.LaunchTemplateSpec{ID: "lt-1"}}, []string{"RemoteAccess cannot be set with a LaunchTemplateSpec"}},
		{"fails with both max unavailable settings", eks.NodegroupOptions{MaxUnavailable: 1, MaxUnavailablePercentage: 10}, []string{"MaxUnavailable and MaxUnavailablePercentage cannot both be set"}},
		{"fails with max unavailable over max size", eks.NodegroupOptions{MaxUnavailable: 3}, []string{"MaxUnavailable must not exceed MaxSize (2), got 3"}},
		{"fails with max unavailable percentage over 100", eks.NodegroupOptions{MaxUnavailablePercentage: 101}, []string{"MaxUnavailablePercentage must be between 1 and 100, got 101"}},
		{"fails with mixed architectures", eks.NodegroupOptions{InstanceTypes: its("m5.large", "m6g.large")}, []string{"instance types m5.large, m6g.large need different AMIs (arm64, x86_64)"}},
		{"fails with spot and mixed architectures", eks.NodegroupOptions{InstanceTypes: its("c5.large", "c6g.large"), CapacityType: eks.CapacityTypeSpot}, []string{"spot capacity: instance types c5.large, c6g.large need different AMIs"}},
		{"fails with an ami type of another architecture", eks.NodegroupOptions{InstanceTypes: its("m6g.large"), AmiType: eks.NodegroupAmiTypeAl2023X86_64Standard}, []string{"AmiType AL2023_x86_64_STANDARD does not match the instance types' architecture: use one of AL2023_ARM_64_STANDARD"}},
		{"fails with an invalid label key", eks.NodegroupOptions{Labels: map[string]string{"bad key!": "v"}}, []string{`Labels: key "bad key!" is not a valid Kubernetes label key`}},
		{"fails with an invalid label prefix", eks.NodegroupOptions{Labels: map[string]string{"Example.COM/x": "v"}}, []string{`key "Example.COM/x" has an invalid prefix`}},
		{"fails with an invalid label value", eks.NodegroupOptions{Labels: map[string]string{"k": "-bad"}}, []string{`value "-bad" of "k" is not a valid Kubernetes label value`}},
		{"fails with an invalid taint key", eks.NodegroupOptions{Taints: []eks.TaintSpec{{Key: "a b", Effect: eks.TaintEffectNoSchedule}}}, []string{`Taints[0]: key "a b" is not a valid Kubernetes label key`}},
		{"fails with a taint without key", eks.NodegroupOptions{Taints: []eks.TaintSpec{{Effect: eks.TaintEffectNoSchedule}}}, []string{"Taints[0]: a taint needs a Key"}},
		{"fails with an invalid taint effect", eks.NodegroupOptions{Taints: []eks.TaintSpec{{Key: "k", Effect: "NoSchedule"}}}, []string{`effect "NoSchedule" of taint "k" is not one of NO_SCHEDULE`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			c := clusterWithoutCapacity(stack)
			c.AddNodegroupCapacity("ng", tc.opts)
			wantError(t, app, tc.want...)
		})
	}
}

func TestNodegroupTokenSizesAreNotValidated(t *testing.T) {
	t.Parallel()
	app, stack := newStack()
	c := clusterWithoutCapacity(stack)
	cdk.NewCfnParameter(stack, "Desired", cdk.CfnParameterProps{Type: "Number"})
	c.AddNodegroupCapacity("ng", eks.NodegroupOptions{DesiredSize: cdk.Ptr(cdk.AsInt(cdk.NewIntrinsic(map[string]any{"Ref": "Desired"}))), MaxSize: cdk.Ptr(3)})
	if err := synthError(t, app); err != "" {
		t.Fatal(err)
	}
}

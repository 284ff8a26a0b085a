package eks_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

func TestClusterOptionsRender(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	clusterWithoutCapacity(stack, eks.ClusterProps{
		SupportType:             eks.SupportTypeStandard,
		EnableZonalShift:        true,
		ControlPlaneScalingTier: eks.ControlPlaneScalingTierXL,
		ForceVersionUpdate:      true,
		DeletionProtection:      true,
		RemoteNodeNetworks:      []string{"172.16.0.0/16"},
		RemotePodNetworks:       []string{"172.17.0.0/16"},
	})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::EKS::Cluster", map[string]any{
		"UpgradePolicy":             map[string]any{"SupportType": "STANDARD"},
		"ZonalShiftConfig":          map[string]any{"Enabled": true},
		"ControlPlaneScalingConfig": map[string]any{"Tier": "tier-xl"},
		"Force":                     true,
		"DeletionProtection":        true,
		"RemoteNetworkConfig": map[string]any{
			"RemoteNodeNetworks": []any{map[string]any{"Cidrs": []any{"172.16.0.0/16"}}},
			"RemotePodNetworks":  []any{map[string]any{"Cidrs": []any{"172.17.0.0/16"}}},
		},
	})
	// Hybrid nodes and their webhooks reach the API server.
	for _, cidr := range []string{"172.16.0.0/16", "172.17.0.0/16"} {
		tmpl.HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{
			"GroupDescription":     "EKS Control Plane Security Group",
			"SecurityGroupIngress": Match.ArrayWith([]any{map[string]any{"CidrIp": cidr, "FromPort": 443, "ToPort": 443, "IpProtocol": "tcp", "Description": "hybrid nodes and pods to the Kubernetes API"}}),
		})
	}
}

func TestClusterOptionsDefaultsRenderNothing(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	clusterWithoutCapacity(stack)
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::EKS::Cluster", map[string]any{
		"UpgradePolicy": Match.Absent(), "ZonalShiftConfig": Match.Absent(), "ControlPlaneScalingConfig": Match.Absent(),
		"Force": Match.Absent(), "OutpostConfig": Match.Absent(), "RemoteNetworkConfig": Match.Absent(),
	})
}

func TestClusterOnOutpost(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	clusterWithoutCapacity(stack, eks.ClusterProps{
		EndpointAccess: eks.EndpointAccessPrivate,
		Outpost: &eks.OutpostConfig{
			OutpostArn:               "arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0",
			ControlPlaneInstanceType: ec2.InstanceTypeOf("m5.large"),
			PlacementGroupName:       "control-plane",
		},
	})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::EKS::Cluster", map[string]any{
		"OutpostConfig": map[string]any{
			"OutpostArns":              []any{"arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0"},
			"ControlPlaneInstanceType": "m5.large",
			"ControlPlanePlacement":    map[string]any{"GroupName": "control-plane"},
		},
	})
}

func TestClusterOptionsValidation(t *testing.T) {
	t.Parallel()
	outpost := &eks.OutpostConfig{OutpostArn: "arn:aws:outposts:us-west-2:123456789012:outpost/op-1", ControlPlaneInstanceType: ec2.InstanceTypeOf("m5.large")}
	cases := []struct {
		name  string
		props eks.ClusterProps
		want  []string
	}{
		{"fails with an unknown support type", eks.ClusterProps{SupportType: "extended"},
			[]string{"Stack/Cluster", `SupportType "extended" is not STANDARD or EXTENDED`}},
		{"fails with extended support for a version that left it", eks.ClusterProps{Version: eks.KubernetesVersionOf("1.28"), SupportType: eks.SupportTypeExtended},
			[]string{"Stack/Cluster", `Version "1.28" is older than any version EKS offers`, "use eks.V1_30 or later"}},
		{"fails with standard support for a version in extended support", eks.ClusterProps{Version: eks.V1_31, SupportType: eks.SupportTypeStandard},
			[]string{"Stack/Cluster", "SupportType STANDARD: Kubernetes 1.31 is in extended support", "use eks.SupportTypeExtended, or Version 1.33 or later"}},
		{"fails with an unknown scaling tier", eks.ClusterProps{ControlPlaneScalingTier: "xl"},
			[]string{"Stack/Cluster", `ControlPlaneScalingTier "xl" is not a tier`}},
		{"fails on an Outpost with a public endpoint", eks.ClusterProps{Outpost: outpost},
			[]string{"Stack/Cluster", "a cluster on an Outpost has a private API endpoint only", "eks.EndpointAccessPrivate"}},
		{"fails on an Outpost without ARN and instance type", eks.ClusterProps{EndpointAccess: eks.EndpointAccessPrivate, Outpost: &eks.OutpostConfig{}},
			[]string{"Outpost.OutpostArn is required", "Outpost.ControlPlaneInstanceType is required"}},
		{"fails on an Outpost with an ARN of something else", eks.ClusterProps{EndpointAccess: eks.EndpointAccessPrivate, Outpost: &eks.OutpostConfig{OutpostArn: "arn:aws:ec2:us-west-2:1:instance/i-1", ControlPlaneInstanceType: ec2.InstanceTypeOf("m5.large")}},
			[]string{`Outpost.OutpostArn "arn:aws:ec2:us-west-2:1:instance/i-1" is not an Outpost ARN`}},
		{"fails on an Outpost with the default managed node group", eks.ClusterProps{EndpointAccess: eks.EndpointAccessPrivate, Outpost: outpost, DefaultCapacity: cdk.Ptr(2)},
			[]string{"Stack/Cluster/NodegroupDefaultCapacity", "managed node groups do not run on a cluster on an AWS Outpost", "eks.DefaultCapacityTypeEC2"}},
		{"fails on an Outpost with standard support for a version in extended support", eks.ClusterProps{Version: eks.V1_31, SupportType: eks.SupportTypeStandard, EndpointAccess: eks.EndpointAccessPrivate, Outpost: outpost},
			[]string{"SupportType STANDARD: Kubernetes 1.31 is in extended support"}},
		{"fails with pod networks without node networks", eks.ClusterProps{RemotePodNetworks: []string{"172.17.0.0/16"}},
			[]string{"Stack/Cluster", "RemotePodNetworks need RemoteNodeNetworks"}},
		{"fails with hybrid networks overlapping the VPC", eks.ClusterProps{RemoteNodeNetworks: []string{"10.0.128.0/20"}},
			[]string{"Stack/Cluster", "RemoteNodeNetworks[0] 10.0.128.0/20 overlaps the VPC's block 10.0.0.0/16"}},
		{"fails with hybrid networks overlapping the service range", eks.ClusterProps{ServiceIpv4Cidr: "172.20.0.0/16", RemoteNodeNetworks: []string{"172.16.0.0/12"}},
			[]string{"RemoteNodeNetworks[0] 172.16.0.0/12 overlaps ServiceIpv4Cidr 172.20.0.0/16"}},
		{"fails with node and pod networks overlapping", eks.ClusterProps{RemoteNodeNetworks: []string{"192.168.0.0/16"}, RemotePodNetworks: []string{"192.168.100.0/24"}},
			[]string{"RemotePodNetworks[0] 192.168.100.0/24 overlaps RemoteNodeNetworks[0] 192.168.0.0/16"}},
		{"fails with public hybrid networks", eks.ClusterProps{RemoteNodeNetworks: []string{"8.8.8.0/24"}},
			[]string{"RemoteNodeNetworks[0] 8.8.8.0/24 is not within an RFC 1918 private range"}},
		{"fails with hybrid networks that are not CIDRs", eks.ClusterProps{RemoteNodeNetworks: []string{"10.1.0.0", "10.2.0.1/16"}},
			[]string{"RemoteNodeNetworks[0] 10.1.0.0 is not an IPv4 CIDR block", "RemoteNodeNetworks[1] 10.2.0.1/16 has host bits set: use 10.2.0.0/16"}},
		{"fails with hybrid nodes on IPv6", eks.ClusterProps{IpFamily: eks.IpFamilyIpV6, RemoteNodeNetworks: []string{"172.16.0.0/16"}},
			[]string{"hybrid nodes (RemoteNodeNetworks) need an IPv4 cluster"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			p := tc.props
			if p.DefaultCapacity == nil {
				p.DefaultCapacity = cdk.Ptr(0)
			}
			if p.Version == "" {
				p.Version = eks.V1_34
			}
			eks.NewCluster(stack, "Cluster", p)
			wantError(t, app, tc.want...)
		})
	}
}

func TestClusterOnOutpostRefusesFargate(t *testing.T) {
	t.Parallel()
	app, stack := newStack()
	c := clusterWithoutCapacity(stack, eks.ClusterProps{
		EndpointAccess: eks.EndpointAccessPrivate,
		Outpost:        &eks.OutpostConfig{OutpostArn: "arn:aws:outposts:us-west-2:123456789012:outpost/op-1", ControlPlaneInstanceType: ec2.InstanceTypeOf("m5.large")},
	})
	c.AddFargateProfile("Apps", eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "apps"}}})
	wantError(t, app, "Stack/Cluster/fargate-profile-Apps", "Fargate profiles do not run on a cluster on an AWS Outpost")
}

func TestSupportTypesWithinSupport(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		support eks.SupportType
		version eks.KubernetesVersion
	}{{eks.SupportTypeExtended, eks.OldestKubernetesVersion}, {eks.SupportTypeStandard, eks.OldestStandardSupportVersion}, {eks.SupportTypeStandard, eks.V1_37}} {
		app, stack := newStack()
		clusterWithoutCapacity(stack, eks.ClusterProps{Version: tc.version, SupportType: tc.support})
		if _, err := app.Synth(); err != nil {
			t.Errorf("%s with %s: %v", tc.support, tc.version, err)
		}
	}
}

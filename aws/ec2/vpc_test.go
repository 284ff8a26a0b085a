package ec2_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
)

var Match = assertions.Match

func TestVpcDefaults(t *testing.T) {
	t.Parallel()
	_, s := agnosticStack()
	vpc := ec2.NewVpc(s, "Vpc", ec2.VpcProps{})
	tmpl := assertions.FromStack(t, s)
	for typ, n := range map[string]int{
		"AWS::EC2::VPC": 1, "AWS::EC2::Subnet": 4, "AWS::EC2::RouteTable": 4, "AWS::EC2::SubnetRouteTableAssociation": 4,
		"AWS::EC2::Route": 4, "AWS::EC2::EIP": 2, "AWS::EC2::NatGateway": 2, "AWS::EC2::InternetGateway": 1,
		"AWS::EC2::VPCGatewayAttachment": 1,
	} {
		tmpl.ResourceCountIs(typ, n)
	}
	tmpl.HasResourceProperties("AWS::EC2::VPC", map[string]any{
		"CidrBlock": "10.0.0.0/16", "EnableDnsHostnames": true, "EnableDnsSupport": true, "InstanceTenancy": "default",
		"Tags": []any{map[string]any{"Key": "Name", "Value": "Stack/Vpc"}},
	})
	// Logical IDs, blocks, zones and tags as the AWS CDK makes them.
	subnets := []struct {
		id, cidr, name, typ string
		az                  int
		public              bool
	}{
		{"VpcPublicSubnet1Subnet5C2D37C4", "10.0.0.0/18", "Public", "Public", 0, true},
		{"VpcPublicSubnet2Subnet691E08A3", "10.0.64.0/18", "Public", "Public", 1, true},
		{"VpcPrivateSubnet1Subnet536B997A", "10.0.128.0/18", "Private", "Private", 0, false},
		{"VpcPrivateSubnet2Subnet3788AAA1", "10.0.192.0/18", "Private", "Private", 1, false},
	}
	for _, sn := range subnets {
		tmpl.HasResource("AWS::EC2::Subnet", map[string]any{"Properties": map[string]any{
			"CidrBlock": sn.cidr, "AvailabilityZone": selectAZ(sn.az), "MapPublicIpOnLaunch": sn.public, "VpcId": ref("Vpc8378EB38"),
			"Tags": Match.ArrayWith([]any{
				map[string]any{"Key": "Name", "Value": "Stack/Vpc/" + sn.name + "Subnet" + string(rune('1'+sn.az))},
				map[string]any{"Key": "aws-cdk:subnet-name", "Value": sn.name},
				map[string]any{"Key": "aws-cdk:subnet-type", "Value": sn.typ},
			}),
		}})
		if id := tmpl.ResourceID("AWS::EC2::Subnet", map[string]any{"CidrBlock": sn.cidr}); id != sn.id {
			t.Errorf("subnet %s has logical ID %s, want %s", sn.cidr, id, sn.id)
		}
	}
	tmpl.HasResource("AWS::EC2::Route", map[string]any{
		"Properties": map[string]any{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": ref("VpcIGWD7BA715C"), "RouteTableId": ref("VpcPublicSubnet1RouteTable6C95E38E")},
		"DependsOn":  []any{"VpcVPCGWBF912B6E"},
	})
	tmpl.HasResource("AWS::EC2::NatGateway", map[string]any{
		"Properties": map[string]any{
			"AllocationId": map[string]any{"Fn::GetAtt": []any{"VpcPublicSubnet1EIPD7E02669", "AllocationId"}},
			"SubnetId":     ref("VpcPublicSubnet1Subnet5C2D37C4"),
		},
		"DependsOn": []any{"VpcPublicSubnet1DefaultRoute3DA9E72A", "VpcPublicSubnet1RouteTableAssociation97140677"},
	})
	tmpl.HasResourceProperties("AWS::EC2::Route", map[string]any{
		"NatGatewayId": ref("VpcPublicSubnet2NATGateway9182C01D"), "RouteTableId": ref("VpcPrivateSubnet2RouteTableA678073B"),
	})
	tmpl.HasResourceProperties("AWS::EC2::EIP", map[string]any{"Domain": "vpc", "Tags": []any{map[string]any{"Key": "Name", "Value": "Stack/Vpc/PublicSubnet1"}}})

	if n := len(vpc.AvailabilityZones()); n != 2 {
		t.Errorf("%d zones in an environment-agnostic stack, want 2", n)
	}
	if len(vpc.PublicSubnets()) != 2 || len(vpc.PrivateSubnets()) != 2 || len(vpc.IsolatedSubnets()) != 0 {
		t.Errorf("subnets: %d public, %d private, %d isolated; want 2, 2, 0", len(vpc.PublicSubnets()), len(vpc.PrivateSubnets()), len(vpc.IsolatedSubnets()))
	}
	if vpc.InternetGatewayId() == "" || len(vpc.NatGateways) != 2 {
		t.Errorf("internet gateway %q, %d NAT gateways", vpc.InternetGatewayId(), len(vpc.NatGateways))
	}
	if !cdk.IsUnresolved(vpc.VpcId()) || !cdk.IsUnresolved(vpc.VpcCidrBlock()) || !cdk.IsUnresolved(vpc.VpcArn()) {
		t.Errorf("VpcId, VpcCidrBlock and VpcArn should be tokens")
	}
}

func TestVpcAvailabilityZones(t *testing.T) {
	t.Parallel()
	t.Run("known environment without context uses 3 zones through Fn::GetAZs", func(t *testing.T) {
		t.Parallel()
		_, s := envStack(nil)
		vpc := ec2.NewVpc(s, "Vpc", ec2.VpcProps{})
		tmpl := assertions.FromStack(t, s)
		tmpl.ResourceCountIs("AWS::EC2::Subnet", 6)
		tmpl.HasResourceProperties("AWS::EC2::Subnet", map[string]any{"AvailabilityZone": selectAZ(2), "CidrBlock": "10.0.160.0/19"})
		if len(vpc.AvailabilityZones()) != 3 {
			t.Errorf("zones %v", vpc.AvailabilityZones())
		}
	})
	t.Run("known environment with context uses the zone names", func(t *testing.T) {
		t.Parallel()
		_, s := envStack(map[string]any{"availability-zones:account=123456789012:region=us-east-1": []any{"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"}})
		ec2.NewVpc(s, "Vpc", ec2.VpcProps{MaxAzs: 2})
		tmpl := assertions.FromStack(t, s)
		tmpl.ResourceCountIs("AWS::EC2::Subnet", 4)
		tmpl.HasResourceProperties("AWS::EC2::Subnet", map[string]any{"AvailabilityZone": "us-east-1b", "CidrBlock": "10.0.64.0/18"})
	})
	t.Run("explicit zones", func(t *testing.T) {
		t.Parallel()
		_, s := agnosticStack()
		vpc := ec2.NewVpc(s, "Vpc", ec2.VpcProps{AvailabilityZones: []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}})
		assertions.FromStack(t, s).HasResourceProperties("AWS::EC2::Subnet", map[string]any{"AvailabilityZone": "eu-west-1c"})
		if got := vpc.AvailabilityZones(); len(got) != 3 || got[2] != "eu-west-1c" {
			t.Errorf("zones %v", got)
		}
	})
	t.Run("fails on explicit zones outside the stack's", func(t *testing.T) {
		t.Parallel()
		_, s := envStack(map[string]any{"availability-zones:account=123456789012:region=us-east-1": []any{"us-east-1a", "us-east-1b"}})
		mustPanic(t, func() { ec2.NewVpc(s, "Vpc", ec2.VpcProps{AvailabilityZones: []string{"us-east-1a", "eu-west-1a"}}) },
			`Vpc "Stack/Vpc"`, `"eu-west-1a", which is not one of the stack's zones (us-east-1a, us-east-1b)`)
	})
	t.Run("one zone", func(t *testing.T) {
		t.Parallel()
		_, s := agnosticStack()
		ec2.NewVpc(s, "Vpc", ec2.VpcProps{MaxAzs: 1})
		tmpl := assertions.FromStack(t, s)
		tmpl.ResourceCountIs("AWS::EC2::Subnet", 2)
		tmpl.HasResourceProperties("AWS::EC2::Subnet", map[string]any{"CidrBlock": "10.0.128.0/17"})
	})
	t.Run("fails when MaxAzs asks for more than 2 zones in an environment-agnostic stack", func(t *testing.T) {
		t.Parallel()
		app, s := agnosticStack()
		ec2.NewVpc(s, "Vpc", ec2.VpcProps{MaxAzs: 3})
		_, err := app.Synth(cdk.InMemory())
		if err == nil || !strings.Contains(err.Error(), "Stack/Vpc") || !strings.Contains(err.Error(), "MaxAzs is 3") || !strings.Contains(err.Error(), "environment-agnostic") {
			t.Errorf("Synth error = %v; want one naming Stack/Vpc and MaxAzs", err)
		}
	})
}

func TestVpcNatGateways(t *testing.T) {
	t.Parallel()
	t.Run("one NAT gateway serves every private subnet", func(t *testing.T) {
		t.Parallel()
		_, s := agnosticStack()
		ec2.NewVpc(s, "Vpc", ec2.VpcProps{NatGateways: cdk.Ptr(1)})
		tmpl := assertions.FromStack(t, s)
		tmpl.ResourceCountIs("AWS::EC2::NatGateway", 1)
		tmpl.ResourceCountIs("AWS::EC2::EIP", 1)
		tmpl.ResourcePropertiesCountIs("AWS::EC2::Route", map[string]any{"NatGatewayId": ref("VpcPublicSubnet1NATGateway4D7517AA")}, 2)
	})
	t.Run("no NAT gateway gives public and isolated subnets", func(t *testing.T) {
		t.Parallel()
		_, s := agnosticStack()
		vpc := ec2.NewVpc(s, "Vpc", ec2.VpcProps{NatGateways: cdk.Ptr(0)})
		tmpl := assertions.FromStack(t, s)
		tmpl.ResourceCountIs("AWS::EC2::NatGateway", 0)
		tmpl.ResourceCountIs("AWS::EC2::Route", 2)
		tmpl.HasResourceProperties("AWS::EC2::Subnet", map[string]any{"Tags": Match.ArrayWith([]any{
			map[string]any{"Key": "aws-cdk:subnet-type", "Value": "Isolated"}})})
		if len(vpc.IsolatedSubnets()) != 2 || len(vpc.PrivateSubnets()) != 0 {
			t.Errorf("isolated %d, private %d", len(vpc.IsolatedSubnets()), len(vpc.PrivateSubnets()))
		}
	})
	t.Run("private subnets without NAT gateways get no default route", func(t *testing.T) {
		t.Parallel()
		_, s := agnosticStack()
		ec2.NewVpc(s, "Vpc", ec2.VpcProps{NatGateways: cdk.Ptr(0), SubnetConfiguration: []ec2.SubnetConfiguration{
			{Name: "Public", SubnetType: ec2.SubnetTypePublic}, {Name: "Private", SubnetType: ec2.SubnetTypePrivateWithEgress}}})
		tmpl := assertions.FromStack(t, s)
		tmpl.ResourceCountIs("AWS::EC2::Route", 2)
		tmpl.ResourceCountIs("AWS::EC2::NatGateway", 0)
	})
	t.Run("only isolated subnets need no internet gateway", func(t *testing.T) {
		t.Parallel()
		_, s := agnosticStack()
		vpc := ec2.NewVpc(s, "Vpc", ec2.VpcProps{SubnetConfiguration: []ec2.SubnetConfiguration{{Name: "Db", SubnetType: ec2.SubnetTypePrivateIsolated}}})
		tmpl := assertions.FromStack(t, s)
		tmpl.ResourceCountIs("AWS::EC2::InternetGateway", 0)
		tmpl.ResourceCountIs("AWS::EC2::Subnet", 2)
		if vpc.InternetGatewayId() != "" {
			t.Errorf("InternetGatewayId = %q", vpc.InternetGatewayId())
		}
	})
}

func TestVpcOptions(t *testing.T) {
	t.Parallel()
	_, s := agnosticStack()
	ec2.NewVpc(s, "Vpc", ec2.VpcProps{
		Cidr: "192.168.0.0/20", VpcName: "main", EnableDnsHostnames: cdk.Ptr(false), DefaultInstanceTenancy: "dedicated",
		SubnetConfiguration: []ec2.SubnetConfiguration{
			{Name: "Web", SubnetType: ec2.SubnetTypePublic, CidrMask: 26, MapPublicIpOnLaunch: cdk.Ptr(false)},
			{Name: "Spare", SubnetType: ec2.SubnetTypePrivateWithEgress, CidrMask: 24, Reserved: true},
			{Name: "App", SubnetType: ec2.SubnetTypePrivateWithEgress},
		},
	})
	cdk.TagsOf(s).Add("team", "platform")
	tmpl := assertions.FromStack(t, s)
	tmpl.HasResourceProperties("AWS::EC2::VPC", map[string]any{
		"CidrBlock": "192.168.0.0/20", "EnableDnsHostnames": false, "InstanceTenancy": "dedicated",
		"Tags": Match.ArrayWith([]any{map[string]any{"Key": "Name", "Value": "main"}}),
	})
	tmpl.ResourceCountIs("AWS::EC2::Subnet", 4)
	tmpl.HasResourceProperties("AWS::EC2::Subnet", map[string]any{"CidrBlock": "192.168.0.64/26", "MapPublicIpOnLaunch": false})
	// The reserved group keeps 192.168.1.0/24 and 192.168.2.0/24 free.
	tmpl.HasResourceProperties("AWS::EC2::Subnet", map[string]any{"CidrBlock": "192.168.4.0/22"})
	tmpl.HasResourceProperties("AWS::EC2::Subnet", map[string]any{"CidrBlock": "192.168.8.0/22"})
	tmpl.AllResourcesProperties("AWS::EC2::Subnet", map[string]any{"Tags": Match.ArrayWith([]any{map[string]any{"Key": "team", "Value": "platform"}})})
}

func TestVpcErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		props ec2.VpcProps
		want  []string
	}{
		{"fails on a malformed CIDR", ec2.VpcProps{Cidr: "10.0.0/16"}, []string{`"10.0.0/16" is not an IPv4 CIDR block`}},
		{"fails on a CIDR without prefix", ec2.VpcProps{Cidr: "10.0.0.0"}, []string{"no prefix length"}},
		{"fails on host bits", ec2.VpcProps{Cidr: "10.0.1.0/16"}, []string{`did you mean "10.0.0.0/16"`}},
		{"fails on a VPC block larger than /16", ec2.VpcProps{Cidr: "10.0.0.0/8"}, []string{"from /16 to /28"}},
		{"fails when the subnets do not fit", ec2.VpcProps{Cidr: "10.0.0.0/24", SubnetConfiguration: []ec2.SubnetConfiguration{
			{Name: "A", SubnetType: ec2.SubnetTypePublic, CidrMask: 25}, {Name: "B", SubnetType: ec2.SubnetTypePrivateIsolated, CidrMask: 25}}},
			[]string{"do not fit in 10.0.0.0/24", "group \"B\""}},
		{"fails when the remaining space is too small", ec2.VpcProps{Cidr: "10.0.0.0/26", SubnetConfiguration: []ec2.SubnetConfiguration{
			{Name: "A", SubnetType: ec2.SubnetTypePublic, CidrMask: 27}, {Name: "B", SubnetType: ec2.SubnetTypePrivateIsolated}}},
			[]string{"do not fit", "no space is left"}},
		{"fails on a subnet mask outside 16-28", ec2.VpcProps{SubnetConfiguration: []ec2.SubnetConfiguration{{Name: "A", SubnetType: ec2.SubnetTypePublic, CidrMask: 30}}}, []string{"CidrMask 30"}},
		{"fails on duplicate group names", ec2.VpcProps{SubnetConfiguration: []ec2.SubnetConfiguration{
			{Name: "A", SubnetType: ec2.SubnetTypePublic}, {Name: "A", SubnetType: ec2.SubnetTypePrivateIsolated}}}, []string{`two groups named "A"`}},
		{"fails on an unknown subnet type", ec2.VpcProps{SubnetConfiguration: []ec2.SubnetConfiguration{{Name: "A", SubnetType: "PRIVATE"}}}, []string{`SubnetType "PRIVATE"`}},
		{"fails on a group without name", ec2.VpcProps{SubnetConfiguration: []ec2.SubnetConfiguration{{SubnetType: ec2.SubnetTypePublic}}}, []string{"has no Name"}},
		{"fails on DNS hostnames without DNS support", ec2.VpcProps{EnableDnsSupport: cdk.Ptr(false)}, []string{"EnableDnsHostnames needs EnableDnsSupport"}},
		{"fails on both AvailabilityZones and MaxAzs", ec2.VpcProps{MaxAzs: 2, AvailabilityZones: []string{"a"}}, []string{"not both"}},
		{"fails on NAT gateways without public subnets", ec2.VpcProps{SubnetConfiguration: []ec2.SubnetConfiguration{{Name: "P", SubnetType: ec2.SubnetTypePrivateWithEgress}}}, []string{"public subnets", "cdk.Ptr(0)"}},
		{"fails on MapPublicIpOnLaunch for private subnets", ec2.VpcProps{SubnetConfiguration: []ec2.SubnetConfiguration{
			{Name: "Public", SubnetType: ec2.SubnetTypePublic}, {Name: "P", SubnetType: ec2.SubnetTypePrivateWithEgress, MapPublicIpOnLaunch: cdk.Ptr(true)}}}, []string{"only for public subnets"}},
		{"fails on a negative NAT gateway count", ec2.VpcProps{NatGateways: cdk.Ptr(-1)}, []string{"NatGateways is -1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, s := agnosticStack()
			mustPanic(t, func() { ec2.NewVpc(s, "Vpc", tc.props) }, append(tc.want, `Vpc "Stack/Vpc"`)...)
		})
	}
}

func TestSelectSubnets(t *testing.T) {
	t.Parallel()
	_, s := envStack(map[string]any{"availability-zones:account=123456789012:region=us-east-1": []any{"us-east-1a", "us-east-1b"}})
	vpc := ec2.NewVpc(s, "Vpc", ec2.VpcProps{SubnetConfiguration: []ec2.SubnetConfiguration{
		{Name: "Ingress", SubnetType: ec2.SubnetTypePublic},
		{Name: "App", SubnetType: ec2.SubnetTypePrivateWithEgress},
		{Name: "Jobs", SubnetType: ec2.SubnetTypePrivateWithEgress},
	}})
	ids := func(sel ec2.SelectedSubnets) []string {
		var out []string
		for _, sn := range sel.Subnets {
			out = append(out, sn.Node().ID())
		}
		return out
	}
	tests := []struct {
		name       string
		sel        ec2.SubnetSelection
		want       []string
		wantPublic bool
	}{
		{"defaults to private subnets", ec2.SubnetSelection{}, []string{"AppSubnet1", "AppSubnet2", "JobsSubnet1", "JobsSubnet2"}, false},
		{"by type", ec2.SubnetSelection{SubnetType: ec2.SubnetTypePublic}, []string{"IngressSubnet1", "IngressSubnet2"}, true},
		{"by group name", ec2.SubnetSelection{SubnetGroupName: "Jobs"}, []string{"JobsSubnet1", "JobsSubnet2"}, false},
		{"by zone", ec2.SubnetSelection{AvailabilityZones: []string{"us-east-1b"}}, []string{"AppSubnet2", "JobsSubnet2"}, false},
		{"one per zone", ec2.SubnetSelection{OnePerAz: true}, []string{"AppSubnet1", "AppSubnet2"}, false},
		{"explicit subnets", ec2.SubnetSelection{Subnets: vpc.PublicSubnets()[:1]}, []string{"IngressSubnet1"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sel := vpc.SelectSubnets(tc.sel)
			if got := ids(sel); strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("selected %v, want %v", got, tc.want)
			}
			if sel.HasPublic != tc.wantPublic || len(sel.SubnetIds) != len(tc.want) || len(sel.AvailabilityZones) != len(tc.want) {
				t.Errorf("HasPublic %v, %d ids, %d zones", sel.HasPublic, len(sel.SubnetIds), len(sel.AvailabilityZones))
			}
		})
	}
	t.Run("fails on a type with no subnets, naming the types there are", func(t *testing.T) {
		_, err := ec2.TrySelectSubnets(vpc, ec2.SubnetSelection{SubnetType: ec2.SubnetTypePrivateIsolated})
		if err == nil || !strings.Contains(err.Error(), `no "Isolated" subnets`) || !strings.Contains(err.Error(), "Private, Public") || !strings.Contains(err.Error(), "Stack/Vpc") {
			t.Errorf("err = %v", err)
		}
		mustPanic(t, func() { vpc.SelectSubnets(ec2.SubnetSelection{SubnetType: ec2.SubnetTypePrivateIsolated}) }, `VPC "Stack/Vpc"`, "Private, Public")
	})
	t.Run("fails on an unknown group, naming the groups", func(t *testing.T) {
		_, err := ec2.TrySelectSubnets(vpc, ec2.SubnetSelection{SubnetGroupName: "Db"})
		if err == nil || !strings.Contains(err.Error(), "Ingress, App, Jobs") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("fails on two selectors", func(t *testing.T) {
		_, err := ec2.TrySelectSubnets(vpc, ec2.SubnetSelection{SubnetType: ec2.SubnetTypePublic, SubnetGroupName: "App"})
		if err == nil || !strings.Contains(err.Error(), "set only one") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestVpcFromVpcAttributes(t *testing.T) {
	t.Parallel()
	_, s := agnosticStack()
	vpc := ec2.VpcFromVpcAttributes(s, "Imported", ec2.VpcAttributes{
		VpcId: "vpc-1", VpcCidrBlock: "10.1.0.0/16", AvailabilityZones: []string{"a", "b"},
		PublicSubnetIds:            []string{"pub-a", "pub-b"},
		PrivateSubnetIds:           []string{"app-a", "app-b", "db-a", "db-b"},
		PrivateSubnetNames:         []string{"App", "Data"},
		PrivateSubnetRouteTableIds: []string{"rt-1", "rt-2", "rt-3", "rt-4"},
	})
	if vpc.VpcId() != "vpc-1" || vpc.VpcCidrBlock() != "10.1.0.0/16" || len(vpc.AvailabilityZones()) != 2 {
		t.Errorf("attributes %q %q %v", vpc.VpcId(), vpc.VpcCidrBlock(), vpc.AvailabilityZones())
	}
	sel := vpc.SelectSubnets(ec2.SubnetSelection{SubnetGroupName: "Data"})
	if strings.Join(sel.SubnetIds, ",") != "db-a,db-b" || strings.Join(sel.AvailabilityZones, ",") != "a,b" {
		t.Errorf("Data group: %v in %v", sel.SubnetIds, sel.AvailabilityZones)
	}
	if got := sel.Subnets[0].Node().ID(); got != "DataSubnet3" {
		t.Errorf("imported subnet id %q, want the AWS CDK's DataSubnet3", got)
	}
	if rt := vpc.PrivateSubnets()[3].RouteTableId(); rt != "rt-4" {
		t.Errorf("route table %q", rt)
	}
	if pub := vpc.SelectSubnets(ec2.SubnetSelection{SubnetType: ec2.SubnetTypePublic}); !pub.HasPublic {
		t.Errorf("public selection has HasPublic false")
	}
	for _, tc := range []struct {
		name  string
		attrs ec2.VpcAttributes
		want  string
	}{
		{"fails when subnets are not a multiple of the zones", ec2.VpcAttributes{VpcId: "v", AvailabilityZones: []string{"a", "b"}, PublicSubnetIds: []string{"s"}}, "not a multiple of the 2 AvailabilityZones"},
		{"fails on route tables of the wrong count", ec2.VpcAttributes{VpcId: "v", AvailabilityZones: []string{"a"}, PublicSubnetIds: []string{"s"}, PublicSubnetRouteTableIds: []string{"r", "q"}}, "2 PublicSubnetRouteTableIds for 1"},
		{"fails on subnets without zones", ec2.VpcAttributes{VpcId: "v", PrivateSubnetIds: []string{"s"}}, "AvailabilityZones is empty"},
		{"fails without a VpcId", ec2.VpcAttributes{}, "needs a VpcId"},
		{"fails on overlapping subnet blocks", ec2.VpcAttributes{VpcId: "v", AvailabilityZones: []string{"a"}, PublicSubnetIds: []string{"s-1"}, PublicSubnetIpv4CidrBlocks: []string{"10.0.0.0/24"},
			PrivateSubnetIds: []string{"s-2"}, PrivateSubnetIpv4CidrBlocks: []string{"10.0.0.128/25"}}, "PublicSubnet1 (10.0.0.0/24) and PrivateSubnet1 (10.0.0.128/25) overlap"},
		{"fails on a subnet block outside the VPC", ec2.VpcAttributes{VpcId: "v", VpcCidrBlock: "10.0.0.0/16", AvailabilityZones: []string{"a"}, PublicSubnetIds: []string{"s-1"}, PublicSubnetIpv4CidrBlocks: []string{"10.1.0.0/24"}}, "outside the VPC's 10.0.0.0/16"},
		{"fails on a malformed subnet block", ec2.VpcAttributes{VpcId: "v", AvailabilityZones: []string{"a"}, PublicSubnetIds: []string{"s-1"}, PublicSubnetIpv4CidrBlocks: []string{"10.0.0.0/33"}}, "prefix length"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mustPanic(t, func() { ec2.VpcFromVpcAttributes(s, "Bad"+strings.ReplaceAll(tc.name, " ", ""), tc.attrs) }, tc.want)
		})
	}
}

func TestVpcNatGatewaySubnets(t *testing.T) {
	t.Parallel()
	cfg := []ec2.SubnetConfiguration{
		{Name: "Edge", SubnetType: ec2.SubnetTypePublic, CidrMask: 24},
		{Name: "Nat", SubnetType: ec2.SubnetTypePublic, CidrMask: 24},
		{Name: "App", SubnetType: ec2.SubnetTypePrivateWithEgress},
	}
	_, s := agnosticStack()
	ec2.NewVpc(s, "Vpc", ec2.VpcProps{SubnetConfiguration: cfg, NatGatewaySubnets: ec2.SubnetSelection{SubnetGroupName: "Nat"}})
	tmpl := assertions.FromStack(t, s)
	tmpl.ResourceCountIs("AWS::EC2::NatGateway", 2)
	tmpl.HasResourceProperties("AWS::EC2::NatGateway", map[string]any{"SubnetId": ref("VpcNatSubnet1SubnetE1BAC97E")})

	_, s2 := agnosticStack()
	mustPanic(t, func() {
		ec2.NewVpc(s2, "Vpc", ec2.VpcProps{SubnetConfiguration: cfg, NatGatewaySubnets: ec2.SubnetSelection{SubnetGroupName: "App"}})
	}, `Vpc "Stack/Vpc"`, "is not a public subnet")
}

func TestSubnet(t *testing.T) {
	t.Parallel()
	_, s := agnosticStack()
	sn := ec2.NewSubnet(s, "Extra", ec2.SubnetProps{VpcId: "vpc-1", AvailabilityZone: "us-east-1a", CidrBlock: "10.0.0.0/24"})
	sn.AddRoute("Peering", ec2.AddRouteOptions{DestinationCidrBlock: "10.1.0.0/16", RouterType: ec2.RouterTypeVpcPeeringConnection, RouterId: "pcx-1"})
	if sn.AvailabilityZone() != "us-east-1a" || sn.Ipv4CidrBlock() != "10.0.0.0/24" || len(sn.InternetConnectivityEstablished()) != 1 {
		t.Errorf("subnet accessors")
	}
	mustPanic(t, func() { sn.AddRoute("Bad", ec2.AddRouteOptions{RouterType: "Carrier", RouterId: "x"}) }, `"Stack/Extra"`, "RouterType")
	mustPanic(t, func() { ec2.NewSubnet(s, "Incomplete", ec2.SubnetProps{VpcId: "vpc-1"}) }, `Subnet "Stack/Incomplete" needs`)
	imp := ec2.SubnetFromSubnetId(s, "Imported", "subnet-1")
	if imp.SubnetId() != "subnet-1" || imp.AvailabilityZone() != "" || imp.RouteTableId() != "" {
		t.Errorf("imported subnet")
	}
	tmpl := assertions.FromStack(t, s)
	tmpl.HasResourceProperties("AWS::EC2::Route", map[string]any{"DestinationCidrBlock": "10.1.0.0/16", "VpcPeeringConnectionId": "pcx-1"})
	tmpl.HasResourceProperties("AWS::EC2::Subnet", map[string]any{"MapPublicIpOnLaunch": false, "Tags": []any{map[string]any{"Key": "Name", "Value": "Stack/Extra"}}})
}

package ec2

import (
	"fmt"
	"slices"
	"strings"

	"github.com/eksforge/eksforge/cdk"
	cfnec2 "github.com/eksforge/eksforge/cfn/ec2"
)

// SubnetType is the kind of a subnet group.
type SubnetType string

// The kinds of subnets. The values are the AWS CDK's, which a VPC also
// writes into the "aws-cdk:subnet-type" tag of its subnets.
const (
	// SubnetTypePublic subnets route to an internet gateway; instances
	// get public IPv4 addresses.
	SubnetTypePublic SubnetType = "Public"
	// SubnetTypePrivateWithEgress subnets reach the internet through a
	// NAT gateway in a public subnet of the same Availability Zone.
	SubnetTypePrivateWithEgress SubnetType = "Private"
	// SubnetTypePrivateIsolated subnets have no route out of the VPC.
	SubnetTypePrivateIsolated SubnetType = "Isolated"
)

func (t SubnetType) valid() bool {
	return t == SubnetTypePublic || t == SubnetTypePrivateWithEgress || t == SubnetTypePrivateIsolated
}

// SubnetConfiguration is one group of subnets: one subnet of the group in
// each Availability Zone of the VPC.
type SubnetConfiguration struct {
	// Name is the group's name; subnets are named <Name>Subnet1,
	// <Name>Subnet2, … Required, unique in the VPC.
	Name string
	// SubnetType is the kind of the subnets. Required.
	SubnetType SubnetType
	// CidrMask is the prefix length of each subnet of the group, from 16
	// to 28.
	// Default: the space the groups with a CidrMask leave is split evenly
	// among the groups without one.
	CidrMask int
	// MapPublicIpOnLaunch gives instances in public subnets a public IPv4
	// address; only for SubnetTypePublic.
	// Default: true for public subnets.
	MapPublicIpOnLaunch *bool
	// Reserved keeps the group's address space but creates no subnets, so
	// that it can be added later without renumbering the others.
	// Default: false.
	Reserved bool
}

// DefaultCidr is the IPv4 block of a VPC made without VpcProps.Cidr.
const DefaultCidr = "10.0.0.0/16"

// DefaultMaxAzs is how many Availability Zones a VPC uses without
// VpcProps.MaxAzs.
const DefaultMaxAzs = 3

// VpcProps configure a [Vpc]. The zero value gives the AWS CDK's default
// VPC: 10.0.0.0/16 with a public and a private subnet in each of up to 3
// Availability Zones (2 in an environment-agnostic stack) and a NAT gateway
// per zone.
type VpcProps struct {
	// Cidr is the VPC's IPv4 block, from /16 to /28, split among the
	// subnets.
	// Default: "10.0.0.0/16".
	Cidr string
	// MaxAzs is the most Availability Zones to use. In an
	// environment-agnostic stack at most 2 can be used, and a MaxAzs above
	// 2 is an error.
	// Default: 3 (2 in an environment-agnostic stack).
	MaxAzs int
	// AvailabilityZones lists the zones to use by name; exclusive with
	// MaxAzs.
	// Default: the stack's first MaxAzs zones.
	AvailabilityZones []string
	// NatGateways is how many NAT gateways to create, at most one per
	// zone; private subnets route to the one in their zone, or to another
	// when their zone has none. cdk.Ptr(0) creates none: then the default
	// subnets are public and isolated, and PRIVATE_WITH_EGRESS subnets you
	// configure get no default route.
	// Default: one per Availability Zone when there are private subnets.
	NatGateways *int
	// NatGatewaySubnets selects the subnets that hold the NAT gateways;
	// they must be public.
	// Default: the public subnets.
	NatGatewaySubnets SubnetSelection
	// SubnetConfiguration lists the subnet groups.
	// Default: a "Public" group of SubnetTypePublic and a "Private" group
	// of SubnetTypePrivateWithEgress ("Isolated" of SubnetTypePrivateIsolated
	// when NatGateways is 0).
	SubnetConfiguration []SubnetConfiguration
	// EnableDnsHostnames gives instances DNS hostnames.
	// Default: true.
	EnableDnsHostnames *bool
	// EnableDnsSupport turns on the Amazon DNS server in the VPC.
	// Default: true.
	EnableDnsSupport *bool
	// DefaultInstanceTenancy is "default", "dedicated" or "host".
	// Default: "default".
	DefaultInstanceTenancy string
	// VpcName is the VPC's Name tag.
	// Default: the construct path.
	VpcName string
	// CreateInternetGateway creates an internet gateway when there are
	// public or private subnets.
	// Default: true.
	CreateInternetGateway *bool
}

// IVpc is a VPC: one defined here ([Vpc]) or an imported one
// ([VpcFromVpcAttributes]).
type IVpc interface {
	cdk.Construct
	// VpcId is the VPC's ID.
	VpcId() string
	// VpcCidrBlock is the VPC's primary IPv4 block; empty when an imported
	// VPC was given none.
	VpcCidrBlock() string
	// AvailabilityZones are the zones the VPC's subnets are in.
	AvailabilityZones() []string
	// PublicSubnets are the public subnets.
	PublicSubnets() []ISubnet
	// PrivateSubnets are the private subnets with egress.
	PrivateSubnets() []ISubnet
	// IsolatedSubnets are the isolated subnets.
	IsolatedSubnets() []ISubnet
	// SelectSubnets returns the subnets sel selects. It panics, naming the
	// VPC and the subnet groups it has, when the selection matches no
	// group; use [TrySelectSubnets] to get an error instead.
	SelectSubnets(sel SubnetSelection) SelectedSubnets
	// InternetConnectivityEstablished lists the constructs to depend on
	// for internet access from the VPC (the internet gateway).
	InternetConnectivityEstablished() []cdk.Construct
}

// Vpc is a VPC with subnets, route tables, an internet gateway and NAT
// gateways, built like the AWS CDK's ec2.Vpc: the same resources with the
// same logical IDs, CIDR blocks and tags.
type Vpc struct {
	cdk.Base
	// Resource is the AWS::EC2::VPC.
	Resource *cfnec2.CfnVPC
	// InternetGateway is the AWS::EC2::InternetGateway; nil when none.
	InternetGateway *cfnec2.CfnInternetGateway
	// NatGateways are the NAT gateways, in the order of their subnets.
	NatGateways []*cfnec2.CfnNatGateway

	azs                   []string
	public, private, isol []ISubnet
	groupNames            map[ISubnet]string
	config                []SubnetConfiguration
	connected             []cdk.Construct
}

// NewVpc adds a VPC to scope. Mistakes in props (a malformed CIDR, subnets
// that do not fit, an unknown subnet type) panic with the VPC's path and the
// fix, as the AWS CDK throws.
func NewVpc(scope cdk.Construct, id string, props VpcProps) *Vpc {
	v := &Vpc{groupNames: map[ISubnet]string{}}
	cdk.InitConstruct(v, scope, id)
	path := v.Node().Path()
	fail := func(format string, args ...any) {
		panic(fmt.Sprintf("ec2: Vpc %q: ", path) + fmt.Sprintf(format, args...))
	}
	stack := cdk.StackOf(v)

	dnsSupport := props.EnableDnsSupport == nil || *props.EnableDnsSupport
	dnsHostnames := props.EnableDnsHostnames == nil || *props.EnableDnsHostnames
	if dnsHostnames && !dnsSupport {
		fail("EnableDnsHostnames needs EnableDnsSupport, which is false; set both to false or EnableDnsSupport to true")
	}
	if len(props.AvailabilityZones) > 0 && props.MaxAzs != 0 {
		fail("set AvailabilityZones or MaxAzs, not both")
	}
	if props.MaxAzs < 0 {
		fail("MaxAzs is %d; it must be positive (or 0 for the default, %d)", props.MaxAzs, DefaultMaxAzs)
	}
	cidr := props.Cidr
	if cidr == "" {
		cidr = DefaultCidr
	}
	if cdk.IsUnresolved(cidr) {
		fail("Cidr must be a literal CIDR block, not a token: it is split into subnet blocks at synthesis")
	}
	network, err := parseCIDR(cidr)
	if err != nil {
		fail("Cidr: %v", err)
	}
	if network.mask < 16 || network.mask > 28 {
		fail("Cidr %q: a VPC's block must be from /16 to /28", cidr)
	}
	tenancy := props.DefaultInstanceTenancy
	if tenancy == "" {
		tenancy = "default"
	}

	v.Resource = cfnec2.NewCfnVPC(v, "Resource", cfnec2.CfnVPCProps{
		CidrBlock:          network.String(),
		EnableDnsHostnames: cdk.Ptr(dnsHostnames),
		EnableDnsSupport:   cdk.Ptr(dnsSupport),
		InstanceTenancy:    tenancy,
	})
	name := props.VpcName
	if name == "" {
		name = path
	}
	cdk.TagsOf(v).Add("Name", name)

	// Availability Zones.
	if len(props.AvailabilityZones) > 0 {
		v.azs = append([]string(nil), props.AvailabilityZones...)
		if known, agnostic := stackAvailabilityZones(stack, v); !agnostic && !cdk.IsUnresolved(known) {
			for _, az := range v.azs {
				if !cdk.IsUnresolved(az) && !slices.Contains(known, az) {
					fail("AvailabilityZones has %q, which is not one of the stack's zones (%s)", az, strings.Join(known, ", "))
				}
			}
		}
	} else {
		max := props.MaxAzs
		if max == 0 {
			max = DefaultMaxAzs
		}
		azs, agnostic := stackAvailabilityZones(stack, v)
		if agnostic && props.MaxAzs > len(azs) {
			v.Node().AddError("MaxAzs is %d, but the stack is environment-agnostic, where a VPC can only use %d Availability Zones (Fn::GetAZs has no length at synthesis); set the stack's Env (account and region), list AvailabilityZones, or set MaxAzs to %d or less",
				props.MaxAzs, len(azs), len(azs))
		}
		v.azs = azs[:min(max, len(azs))]
	}

	// Subnet groups.
	natGateways := props.NatGateways
	if natGateways != nil && *natGateways < 0 {
		fail("NatGateways is %d; it must be 0 or more", *natGateways)
	}
	v.config = props.SubnetConfiguration
	if v.config == nil {
		if natGateways != nil && *natGateways == 0 {
			v.config = []SubnetConfiguration{{Name: "Public", SubnetType: SubnetTypePublic}, {Name: "Isolated", SubnetType: SubnetTypePrivateIsolated}}
		} else {
			v.config = []SubnetConfiguration{{Name: "Public", SubnetType: SubnetTypePublic}, {Name: "Private", SubnetType: SubnetTypePrivateWithEgress}}
		}
	}
	seen := map[string]bool{}
	for i, c := range v.config {
		switch {
		case c.Name == "":
			fail("SubnetConfiguration[%d] has no Name", i)
		case !c.SubnetType.valid():
			fail("SubnetConfiguration[%d] (%q) has SubnetType %q; use SubnetTypePublic, SubnetTypePrivateWithEgress or SubnetTypePrivateIsolated", i, c.Name, c.SubnetType)
		case seen[c.Name]:
			fail("SubnetConfiguration has two groups named %q; group names must be unique", c.Name)
		case c.CidrMask != 0 && (c.CidrMask < 16 || c.CidrMask > 28):
			fail("SubnetConfiguration[%d] (%q) has CidrMask %d; it must be from 16 to 28", i, c.Name, c.CidrMask)
		case c.MapPublicIpOnLaunch != nil && c.SubnetType != SubnetTypePublic:
			fail("SubnetConfiguration[%d] (%q): MapPublicIpOnLaunch is only for public subnets", i, c.Name)
		}
		seen[c.Name] = true
	}
	natCount := v.natGatewayCount(natGateways, fail)

	// Subnet blocks: groups with a CidrMask first, in order, then the rest
	// of the space split evenly, as the AWS CDK allocates them.
	type request struct {
		config SubnetConfiguration
		az     string
		index  int
	}
	var reqs []request
	for _, c := range v.config {
		for i, az := range v.azs {
			reqs = append(reqs, request{c, az, i})
		}
	}
	blocks := make([]cidrBlock, len(reqs))
	nb := newNetworkBuilder(network)
	var unsized []int
	for i, r := range reqs {
		if r.config.CidrMask == 0 {
			unsized = append(unsized, i)
			continue
		}
		b, err := nb.add(r.config.CidrMask)
		if err != nil {
			fail("the subnets do not fit in %s: group %q: %v; use a larger Cidr, fewer Availability Zones or longer CidrMasks", network, r.config.Name, err)
		}
		blocks[i] = b
	}
	if len(unsized) > 0 {
		mask, err := nb.maskForRemaining(len(unsized))
		if err == nil && mask > 28 {
			err = fmt.Errorf("each of the %d subnets without a CidrMask would be smaller than /28", len(unsized))
		}
		if err != nil {
			fail("the subnets do not fit in %s: %v; use a larger Cidr, fewer Availability Zones or shorter CidrMasks", network, err)
		}
		for _, i := range unsized {
			b, err := nb.add(mask)
			if err != nil {
				fail("the subnets do not fit in %s: group %q: %v", network, reqs[i].config.Name, err)
			}
			blocks[i] = b
		}
	}

	for i, r := range reqs {
		if r.config.Reserved {
			continue
		}
		mapPublic := false
		if r.config.SubnetType == SubnetTypePublic {
			mapPublic = r.config.MapPublicIpOnLaunch == nil || *r.config.MapPublicIpOnLaunch
		}
		s := NewSubnet(v, fmt.Sprintf("%sSubnet%d", r.config.Name, r.index+1), SubnetProps{
			VpcId:               v.Resource.Ref(),
			AvailabilityZone:    r.az,
			CidrBlock:           blocks[i].String(),
			MapPublicIpOnLaunch: mapPublic,
		})
		switch r.config.SubnetType {
		case SubnetTypePublic:
			v.public = append(v.public, s)
		case SubnetTypePrivateWithEgress:
			v.private = append(v.private, s)
		default:
			v.isol = append(v.isol, s)
		}
		v.groupNames[s] = r.config.Name
		only := cdk.TagProps{IncludeResourceTypes: []string{"AWS::EC2::Subnet"}}
		cdk.TagsOf(s).Add("aws-cdk:subnet-name", r.config.Name, only)
		cdk.TagsOf(s).Add("aws-cdk:subnet-type", string(r.config.SubnetType), only)
	}

	// Internet gateway, public routes and NAT gateways.
	needsIGW := slices.ContainsFunc(v.config, func(c SubnetConfiguration) bool {
		return c.SubnetType != SubnetTypePrivateIsolated && !c.Reserved
	})
	if needsIGW && (props.CreateInternetGateway == nil || *props.CreateInternetGateway) {
		v.InternetGateway = cfnec2.NewCfnInternetGateway(v, "IGW", cfnec2.CfnInternetGatewayProps{})
		v.connected = append(v.connected, v.InternetGateway)
		att := cfnec2.NewCfnVPCGatewayAttachment(v, "VPCGW", cfnec2.CfnVPCGatewayAttachmentProps{
			InternetGatewayId: v.InternetGateway.Ref(),
			VpcId:             v.Resource.Ref(),
		})
		for _, s := range v.public {
			s.(*Subnet).AddDefaultInternetRoute(v.InternetGateway.Ref(), att)
		}
		if natCount > 0 {
			placement := props.NatGatewaySubnets
			if placement.IsZero() {
				placement = SubnetSelection{SubnetType: SubnetTypePublic}
			}
			sel, err := v.selectSubnetObjects(placement)
			if err != nil {
				fail("NatGatewaySubnets: %v", err)
			}
			for _, s := range sel {
				if !slices.Contains(v.public, s) {
					fail("NatGatewaySubnets selects %q, which is not a public subnet; NAT gateways need public subnets", s.Node().Path())
				}
			}
			v.configureNat(sel[:min(natCount, len(sel))])
		}
	}
	return v
}

// natGatewayCount decides how many NAT gateways to make, as the AWS CDK's
// determineNatGatewayCount does.
func (v *Vpc) natGatewayCount(requested *int, fail func(string, ...any)) int {
	hasPrivate := slices.ContainsFunc(v.config, func(c SubnetConfiguration) bool {
		return c.SubnetType == SubnetTypePrivateWithEgress && !c.Reserved
	})
	hasPublic := slices.ContainsFunc(v.config, func(c SubnetConfiguration) bool {
		return c.SubnetType == SubnetTypePublic && !c.Reserved
	})
	count := 0
	switch {
	case requested != nil:
		count = min(*requested, len(v.azs))
	case hasPrivate:
		count = len(v.azs)
	}
	if count > 0 && !hasPublic {
		fail("NAT gateways go in public subnets, and SubnetConfiguration has none; add a SubnetTypePublic group or set NatGateways to cdk.Ptr(0)")
	}
	return count
}

func (v *Vpc) configureNat(natSubnets []ISubnet) {
	byAZ := map[string]string{}
	var ids []string
	for _, s := range natSubnets {
		ngw := s.(*Subnet).AddNatGateway("")
		v.NatGateways = append(v.NatGateways, ngw)
		byAZ[s.AvailabilityZone()] = ngw.Ref()
		ids = append(ids, ngw.Ref())
	}
	next := 0
	for _, s := range v.private {
		id, ok := byAZ[s.AvailabilityZone()]
		if !ok {
			id = ids[next%len(ids)]
			next++
		}
		s.(*Subnet).AddDefaultNatRoute(id)
	}
}

// stackAvailabilityZones returns the zones a VPC in stack may use, and
// whether the stack is environment-agnostic. See the package doc.
func stackAvailabilityZones(stack *cdk.Stack, c cdk.Construct) ([]string, bool) {
	selectAZ := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = cdk.Fn.Select(i, cdk.Fn.GetAZs(""))
		}
		return out
	}
	if stack.EnvironmentAgnostic() {
		return selectAZ(2), true
	}
	key := fmt.Sprintf("availability-zones:account=%s:region=%s", stack.Account(), stack.Region())
	switch azs := c.Node().TryGetContext(key).(type) {
	case []string:
		if len(azs) > 0 {
			return azs, false
		}
	case []any:
		var out []string
		for _, a := range azs {
			if s, ok := a.(string); ok {
				out = append(out, s)
			}
		}
		if len(out) > 0 {
			return out, false
		}
	}
	return selectAZ(3), false
}

// VpcId is the VPC's ID ({"Ref": vpc}).
func (v *Vpc) VpcId() string { return v.Resource.Ref() }

// VpcCidrBlock is the VPC's IPv4 block (Fn::GetAtt CidrBlock).
func (v *Vpc) VpcCidrBlock() string { return v.Resource.GetAttString("CidrBlock") }

// VpcArn is the VPC's ARN.
func (v *Vpc) VpcArn() string {
	return cdk.StackOf(v).FormatArn(cdk.ArnComponents{Service: "ec2", Resource: "vpc", ResourceName: v.VpcId()})
}

// VpcDefaultSecurityGroup is the ID of the VPC's default security group.
func (v *Vpc) VpcDefaultSecurityGroup() string { return v.Resource.AttrDefaultSecurityGroup() }

// InternetGatewayId is the internet gateway's ID, or "" when there is none.
func (v *Vpc) InternetGatewayId() string {
	if v.InternetGateway == nil {
		return ""
	}
	return v.InternetGateway.Ref()
}

// AvailabilityZones are the zones of the VPC's subnets.
func (v *Vpc) AvailabilityZones() []string { return append([]string(nil), v.azs...) }

// PublicSubnets are the public subnets, group by group, zone by zone.
func (v *Vpc) PublicSubnets() []ISubnet { return append([]ISubnet(nil), v.public...) }

// PrivateSubnets are the private subnets with egress.
func (v *Vpc) PrivateSubnets() []ISubnet { return append([]ISubnet(nil), v.private...) }

// IsolatedSubnets are the isolated subnets.
func (v *Vpc) IsolatedSubnets() []ISubnet { return append([]ISubnet(nil), v.isol...) }

// InternetConnectivityEstablished lists the internet gateway.
func (v *Vpc) InternetConnectivityEstablished() []cdk.Construct {
	return append([]cdk.Construct(nil), v.connected...)
}

// SelectSubnets returns the subnets sel selects; see [IVpc].
func (v *Vpc) SelectSubnets(sel SubnetSelection) SelectedSubnets {
	return mustSelect(v, sel, v.selectSubnetObjects)
}

func (v *Vpc) selectSubnetObjects(sel SubnetSelection) ([]ISubnet, error) {
	return selectSubnets(sel, v.public, v.private, v.isol, func(s ISubnet) string { return v.groupNames[s] })
}

// subnetTypesIn names the subnet types that have subnets, for errors.
func subnetTypesIn(public, private, isolated []ISubnet) string {
	var types []string
	if len(isolated) > 0 {
		types = append(types, string(SubnetTypePrivateIsolated))
	}
	if len(private) > 0 {
		types = append(types, string(SubnetTypePrivateWithEgress))
	}
	if len(public) > 0 {
		types = append(types, string(SubnetTypePublic))
	}
	if len(types) == 0 {
		return "none (the VPC has no subnets)"
	}
	return strings.Join(types, ", ")
}

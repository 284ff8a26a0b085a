package ec2

import (
	"fmt"

	"github.com/eksforge/eksforge/cdk"
	cfnec2 "github.com/eksforge/eksforge/cfn/ec2"
)

// ISubnet is a subnet: one created by a [Vpc], or an imported one.
type ISubnet interface {
	cdk.Construct
	// SubnetId is the subnet's ID (a token for subnets created here).
	SubnetId() string
	// AvailabilityZone is the subnet's Availability Zone; empty when an
	// imported subnet was given none.
	AvailabilityZone() string
	// RouteTableId is the ID of the subnet's route table; empty when an
	// imported subnet was given none.
	RouteTableId() string
	// Ipv4CidrBlock is the subnet's IPv4 block; empty when an imported
	// subnet was given none.
	Ipv4CidrBlock() string
	// InternetConnectivityEstablished lists the constructs that must exist
	// before instances in the subnet can reach the internet (its route table
	// association and default route); make a resource depend on them with
	// Node().AddDependency.
	InternetConnectivityEstablished() []cdk.Construct
}

// SubnetProps configure a [Subnet].
type SubnetProps struct {
	// VpcId is the VPC the subnet belongs to. Required.
	VpcId string
	// AvailabilityZone is the subnet's Availability Zone. Required.
	AvailabilityZone string
	// CidrBlock is the subnet's IPv4 block, within the VPC's. Required.
	CidrBlock string
	// MapPublicIpOnLaunch gives instances launched in the subnet a public
	// IPv4 address.
	// Default: false.
	MapPublicIpOnLaunch bool
}

// Subnet is a subnet with its own route table, as a [Vpc] creates them. Its
// children have the AWS CDK's ids ("Subnet", "RouteTable",
// "RouteTableAssociation", "DefaultRoute", "EIP", "NATGateway"), so logical
// IDs match those of an AWS CDK VPC.
type Subnet struct {
	cdk.Base
	// Resource is the AWS::EC2::Subnet.
	Resource *cfnec2.CfnSubnet
	// RouteTable is the subnet's AWS::EC2::RouteTable.
	RouteTable *cfnec2.CfnRouteTable
	props      SubnetProps
	connected  []cdk.Construct
}

// NewSubnet adds a subnet with a route table to scope. A [Vpc] makes its
// subnets itself; use NewSubnet for a subnet of your own in an existing VPC.
func NewSubnet(scope cdk.Construct, id string, props SubnetProps) *Subnet {
	s := &Subnet{props: props}
	cdk.InitConstruct(s, scope, id)
	if props.VpcId == "" || props.AvailabilityZone == "" || props.CidrBlock == "" {
		panic(fmt.Sprintf("ec2: Subnet %q needs VpcId, AvailabilityZone and CidrBlock in its SubnetProps", s.Node().Path()))
	}
	cdk.TagsOf(s).Add("Name", s.Node().Path())
	s.Resource = cfnec2.NewCfnSubnet(s, "Subnet", cfnec2.CfnSubnetProps{
		VpcId:               props.VpcId,
		CidrBlock:           props.CidrBlock,
		AvailabilityZone:    props.AvailabilityZone,
		MapPublicIpOnLaunch: cdk.Ptr(props.MapPublicIpOnLaunch),
	})
	s.Node().SetDefaultChild(s.Resource)
	s.RouteTable = cfnec2.NewCfnRouteTable(s, "RouteTable", cfnec2.CfnRouteTableProps{VpcId: props.VpcId})
	assoc := cfnec2.NewCfnSubnetRouteTableAssociation(s, "RouteTableAssociation", cfnec2.CfnSubnetRouteTableAssociationProps{
		SubnetId:     s.Resource.Ref(),
		RouteTableId: s.RouteTable.Ref(),
	})
	s.connected = append(s.connected, assoc)
	return s
}

// SubnetId is the subnet's ID ({"Ref": subnet}).
func (s *Subnet) SubnetId() string { return s.Resource.Ref() }

// AvailabilityZone is the subnet's Availability Zone.
func (s *Subnet) AvailabilityZone() string { return s.props.AvailabilityZone }

// RouteTableId is the ID of the subnet's route table.
func (s *Subnet) RouteTableId() string { return s.RouteTable.Ref() }

// Ipv4CidrBlock is the subnet's IPv4 block.
func (s *Subnet) Ipv4CidrBlock() string { return s.props.CidrBlock }

// InternetConnectivityEstablished lists the route table association and the
// default routes that give the subnet internet access.
func (s *Subnet) InternetConnectivityEstablished() []cdk.Construct {
	return append([]cdk.Construct(nil), s.connected...)
}

// RouterType is the kind of target of a route.
type RouterType string

// Targets of a route, named as the AWS::EC2::Route properties that take them.
const (
	RouterTypeGateway                   RouterType = "GatewayId"
	RouterTypeNatGateway                RouterType = "NatGatewayId"
	RouterTypeEgressOnlyInternetGateway RouterType = "EgressOnlyInternetGatewayId"
	RouterTypeInstance                  RouterType = "InstanceId"
	RouterTypeNetworkInterface          RouterType = "NetworkInterfaceId"
	RouterTypeTransitGateway            RouterType = "TransitGatewayId"
	RouterTypeVpcPeeringConnection      RouterType = "VpcPeeringConnectionId"
	RouterTypeVpcEndpoint               RouterType = "VpcEndpointId"
)

// AddRouteOptions describe a route added with [Subnet.AddRoute].
type AddRouteOptions struct {
	// DestinationCidrBlock is the IPv4 destination.
	// Default: "0.0.0.0/0".
	DestinationCidrBlock string
	// RouterType is the kind of target. Required.
	RouterType RouterType
	// RouterId is the target's ID. Required.
	RouterId string
	// EnablesInternetConnectivity adds the route to
	// InternetConnectivityEstablished.
	// Default: false.
	EnablesInternetConnectivity bool
}

// AddRoute adds a route to the subnet's route table.
func (s *Subnet) AddRoute(id string, opts AddRouteOptions) *cfnec2.CfnRoute {
	props := cfnec2.CfnRouteProps{RouteTableId: s.RouteTable.Ref(), DestinationCidrBlock: opts.DestinationCidrBlock}
	if props.DestinationCidrBlock == "" {
		props.DestinationCidrBlock = "0.0.0.0/0"
	}
	switch opts.RouterType {
	case RouterTypeGateway:
		props.GatewayId = opts.RouterId
	case RouterTypeNatGateway:
		props.NatGatewayId = opts.RouterId
	case RouterTypeEgressOnlyInternetGateway:
		props.EgressOnlyInternetGatewayId = opts.RouterId
	case RouterTypeInstance:
		props.InstanceId = opts.RouterId
	case RouterTypeNetworkInterface:
		props.NetworkInterfaceId = opts.RouterId
	case RouterTypeTransitGateway:
		props.TransitGatewayId = opts.RouterId
	case RouterTypeVpcPeeringConnection:
		props.VpcPeeringConnectionId = opts.RouterId
	case RouterTypeVpcEndpoint:
		props.VpcEndpointId = opts.RouterId
	default:
		panic(fmt.Sprintf("ec2: %q: AddRoute %q: RouterType %q is not one of the RouterType constants", s.Node().Path(), id, opts.RouterType))
	}
	r := cfnec2.NewCfnRoute(s, id, props)
	if opts.EnablesInternetConnectivity {
		s.connected = append(s.connected, r)
	}
	return r
}

// AddDefaultInternetRoute routes 0.0.0.0/0 to an internet gateway; the
// route waits for the gateway's attachment to the VPC.
func (s *Subnet) AddDefaultInternetRoute(gatewayId string, attachment cdk.Construct) *cfnec2.CfnRoute {
	r := cfnec2.NewCfnRoute(s, "DefaultRoute", cfnec2.CfnRouteProps{
		RouteTableId:         s.RouteTable.Ref(),
		DestinationCidrBlock: "0.0.0.0/0",
		GatewayId:            gatewayId,
	})
	if attachment != nil {
		r.Node().AddDependency(attachment)
	}
	s.connected = append(s.connected, r)
	return r
}

// AddDefaultNatRoute routes 0.0.0.0/0 to a NAT gateway.
func (s *Subnet) AddDefaultNatRoute(natGatewayId string) *cfnec2.CfnRoute {
	return s.AddRoute("DefaultRoute", AddRouteOptions{RouterType: RouterTypeNatGateway, RouterId: natGatewayId, EnablesInternetConnectivity: true})
}

// AddNatGateway adds a NAT gateway to this (public) subnet with a new
// Elastic IP, or with the given allocation when eipAllocationId is set.
func (s *Subnet) AddNatGateway(eipAllocationId string) *cfnec2.CfnNatGateway {
	if eipAllocationId == "" {
		eip := cfnec2.NewCfnEIP(s, "EIP", cfnec2.CfnEIPProps{Domain: "vpc"})
		eipAllocationId = eip.AttrAllocationId()
	}
	ngw := cfnec2.NewCfnNatGateway(s, "NATGateway", cfnec2.CfnNatGatewayProps{
		SubnetId:     s.Resource.Ref(),
		AllocationId: eipAllocationId,
	})
	ngw.Node().AddDependency(s.connected...)
	return ngw
}

// SubnetAttributes describe an existing subnet.
type SubnetAttributes struct {
	// SubnetId is the subnet's ID. Required.
	SubnetId string
	// AvailabilityZone is the subnet's Availability Zone.
	// Default: unknown (AvailabilityZone returns "").
	AvailabilityZone string
	// RouteTableId is the subnet's route table.
	// Default: unknown (RouteTableId returns "").
	RouteTableId string
	// Ipv4CidrBlock is the subnet's IPv4 block.
	// Default: unknown (Ipv4CidrBlock returns "").
	Ipv4CidrBlock string
}

type importedSubnet struct {
	cdk.Base
	attrs SubnetAttributes
}

// SubnetFromSubnetAttributes imports an existing subnet.
func SubnetFromSubnetAttributes(scope cdk.Construct, id string, attrs SubnetAttributes) ISubnet {
	s := &importedSubnet{attrs: attrs}
	cdk.InitConstruct(s, scope, id)
	if attrs.SubnetId == "" {
		panic(fmt.Sprintf("ec2: imported subnet %q needs a SubnetId", s.Node().Path()))
	}
	return s
}

// SubnetFromSubnetId imports an existing subnet by ID.
func SubnetFromSubnetId(scope cdk.Construct, id, subnetId string) ISubnet {
	return SubnetFromSubnetAttributes(scope, id, SubnetAttributes{SubnetId: subnetId})
}

func (s *importedSubnet) SubnetId() string                                 { return s.attrs.SubnetId }
func (s *importedSubnet) AvailabilityZone() string                         { return s.attrs.AvailabilityZone }
func (s *importedSubnet) RouteTableId() string                             { return s.attrs.RouteTableId }
func (s *importedSubnet) Ipv4CidrBlock() string                            { return s.attrs.Ipv4CidrBlock }
func (s *importedSubnet) InternetConnectivityEstablished() []cdk.Construct { return nil }

package ec2

import (
	"fmt"
	"slices"

	"github.com/eksforge/eksforge/cdk"
)

// VpcAttributes describe an existing VPC for [VpcFromVpcAttributes]. Subnet
// IDs are listed zone by zone, group after group: with zones a and b and two
// private groups, PrivateSubnetIds is [group1-a, group1-b, group2-a,
// group2-b].
type VpcAttributes struct {
	// VpcId is the VPC's ID. Required.
	VpcId string
	// AvailabilityZones are the zones of the subnets. Required when
	// subnets are given.
	AvailabilityZones []string
	// VpcCidrBlock is the VPC's primary IPv4 block.
	// Default: unknown (VpcCidrBlock returns "").
	VpcCidrBlock string
	// PublicSubnetIds are the public subnets.
	// Default: none.
	PublicSubnetIds []string
	// PublicSubnetNames name the public subnet groups, one per group.
	// Default: "Public".
	PublicSubnetNames []string
	// PublicSubnetRouteTableIds are the public subnets' route tables, one
	// per subnet.
	// Default: unknown.
	PublicSubnetRouteTableIds []string
	// PublicSubnetIpv4CidrBlocks are the public subnets' blocks, one per
	// subnet.
	// Default: unknown.
	PublicSubnetIpv4CidrBlocks []string
	// PrivateSubnetIds are the private subnets with egress.
	// Default: none.
	PrivateSubnetIds []string
	// PrivateSubnetNames name the private subnet groups.
	// Default: "Private".
	PrivateSubnetNames []string
	// PrivateSubnetRouteTableIds are the private subnets' route tables.
	// Default: unknown.
	PrivateSubnetRouteTableIds []string
	// PrivateSubnetIpv4CidrBlocks are the private subnets' blocks.
	// Default: unknown.
	PrivateSubnetIpv4CidrBlocks []string
	// IsolatedSubnetIds are the isolated subnets.
	// Default: none.
	IsolatedSubnetIds []string
	// IsolatedSubnetNames name the isolated subnet groups.
	// Default: "Isolated".
	IsolatedSubnetNames []string
	// IsolatedSubnetRouteTableIds are the isolated subnets' route tables.
	// Default: unknown.
	IsolatedSubnetRouteTableIds []string
	// IsolatedSubnetIpv4CidrBlocks are the isolated subnets' blocks.
	// Default: unknown.
	IsolatedSubnetIpv4CidrBlocks []string
}

type importedVpc struct {
	cdk.Base
	attrs                 VpcAttributes
	public, private, isol []ISubnet
}

// VpcFromVpcAttributes imports an existing VPC. Its subnets become imported
// subnets named as the AWS CDK names them (<Group>Subnet<n>, numbered across
// the groups of one type). Lists of the wrong length panic with the path.
func VpcFromVpcAttributes(scope cdk.Construct, id string, attrs VpcAttributes) IVpc {
	v := &importedVpc{attrs: attrs}
	cdk.InitConstruct(v, scope, id)
	if attrs.VpcId == "" {
		panic(fmt.Sprintf("ec2: imported VPC %q needs a VpcId", v.Node().Path()))
	}
	v.public = v.importGroup(attrs.PublicSubnetIds, attrs.PublicSubnetNames, attrs.PublicSubnetRouteTableIds, attrs.PublicSubnetIpv4CidrBlocks, "Public", "PublicSubnet")
	v.private = v.importGroup(attrs.PrivateSubnetIds, attrs.PrivateSubnetNames, attrs.PrivateSubnetRouteTableIds, attrs.PrivateSubnetIpv4CidrBlocks, "Private", "PrivateSubnet")
	v.isol = v.importGroup(attrs.IsolatedSubnetIds, attrs.IsolatedSubnetNames, attrs.IsolatedSubnetRouteTableIds, attrs.IsolatedSubnetIpv4CidrBlocks, "Isolated", "IsolatedSubnet")
	v.checkCidrs()
	return v
}

// checkCidrs rejects subnet blocks that are malformed, overlap each other
// or lie outside the VPC's block (when those are literals).
func (v *importedVpc) checkCidrs() {
	fail := func(format string, args ...any) {
		panic(fmt.Sprintf("ec2: imported VPC %q: ", v.Node().Path()) + fmt.Sprintf(format, args...))
	}
	var vpcBlock *cidrBlock
	if c := v.attrs.VpcCidrBlock; c != "" && !cdk.IsUnresolved(c) {
		b, err := parseCIDR(c)
		if err != nil {
			fail("VpcCidrBlock: %v", err)
		}
		vpcBlock = &b
	}
	type named struct {
		subnet ISubnet
		block  cidrBlock
	}
	var seen []named
	for _, s := range slices.Concat(v.public, v.private, v.isol) {
		c := s.Ipv4CidrBlock()
		if c == "" || cdk.IsUnresolved(c) {
			continue
		}
		b, err := parseCIDR(c)
		if err != nil {
			fail("subnet %s (%s): %v", s.Node().ID(), s.SubnetId(), err)
		}
		if vpcBlock != nil && !vpcBlock.contains(b) {
			fail("subnet %s (%s) has block %s, outside the VPC's %s", s.Node().ID(), s.SubnetId(), b, *vpcBlock)
		}
		for _, o := range seen {
			if o.block.overlaps(b) {
				fail("the blocks of subnets %s (%s) and %s (%s) overlap; subnets of a VPC have disjoint blocks",
					o.subnet.Node().ID(), o.block, s.Node().ID(), b)
			}
		}
		seen = append(seen, named{s, b})
	}
}

func (v *importedVpc) importGroup(ids, names, routeTables, cidrs []string, defaultName, field string) []ISubnet {
	if len(ids) == 0 {
		return nil
	}
	fail := func(format string, args ...any) {
		panic(fmt.Sprintf("ec2: imported VPC %q: ", v.Node().Path()) + fmt.Sprintf(format, args...))
	}
	nAZ := len(v.attrs.AvailabilityZones)
	if nAZ == 0 {
		fail("%sIds are given but AvailabilityZones is empty; list the zones of the subnets", field)
	}
	if len(ids)%nAZ != 0 {
		fail("there are %d %sIds, which is not a multiple of the %d AvailabilityZones; list one subnet per zone for each group", len(ids), field, nAZ)
	}
	groups := len(ids) / nAZ
	if routeTables != nil && len(routeTables) != len(ids) {
		fail("there are %d %sRouteTableIds for %d %sIds; give one per subnet", len(routeTables), field, len(ids), field)
	}
	if cidrs != nil && len(cidrs) != len(ids) {
		fail("there are %d %sIpv4CidrBlocks for %d %sIds; give one per subnet", len(cidrs), field, len(ids), field)
	}
	if len(names) == 0 {
		names = []string{defaultName}
	} else if len(names) != groups {
		fail("%sNames has %d names for %d subnet groups; give one name per group", field, len(names), groups)
	}
	out := make([]ISubnet, len(ids))
	for i, id := range ids {
		attrs := SubnetAttributes{SubnetId: id, AvailabilityZone: v.attrs.AvailabilityZones[i%nAZ]}
		if routeTables != nil {
			attrs.RouteTableId = routeTables[i]
		}
		if cidrs != nil {
			attrs.Ipv4CidrBlock = cidrs[i]
		}
		// The AWS CDK names them <name of group i/nAZ>Subnet<i+1>.
		name := names[min(i/nAZ, len(names)-1)]
		out[i] = SubnetFromSubnetAttributes(v, fmt.Sprintf("%sSubnet%d", name, i+1), attrs)
	}
	return out
}

func (v *importedVpc) VpcId() string        { return v.attrs.VpcId }
func (v *importedVpc) VpcCidrBlock() string { return v.attrs.VpcCidrBlock }
func (v *importedVpc) AvailabilityZones() []string {
	return append([]string(nil), v.attrs.AvailabilityZones...)
}
func (v *importedVpc) PublicSubnets() []ISubnet                         { return append([]ISubnet(nil), v.public...) }
func (v *importedVpc) PrivateSubnets() []ISubnet                        { return append([]ISubnet(nil), v.private...) }
func (v *importedVpc) IsolatedSubnets() []ISubnet                       { return append([]ISubnet(nil), v.isol...) }
func (v *importedVpc) InternetConnectivityEstablished() []cdk.Construct { return nil }

func (v *importedVpc) SelectSubnets(sel SubnetSelection) SelectedSubnets {
	return mustSelect(v, sel, v.selectSubnetObjects)
}

func (v *importedVpc) selectSubnetObjects(sel SubnetSelection) ([]ISubnet, error) {
	return selectSubnets(sel, v.public, v.private, v.isol, func(ISubnet) string { return "" })
}

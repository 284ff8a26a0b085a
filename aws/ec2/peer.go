package ec2

import (
	"fmt"
	"regexp"

	"github.com/eksforge/eksforge/cdk"
)

// IConnectable is anything with security groups or an address that rules
// can name: a security group, a peer, or a construct with instances.
type IConnectable interface {
	// Connections returns the object that manages the rules.
	Connections() *Connections
}

// PeerRule is the source (ingress) or destination (egress) part of a
// security group rule, with CloudFormation's property names. Exactly one
// field is set (two with SourceSecurityGroupOwnerId).
type PeerRule struct {
	// CidrIp is an IPv4 block.
	CidrIp string
	// CidrIpv6 is an IPv6 block.
	CidrIpv6 string
	// SourcePrefixListId is a prefix list (ingress).
	SourcePrefixListId string
	// DestinationPrefixListId is a prefix list (egress).
	DestinationPrefixListId string
	// SourceSecurityGroupId is a security group (ingress).
	SourceSecurityGroupId string
	// SourceSecurityGroupOwnerId is the account owning the source group.
	SourceSecurityGroupOwnerId string
	// DestinationSecurityGroupId is a security group (egress).
	DestinationSecurityGroupId string
}

// IPeer is the other end of a security group rule: an address block, a
// prefix list or a security group. Make one with PeerIpv4, PeerAnyIpv4,
// PeerIpv6, PeerAnyIpv6, PeerPrefixList or PeerSecurityGroupId; every
// [ISecurityGroup] is one too.
type IPeer interface {
	IConnectable
	// UniqueId identifies the peer in rule descriptions and ids.
	UniqueId() string
	// CanInlineRule reports whether rules with this peer may be written
	// inside the security group's own definition.
	CanInlineRule() bool
	// IngressRuleConfig is the peer as the source of an ingress rule.
	IngressRuleConfig() PeerRule
	// EgressRuleConfig is the peer as the destination of an egress rule.
	EgressRuleConfig() PeerRule
}

type cidrPeer struct {
	cidr  string
	ipv6  bool
	conns *Connections
}

var (
	ipv4CidrPattern = regexp.MustCompile(`^(\d{1,3}\.){3}\d{1,3}(/\d+)?$`)
	ipv6CidrPattern = regexp.MustCompile(`^([\da-f]{0,4}:){2,7}([\da-f]{0,4})?(/\d+)?$`)
	sgIDPattern     = regexp.MustCompile(`^sg-[a-z0-9]{8,17}$`)
	accountPattern  = regexp.MustCompile(`^[0-9]{12}$`)
)

// PeerIpv4 is an IPv4 block such as "10.0.0.0/16". It panics when cidr is
// malformed or has no prefix length.
func PeerIpv4(cidr string) IPeer {
	if !cdk.IsUnresolved(cidr) {
		m := ipv4CidrPattern.FindStringSubmatch(cidr)
		if m == nil {
			panic(fmt.Sprintf("ec2: PeerIpv4: %q is not an IPv4 CIDR block such as \"10.0.0.0/16\"", cidr))
		}
		if m[2] == "" {
			panic(fmt.Sprintf("ec2: PeerIpv4: %q has no prefix length; did you mean %q?", cidr, cidr+"/32"))
		}
	}
	return newCidrPeer(cidr, false)
}

// PeerAnyIpv4 is every IPv4 address, 0.0.0.0/0.
func PeerAnyIpv4() IPeer { return newCidrPeer("0.0.0.0/0", false) }

// PeerIpv6 is an IPv6 block such as "2001:db8::/32". It panics when cidr
// is malformed or has no prefix length.
func PeerIpv6(cidr string) IPeer {
	if !cdk.IsUnresolved(cidr) {
		m := ipv6CidrPattern.FindStringSubmatch(cidr)
		if m == nil {
			panic(fmt.Sprintf("ec2: PeerIpv6: %q is not an IPv6 CIDR block such as \"2001:db8::/32\"", cidr))
		}
		if m[3] == "" {
			panic(fmt.Sprintf("ec2: PeerIpv6: %q has no prefix length; did you mean %q?", cidr, cidr+"/128"))
		}
	}
	return newCidrPeer(cidr, true)
}

// PeerAnyIpv6 is every IPv6 address, ::/0.
func PeerAnyIpv6() IPeer { return newCidrPeer("::/0", true) }

func newCidrPeer(cidr string, ipv6 bool) IPeer {
	p := &cidrPeer{cidr: cidr, ipv6: ipv6}
	p.conns = NewConnections(ConnectionsProps{Peer: p})
	return p
}

func (p *cidrPeer) Connections() *Connections { return p.conns }
func (p *cidrPeer) UniqueId() string          { return p.cidr }
func (p *cidrPeer) CanInlineRule() bool       { return true }
func (p *cidrPeer) IngressRuleConfig() PeerRule {
	if p.ipv6 {
		return PeerRule{CidrIpv6: p.cidr}
	}
	return PeerRule{CidrIp: p.cidr}
}
func (p *cidrPeer) EgressRuleConfig() PeerRule { return p.IngressRuleConfig() }

type prefixListPeer struct {
	id    string
	conns *Connections
}

// PeerPrefixList is a managed prefix list (pl-…). Rules with it are
// separate AWS::EC2::SecurityGroupIngress/Egress resources, as in the AWS
// CDK.
func PeerPrefixList(prefixListId string) IPeer {
	p := &prefixListPeer{id: prefixListId}
	p.conns = NewConnections(ConnectionsProps{Peer: p})
	return p
}

func (p *prefixListPeer) Connections() *Connections   { return p.conns }
func (p *prefixListPeer) UniqueId() string            { return p.id }
func (p *prefixListPeer) CanInlineRule() bool         { return false }
func (p *prefixListPeer) IngressRuleConfig() PeerRule { return PeerRule{SourcePrefixListId: p.id} }
func (p *prefixListPeer) EgressRuleConfig() PeerRule  { return PeerRule{DestinationPrefixListId: p.id} }

type sgIDPeer struct {
	id, owner string
	conns     *Connections
}

// PeerSecurityGroupId is a security group by ID (sg-…), optionally owned by
// another account (ownerAccountId, 12 digits). It panics on a malformed ID.
func PeerSecurityGroupId(securityGroupId string, ownerAccountId ...string) IPeer {
	if !cdk.IsUnresolved(securityGroupId) && !sgIDPattern.MatchString(securityGroupId) {
		panic(fmt.Sprintf("ec2: PeerSecurityGroupId: %q is not a security group ID (sg- followed by 8 to 17 lowercase letters or digits)", securityGroupId))
	}
	p := &sgIDPeer{id: securityGroupId}
	if len(ownerAccountId) > 0 {
		p.owner = ownerAccountId[0]
		if p.owner != "" && !cdk.IsUnresolved(p.owner) && !accountPattern.MatchString(p.owner) {
			panic(fmt.Sprintf("ec2: PeerSecurityGroupId: owner %q is not a 12-digit account ID", p.owner))
		}
	}
	p.conns = NewConnections(ConnectionsProps{Peer: p})
	return p
}

func (p *sgIDPeer) Connections() *Connections { return p.conns }
func (p *sgIDPeer) UniqueId() string          { return p.id }
func (p *sgIDPeer) CanInlineRule() bool       { return true }
func (p *sgIDPeer) IngressRuleConfig() PeerRule {
	return PeerRule{SourceSecurityGroupId: p.id, SourceSecurityGroupOwnerId: p.owner}
}
func (p *sgIDPeer) EgressRuleConfig() PeerRule { return PeerRule{DestinationSecurityGroupId: p.id} }

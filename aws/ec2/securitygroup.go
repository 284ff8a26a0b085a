package ec2

import (
	"fmt"
	"strings"

	"github.com/eksforge/eksforge/cdk"
	cfnec2 "github.com/eksforge/eksforge/cfn/ec2"
	"github.com/eksforge/eksforge/internal/nilref"
	"github.com/eksforge/eksforge/internal/optarg"
)

// ISecurityGroup is a security group: one defined here ([SecurityGroup])
// or an imported one ([SecurityGroupFromSecurityGroupId]). It is an
// [IPeer], so rules can name it.
type ISecurityGroup interface {
	cdk.Construct
	IPeer
	// SecurityGroupId is the group's ID.
	SecurityGroupId() string
	// AllowAllOutbound reports whether the group allows all IPv4 egress.
	AllowAllOutbound() bool
	// AddIngressRule allows traffic on port from peer. An empty
	// description gives "from <peer>:<port>".
	AddIngressRule(peer IPeer, port Port, description string)
	// AddEgressRule allows traffic on port to peer. Ignored (with a
	// warning) while the group allows all outbound traffic.
	AddEgressRule(peer IPeer, port Port, description string)
}

// ruleAdder is the AWS CDK's addIngressRule/addEgressRule with its
// remoteRule argument, used by Connections.
type ruleAdder interface {
	addRule(ingress bool, peer IPeer, port Port, description string, remote bool)
}

// sgBase holds what owned and imported security groups share: rules as
// separate AWS::EC2::SecurityGroupIngress/Egress resources, named as the
// AWS CDK names them.
type sgBase struct {
	cdk.Base
	conns          *Connections
	peerTokenCount int
}

func (b *sgBase) host() ISecurityGroup { return b.Node().Host().(ISecurityGroup) }

// Connections returns the group's connections.
func (b *sgBase) Connections() *Connections { return b.conns }

// UniqueId identifies the group in rule names: its path made unique.
func (b *sgBase) UniqueId() string { return cdk.UniqueID(b.host()) }

// IngressRuleConfig names the group as the source of a rule.
func (b *sgBase) IngressRuleConfig() PeerRule {
	return PeerRule{SourceSecurityGroupId: b.host().SecurityGroupId()}
}

// EgressRuleConfig names the group as the destination of a rule.
func (b *sgBase) EgressRuleConfig() PeerRule {
	return PeerRule{DestinationSecurityGroupId: b.host().SecurityGroupId()}
}

func (b *sgBase) renderPeer(peer IPeer) string {
	if !cdk.IsUnresolved(peer.UniqueId()) {
		return peer.UniqueId()
	}
	b.peerTokenCount++
	if b.peerTokenCount > 1 {
		return fmt.Sprintf("'{IndirectPeer%d}'", b.peerTokenCount)
	}
	return "{IndirectPeer}"
}

// ruleScope decides where a separate rule resource goes and its id.
func (b *sgBase) ruleScope(peer IPeer, port Port, fromTo string, remote bool) (cdk.Construct, string) {
	if psg, ok := peer.(ISecurityGroup); ok && remote && cdk.StackOf(psg) != cdk.StackOf(b.host()) {
		reversed := "from"
		if fromTo == "from" {
			reversed = "to"
		}
		return psg, sanitizeID(fmt.Sprintf("%s:%s %s", b.UniqueId(), port, reversed))
	}
	return b.host(), sanitizeID(strings.Replace(fmt.Sprintf("%s %s:%s", fromTo, b.renderPeer(peer), port), "/", "_", 1))
}

// sanitizeID replaces "/" as the constructs library does.
func sanitizeID(id string) string { return strings.ReplaceAll(id, "/", "--") }

func (b *sgBase) addSeparateRule(ingress bool, peer IPeer, port Port, description string, remote bool) {
	fromTo := "to"
	if ingress {
		fromTo = "from"
	}
	if description == "" {
		description = fmt.Sprintf("%s %s:%s", fromTo, peer.UniqueId(), port)
	}
	scope, id := b.ruleScope(peer, port, fromTo, remote)
	if scope.Node().TryFindChild(id) != nil {
		return
	}
	pr := peer.IngressRuleConfig()
	if !ingress {
		pr = peer.EgressRuleConfig()
	}
	groupID := b.host().SecurityGroupId()
	if ingress {
		cfnec2.NewCfnSecurityGroupIngress(scope, id, cfnec2.CfnSecurityGroupIngressProps{
			GroupId:                    groupID,
			CidrIp:                     pr.CidrIp,
			CidrIpv6:                   pr.CidrIpv6,
			SourcePrefixListId:         pr.SourcePrefixListId,
			SourceSecurityGroupId:      pr.SourceSecurityGroupId,
			SourceSecurityGroupOwnerId: pr.SourceSecurityGroupOwnerId,
			IpProtocol:                 port.protocol,
			FromPort:                   port.from,
			ToPort:                     port.to,
			Description:                description,
		})
		return
	}
	cfnec2.NewCfnSecurityGroupEgress(scope, id, cfnec2.CfnSecurityGroupEgressProps{
		GroupId:                    groupID,
		CidrIp:                     pr.CidrIp,
		CidrIpv6:                   pr.CidrIpv6,
		DestinationPrefixListId:    pr.DestinationPrefixListId,
		DestinationSecurityGroupId: pr.DestinationSecurityGroupId,
		IpProtocol:                 port.protocol,
		FromPort:                   port.from,
		ToPort:                     port.to,
		Description:                description,
	})
}

// SecurityGroupProps configure a [SecurityGroup].
type SecurityGroupProps struct {
	// Vpc is the VPC of the group. Required.
	Vpc IVpc
	// Description is the group's description (it cannot change later).
	// Default: the construct path.
	Description string
	// SecurityGroupName is the group's name. Setting it prevents updates
	// that replace the group.
	// Default: a name CloudFormation generates.
	SecurityGroupName string
	// AllowAllOutbound allows all IPv4 egress. When false, the group gets
	// the AWS CDK's placeholder rule "Disallow all traffic" until an egress
	// rule is added.
	// Default: true.
	AllowAllOutbound *bool
	// AllowAllIpv6Outbound allows all IPv6 egress.
	// Default: false.
	AllowAllIpv6Outbound bool
	// DisableInlineRules writes every rule as a separate
	// AWS::EC2::SecurityGroupIngress/Egress resource.
	// Default: false (rules with addresses go inside the group).
	DisableInlineRules bool
}

// SecurityGroup is an AWS::EC2::SecurityGroup with the AWS CDK's rule
// handling: rules with address peers are written inline, rules naming
// security groups or prefix lists as separate resources.
type SecurityGroup struct {
	sgBase
	// Resource is the AWS::EC2::SecurityGroup.
	Resource *cfnec2.CfnSecurityGroup

	allowAllOutbound, allowAllIpv6Outbound, disableInline bool
}

var (
	matchNoTraffic = cfnec2.CfnSecurityGroupEgressProperty{CidrIp: "255.255.255.255/32", Description: "Disallow all traffic", IpProtocol: "icmp", FromPort: cdk.Ptr(252), ToPort: cdk.Ptr(86)}
	allowAllRule   = cfnec2.CfnSecurityGroupEgressProperty{CidrIp: "0.0.0.0/0", Description: "Allow all outbound traffic by default", IpProtocol: "-1"}
)

// NewSecurityGroup adds a security group to scope.
func NewSecurityGroup(scope cdk.Construct, id string, props SecurityGroupProps) *SecurityGroup {
	sg := &SecurityGroup{}
	cdk.InitConstruct(sg, scope, id)
	typedNils := nilref.Clear(&props, "SecurityGroupProps")
	for _, e := range typedNils {
		sg.Node().AddError("%s: pass a value, or leave the field unset", e)
	}
	if props.Vpc == nil && len(typedNils) == 0 {
		panic(fmt.Sprintf("ec2: SecurityGroup %q needs a Vpc", sg.Node().Path()))
	}
	vpcID := ""
	if props.Vpc != nil {
		vpcID = props.Vpc.VpcId()
	}
	sg.conns = NewConnections(ConnectionsProps{SecurityGroups: []ISecurityGroup{sg}})
	sg.allowAllOutbound = props.AllowAllOutbound == nil || *props.AllowAllOutbound
	sg.allowAllIpv6Outbound = props.AllowAllIpv6Outbound
	sg.disableInline = props.DisableInlineRules
	if !sg.disableInline {
		if v, ok := sg.Node().TryGetContext("@aws-cdk/aws-ec2.securityGroupDisableInlineRules").(bool); ok {
			sg.disableInline = v
		}
	}
	desc := props.Description
	if desc == "" {
		desc = sg.Node().Path()
	}
	sg.Resource = cfnec2.NewCfnSecurityGroup(sg, "Resource", cfnec2.CfnSecurityGroupProps{
		GroupDescription: desc,
		GroupName:        props.SecurityGroupName,
		VpcId:            vpcID,
	})
	// Default egress rules.
	if sg.disableInline {
		if sg.allowAllOutbound {
			sg.addSeparateRule(false, PeerAnyIpv4(), PortAllTraffic(), allowAllRule.Description, false)
		} else {
			sg.addSeparateRule(false, PeerIpv4(matchNoTraffic.CidrIp), PortIcmpTypeAndCode(252, 86), matchNoTraffic.Description, false)
		}
	} else if sg.allowAllOutbound {
		sg.Resource.Props.SecurityGroupEgress = append(sg.Resource.Props.SecurityGroupEgress, allowAllRule)
	} else {
		sg.Resource.Props.SecurityGroupEgress = append(sg.Resource.Props.SecurityGroupEgress, matchNoTraffic)
	}
	if sg.allowAllIpv6Outbound {
		const d = "Allow all outbound ipv6 traffic by default"
		if sg.disableInline {
			sg.addSeparateRule(false, PeerAnyIpv6(), PortAllTraffic(), d, false)
		} else {
			sg.Resource.Props.SecurityGroupEgress = append(sg.Resource.Props.SecurityGroupEgress,
				cfnec2.CfnSecurityGroupEgressProperty{IpProtocol: "-1", CidrIpv6: "::/0", Description: d})
		}
	}
	return sg
}

// SecurityGroupId is the group's ID (Fn::GetAtt GroupId).
func (sg *SecurityGroup) SecurityGroupId() string { return sg.Resource.AttrGroupId() }

// SecurityGroupVpcId is the group's VPC ID (Fn::GetAtt VpcId).
func (sg *SecurityGroup) SecurityGroupVpcId() string { return sg.Resource.GetAttString("VpcId") }

// AllowAllOutbound reports whether the group allows all IPv4 egress.
func (sg *SecurityGroup) AllowAllOutbound() bool { return sg.allowAllOutbound }

// CanInlineRule is false: rules naming a security group are separate
// resources.
func (sg *SecurityGroup) CanInlineRule() bool { return false }

// AddIngressRule allows traffic on port from peer.
func (sg *SecurityGroup) AddIngressRule(peer IPeer, port Port, description string) {
	sg.addRule(true, peer, port, description, false)
}

// AddEgressRule allows traffic on port to peer; see [ISecurityGroup].
func (sg *SecurityGroup) AddEgressRule(peer IPeer, port Port, description string) {
	sg.addRule(false, peer, port, description, false)
}

func (sg *SecurityGroup) addRule(ingress bool, peer IPeer, port Port, description string, remote bool) {
	checkPortValue("SecurityGroup rule", port)
	if ingress {
		if !peer.CanInlineRule() || !port.canInline() || sg.disableInline {
			sg.addSeparateRule(true, peer, port, description, remote)
			return
		}
		if description == "" {
			description = fmt.Sprintf("from %s:%s", peer.UniqueId(), port)
		}
		pr := peer.IngressRuleConfig()
		rule := cfnec2.CfnSecurityGroupIngressProperty{
			CidrIp: pr.CidrIp, CidrIpv6: pr.CidrIpv6, SourcePrefixListId: pr.SourcePrefixListId,
			SourceSecurityGroupId: pr.SourceSecurityGroupId, SourceSecurityGroupOwnerId: pr.SourceSecurityGroupOwnerId,
			IpProtocol: port.protocol, FromPort: port.from, ToPort: port.to, Description: description,
		}
		for _, r := range sg.Resource.Props.SecurityGroupIngress {
			if ingressEqual(r, rule) {
				return
			}
		}
		sg.Resource.Props.SecurityGroupIngress = append(sg.Resource.Props.SecurityGroupIngress, rule)
		return
	}
	isIpv6 := peer.EgressRuleConfig().CidrIpv6 != ""
	switch {
	case !isIpv6 && sg.allowAllOutbound:
		if !remote {
			sg.Node().AddWarning("Ignoring Egress rule since 'AllowAllOutbound' is set to true; To add customized rules, set AllowAllOutbound to false on the SecurityGroup")
		}
		return
	case !isIpv6:
		sg.removeNoTrafficRule()
	}
	if isIpv6 && sg.allowAllIpv6Outbound {
		if !remote {
			sg.Node().AddWarning("Ignoring Egress rule since 'AllowAllIpv6Outbound' is set to true; To add customized rules, set AllowAllIpv6Outbound to false on the SecurityGroup")
		}
		return
	}
	if !peer.CanInlineRule() || !port.canInline() || sg.disableInline {
		sg.addSeparateRule(false, peer, port, description, remote)
		return
	}
	if description == "" {
		// The AWS CDK writes "from" here too.
		description = fmt.Sprintf("from %s:%s", peer.UniqueId(), port)
	}
	pr := peer.EgressRuleConfig()
	rule := cfnec2.CfnSecurityGroupEgressProperty{
		CidrIp: pr.CidrIp, CidrIpv6: pr.CidrIpv6, DestinationPrefixListId: pr.DestinationPrefixListId,
		DestinationSecurityGroupId: pr.DestinationSecurityGroupId,
		IpProtocol:                 port.protocol, FromPort: port.from, ToPort: port.to, Description: description,
	}
	if (rule.CidrIp == "0.0.0.0/0" || rule.CidrIpv6 == "::/0") && rule.IpProtocol == "-1" {
		panic(fmt.Sprintf("ec2: SecurityGroup %q: an all-traffic egress rule cannot be added as a rule; set AllowAllOutbound (IPv4) or AllowAllIpv6Outbound (IPv6) instead", sg.Node().Path()))
	}
	for _, r := range sg.Resource.Props.SecurityGroupEgress {
		if egressEqual(r, rule) {
			return
		}
	}
	sg.Resource.Props.SecurityGroupEgress = append(sg.Resource.Props.SecurityGroupEgress, rule)
}

func (sg *SecurityGroup) removeNoTrafficRule() {
	if sg.disableInline {
		scope, id := sg.ruleScope(PeerIpv4(matchNoTraffic.CidrIp), PortIcmpTypeAndCode(252, 86), "to", false)
		scope.Node().TryRemoveChild(id)
		return
	}
	rules := sg.Resource.Props.SecurityGroupEgress
	for i, r := range rules {
		if egressEqual(r, matchNoTraffic) {
			rest := append(rules[:i:i], rules[i+1:]...)
			if len(rest) == 0 {
				rest = nil // rendered as absent, as the AWS CDK does
			}
			sg.Resource.Props.SecurityGroupEgress = rest
			return
		}
	}
}

func eqPtr(a, b *int) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func ingressEqual(a, b cfnec2.CfnSecurityGroupIngressProperty) bool {
	return a.CidrIp == b.CidrIp && a.CidrIpv6 == b.CidrIpv6 && eqPtr(a.FromPort, b.FromPort) && eqPtr(a.ToPort, b.ToPort) &&
		a.IpProtocol == b.IpProtocol && a.SourceSecurityGroupId == b.SourceSecurityGroupId &&
		a.SourceSecurityGroupName == b.SourceSecurityGroupName && a.SourceSecurityGroupOwnerId == b.SourceSecurityGroupOwnerId
}

func egressEqual(a, b cfnec2.CfnSecurityGroupEgressProperty) bool {
	return a.CidrIp == b.CidrIp && a.CidrIpv6 == b.CidrIpv6 && eqPtr(a.FromPort, b.FromPort) && eqPtr(a.ToPort, b.ToPort) &&
		a.IpProtocol == b.IpProtocol && a.DestinationPrefixListId == b.DestinationPrefixListId &&
		a.DestinationSecurityGroupId == b.DestinationSecurityGroupId
}

// SecurityGroupImportOptions tune [SecurityGroupFromSecurityGroupId].
type SecurityGroupImportOptions struct {
	// AllowAllOutbound says whether the existing group allows all IPv4
	// egress; when it does, egress rules are not added to it.
	// Default: true.
	AllowAllOutbound *bool
	// Mutable lets rules be added to the imported group (as separate
	// resources in this stack).
	// Default: true.
	Mutable *bool
}

// ImportedSecurityGroup is an existing security group, referenced by ID.
type ImportedSecurityGroup struct {
	sgBase
	id                        string
	allowAllOutbound, mutable bool
}

// SecurityGroupFromSecurityGroupId imports an existing security group.
// Rules added to it become separate AWS::EC2::SecurityGroupIngress/Egress
// resources in this stack (none when Mutable is false).
func SecurityGroupFromSecurityGroupId(scope cdk.Construct, id, securityGroupId string, opts ...SecurityGroupImportOptions) *ImportedSecurityGroup {
	o := optarg.One(scope.Node().Path()+"/"+id+": SecurityGroupFromSecurityGroupId", opts)
	sg := &ImportedSecurityGroup{id: securityGroupId}
	cdk.InitConstruct(sg, scope, id)
	sg.conns = NewConnections(ConnectionsProps{SecurityGroups: []ISecurityGroup{sg}})
	sg.allowAllOutbound = o.AllowAllOutbound == nil || *o.AllowAllOutbound
	sg.mutable = o.Mutable == nil || *o.Mutable
	return sg
}

// SecurityGroupId is the group's ID.
func (sg *ImportedSecurityGroup) SecurityGroupId() string { return sg.id }

// AllowAllOutbound reports whether the group is said to allow all egress.
func (sg *ImportedSecurityGroup) AllowAllOutbound() bool { return sg.allowAllOutbound }

// CanInlineRule is false.
func (sg *ImportedSecurityGroup) CanInlineRule() bool { return false }

// AddIngressRule allows traffic on port from peer (a separate resource).
func (sg *ImportedSecurityGroup) AddIngressRule(peer IPeer, port Port, description string) {
	sg.addRule(true, peer, port, description, false)
}

// AddEgressRule allows traffic on port to peer, unless the group allows
// all outbound traffic.
func (sg *ImportedSecurityGroup) AddEgressRule(peer IPeer, port Port, description string) {
	sg.addRule(false, peer, port, description, false)
}

func (sg *ImportedSecurityGroup) addRule(ingress bool, peer IPeer, port Port, description string, remote bool) {
	checkPortValue("SecurityGroup rule", port)
	if !sg.mutable || (!ingress && sg.allowAllOutbound) {
		return
	}
	sg.addSeparateRule(ingress, peer, port, description, remote)
}

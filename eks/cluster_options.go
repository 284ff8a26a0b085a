package eks

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
)

// SupportType is a cluster's upgrade policy: whether EKS keeps a version
// past its 14 months of standard support (extended support, billed) or
// upgrades the control plane when standard support ends.
type SupportType string

// Support types; the zero value leaves EKS's default (EXTENDED).
const (
	// SupportTypeStandard upgrades the cluster automatically when its
	// version leaves standard support.
	SupportTypeStandard SupportType = "STANDARD"
	// SupportTypeExtended keeps the version for 12 more months of extended
	// support.
	SupportTypeExtended SupportType = "EXTENDED"
)

// ControlPlaneScalingTier is the size of an EKS Provisioned Control Plane.
type ControlPlaneScalingTier string

// Control plane scaling tiers; the zero value is EKS's standard control
// plane (not rendered).
const (
	ControlPlaneScalingTierStandard ControlPlaneScalingTier = "standard"
	ControlPlaneScalingTierXL       ControlPlaneScalingTier = "tier-xl"
	ControlPlaneScalingTier2XL      ControlPlaneScalingTier = "tier-2xl"
	ControlPlaneScalingTier4XL      ControlPlaneScalingTier = "tier-4xl"
	ControlPlaneScalingTier8XL      ControlPlaneScalingTier = "tier-8xl"
	ControlPlaneScalingTierUltra    ControlPlaneScalingTier = "tier-ultra"
)

// OutpostConfig places a cluster's control plane on an AWS Outpost (a local
// cluster). Changing it replaces the cluster.
type OutpostConfig struct {
	// OutpostArn is the Outpost's ARN. Required.
	OutpostArn string
	// ControlPlaneInstanceType is the EC2 instance type of the control
	// plane instances; it cannot be changed later. Required.
	ControlPlaneInstanceType ec2.InstanceType
	// PlacementGroupName is a placement group for the control plane
	// instances.
	// Default: none.
	PlacementGroupName string
}

// OldestStandardSupportVersion is the oldest Kubernetes version in EKS's
// standard support when this library was written; older versions are in
// extended support (their standard support has ended), which a cluster on
// SupportTypeStandard cannot be in.
const OldestStandardSupportVersion = V1_33

// clusterOptions renders the options of issue 16 (upgrade policy, zonal
// shift, control plane tier, forced updates, Outposts, hybrid networks)
// onto the cluster's properties and records their problems.
func (c *Cluster) clusterOptions(cfg *cfneks.CfnClusterProps) {
	p := c.props
	switch p.SupportType {
	case "":
	case SupportTypeStandard, SupportTypeExtended:
		cfg.UpgradePolicy = &cfneks.CfnClusterUpgradePolicy{SupportType: string(p.SupportType)}
		// A version older than extended support is reported by
		// checkVersion whatever the policy.
		if m := minorOf(p.Version); p.SupportType == SupportTypeStandard && m >= minorOf(OldestKubernetesVersion) && m < minorOf(OldestStandardSupportVersion) {
			c.Node().AddError("SupportType STANDARD: Kubernetes %s is in extended support (standard support ends 14 months after release), and EKS cannot turn extended support off for a version in it: use eks.SupportTypeExtended, or Version %s or later", string(p.Version), OldestStandardSupportVersion)
		}
	default:
		c.Node().AddError("SupportType %q is not STANDARD or EXTENDED: use eks.SupportTypeStandard or eks.SupportTypeExtended", string(p.SupportType))
	}
	if p.EnableZonalShift {
		cfg.ZonalShiftConfig = &cfneks.CfnClusterZonalShiftConfig{Enabled: cdk.Ptr(true)}
	}
	switch p.ControlPlaneScalingTier {
	case "":
	case ControlPlaneScalingTierStandard, ControlPlaneScalingTierXL, ControlPlaneScalingTier2XL, ControlPlaneScalingTier4XL, ControlPlaneScalingTier8XL, ControlPlaneScalingTierUltra:
		cfg.ControlPlaneScalingConfig = &cfneks.CfnClusterControlPlaneScalingConfig{Tier: string(p.ControlPlaneScalingTier)}
	default:
		c.Node().AddError("ControlPlaneScalingTier %q is not a tier: use eks.ControlPlaneScalingTierStandard, eks.ControlPlaneScalingTierXL, ...2XL, ...4XL, ...8XL or ...Ultra", string(p.ControlPlaneScalingTier))
	}
	if p.ForceVersionUpdate {
		cfg.Force = cdk.Ptr(true)
	}
	if o := p.Outpost; o != nil {
		c.outpostConfig(cfg, o)
	}
	c.remoteNetworks(cfg)
}

func (c *Cluster) outpostConfig(cfg *cfneks.CfnClusterProps, o *OutpostConfig) {
	p := c.props
	if o.OutpostArn == "" {
		c.Node().AddError("Outpost.OutpostArn is required: set the ARN of the Outpost that runs the control plane")
	} else if !cdk.IsUnresolved(o.OutpostArn) && !strings.Contains(o.OutpostArn, ":outpost/") {
		c.Node().AddError("Outpost.OutpostArn %q is not an Outpost ARN (arn:<partition>:outposts:<region>:<account>:outpost/op-...)", o.OutpostArn)
	}
	if o.ControlPlaneInstanceType.IsZero() {
		c.Node().AddError("Outpost.ControlPlaneInstanceType is required: choose it for the number of nodes (see Capacity considerations for local clusters)")
	}
	if p.EndpointAccess.PublicAccess() {
		c.Node().AddError("a cluster on an Outpost has a private API endpoint only, but EndpointAccess allows public access: set EndpointAccess to eks.EndpointAccessPrivate")
	}
	if p.DefaultCapacityType == DefaultCapacityTypeAutoMode {
		c.Node().AddError("EKS Auto Mode does not run on Outposts: remove Outpost or choose another DefaultCapacityType")
	}
	if len(p.RemoteNodeNetworks) > 0 {
		c.Node().AddError("hybrid nodes (RemoteNodeNetworks) are not supported on a cluster on an Outpost: remove one")
	}
	oc := &cfneks.CfnClusterOutpostConfig{OutpostArns: []string{o.OutpostArn}, ControlPlaneInstanceType: o.ControlPlaneInstanceType.String()}
	if o.PlacementGroupName != "" {
		oc.ControlPlanePlacement = &cfneks.CfnClusterControlPlanePlacement{GroupName: o.PlacementGroupName}
	}
	cfg.OutpostConfig = oc
}

// checkNotOnOutpost records an error on n when cluster is a local cluster on
// an AWS Outpost, where managed node groups and Fargate do not run; what
// names the capacity ("managed node groups", "Fargate profiles").
func checkNotOnOutpost(n *cdk.Node, cluster ICluster, what string) {
	c, ok := cluster.(*Cluster)
	if !ok || c.props.Outpost == nil {
		return
	}
	n.AddError("%s do not run on a cluster on an AWS Outpost (a local cluster): use self-managed capacity (DefaultCapacityType eks.DefaultCapacityTypeEC2, or Cluster.AddAutoScalingGroupCapacity), or DefaultCapacity 0", what)
}

// remoteNetworks renders the hybrid nodes' networks after checking them:
// private IPv4 blocks that overlap neither each other, the VPC nor the
// service range.
func (c *Cluster) remoteNetworks(cfg *cfneks.CfnClusterProps) {
	p := c.props
	if len(p.RemoteNodeNetworks) == 0 {
		if len(p.RemotePodNetworks) > 0 {
			c.Node().AddError("RemotePodNetworks need RemoteNodeNetworks: set the networks of the hybrid nodes too")
		}
		return
	}
	if c.ipFamily == IpFamilyIpV6 {
		c.Node().AddError("hybrid nodes (RemoteNodeNetworks) need an IPv4 cluster, but IpFamily is IPv6: remove one")
	}
	type block struct {
		what string
		pfx  netip.Prefix
	}
	var seen []block
	var ingress []string
	check := func(what string, cidrs []string) {
		for i, s := range cidrs {
			if cdk.IsUnresolved(s) {
				ingress = append(ingress, s)
				continue
			}
			name := what + "[" + strconv.Itoa(i) + "] " + s
			pfx, err := netip.ParsePrefix(s)
			if err != nil || !pfx.Addr().Is4() {
				c.Node().AddError("%s is not an IPv4 CIDR block such as 10.80.0.0/16", name)
				continue
			}
			if pfx.Masked() != pfx {
				c.Node().AddError("%s has host bits set: use %s", name, pfx.Masked())
				continue
			}
			if !rfc1918(pfx) {
				c.Node().AddError("%s is not within an RFC 1918 private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)", name)
			}
			for _, b := range seen {
				if b.pfx.Overlaps(pfx) {
					c.Node().AddError("%s overlaps %s: hybrid networks must not overlap", name, b.what)
				}
			}
			seen = append(seen, block{name, pfx})
			ingress = append(ingress, s)
		}
	}
	check("RemoteNodeNetworks", p.RemoteNodeNetworks)
	check("RemotePodNetworks", p.RemotePodNetworks)
	for _, b := range seen {
		if vpc := literalVpcCidr(c.vpc); vpc.IsValid() && vpc.Overlaps(b.pfx) {
			c.Node().AddError("%s overlaps the VPC's block %s: hybrid nodes and pods must be outside the VPC", b.what, vpc)
		}
		if svc, err := netip.ParsePrefix(p.ServiceIpv4Cidr); err == nil && svc.Overlaps(b.pfx) {
			c.Node().AddError("%s overlaps ServiceIpv4Cidr %s: hybrid networks must be outside the Kubernetes service range", b.what, svc)
		}
	}
	rc := &cfneks.CfnClusterRemoteNetworkConfig{RemoteNodeNetworks: []cfneks.CfnClusterRemoteNodeNetwork{{Cidrs: p.RemoteNodeNetworks}}}
	if len(p.RemotePodNetworks) > 0 {
		rc.RemotePodNetworks = []cfneks.CfnClusterRemotePodNetwork{{Cidrs: p.RemotePodNetworks}}
	}
	cfg.RemoteNetworkConfig = rc
	// Hybrid nodes and webhooks on them call the API server (and the
	// kubelet is reached through their own firewalls).
	for _, s := range ingress {
		c.sg.AddIngressRule(ec2.PeerIpv4(s), ec2.PortTcp(443), "hybrid nodes and pods to the Kubernetes API")
	}
}

var privateRanges = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("192.168.0.0/16")}

// rfc1918 says pfx lies within one private range.
func rfc1918(pfx netip.Prefix) bool {
	for _, r := range privateRanges {
		if r.Bits() <= pfx.Bits() && r.Contains(pfx.Addr()) {
			return true
		}
	}
	return false
}

// literalVpcCidr is the VPC's primary block when known at synthesis.
func literalVpcCidr(v ec2.IVpc) netip.Prefix {
	s := ""
	if vpc, ok := v.(*ec2.Vpc); ok {
		s = vpc.Resource.Props.CidrBlock
	} else if v != nil {
		s = v.VpcCidrBlock()
	}
	if s == "" || cdk.IsUnresolved(s) {
		return netip.Prefix{}
	}
	pfx, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}
	}
	return pfx
}

package eks

import (
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
)

// OldestKubernetesVersion is the oldest Kubernetes version EKS creates
// clusters with (the oldest in extended support when this library was
// written). An older Version is a synthesis error.
const OldestKubernetesVersion = V1_30

// MaxPublicAccessCidrs is how many CIDR blocks EKS allows in a cluster's
// public access list (EndpointAccess.OnlyFrom).
const MaxPublicAccessCidrs = 40

var (
	// clusterNamePattern is EKS's pattern for cluster, node group and
	// Fargate profile names.
	eksNamePattern = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9\-_]*$`)
)

// checkClusterProps reports every problem of props that is visible before
// the tree is built, and returns props with typed-nil references cleared
// (so the construct builds its defaults instead of crashing).
func (c *Cluster) checkClusterProps(props ClusterProps) ClusterProps {
	n := c.Node()
	if isTypedNil(props.Vpc) {
		n.AddError("%s", nilRefMessage("Vpc", props.Vpc, "a new VPC"))
		props.Vpc = nil
	}
	if isTypedNil(props.Role) {
		n.AddError("%s", nilRefMessage("Role", props.Role, "a new cluster role"))
		props.Role = nil
	}
	if isTypedNil(props.SecurityGroup) {
		n.AddError("%s", nilRefMessage("SecurityGroup", props.SecurityGroup, "a new security group"))
		props.SecurityGroup = nil
	}
	if isTypedNil(props.MastersRole) {
		n.AddError("%s", nilRefMessage("MastersRole", props.MastersRole, "no masters role"))
		props.MastersRole = nil
	}
	if isTypedNil(props.SecretsEncryptionKey) {
		n.AddError("%s", nilRefMessage("SecretsEncryptionKey", props.SecretsEncryptionKey, "an AWS owned key"))
		props.SecretsEncryptionKey = nil
	}
	if props.Compute != nil && isTypedNil(props.Compute.NodeRole) {
		n.AddError("%s", nilRefMessage("Compute.NodeRole", props.Compute.NodeRole, "a new node role"))
		cp := *props.Compute
		cp.NodeRole = nil
		props.Compute = &cp
	}
	props.VpcSubnets = checkSubnetSelections(n, "VpcSubnets", props.VpcSubnets)
	props.Kubectl = checkKubectlOptions(n, "Kubectl", props.Kubectl)

	checkVersion(n, props.Version)
	checkName(n, "ClusterName", props.ClusterName, 100)
	checkTags(n, "Tags", props.Tags)
	checkClusterEnums(n, props)
	checkEndpointCidrs(n, props.EndpointAccess)
	if props.ServiceIpv4Cidr != "" && props.IpFamily != IpFamilyIpV6 {
		checkServiceCidr(n, props.ServiceIpv4Cidr)
	}
	return props
}

// checkClusterEnums checks the string and number enumerations of props.
func checkClusterEnums(n *cdk.Node, props ClusterProps) {
	seen := map[ClusterLoggingType]bool{}
	for i, t := range props.ClusterLogging {
		switch t {
		case ClusterLoggingApi, ClusterLoggingAudit, ClusterLoggingAuthenticator, ClusterLoggingControllerManager, ClusterLoggingScheduler:
		default:
			n.AddError("ClusterLogging[%d] %q is not a control plane log type: use eks.ClusterLoggingApi, ClusterLoggingAudit, ClusterLoggingAuthenticator, ClusterLoggingControllerManager or ClusterLoggingScheduler (api, audit, authenticator, controllerManager, scheduler)", i, string(t))
			continue
		}
		if seen[t] {
			n.AddError("ClusterLogging lists %q twice: list each log type once", string(t))
		}
		seen[t] = true
	}
	switch props.AuthenticationMode {
	case AuthenticationModeApiAndConfigMap, AuthenticationModeApi, AuthenticationModeConfigMap, "API_AND_CONFIG_MAP":
	default:
		n.AddError("AuthenticationMode %q is not an EKS authentication mode: use eks.AuthenticationModeApi, eks.AuthenticationModeConfigMap or leave it unset for API_AND_CONFIG_MAP", string(props.AuthenticationMode))
	}
	switch props.IpFamily {
	case IpFamilyIpV4, IpFamilyIpV6, "ipv4":
	default:
		n.AddError("IpFamily %q is not an IP family: use eks.IpFamilyIpV6, or leave it unset for IPv4", string(props.IpFamily))
	}
	if props.DefaultCapacityType < DefaultCapacityTypeNodegroup || props.DefaultCapacityType > DefaultCapacityTypeAutoMode {
		n.AddError("DefaultCapacityType %d is not a capacity type: use eks.DefaultCapacityTypeNodegroup, DefaultCapacityTypeEC2 or DefaultCapacityTypeAutoMode", int(props.DefaultCapacityType))
	}
	if props.CoreDnsComputeType < CoreDnsComputeTypeEc2 || props.CoreDnsComputeType > CoreDnsComputeTypeFargate {
		n.AddError("CoreDnsComputeType %d is not a compute type: use eks.CoreDnsComputeTypeEc2 or eks.CoreDnsComputeTypeFargate", int(props.CoreDnsComputeType))
	}
	checkRemovalPolicy(n, "RemovalPolicy", props.RemovalPolicy)
}

// checkRemovalPolicy checks a removal policy ("" is the default).
func checkRemovalPolicy(n *cdk.Node, field string, p cdk.RemovalPolicy) {
	switch p {
	case "", cdk.RemovalPolicyDestroy, cdk.RemovalPolicyRetain, cdk.RemovalPolicySnapshot, cdk.RemovalPolicyRetainOnUpdateOrDelete:
	default:
		n.AddError("%s %q is not a removal policy: use cdk.RemovalPolicyDestroy, cdk.RemovalPolicyRetain, cdk.RemovalPolicySnapshot or cdk.RemovalPolicyRetainOnUpdateOrDelete", field, string(p))
	}
}

// checkVersion checks a cluster's Kubernetes version.
func checkVersion(n *cdk.Node, v KubernetesVersion) {
	if v == "" || cdk.IsUnresolved(string(v)) {
		return // "required" is reported by the cluster
	}
	if !versionPattern.MatchString(string(v)) {
		return // reported by the cluster
	}
	if minorOf(v) < minorOf(OldestKubernetesVersion) {
		n.AddError("Version %q is older than any version EKS offers (the oldest, in extended support, is %s): use eks.V%s or later", string(v), OldestKubernetesVersion, strings.ReplaceAll(string(OldestKubernetesVersion), ".", "_"))
	}
}

// minorOf returns the minor version of "1.<minor>", or -1.
func minorOf(v KubernetesVersion) int {
	if !versionPattern.MatchString(string(v)) {
		return -1
	}
	m := 0
	for _, r := range string(v)[2:] {
		m = m*10 + int(r-'0')
		if m > 1e6 {
			return m
		}
	}
	return m
}

// checkName checks an EKS resource name (cluster, node group, Fargate
// profile): letters, digits, '-' and '_', starting with a letter or digit.
func checkName(n *cdk.Node, field, name string, max int) {
	if name == "" || cdk.IsUnresolved(name) {
		return
	}
	if len(name) > max {
		n.AddError("%s %q is %d characters long; EKS allows at most %d", field, name, len(name), max)
		return
	}
	if !eksNamePattern.MatchString(name) {
		n.AddError("%s %q is not a valid EKS name: use letters, digits, '-' and '_', starting with a letter or digit", field, name)
	}
}

// MaxTags is how many tags an AWS resource may have.
const MaxTags = 50

// checkTags checks tags as AWS does: at most 50, keys of 1–128 and values
// of at most 256 characters, no "aws:" prefix.
func checkTags(n *cdk.Node, field string, tags map[string]string) {
	if len(tags) > MaxTags {
		n.AddError("%s has %d tags; AWS allows at most %d per resource", field, len(tags), MaxTags)
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := tags[k]
		if cdk.IsUnresolved(k) {
			n.AddError("%s key %q is a late-bound value (token): tag keys must be known at synthesis", field, k)
			continue
		}
		switch {
		case k == "" || strings.TrimSpace(k) == "":
			n.AddError("%s has an empty key: tag keys are 1 to 128 characters", field)
		case len([]rune(k)) > 128:
			n.AddError("%s key %q is %d characters long; AWS allows at most 128", field, k, len([]rune(k)))
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			n.AddError("%s key %q starts with \"aws:\", which AWS reserves for its own tags: choose another key", field, k)
		}
		if !cdk.IsUnresolved(v) && len([]rune(v)) > 256 {
			n.AddError("%s value of %q is %d characters long; AWS allows at most 256", field, k, len([]rune(v)))
		}
	}
}

// checkEndpointCidrs checks the OnlyFrom CIDR blocks.
func checkEndpointCidrs(n *cdk.Node, ea EndpointAccess) {
	if len(ea.cidrs) > MaxPublicAccessCidrs {
		n.AddError("EndpointAccess.OnlyFrom lists %d CIDR blocks; EKS allows at most %d: merge them into larger blocks", len(ea.cidrs), MaxPublicAccessCidrs)
	}
	seen := map[string]bool{}
	for _, s := range ea.cidrs {
		if cdk.IsUnresolved(s) {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			n.AddError("EndpointAccess.OnlyFrom %q is not a CIDR block: write it as address/prefix length, e.g. \"203.0.113.0/24\"", s)
			continue
		}
		if p.Masked() != p {
			n.AddError("EndpointAccess.OnlyFrom %q has host bits set: use %s", s, p.Masked())
			continue
		}
		if seen[p.String()] {
			n.AddError("EndpointAccess.OnlyFrom lists %q twice: list each block once", s)
		}
		seen[p.String()] = true
	}
}

// serviceCidrRanges are the private ranges EKS accepts a service CIDR in.
var serviceCidrRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// checkServiceCidr checks ServiceIpv4Cidr as EKS does: an IPv4 block of
// /12 to /24 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.
func checkServiceCidr(n *cdk.Node, s string) {
	if cdk.IsUnresolved(s) {
		return
	}
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() {
		n.AddError("ServiceIpv4Cidr %q is not an IPv4 CIDR block: write it as address/prefix length, e.g. \"172.20.0.0/16\"", s)
		return
	}
	if p.Masked() != p {
		n.AddError("ServiceIpv4Cidr %q has host bits set: use %s", s, p.Masked())
		return
	}
	if p.Bits() < 12 || p.Bits() > 24 {
		n.AddError("ServiceIpv4Cidr %q is a /%d; EKS takes a block from /12 to /24", s, p.Bits())
		return
	}
	for _, r := range serviceCidrRanges {
		if r.Contains(p.Addr()) && r.Bits() <= p.Bits() {
			return
		}
	}
	n.AddError("ServiceIpv4Cidr %q is outside the private ranges EKS accepts: choose a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 that does not overlap the VPC", s)
}

// checkSubnetSelections reports typed-nil subnets in selections and drops
// them.
func checkSubnetSelections(n *cdk.Node, field string, sels []ec2.SubnetSelection) []ec2.SubnetSelection {
	var out []ec2.SubnetSelection
	for i, sel := range sels {
		sel.Subnets = checkSubnetList(n, fmt.Sprintf("%s[%d].Subnets", field, i), sel.Subnets)
		out = append(out, sel)
	}
	return out
}

func checkSubnetList(n *cdk.Node, field string, subnets []ec2.ISubnet) []ec2.ISubnet {
	if subnets == nil {
		return nil
	}
	out := []ec2.ISubnet{}
	for j, s := range subnets {
		if isNil(s) {
			n.AddError("%s[%d] is a nil subnet (%T): pass a subnet, or remove it", field, j, s)
			continue
		}
		out = append(out, s)
	}
	return out
}

// checkSubnetSelection is checkSubnetSelections for one selection.
func checkSubnetSelection(n *cdk.Node, field string, sel ec2.SubnetSelection) ec2.SubnetSelection {
	sel.Subnets = checkSubnetList(n, field+".Subnets", sel.Subnets)
	return sel
}

// checkKubectlOptions reports typed-nil references and enumerations of the
// kubectl options and returns them cleaned.
func checkKubectlOptions(n *cdk.Node, field string, o KubectlOptions) KubectlOptions {
	if isTypedNil(o.Role) {
		n.AddError("%s", nilRefMessage(field+".Role", o.Role, "a new handler role"))
		o.Role = nil
	}
	if isTypedNil(o.Provider) {
		n.AddError("%s", nilRefMessage(field+".Provider", o.Provider, "a new kubectl handler"))
		o.Provider = nil
	}
	if isTypedNil(o.LogEncryptionKey) {
		n.AddError("%s", nilRefMessage(field+".LogEncryptionKey", o.LogEncryptionKey, "an unencrypted log group"))
		o.LogEncryptionKey = nil
	}
	if isTypedNil(o.HandlerCode) {
		n.AddError("%s", nilRefMessage(field+".HandlerCode", o.HandlerCode, "the kubectl handler's code"))
		o.HandlerCode = nil
	}
	if o.SecurityGroups != nil {
		var sgs []ec2.ISecurityGroup
		for i, sg := range o.SecurityGroups {
			if isNil(sg) {
				n.AddError("%s.SecurityGroups[%d] is a nil security group (%T): pass a security group, or remove it", field, i, sg)
				continue
			}
			sgs = append(sgs, sg)
		}
		o.SecurityGroups = sgs
	}
	o.Subnets = checkSubnetSelection(n, field+".Subnets", o.Subnets)
	if o.Placement < KubectlPlacementAuto || o.Placement > KubectlPlacementOutsideVpc {
		n.AddError("%s.Placement %d is not a placement: use eks.KubectlPlacementAuto, KubectlPlacementVpc or KubectlPlacementOutsideVpc", field, int(o.Placement))
	}
	keys := make([]string, 0, len(o.Environment))
	for k := range o.Environment {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !envNamePattern.MatchString(k) {
			n.AddError("%s.Environment key %q is not an environment variable name: use letters, digits and '_', starting with a letter", field, k)
		}
	}
	return o
}

// envNamePattern is Lambda's pattern for environment variable names.
var envNamePattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]*$`)

// checkClusterAttributes reports typed-nil references and unknown
// enumerations of an imported cluster and returns the attributes cleaned.
func checkClusterAttributes(n *cdk.Node, a ClusterAttributes) ClusterAttributes {
	if isTypedNil(a.Vpc) {
		n.AddError("%s", nilRefMessage("Vpc", a.Vpc, "no VPC"))
		a.Vpc = nil
	}
	if isTypedNil(a.OpenIdConnectProvider) {
		n.AddError("%s", nilRefMessage("OpenIdConnectProvider", a.OpenIdConnectProvider, "no OIDC provider"))
		a.OpenIdConnectProvider = nil
	}
	a.Kubectl = checkKubectlOptions(n, "Kubectl", a.Kubectl)
	if r := a.KubectlRoleArn; r != "" {
		if !cdk.IsUnresolved(r) && !roleArnPattern.MatchString(r) {
			n.AddError("KubectlRoleArn %q is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)", r)
		}
		if a.Kubectl.Provider != nil {
			n.AddError("KubectlRoleArn and Kubectl.Provider are both set: the provider's handler assumes its own RoleArn; set KubectlProviderAttributes.RoleArn instead of KubectlRoleArn")
		}
	}
	checkName(n, "ClusterName", a.ClusterName, 100)
	switch a.AuthenticationMode {
	case AuthenticationModeApiAndConfigMap, AuthenticationModeApi, AuthenticationModeConfigMap, "API_AND_CONFIG_MAP":
	default:
		n.AddError("AuthenticationMode %q is not an EKS authentication mode: use eks.AuthenticationModeApi, eks.AuthenticationModeConfigMap or leave it unset for API_AND_CONFIG_MAP", string(a.AuthenticationMode))
	}
	switch a.IpFamily {
	case IpFamilyIpV4, IpFamilyIpV6, "ipv4":
	default:
		n.AddError("IpFamily %q is not an IP family: use eks.IpFamilyIpV6, or leave it unset for IPv4", string(a.IpFamily))
	}
	if v := a.KubernetesVersion; v != "" && !cdk.IsUnresolved(string(v)) && !versionPattern.MatchString(string(v)) {
		n.AddError("KubernetesVersion %q is not a Kubernetes version: use \"1.<minor>\", e.g. eks.V1_34", string(v))
	}
	return a
}

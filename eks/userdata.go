package eks

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
)

// BootstrapOptions are the seed's options for the node bootstrap script
// (/etc/eks/bootstrap.sh on Amazon Linux 2). EKS-optimized Amazon Linux 2023
// AMIs bootstrap with nodeadm instead; each option maps to a NodeConfig
// field where nodeadm has one, and is a synthesis error naming the option
// where it has none (docs/eks-bootstrap.md lists the mapping).
type BootstrapOptions struct {
	// KubeletExtraArgs are kubelet flags ("--node-labels foo=bar"),
	// rendered as NodeConfig spec.kubelet.flags.
	// Default: none.
	KubeletExtraArgs string
	// AwsApiRetryAttempts has no nodeadm equivalent: setting it is an
	// error on Amazon Linux 2023.
	// Default: unset.
	AwsApiRetryAttempts int
	// DockerConfigJson has no equivalent (AL2023 runs containerd, not
	// Docker): setting it is an error.
	// Default: unset.
	DockerConfigJson string
	// EnableDockerBridge true has no equivalent (no Docker daemon): an
	// error. False is what AL2023 does anyway.
	// Default: false.
	EnableDockerBridge bool
	// DisableMaxPods sets kubelet maxPods to Kubernetes' default (110)
	// instead of the ENI-based limit nodeadm computes (the AWS CDK's
	// useMaxPods: false).
	// Default: false, nodeadm's ENI-based limit.
	DisableMaxPods bool
	// DnsClusterIp is the cluster DNS service's IP, rendered as kubelet
	// clusterDNS.
	// Default: inferred by nodeadm from the service CIDR.
	DnsClusterIp string
	// AdditionalArgs were extra bootstrap.sh arguments; nodeadm has no
	// command line to pass them to: an error. Use KubeletExtraArgs, or
	// DisableBootstrap with your own NodeConfig.
	// Default: unset.
	AdditionalArgs string
}

func (b BootstrapOptions) isZero() bool {
	return b.KubeletExtraArgs == "" && b.AwsApiRetryAttempts == 0 && b.DockerConfigJson == "" && !b.EnableDockerBridge &&
		!b.DisableMaxPods && b.DnsClusterIp == "" && b.AdditionalArgs == ""
}

// unsupported lists the options nodeadm cannot honour, each with the fix.
func (b BootstrapOptions) unsupported() []string {
	var errs []string
	if b.AwsApiRetryAttempts != 0 {
		errs = append(errs, "BootstrapOptions.AwsApiRetryAttempts has no equivalent in nodeadm, the bootstrap of EKS-optimized Amazon Linux 2023 AMIs (nodeadm retries AWS calls itself): remove it")
	}
	if b.DockerConfigJson != "" {
		errs = append(errs, "BootstrapOptions.DockerConfigJson has no equivalent on Amazon Linux 2023, which runs containerd without Docker: remove it (containerd settings go in a NodeConfig's spec.containerd.config with DisableBootstrap)")
	}
	if b.EnableDockerBridge {
		errs = append(errs, "BootstrapOptions.EnableDockerBridge has no equivalent on Amazon Linux 2023, which has no Docker daemon: remove it")
	}
	if b.AdditionalArgs != "" {
		errs = append(errs, "BootstrapOptions.AdditionalArgs were bootstrap.sh arguments; nodeadm, the bootstrap of Amazon Linux 2023, takes no arguments: use KubeletExtraArgs for kubelet flags, or DisableBootstrap with your own NodeConfig")
	}
	return errs
}

// shellFields splits s on blanks as a shell does for plain words and
// single- or double-quoted parts (no escapes or expansions): bootstrap.sh
// passed --kubelet-extra-args through a shell.
func shellFields(s string) []string {
	var out []string
	var cur strings.Builder
	in, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

// splitKubeletArgs turns "--a x --b=y -v 2" into ["--a=x", "--b=y", "-v=2"].
func splitKubeletArgs(s string) []string {
	fields := shellFields(s)
	var out []string
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if strings.HasPrefix(f, "-") && !strings.Contains(f, "=") && i+1 < len(fields) && !strings.HasPrefix(fields[i+1], "-") {
			out = append(out, f+"="+fields[i+1])
			i++
			continue
		}
		out = append(out, f)
	}
	return out
}

// yamlString quotes a literal for YAML; tokens are quoted as they stand.
func yamlString(s string) string {
	if cdk.IsUnresolved(s) {
		return `"` + s + `"`
	}
	return strconv.Quote(s)
}

// nodeConfig holds what goes in a nodeadm NodeConfig.
type nodeConfig struct {
	name, endpoint, ca, cidr string
	flags                    []string
	maxPods                  int
	clusterDNS               string
}

func (n nodeConfig) render() string {
	var b strings.Builder
	b.WriteString("---\napiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  cluster:\n")
	fmt.Fprintf(&b, "    name: %s\n    apiServerEndpoint: %s\n    certificateAuthority: %s\n", yamlString(n.name), yamlString(n.endpoint), yamlString(n.ca))
	if n.cidr != "" {
		fmt.Fprintf(&b, "    cidr: %s\n", yamlString(n.cidr))
	}
	if n.maxPods != 0 || n.clusterDNS != "" || len(n.flags) > 0 {
		b.WriteString("  kubelet:\n")
		if n.maxPods != 0 || n.clusterDNS != "" {
			b.WriteString("    config:\n")
			if n.maxPods != 0 {
				fmt.Fprintf(&b, "      maxPods: %d\n", n.maxPods)
			}
			if n.clusterDNS != "" {
				fmt.Fprintf(&b, "      clusterDNS:\n      - %s\n", yamlString(n.clusterDNS))
			}
		}
		if len(n.flags) > 0 {
			b.WriteString("    flags:\n")
			for _, f := range n.flags {
				fmt.Fprintf(&b, "    - %s\n", yamlString(f))
			}
		}
	}
	return b.String()
}

// serviceCidr is the cluster's service CIDR when it can be known at
// synthesis: the one set, or EKS's choice from a literal VPC CIDR
// (172.20.0.0/16 when the VPC uses 10.0.0.0/8, else 10.100.0.0/16).
func serviceCidr(c ICluster) string {
	if cl, ok := c.(*Cluster); ok {
		if cl.props.ServiceIpv4Cidr != "" {
			return cl.props.ServiceIpv4Cidr
		}
	}
	if c.IpFamily() == IpFamilyIpV6 || c.Vpc() == nil {
		return ""
	}
	cidr := c.Vpc().VpcCidrBlock()
	if v, ok := c.Vpc().(*ec2.Vpc); ok && v.Resource != nil && v.Resource.Props.CidrBlock != "" {
		cidr = v.Resource.Props.CidrBlock
	}
	if cidr == "" || cdk.IsUnresolved(cidr) {
		return ""
	}
	if strings.HasPrefix(cidr, "10.") {
		return "172.20.0.0/16"
	}
	return "10.100.0.0/16"
}

// amazonLinuxNodeConfig renders the NodeConfig joining a node to c.
func amazonLinuxNodeConfig(c ICluster, spot bool, opts BootstrapOptions) nodeConfig {
	n := nodeConfig{name: c.ClusterName(), endpoint: c.ClusterEndpoint(), ca: c.ClusterCertificateAuthorityData(), cidr: serviceCidr(c)}
	if spot {
		n.flags = append(n.flags, "--node-labels=lifecycle=Ec2Spot", "--register-with-taints=spotInstance=true:PreferNoSchedule")
	} else {
		n.flags = append(n.flags, "--node-labels=lifecycle=OnDemand")
	}
	n.flags = append(n.flags, splitKubeletArgs(opts.KubeletExtraArgs)...)
	if opts.DisableMaxPods {
		n.maxPods = 110
	}
	n.clusterDNS = opts.DnsClusterIp
	return n
}

// bottlerocketUserData renders Bottlerocket's TOML settings joining a node
// to c.
func bottlerocketUserData(c ICluster, spot bool) string {
	lines := []string{
		"[settings.kubernetes]",
		"api-server=" + yamlString(c.ClusterEndpoint()),
		"cluster-certificate=" + yamlString(c.ClusterCertificateAuthorityData()),
		"cluster-name=" + yamlString(c.ClusterName()),
	}
	labels := map[string]string{"lifecycle": "OnDemand"}
	if spot {
		labels["lifecycle"] = "Ec2Spot"
	}
	lines = append(lines, "", "[settings.kubernetes.node-labels]")
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		lines = append(lines, strconv.Quote(k)+" = "+strconv.Quote(labels[k]))
	}
	if spot {
		lines = append(lines, "", "[settings.kubernetes.node-taints]", `"spotInstance" = "true:PreferNoSchedule"`)
	}
	return strings.Join(lines, "\n")
}

package eks

import (
	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/optarg"
)

// MachineImageType is the operating system of self-managed nodes.
type MachineImageType int

// Machine image types.
const (
	// MachineImageTypeAmazonLinux2023 is the EKS-optimized Amazon Linux
	// 2023 AMI, bootstrapped by nodeadm (the zero value).
	MachineImageTypeAmazonLinux2023 MachineImageType = iota
	// MachineImageTypeBottlerocket is the Bottlerocket AMI for EKS,
	// configured with TOML settings.
	MachineImageTypeBottlerocket
)

// ConnectOptions say how an Auto Scaling group joins a cluster.
type ConnectOptions struct {
	// DisableBootstrap leaves out the user data that joins nodes to the
	// cluster, to write it yourself (the AWS CDK's bootstrapEnabled: false).
	// Default: false, the user data is added.
	DisableBootstrap bool
	// BootstrapOptions tune the bootstrap (Amazon Linux only).
	// Default: none.
	BootstrapOptions BootstrapOptions
	// MachineImageType says how the nodes bootstrap.
	// Default: Amazon Linux 2023.
	MachineImageType MachineImageType
	// DisableMapRole leaves the nodes' role unmapped (the AWS CDK's
	// mapRole: false); by default it is mapped into the cluster: an access
	// entry of type EC2_LINUX (API modes) and an aws-auth entry (modes with
	// the ConfigMap).
	// Default: false, the role is mapped.
	DisableMapRole bool
	// DisableSpotInterruptHandler skips the AWS Node Termination Handler
	// that is installed (once per cluster) when the group uses spot
	// instances (the AWS CDK's spotInterruptHandler: false).
	// Default: false, the handler is installed.
	DisableSpotInterruptHandler bool
}

// AutoScalingGroupCapacityOptions configure self-managed capacity: the
// Auto Scaling group's props (InstanceType is required; Vpc is the
// cluster's) and how it joins the cluster.
type AutoScalingGroupCapacityOptions struct {
	autoscaling.AutoScalingGroupProps
	ConnectOptions
	// AllowImdsv1 lets the nodes answer IMDSv1 requests (HttpTokens
	// "optional"). Without it their launch template requires IMDSv2
	// (RequireImdsv2 is set) with a hop limit of 2, so pods reach the
	// metadata service only with a session token and only through the
	// node's network (set HttpPutResponseHopLimit to 1 to keep pods out).
	// Default: false (IMDSv2 required, hop limit 2).
	AllowImdsv1 bool
}

// AddAutoScalingGroupCapacity adds self-managed nodes (the seed's
// addCapacity): an Auto Scaling group in the cluster's VPC (private
// subnets by default) with the EKS-optimized AMI for the cluster's version
// and the instance type's architecture, joined to the cluster.
func (c *Cluster) AddAutoScalingGroupCapacity(id string, opts AutoScalingGroupCapacityOptions) *autoscaling.AutoScalingGroup {
	return addAutoScalingGroupCapacity(c, id, opts)
}

func addAutoScalingGroupCapacity(c ICluster, id string, opts AutoScalingGroupCapacityOptions) *autoscaling.AutoScalingGroup {
	props := opts.AutoScalingGroupProps
	if props.InstanceType.IsZero() {
		panic(c.Node().Path() + "/" + id + ": AutoScalingGroupCapacityOptions.InstanceType is required")
	}
	props.Vpc = c.Vpc()
	if props.Vpc == nil {
		panic(c.Node().Path() + ": the cluster has no VPC for self-managed capacity: import it with ClusterAttributes.Vpc")
	}
	version := string(c.KubernetesVersion())
	if props.MachineImage == nil {
		if version == "" {
			panic(c.Node().Path() + "/" + id + ": the imported cluster's Kubernetes version is unknown: set ClusterAttributes.KubernetesVersion or AutoScalingGroupProps.MachineImage")
		}
		if opts.MachineImageType == MachineImageTypeBottlerocket {
			variant := ec2.BottlerocketVariantStandard
			if props.InstanceType.IsGpu() {
				variant = ec2.BottlerocketVariantNvidia
			}
			props.MachineImage = ec2.BottlerocketImage(version, props.InstanceType.Architecture(), variant)
		} else {
			props.MachineImage = ec2.EksOptimizedAmi(version, ec2.NodeTypeFor(props.InstanceType))
		}
	}
	if props.UserData == nil && !opts.DisableBootstrap {
		// The group is created with the user data the bootstrap needs, so
		// ConnectAutoScalingGroupCapacity only fills it in.
		if opts.MachineImageType == MachineImageTypeBottlerocket {
			// Bottlerocket reads TOML settings, written whole here.
			props.UserData = ec2.UserDataCustom(bottlerocketUserData(c, props.SpotPrice != ""))
		} else {
			props.UserData = ec2.NewMultipartUserData()
		}
	}
	if !opts.AllowImdsv1 {
		props.RequireImdsv2 = true
		if props.HttpPutResponseHopLimit == 0 {
			props.HttpPutResponseHopLimit = 2
		}
	} else if props.RequireImdsv2 {
		c.Node().AddError("%s: AllowImdsv1 and RequireImdsv2 are both set: drop one", id)
	}
	asg := autoscaling.NewAutoScalingGroup(c, id, props)
	connectAutoScalingGroupCapacity(c, asg, opts.ConnectOptions, opts.MachineImageType == MachineImageTypeBottlerocket && opts.UserData == nil)
	return asg
}

// ConnectAutoScalingGroupCapacity joins an existing Auto Scaling group to
// the cluster (the seed's addAutoScalingGroup): security group rules
// between the group's own security group, the control plane and the
// cluster's other capacity (the instances do not join the EKS cluster
// security group; see docs/guide/security.md), bootstrap user data, the
// worker node policies on the group's role, the kubernetes.io/cluster/<name>
// tag, the role's mapping and, for spot instances, the termination handler.
// A group whose launch template does not require IMDSv2 is a warning.
// A nil group is a synthesis error on the cluster. Pass at most one options
// value.
func (c *Cluster) ConnectAutoScalingGroupCapacity(asg *autoscaling.AutoScalingGroup, opts ...ConnectOptions) {
	connectAutoScalingGroupCapacity(c, asg, optarg.One(c.Node().Path()+": ConnectAutoScalingGroupCapacity", opts), false)
	if asg != nil {
		warnImdsv1(asg)
	}
}

// ConnectAutoScalingGroupCapacityTo joins an Auto Scaling group to any
// cluster, imported ones included (which need ClusterEndpoint,
// ClusterCertificateAuthorityData and a Vpc in their attributes). Pass at
// most one options value.
func ConnectAutoScalingGroupCapacityTo(c ICluster, asg *autoscaling.AutoScalingGroup, opts ...ConnectOptions) {
	connectAutoScalingGroupCapacity(c, asg, optarg.One("eks.ConnectAutoScalingGroupCapacityTo", opts), false)
	if asg != nil {
		warnImdsv1(asg)
	}
}

// AddAutoScalingGroupCapacityTo adds self-managed capacity to any cluster,
// imported ones included; see Cluster.AddAutoScalingGroupCapacity.
func AddAutoScalingGroupCapacityTo(c ICluster, id string, opts AutoScalingGroupCapacityOptions) *autoscaling.AutoScalingGroup {
	return addAutoScalingGroupCapacity(c, id, opts)
}

// connectAutoScalingGroupCapacity joins asg to c; settingsWritten says the
// Bottlerocket settings are already the group's user data.
func connectAutoScalingGroupCapacity(c ICluster, asg *autoscaling.AutoScalingGroup, opts ConnectOptions, settingsWritten bool) {
	requiredCluster("eks.ConnectAutoScalingGroupCapacity", "the cluster", c)
	if asg == nil {
		c.Node().AddError("ConnectAutoScalingGroupCapacity: the Auto Scaling group is a nil *autoscaling.AutoScalingGroup: pass a group made with autoscaling.NewAutoScalingGroup")
		return
	}
	connectNodeSecurityGroups(c, asg)
	registerCompute(c, asg.Resource)
	spot := asg.SpotPrice() != ""
	bootstrap := !opts.DisableBootstrap
	if !bootstrap && !opts.BootstrapOptions.isZero() {
		asg.Node().AddError("BootstrapOptions cannot be set with DisableBootstrap: remove one")
	}
	if opts.MachineImageType == MachineImageTypeBottlerocket && !opts.BootstrapOptions.isZero() {
		asg.Node().AddError("BootstrapOptions are not supported on Bottlerocket, which is configured with TOML settings rather than a bootstrap script: remove BootstrapOptions")
	}
	if bootstrap {
		if opts.MachineImageType == MachineImageTypeBottlerocket {
			if !settingsWritten {
				addBottlerocketSettings(c, asg, spot)
			}
		} else {
			for _, e := range opts.BootstrapOptions.unsupported() {
				asg.Node().AddError("%s", e)
			}
			n := amazonLinuxNodeConfig(c, spot, opts.BootstrapOptions)
			if n.cidr == "" && n.clusterDNS == "" {
				asg.Node().AddWarning("the cluster's service CIDR is unknown at synthesis (imported VPC or IPv6): nodeadm needs it to find the cluster DNS; set ClusterProps.ServiceIpv4Cidr or BootstrapOptions.DnsClusterIp")
			}
			if mp, ok := asg.UserData().(*ec2.MultipartUserData); ok {
				mp.AddPart(ec2.MultipartBodyFromRawBody(ec2.MultipartBodyOptions{ContentType: "application/node.eks.aws", Body: n.render()}))
			} else {
				// A shell user data: write the NodeConfig and run nodeadm
				// from it.
				asg.AddUserData(
					"mkdir -p /etc/eks",
					"cat > /etc/eks/eksforge-nodeconfig.yaml <<'EKSFORGE_NODECONFIG'\n"+n.render()+"EKSFORGE_NODECONFIG",
					"/usr/bin/nodeadm init --config-source file:///etc/eks/eksforge-nodeconfig.yaml",
				)
			}
		}
	}

	role := asg.Role()
	for _, p := range []string{"AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"} {
		role.AddManagedPolicy(iam.ManagedPolicyFromAwsManagedPolicyName(p))
	}
	cdk.TagsOf(asg).Add("kubernetes.io/cluster/"+c.ClusterName(), "owned", cdk.TagProps{ExcludeResourceTypes: []string{"AWS::EC2::SecurityGroup"}})
	cdk.NewCfnOutput(asg, "InstanceRoleARN", cdk.CfnOutputProps{Value: role.RoleArn()})

	if !opts.DisableMapRole {
		// Under the cluster, so the group's tags stay off the entry.
		id := asg.Node().ID() + "NodeAccessEntry"
		if c.Node().TryFindChild(id) != nil {
			id = "NodeAccessEntry" + cdk.UniqueID(asg)
		}
		AuthorizeNodeRole(c, id, role)
	}

	if spot && !opts.DisableSpotInterruptHandler {
		addSpotInterruptHandler(c)
	}
}

// SpotInterruptHandlerChart is the Helm chart installed once per cluster
// with spot capacity: the AWS Node Termination Handler from its OCI
// registry (public ECR, as the AWS CDK uses), on nodes labelled lifecycle=Ec2Spot.
var SpotInterruptHandlerChart = HelmChartRequest{
	ID:         "spot-interrupt-handler",
	Chart:      "aws-node-termination-handler",
	Repository: "oci://public.ecr.aws/aws-ec2/helm/aws-node-termination-handler",
	Version:    "0.27.0",
	Namespace:  "kube-system",
	Values:     map[string]any{"nodeSelector": map[string]any{"lifecycle": "Ec2Spot"}},
}

// addSpotInterruptHandler asks for the termination handler chart once per
// cluster; part 2's HelmChart installs it (see clusterInternals).
func addSpotInterruptHandler(c ICluster) {
	in := c.internals()
	if in.spotHandler {
		return
	}
	in.spotHandler = true
	in.requestHelmChart(SpotInterruptHandlerChart)
}

// DefaultCapacity is the self-managed Auto Scaling group of the default
// capacity. It is nil when DefaultCapacity is 0 or DefaultCapacityType is
// not DefaultCapacityTypeEC2.
func (c *Cluster) DefaultCapacity() *autoscaling.AutoScalingGroup { return c.defaultCapacity }

type capacityGroup = *autoscaling.AutoScalingGroup

func (c *Cluster) addDefaultAutoScalingGroup(it ec2.InstanceType, n int) capacityGroup {
	return c.AddAutoScalingGroupCapacity("DefaultCapacity", AutoScalingGroupCapacityOptions{
		AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{InstanceType: it, MinCapacity: cdk.Ptr(n)},
	})
}

// addBottlerocketSettings appends the TOML settings to the user data of a
// group made elsewhere; a user data that takes no lines is an error with
// the fix.
func addBottlerocketSettings(c ICluster, asg *autoscaling.AutoScalingGroup, spot bool) {
	defer func() {
		if r := recover(); r != nil {
			asg.Node().AddError("cannot add the Bottlerocket settings to the group's user data (%v): create the group with UserData ec2.UserDataCustom holding the settings and connect it with DisableBootstrap", r)
		}
	}()
	asg.AddUserData(bottlerocketUserData(c, spot))
}

// warnImdsv1 warns when a group the user made and connects lets its
// instances answer IMDSv1 (AddAutoScalingGroupCapacity requires IMDSv2
// itself, unless AllowImdsv1 asks otherwise).
func warnImdsv1(asg *autoscaling.AutoScalingGroup) {
	lt := asg.LaunchTemplate
	if lt == nil || lt.Resource == nil {
		return
	}
	if d := lt.Resource.Props.LaunchTemplateData; d != nil && d.MetadataOptions != nil && d.MetadataOptions.HttpTokens == string(ec2.HttpTokensRequired) {
		return
	}
	asg.Node().AddWarning("the group's launch template does not require IMDSv2, so a request forged through a pod or an SSRF can read the node role's credentials with IMDSv1: set AutoScalingGroupProps.RequireImdsv2 (with HttpPutResponseHopLimit 2 for pods that use the metadata service), or add the capacity with AddAutoScalingGroupCapacity, which does (docs/guide/security.md)")
}

package eks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
	"github.com/eksforge/eksforge/internal/optarg"
)

// NodegroupAmiType is the AMI family of a managed node group.
type NodegroupAmiType string

// AMI types of managed node groups. AL2 types are listed for existing node
// groups; EKS offers no AL2 AMIs for Kubernetes 1.33 and later.
const (
	NodegroupAmiTypeAl2023X86_64Standard     NodegroupAmiType = "AL2023_x86_64_STANDARD"
	NodegroupAmiTypeAl2023Arm64Standard      NodegroupAmiType = "AL2023_ARM_64_STANDARD"
	NodegroupAmiTypeAl2023X86_64Nvidia       NodegroupAmiType = "AL2023_x86_64_NVIDIA"
	NodegroupAmiTypeAl2023Arm64Nvidia        NodegroupAmiType = "AL2023_ARM_64_NVIDIA"
	NodegroupAmiTypeAl2023X86_64Neuron       NodegroupAmiType = "AL2023_x86_64_NEURON"
	NodegroupAmiTypeBottlerocketX86_64       NodegroupAmiType = "BOTTLEROCKET_x86_64"
	NodegroupAmiTypeBottlerocketArm64        NodegroupAmiType = "BOTTLEROCKET_ARM_64"
	NodegroupAmiTypeBottlerocketX86_64Nvidia NodegroupAmiType = "BOTTLEROCKET_x86_64_NVIDIA"
	NodegroupAmiTypeBottlerocketArm64Nvidia  NodegroupAmiType = "BOTTLEROCKET_ARM_64_NVIDIA"
	NodegroupAmiTypeBottlerocketX86_64Fips   NodegroupAmiType = "BOTTLEROCKET_x86_64_FIPS"
	NodegroupAmiTypeBottlerocketArm64Fips    NodegroupAmiType = "BOTTLEROCKET_ARM_64_FIPS"
	NodegroupAmiTypeWindowsCore2022X86_64    NodegroupAmiType = "WINDOWS_CORE_2022_x86_64"
	NodegroupAmiTypeWindowsFull2022X86_64    NodegroupAmiType = "WINDOWS_FULL_2022_x86_64"
	NodegroupAmiTypeAl2X86_64                NodegroupAmiType = "AL2_x86_64"
	NodegroupAmiTypeAl2X86_64Gpu             NodegroupAmiType = "AL2_x86_64_GPU"
	NodegroupAmiTypeAl2Arm64                 NodegroupAmiType = "AL2_ARM_64"
	NodegroupAmiTypeCustom                   NodegroupAmiType = "CUSTOM"
)

// CapacityType is how a managed node group buys its instances.
type CapacityType string

// Capacity types; the zero value leaves it to EKS (on-demand).
const (
	CapacityTypeOnDemand      CapacityType = "ON_DEMAND"
	CapacityTypeSpot          CapacityType = "SPOT"
	CapacityTypeCapacityBlock CapacityType = "CAPACITY_BLOCK"
)

// TaintEffect is the effect of a node taint.
type TaintEffect string

// Taint effects, as EKS spells them.
const (
	TaintEffectNoSchedule       TaintEffect = "NO_SCHEDULE"
	TaintEffectPreferNoSchedule TaintEffect = "PREFER_NO_SCHEDULE"
	TaintEffectNoExecute        TaintEffect = "NO_EXECUTE"
)

// TaintSpec is a Kubernetes taint applied to a node group's nodes.
type TaintSpec struct {
	// Key of the taint: a Kubernetes qualified name. Required.
	Key string
	// Value of the taint: a Kubernetes label value.
	// Default: empty.
	Value string
	// Effect of the taint. Required.
	Effect TaintEffect
}

// NodegroupRemoteAccess allows SSH to a node group's nodes.
type NodegroupRemoteAccess struct {
	// SshKeyName is the EC2 key pair. Required.
	SshKeyName string
	// SourceSecurityGroups may reach port 22.
	// Default: port 22 open to the internet (0.0.0.0/0), EKS's default.
	SourceSecurityGroups []ec2.ISecurityGroup
}

// LaunchTemplateSpec names the launch template of a node group.
type LaunchTemplateSpec struct {
	// ID of the launch template. Required.
	ID string
	// Version of the launch template.
	// Default: the template's default version.
	Version string
}

// NodegroupOptions configure a managed node group.
type NodegroupOptions struct {
	// NodegroupName is the node group's name. Changing it replaces the node
	// group.
	// Default: a name EKS generates.
	NodegroupName string
	// Subnets select where nodes are placed.
	// Default: the cluster VPC's private subnets.
	Subnets ec2.SubnetSelection
	// AmiType is the AMI family.
	// Default: inferred from InstanceTypes: AL2023 standard for x86_64 or
	// arm64, AL2023 NVIDIA for GPU and AL2023 Neuron for Inferentia and
	// Trainium instances; EKS's choice when there are no instance types.
	AmiType NodegroupAmiType
	// InstanceTypes of the nodes; several for spot capacity. All must share
	// a CPU architecture.
	// Default: t3.medium (EKS's default; not rendered).
	InstanceTypes []ec2.InstanceType
	// Labels are Kubernetes labels of the nodes.
	// Default: none.
	Labels map[string]string
	// Taints are Kubernetes taints of the nodes.
	// Default: none.
	Taints []TaintSpec
	// CapacityType is on-demand or spot.
	// Default: on-demand (not rendered).
	CapacityType CapacityType
	// DiskSize is the root volume size in GiB (at most MaxDiskSize). It cannot be combined with a
	// launch template.
	// Default: 20 (EKS's default; not rendered).
	DiskSize int
	// DisableForceUpdate makes a version or launch-template update fail
	// when pods cannot be drained because of a pod disruption budget (the
	// AWS CDK's forceUpdate: false); by default nodes are replaced anyway.
	// Default: false, updates are forced.
	DisableForceUpdate bool
	// DesiredSize is the number of nodes to start with.
	// Default: MinSize when set, else 2.
	DesiredSize *int
	// MinSize is the smallest number of nodes.
	// Default: 1.
	MinSize *int
	// MaxSize is the largest number of nodes.
	// Default: DesiredSize.
	MaxSize *int
	// MaxUnavailable is how many nodes may be unavailable during an update
	// (1–100, at most MaxSize). Not with MaxUnavailablePercentage.
	// Default: EKS's (1).
	MaxUnavailable int
	// MaxUnavailablePercentage is the percentage of nodes that may be
	// unavailable during an update (1–100). Not with MaxUnavailable.
	// Default: EKS's.
	MaxUnavailablePercentage int
	// RemoteAccess allows SSH to the nodes. Not with a launch template.
	// Default: none.
	RemoteAccess *NodegroupRemoteAccess
	// LaunchTemplateSpec is a launch template for the nodes.
	// Default: none.
	LaunchTemplateSpec *LaunchTemplateSpec
	// NodeRole is the nodes' IAM role.
	// Default: a role with AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy
	// and AmazonEC2ContainerRegistryReadOnly.
	NodeRole iam.IRole
	// ReleaseVersion is the AMI release version.
	// Default: the latest for the cluster's version.
	ReleaseVersion string
	// Tags of the node group.
	// Default: none.
	Tags map[string]string
	// EnableNodeAutoRepair lets EKS repair unhealthy nodes.
	// Default: false (not rendered).
	EnableNodeAutoRepair bool
	// NodeRepair tunes node auto repair (thresholds, parallelism, the
	// action per condition); only with EnableNodeAutoRepair.
	// Default: EKS's repair settings.
	NodeRepair *NodeRepairConfig
	// UpdateStrategy says how nodes are replaced in a version update.
	// Default: EKS's (NodegroupUpdateStrategyDefault: new nodes first).
	UpdateStrategy NodegroupUpdateStrategy
}

// NodegroupProps define a Nodegroup.
type NodegroupProps struct {
	// Cluster the node group joins. Required.
	Cluster ICluster
	NodegroupOptions
}

// Nodegroup is an EKS managed node group (AWS::EKS::Nodegroup).
type Nodegroup struct {
	cdk.Base

	// Resource is the AWS::EKS::Nodegroup resource.
	Resource *cfneks.CfnNodegroup

	cluster                       ICluster
	role                          iam.IRole
	desiredSize, minSize, maxSize int
}

// NewNodegroup adds a managed node group to scope.
func NewNodegroup(scope cdk.Construct, id string, props NodegroupProps) *Nodegroup {
	ng := &Nodegroup{cluster: props.Cluster}
	cdk.InitConstruct(ng, scope, id)
	requiredCluster(ng.Node().Path(), "NodegroupProps.Cluster", props.Cluster)
	o := ng.checkNodegroupOptions(props.Cluster, props.NodegroupOptions)
	checkNotOnOutpost(ng.Node(), props.Cluster, "managed node groups")

	ng.desiredSize = 2
	if o.DesiredSize != nil {
		ng.desiredSize = *o.DesiredSize
	} else if o.MinSize != nil {
		ng.desiredSize = *o.MinSize
	}
	ng.minSize = 1
	if o.MinSize != nil {
		ng.minSize = *o.MinSize
	}
	ng.maxSize = ng.desiredSize
	if o.MaxSize != nil {
		ng.maxSize = *o.MaxSize
	}
	ng.checkSizes(o)
	if !cdk.IsUnresolved(ng.desiredSize) && !cdk.IsUnresolved(ng.maxSize) && ng.desiredSize > ng.maxSize {
		ng.Node().AddError("desired size %d is greater than max size %d: raise MaxSize or lower DesiredSize", ng.desiredSize, ng.maxSize)
	}
	if !cdk.IsUnresolved(ng.desiredSize) && !cdk.IsUnresolved(ng.minSize) && ng.desiredSize < ng.minSize {
		ng.Node().AddError("desired size %d is less than min size %d: raise DesiredSize or lower MinSize", ng.desiredSize, ng.minSize)
	}
	if o.LaunchTemplateSpec != nil && o.DiskSize != 0 {
		ng.Node().AddError("DiskSize cannot be set with a LaunchTemplateSpec: set the volume size in the launch template")
	}
	if o.LaunchTemplateSpec != nil && o.RemoteAccess != nil {
		ng.Node().AddError("RemoteAccess cannot be set with a LaunchTemplateSpec: set the key pair in the launch template")
	}
	ng.validateUpdateConfig(o)

	amiType := o.AmiType
	if len(o.InstanceTypes) > 0 {
		possible, err := possibleAmiTypes(o.InstanceTypes)
		if err != "" {
			if o.CapacityType == CapacityTypeSpot {
				err = "spot capacity: " + err
			}
			ng.Node().AddError("%s", err)
		} else if o.AmiType != "" && !containsAmi(possible, o.AmiType) {
			names := make([]string, len(possible))
			for i, p := range possible {
				names[i] = string(p)
			}
			ng.Node().AddError("AmiType %s does not match the instance types' architecture: use one of %s, or leave AmiType empty", o.AmiType, strings.Join(names, ", "))
		} else if amiType == "" && o.LaunchTemplateSpec == nil {
			amiType = possible[0]
		}
	}
	for _, e := range validateLabels(o.Labels) {
		ng.Node().AddError("Labels: %s", e)
	}
	var taints []cfneks.CfnNodegroupTaint
	for i, t := range o.Taints {
		for _, e := range validateTaint(t) {
			ng.Node().AddError("Taints[%d]: %s", i, e)
		}
		taints = append(taints, cfneks.CfnNodegroupTaint{Key: t.Key, Value: t.Value, Effect: string(t.Effect)})
	}

	if o.NodeRole != nil {
		ng.role = o.NodeRole
	} else {
		r := iam.NewRole(ng, "NodeGroupRole", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
		r.AddManagedPolicy(iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEKSWorkerNodePolicy"))
		r.AddManagedPolicy(iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEKS_CNI_Policy"))
		r.AddManagedPolicy(iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEC2ContainerRegistryReadOnly"))
		if props.Cluster.IpFamily() == IpFamilyIpV6 {
			r.AddToPrincipalPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
				Actions:   []string{"ec2:AssignIpv6Addresses", "ec2:UnassignIpv6Addresses"},
				Resources: []string{"arn:aws:ec2:*:*:network-interface/*"},
			}))
		}
		ng.role = r
	}

	sel := ec2.SubnetSelection{SubnetType: ec2.SubnetTypePrivateWithEgress}
	if !o.Subnets.IsZero() {
		sel = o.Subnets
	}
	var subnets []string
	if vpc := props.Cluster.Vpc(); vpc != nil {
		res, err := ec2.TrySelectSubnets(vpc, sel)
		if err != nil {
			ng.Node().AddError("Subnets: %v", err)
		}
		subnets = res.SubnetIds
	} else {
		ng.Node().AddError("the cluster has no VPC to place nodes in: import it with ClusterAttributes.Vpc")
	}

	cfg := cfneks.CfnNodegroupProps{
		ClusterName:        props.Cluster.ClusterName(),
		NodegroupName:      o.NodegroupName,
		NodeRole:           ng.role.RoleArn(),
		Subnets:            subnets,
		AmiType:            string(amiType),
		CapacityType:       string(o.CapacityType),
		ForceUpdateEnabled: cdk.Ptr(!o.DisableForceUpdate),
		Labels:             o.Labels,
		Taints:             taints,
		ReleaseVersion:     o.ReleaseVersion,
		Tags:               o.Tags,
		ScalingConfig: &cfneks.CfnNodegroupScalingConfig{
			DesiredSize: cdk.Ptr(ng.desiredSize),
			MaxSize:     cdk.Ptr(ng.maxSize),
			MinSize:     cdk.Ptr(ng.minSize),
		},
	}
	for _, it := range o.InstanceTypes {
		cfg.InstanceTypes = append(cfg.InstanceTypes, it.String())
	}
	if o.DiskSize != 0 {
		cfg.DiskSize = cdk.Ptr(o.DiskSize)
	}
	if o.LaunchTemplateSpec != nil {
		cfg.LaunchTemplate = &cfneks.CfnNodegroupLaunchTemplateSpecification{Id: o.LaunchTemplateSpec.ID, Version: o.LaunchTemplateSpec.Version}
	}
	if o.RemoteAccess != nil {
		ra := &cfneks.CfnNodegroupRemoteAccess{Ec2SshKey: o.RemoteAccess.SshKeyName}
		for _, sg := range o.RemoteAccess.SourceSecurityGroups {
			ra.SourceSecurityGroups = append(ra.SourceSecurityGroups, sg.SecurityGroupId())
		}
		cfg.RemoteAccess = ra
	}
	cfg.UpdateConfig = ng.updateConfig(o)
	cfg.NodeRepairConfig = ng.nodeRepairConfig(o)
	ng.Resource = cfneks.NewCfnNodegroup(ng, "Resource", cfg)
	ng.Node().SetDefaultChild(ng.Resource)
	if c, ok := props.Cluster.(*Cluster); ok {
		c.applyRemovalPolicy(&ng.Resource.CfnResource)
	}
	registerCompute(props.Cluster, ng.Resource)
	AllowPodTrafficWithClusterSecurityGroup(props.Cluster)
	return ng
}

func (ng *Nodegroup) validateUpdateConfig(o NodegroupOptions) {
	if o.MaxUnavailable != 0 && o.MaxUnavailablePercentage != 0 {
		ng.Node().AddError("MaxUnavailable and MaxUnavailablePercentage cannot both be set: keep one")
	}
	if p := o.MaxUnavailablePercentage; p != 0 && (p < 1 || p > 100) {
		ng.Node().AddError("MaxUnavailablePercentage must be between 1 and 100, got %d", p)
	}
	if m := o.MaxUnavailable; m != 0 {
		if m > ng.maxSize && !cdk.IsUnresolved(ng.maxSize) {
			ng.Node().AddError("MaxUnavailable must not exceed MaxSize (%d), got %d", ng.maxSize, m)
		}
		if m < 1 || m > 100 {
			ng.Node().AddError("MaxUnavailable must be between 1 and 100, got %d", m)
		}
	}
}

// NodegroupName is the node group's name.
func (ng *Nodegroup) NodegroupName() string {
	if ng.Resource.Props.NodegroupName != "" {
		return ng.Resource.Props.NodegroupName
	}
	return ng.Resource.GetAttString("NodegroupName")
}

// NodegroupArn is the node group's ARN.
func (ng *Nodegroup) NodegroupArn() string { return ng.Resource.AttrArn() }

// Role is the nodes' IAM role.
func (ng *Nodegroup) Role() iam.IRole { return ng.role }

// Cluster is the node group's cluster.
func (ng *Nodegroup) Cluster() ICluster { return ng.cluster }

// DesiredSize, MinSize and MaxSize are the node group's scaling settings
// after defaults.
func (ng *Nodegroup) DesiredSize() int { return ng.desiredSize }

// MinSize is the smallest number of nodes.
func (ng *Nodegroup) MinSize() int { return ng.minSize }

// MaxSize is the largest number of nodes.
func (ng *Nodegroup) MaxSize() int { return ng.maxSize }

// AddNodegroupCapacity adds a managed node group to the cluster, with id
// "Nodegroup<id>" as the AWS CDK names it. Pass at most one options value.
func (c *Cluster) AddNodegroupCapacity(id string, opts ...NodegroupOptions) *Nodegroup {
	o := optarg.One(c.Node().Path()+": AddNodegroupCapacity", opts)
	return NewNodegroup(c, "Nodegroup"+id, NodegroupProps{Cluster: c, NodegroupOptions: o})
}

// amiFamily is the hardware an instance type needs in an AMI.
func amiFamily(t ec2.InstanceType) string {
	switch {
	case t.IsNeuron():
		return "neuron"
	case t.IsGpu():
		return "gpu-" + string(t.Architecture())
	default:
		return string(t.Architecture())
	}
}

// possibleAmiTypes are the AMI types that fit the instance types, the
// default first; an error when they need different ones.
func possibleAmiTypes(types []ec2.InstanceType) ([]NodegroupAmiType, string) {
	fams := map[string]bool{}
	var names []string
	for _, t := range types {
		fams[amiFamily(t)] = true
		names = append(names, t.String())
	}
	if len(fams) > 1 {
		var fs []string
		for f := range fams {
			fs = append(fs, f)
		}
		sort.Strings(fs)
		return nil, fmt.Sprintf("instance types %s need different AMIs (%s): use instance types of one CPU architecture (and GPU or not)", strings.Join(names, ", "), strings.Join(fs, ", "))
	}
	for f := range fams {
		switch f {
		case "neuron":
			return []NodegroupAmiType{NodegroupAmiTypeAl2023X86_64Neuron}, ""
		case "gpu-x86_64":
			return []NodegroupAmiType{NodegroupAmiTypeAl2023X86_64Nvidia, NodegroupAmiTypeBottlerocketX86_64Nvidia, NodegroupAmiTypeAl2X86_64Gpu}, ""
		case "gpu-arm64":
			return []NodegroupAmiType{NodegroupAmiTypeAl2023Arm64Nvidia, NodegroupAmiTypeBottlerocketArm64Nvidia}, ""
		case "arm64":
			return []NodegroupAmiType{NodegroupAmiTypeAl2023Arm64Standard, NodegroupAmiTypeBottlerocketArm64, NodegroupAmiTypeBottlerocketArm64Fips, NodegroupAmiTypeAl2Arm64}, ""
		}
	}
	return []NodegroupAmiType{NodegroupAmiTypeAl2023X86_64Standard, NodegroupAmiTypeBottlerocketX86_64, NodegroupAmiTypeBottlerocketX86_64Fips,
		NodegroupAmiTypeWindowsCore2022X86_64, NodegroupAmiTypeWindowsFull2022X86_64, NodegroupAmiTypeAl2X86_64}, ""
}

func containsAmi(l []NodegroupAmiType, t NodegroupAmiType) bool {
	for _, x := range l {
		if x == t {
			return true
		}
	}
	return false
}

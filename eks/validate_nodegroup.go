package eks

import (
	"fmt"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
)

// MaxTaints is how many taints EKS allows on a managed node group.
const MaxTaints = 50

// firstVersionWithoutAl2 is the first Kubernetes version EKS publishes no
// Amazon Linux 2 AMIs for.
const firstVersionWithoutAl2 = V1_33

// MaxDiskSize is the largest root volume, in GiB, that EBS creates
// (gp2 and gp3 volumes: 16 TiB).
const MaxDiskSize = 16384

// checkNodegroupOptions reports problems of a node group's options visible
// before its resource is built, and returns them with typed-nil references
// cleared.
func (ng *Nodegroup) checkNodegroupOptions(c ICluster, o NodegroupOptions) NodegroupOptions {
	n := ng.Node()
	if isTypedNil(o.NodeRole) {
		n.AddError("%s", nilRefMessage("NodeRole", o.NodeRole, "a new node role"))
		o.NodeRole = nil
	}
	o.Subnets = checkSubnetSelection(n, "Subnets", o.Subnets)
	if o.RemoteAccess != nil {
		ra := *o.RemoteAccess
		if ra.SshKeyName == "" {
			n.AddError("RemoteAccess.SshKeyName is required: name the EC2 key pair, or remove RemoteAccess")
		}
		var sgs []ec2.ISecurityGroup
		for i, sg := range ra.SourceSecurityGroups {
			if isNil(sg) {
				n.AddError("RemoteAccess.SourceSecurityGroups[%d] is a nil security group (%T): pass a security group, or remove it", i, sg)
				continue
			}
			sgs = append(sgs, sg)
		}
		ra.SourceSecurityGroups = sgs
		o.RemoteAccess = &ra
	}
	if o.LaunchTemplateSpec != nil && o.LaunchTemplateSpec.ID == "" {
		n.AddError("LaunchTemplateSpec.ID is required: set the launch template's ID, or remove LaunchTemplateSpec")
	}
	for i, it := range o.InstanceTypes {
		if it.IsZero() {
			n.AddError("InstanceTypes[%d] is empty: use ec2.InstanceTypeOf(\"m5.large\") or ec2.InstanceTypeOfClassAndSize(...)", i)
		}
	}
	checkName(n, "NodegroupName", o.NodegroupName, 63)
	checkTags(n, "Tags", o.Tags)

	switch o.AmiType {
	case "", NodegroupAmiTypeAl2023X86_64Standard, NodegroupAmiTypeAl2023Arm64Standard, NodegroupAmiTypeAl2023X86_64Nvidia,
		NodegroupAmiTypeAl2023Arm64Nvidia, NodegroupAmiTypeAl2023X86_64Neuron, NodegroupAmiTypeBottlerocketX86_64,
		NodegroupAmiTypeBottlerocketArm64, NodegroupAmiTypeBottlerocketX86_64Nvidia, NodegroupAmiTypeBottlerocketArm64Nvidia,
		NodegroupAmiTypeBottlerocketX86_64Fips, NodegroupAmiTypeBottlerocketArm64Fips, NodegroupAmiTypeWindowsCore2022X86_64,
		NodegroupAmiTypeWindowsFull2022X86_64, NodegroupAmiTypeAl2X86_64, NodegroupAmiTypeAl2X86_64Gpu, NodegroupAmiTypeAl2Arm64,
		NodegroupAmiTypeCustom, "WINDOWS_CORE_2019_x86_64", "WINDOWS_FULL_2019_x86_64", "WINDOWS_CORE_2025_x86_64", "WINDOWS_FULL_2025_x86_64":
	default:
		n.AddError("AmiType %q is not an EKS AMI type: use one of the eks.NodegroupAmiType constants (e.g. eks.NodegroupAmiTypeAl2023X86_64Standard), or leave it unset", string(o.AmiType))
	}
	switch o.AmiType {
	case NodegroupAmiTypeAl2X86_64, NodegroupAmiTypeAl2X86_64Gpu, NodegroupAmiTypeAl2Arm64:
		if v := c.KubernetesVersion(); minorOf(v) >= minorOf(firstVersionWithoutAl2) {
			n.AddError("AmiType %s: EKS publishes no Amazon Linux 2 AMIs for Kubernetes %s (none from %s on): use an AL2023 or Bottlerocket AMI type", string(o.AmiType), string(v), string(firstVersionWithoutAl2))
		}
	}
	switch o.CapacityType {
	case "", CapacityTypeOnDemand, CapacityTypeSpot, CapacityTypeCapacityBlock:
	default:
		n.AddError("CapacityType %q is not a capacity type: use eks.CapacityTypeOnDemand, eks.CapacityTypeSpot or eks.CapacityTypeCapacityBlock", string(o.CapacityType))
	}
	if o.DiskSize < 0 && !cdk.IsUnresolved(o.DiskSize) {
		n.AddError("DiskSize is %d GiB: use a positive size, or leave it unset for 20 GiB", o.DiskSize)
	}
	if o.DiskSize > MaxDiskSize && !cdk.IsUnresolved(o.DiskSize) {
		n.AddError("DiskSize is %d GiB; an EBS root volume is at most %d GiB: use a smaller size", o.DiskSize, MaxDiskSize)
	}
	if len(o.Taints) > MaxTaints {
		n.AddError("Taints has %d taints; EKS allows at most %d per node group", len(o.Taints), MaxTaints)
	}
	seen := map[string]int{}
	for i, t := range o.Taints {
		k := t.Key + "|" + string(t.Effect)
		if j, ok := seen[k]; ok {
			n.AddError("Taints[%d] repeats Taints[%d] (key %q, effect %s): Kubernetes allows one taint per key and effect", i, j, t.Key, string(t.Effect))
			continue
		}
		seen[k] = i
	}
	return o
}

// checkSizes checks the scaling settings after defaults.
func (ng *Nodegroup) checkSizes(o NodegroupOptions) {
	n := ng.Node()
	check := func(field string, v *int, min int, what string) {
		if v != nil && !cdk.IsUnresolved(*v) && *v < min {
			n.AddError("%s is %d: %s", field, *v, what)
		}
	}
	check("MinSize", o.MinSize, 0, "use 0 or more")
	check("DesiredSize", o.DesiredSize, 0, "use 0 or more")
	check("MaxSize", o.MaxSize, 1, "EKS needs at least 1")
	if o.MaxSize == nil && !cdk.IsUnresolved(ng.maxSize) && ng.maxSize < 1 && ng.desiredSize >= 0 {
		n.AddError("%s", fmt.Sprintf("MaxSize defaults to DesiredSize (%d), but EKS needs a MaxSize of at least 1: set MaxSize", ng.desiredSize))
	}
}

package ec2

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/aws/ssm"
	"github.com/eksforge/eksforge/cdk"
)

// OperatingSystemType is the operating system of an image.
type OperatingSystemType string

// Operating systems.
const (
	OperatingSystemTypeLinux   OperatingSystemType = "Linux"
	OperatingSystemTypeWindows OperatingSystemType = "Windows"
	OperatingSystemTypeUnknown OperatingSystemType = "Unknown"
)

// ImageConfig is an image chosen for a scope: its ID (usually a token read
// at deploy time), operating system and matching empty user data.
type ImageConfig struct {
	// ImageId is the AMI ID.
	ImageId string
	// OsType is the image's operating system.
	OsType OperatingSystemType
	// UserData is empty user data of the image's kind.
	UserData UserData
}

// IMachineImage chooses an AMI.
type IMachineImage interface {
	// GetImage returns the image for use in scope (it may add template
	// parameters or mappings to scope's stack).
	GetImage(scope cdk.Construct) ImageConfig
}

// NodeType is the hardware an EKS-optimized AMI is built for: a CPU
// architecture and an accelerator variant.
type NodeType string

// Hardware of the EKS-optimized Amazon Linux 2023 AMIs.
const (
	// NodeTypeStandard is x86_64 without accelerators.
	NodeTypeStandard NodeType = "x86_64/standard"
	// NodeTypeStandardArm64 is arm64 (Graviton) without accelerators.
	NodeTypeStandardArm64 NodeType = "arm64/standard"
	// NodeTypeGpu is x86_64 with NVIDIA GPUs.
	NodeTypeGpu NodeType = "x86_64/nvidia"
	// NodeTypeGpuArm64 is arm64 with NVIDIA GPUs (g5g).
	NodeTypeGpuArm64 NodeType = "arm64/nvidia"
	// NodeTypeNeuron is x86_64 with AWS Inferentia or Trainium.
	NodeTypeNeuron NodeType = "x86_64/neuron"
)

// NodeTypeFor returns the hardware of an instance type: its architecture,
// and nvidia for GPU types, neuron for Inferentia and Trainium types.
func NodeTypeFor(t InstanceType) NodeType {
	arm := t.Architecture() == InstanceArchitectureArm64
	switch {
	case t.IsNeuron():
		return NodeTypeNeuron
	case t.IsGpu() && arm:
		return NodeTypeGpuArm64
	case t.IsGpu():
		return NodeTypeGpu
	case arm:
		return NodeTypeStandardArm64
	}
	return NodeTypeStandard
}

// Architecture is the CPU architecture of the hardware.
func (n NodeType) Architecture() InstanceArchitecture {
	a, _, _ := strings.Cut(string(n), "/")
	return InstanceArchitecture(a)
}

// Variant is "standard", "nvidia" or "neuron".
func (n NodeType) Variant() string {
	_, v, _ := strings.Cut(string(n), "/")
	return v
}

type ssmImage struct {
	parameter string
	os        OperatingSystemType
	userData  func() UserData
}

func (i ssmImage) GetImage(scope cdk.Construct) ImageConfig {
	return ImageConfig{
		ImageId:  ssm.StringParameterValueForTypedStringParameter(scope, i.parameter, ssm.ParameterValueTypeAwsEc2ImageId),
		OsType:   i.os,
		UserData: i.userData(),
	}
}

func checkKubernetesVersion(fn, v string) {
	if v == "" || (!cdk.IsUnresolved(v) && strings.ContainsAny(v, "/ ")) {
		panic(fmt.Sprintf("ec2: %s: %q is not a Kubernetes version such as \"1.33\"", fn, v))
	}
}

// EksOptimizedAmi is the latest EKS-optimized Amazon Linux 2023 AMI for a
// Kubernetes version ("1.33") and hardware, read at deploy time from the
// public SSM parameter
// /aws/service/eks/optimized-ami/<version>/amazon-linux-2023/<arch>/<variant>/recommended/image_id
// through a template parameter of type
// AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>.
func EksOptimizedAmi(kubernetesVersion string, hw NodeType) IMachineImage {
	checkKubernetesVersion("EksOptimizedAmi", kubernetesVersion)
	switch hw {
	case NodeTypeStandard, NodeTypeStandardArm64, NodeTypeGpu, NodeTypeGpuArm64, NodeTypeNeuron:
	case "":
		hw = NodeTypeStandard
	default:
		panic(fmt.Sprintf("ec2: EksOptimizedAmi: NodeType %q is not one of the NodeType constants", hw))
	}
	return ssmImage{
		parameter: fmt.Sprintf("/aws/service/eks/optimized-ami/%s/amazon-linux-2023/%s/%s/recommended/image_id", kubernetesVersion, hw.Architecture(), hw.Variant()),
		os:        OperatingSystemTypeLinux,
		userData:  func() UserData { return UserDataForLinux() },
	}
}

// BottlerocketVariant is a Bottlerocket variant for Kubernetes.
type BottlerocketVariant string

// Bottlerocket variants.
const (
	// BottlerocketVariantStandard is aws-k8s-<version>.
	BottlerocketVariantStandard BottlerocketVariant = ""
	// BottlerocketVariantNvidia is aws-k8s-<version>-nvidia, for GPUs.
	BottlerocketVariantNvidia BottlerocketVariant = "nvidia"
	// BottlerocketVariantFips is aws-k8s-<version>-fips.
	BottlerocketVariantFips BottlerocketVariant = "fips"
)

// BottlerocketImage is the latest Bottlerocket AMI for a Kubernetes
// version, read at deploy time from
// /aws/service/bottlerocket/aws-k8s-<version>[-variant]/<arch>/latest/image_id.
// Its user data is custom (Bottlerocket takes TOML settings, not scripts).
func BottlerocketImage(kubernetesVersion string, arch InstanceArchitecture, variant BottlerocketVariant) IMachineImage {
	checkKubernetesVersion("BottlerocketImage", kubernetesVersion)
	if arch == "" {
		arch = InstanceArchitectureX86_64
	}
	if arch != InstanceArchitectureX86_64 && arch != InstanceArchitectureArm64 {
		panic(fmt.Sprintf("ec2: BottlerocketImage: architecture %q is not x86_64 or arm64", arch))
	}
	name := "aws-k8s-" + kubernetesVersion
	if variant != "" {
		name += "-" + string(variant)
	}
	return ssmImage{
		parameter: fmt.Sprintf("/aws/service/bottlerocket/%s/%s/latest/image_id", name, arch),
		os:        OperatingSystemTypeLinux,
		userData:  func() UserData { return UserDataCustom("") },
	}
}

// GenericSsmImage is the AMI whose ID is in the SSM parameter
// parameterName, read at deploy time; a Linux image.
func GenericSsmImage(parameterName string) IMachineImage {
	if parameterName == "" {
		panic("ec2: GenericSsmImage: the parameter name is empty")
	}
	return ssmImage{parameter: parameterName, os: OperatingSystemTypeLinux, userData: func() UserData { return UserDataForLinux() }}
}

type genericLinux struct{ amis map[string]string }

// GenericLinuxImage is a Linux AMI given per region. In a stack with a
// known region the AMI is used as is (a region without one panics);
// otherwise the map becomes a template mapping "AmiMap" read with
// Fn::FindInMap on AWS::Region.
func GenericLinuxImage(amiByRegion map[string]string) IMachineImage {
	if len(amiByRegion) == 0 {
		panic("ec2: GenericLinuxImage: the map of AMIs by region is empty")
	}
	return genericLinux{amis: amiByRegion}
}

func (g genericLinux) GetImage(scope cdk.Construct) ImageConfig {
	region := cdk.StackOf(scope).Region()
	cfg := ImageConfig{OsType: OperatingSystemTypeLinux, UserData: UserDataForLinux()}
	if !cdk.IsUnresolved(region) {
		ami, ok := g.amis[region]
		if !ok {
			regions := make([]string, 0, len(g.amis))
			for r := range g.amis {
				regions = append(regions, r)
			}
			sort.Strings(regions)
			panic(fmt.Sprintf("ec2: %q: GenericLinuxImage has no AMI for region %s (it has %s)", scope.Node().Path(), region, strings.Join(regions, ", ")))
		}
		cfg.ImageId = ami
		return cfg
	}
	m, _ := scope.Node().TryFindChild("AmiMap").(*cdk.CfnMapping)
	if m == nil {
		mapping := map[string]map[string]any{}
		for r, ami := range g.amis {
			mapping[r] = map[string]any{"ami": ami}
		}
		m = cdk.NewCfnMapping(scope, "AmiMap", cdk.CfnMappingProps{Mapping: mapping})
	}
	cfg.ImageId = m.FindInMap(cdk.Aws.Region, "ami")
	return cfg
}

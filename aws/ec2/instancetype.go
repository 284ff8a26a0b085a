package ec2

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/eksforge/eksforge/cdk"
)

// InstanceArchitecture is a CPU architecture.
type InstanceArchitecture string

// CPU architectures, with the names AMIs and SSM parameters use.
const (
	InstanceArchitectureX86_64 InstanceArchitecture = "x86_64"
	InstanceArchitectureArm64  InstanceArchitecture = "arm64"
)

// InstanceClass is an instance family and generation, such as "m5" or
// "c7g". Any class EC2 offers may be written as a string; the constants
// name the common ones.
type InstanceClass string

// Common instance classes.
const (
	InstanceClassT3   InstanceClass = "t3"
	InstanceClassT3a  InstanceClass = "t3a"
	InstanceClassT4g  InstanceClass = "t4g"
	InstanceClassM5   InstanceClass = "m5"
	InstanceClassM5a  InstanceClass = "m5a"
	InstanceClassM6i  InstanceClass = "m6i"
	InstanceClassM6g  InstanceClass = "m6g"
	InstanceClassM7i  InstanceClass = "m7i"
	InstanceClassM7g  InstanceClass = "m7g"
	InstanceClassM8g  InstanceClass = "m8g"
	InstanceClassC5   InstanceClass = "c5"
	InstanceClassC6i  InstanceClass = "c6i"
	InstanceClassC6g  InstanceClass = "c6g"
	InstanceClassC7i  InstanceClass = "c7i"
	InstanceClassC7g  InstanceClass = "c7g"
	InstanceClassC8g  InstanceClass = "c8g"
	InstanceClassR5   InstanceClass = "r5"
	InstanceClassR6i  InstanceClass = "r6i"
	InstanceClassR6g  InstanceClass = "r6g"
	InstanceClassR7g  InstanceClass = "r7g"
	InstanceClassR8g  InstanceClass = "r8g"
	InstanceClassG4dn InstanceClass = "g4dn"
	InstanceClassG5   InstanceClass = "g5"
	InstanceClassG5g  InstanceClass = "g5g"
	InstanceClassG6   InstanceClass = "g6"
	InstanceClassG6e  InstanceClass = "g6e"
	InstanceClassP4d  InstanceClass = "p4d"
	InstanceClassP5   InstanceClass = "p5"
	InstanceClassInf1 InstanceClass = "inf1"
	InstanceClassInf2 InstanceClass = "inf2"
	InstanceClassTrn1 InstanceClass = "trn1"
	InstanceClassTrn2 InstanceClass = "trn2"
)

// InstanceSize is the size part of an instance type, such as "large".
type InstanceSize string

// Instance sizes.
const (
	InstanceSizeNano     InstanceSize = "nano"
	InstanceSizeMicro    InstanceSize = "micro"
	InstanceSizeSmall    InstanceSize = "small"
	InstanceSizeMedium   InstanceSize = "medium"
	InstanceSizeLarge    InstanceSize = "large"
	InstanceSizeXlarge   InstanceSize = "xlarge"
	InstanceSizeXlarge2  InstanceSize = "2xlarge"
	InstanceSizeXlarge4  InstanceSize = "4xlarge"
	InstanceSizeXlarge8  InstanceSize = "8xlarge"
	InstanceSizeXlarge12 InstanceSize = "12xlarge"
	InstanceSizeXlarge16 InstanceSize = "16xlarge"
	InstanceSizeXlarge24 InstanceSize = "24xlarge"
	InstanceSizeXlarge48 InstanceSize = "48xlarge"
	InstanceSizeMetal    InstanceSize = "metal"
)

// InstanceType is an EC2 instance type such as "m5.large". Make one with
// [InstanceTypeOf], [ParseInstanceType] or [InstanceTypeOfClassAndSize].
type InstanceType struct {
	id                 string
	family             string // letters before the generation, e.g. "m", "inf", "hpc"
	generation         int
	capabilities       string // letters after the generation, e.g. "gd", "dn"
	class, size        string
	unresolved, parsed bool
}

var (
	instanceTypePattern = regexp.MustCompile(`^(u-\d+tb\d+|[a-z]+\d{1,2}[a-z0-9\-]*)\.(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$`)
	instanceClassParts  = regexp.MustCompile(`^([a-z]+)(\d{1,2})([a-z\-]*)`)
)

// ParseInstanceType parses an instance type such as "m5.large",
// "c7gn.16xlarge", "p5.48xlarge" or "u-6tb1.metal". A token (an instance
// type known only at deploy time) is accepted as is; its architecture is
// then assumed to be x86_64.
func ParseInstanceType(id string) (InstanceType, error) {
	if cdk.IsUnresolved(id) {
		return InstanceType{id: id, unresolved: true, parsed: true}, nil
	}
	m := instanceTypePattern.FindStringSubmatch(id)
	if m == nil {
		return InstanceType{}, fmt.Errorf("%q is not an instance type: write <class>.<size> in lower case, such as \"m5.large\", \"c7g.2xlarge\" or \"t3.micro\"", id)
	}
	it := InstanceType{id: id, class: m[1], size: m[2], parsed: true}
	if p := instanceClassParts.FindStringSubmatch(it.class); p != nil {
		it.family = p[1]
		it.generation, _ = strconv.Atoi(p[2])
		it.capabilities = p[3]
	} else {
		it.family = "u"
	}
	return it, nil
}

// InstanceTypeOf parses an instance type such as "m5.large"; it panics on a
// malformed one (use [ParseInstanceType] for an error instead).
func InstanceTypeOf(id string) InstanceType {
	it, err := ParseInstanceType(id)
	if err != nil {
		panic("ec2: InstanceTypeOf: " + err.Error())
	}
	return it
}

// InstanceTypeOfClassAndSize builds an instance type from its class and
// size, e.g. (InstanceClassM5, InstanceSizeLarge) is "m5.large".
func InstanceTypeOfClassAndSize(class InstanceClass, size InstanceSize) InstanceType {
	return InstanceTypeOf(string(class) + "." + string(size))
}

// String returns the instance type, e.g. "m5.large".
func (t InstanceType) String() string { return t.id }

// IsZero reports whether t is the zero InstanceType (no type set).
func (t InstanceType) IsZero() bool { return !t.parsed }

// Class is the class part, e.g. "m5" of "m5.large"; empty for a token.
func (t InstanceType) Class() string { return t.class }

// Size is the size part, e.g. "large" of "m5.large"; empty for a token.
func (t InstanceType) Size() string { return t.size }

// Architecture is the CPU architecture: arm64 for the Graviton classes
// (those with a "g" after the generation: c6g, c7gn, m7gd, r8g, t4g, x2gd,
// im4gn, is4gen, hpc7g, g5g, …), the a1 class and the Apple silicon Macs
// (mac2…); x86_64 otherwise, and for tokens.
func (t InstanceType) Architecture() InstanceArchitecture {
	if t.unresolved {
		return InstanceArchitectureX86_64
	}
	switch {
	case t.family == "a" && t.generation == 1,
		t.family == "mac" && t.generation >= 2,
		containsRune(t.capabilities, 'g'):
		return InstanceArchitectureArm64
	}
	return InstanceArchitectureX86_64
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}

// IsGpu reports whether the type has NVIDIA (or AMD) GPUs: the p2–p6 and
// g3–g6 classes (g4dn, g4ad, g5, g5g, g6, g6e, g6f, …) and gr6.
func (t InstanceType) IsGpu() bool {
	switch t.family {
	case "p":
		return t.generation >= 2
	case "g":
		return t.generation >= 3
	case "gr":
		return true
	}
	return false
}

// IsInferentia reports whether the type has AWS Inferentia chips (inf1,
// inf2).
func (t InstanceType) IsInferentia() bool { return t.family == "inf" }

// IsTrainium reports whether the type has AWS Trainium chips (trn1, trn1n,
// trn2).
func (t InstanceType) IsTrainium() bool { return t.family == "trn" }

// IsNeuron reports whether the type uses the AWS Neuron SDK (Inferentia or
// Trainium), which needs the EKS-optimized Neuron AMI.
func (t InstanceType) IsNeuron() bool { return t.IsInferentia() || t.IsTrainium() }

// IsBurstable reports whether the type is a burstable (T) type.
func (t InstanceType) IsBurstable() bool { return t.family == "t" }

// SameInstanceClassAs reports whether both types have the same class
// ("m5.large" and "m5.xlarge" do).
func (t InstanceType) SameInstanceClassAs(o InstanceType) bool {
	return !t.unresolved && !o.unresolved && t.class == o.class
}

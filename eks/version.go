package eks

import (
	"fmt"
	"regexp"
)

// KubernetesVersion is the Kubernetes minor version of a cluster's control
// plane, written as EKS writes it ("1.34"). Use a constant or
// KubernetesVersionOf for versions released after this library.
type KubernetesVersion string

// The Kubernetes versions EKS offers (standard or extended support) when this
// library was written.
const (
	V1_30 KubernetesVersion = "1.30"
	V1_31 KubernetesVersion = "1.31"
	V1_32 KubernetesVersion = "1.32"
	V1_33 KubernetesVersion = "1.33"
	V1_34 KubernetesVersion = "1.34"
	V1_35 KubernetesVersion = "1.35"
	V1_36 KubernetesVersion = "1.36"
	V1_37 KubernetesVersion = "1.37"
)

var versionPattern = regexp.MustCompile(`^1\.(0|[1-9][0-9]*)$`)

// KubernetesVersionOf returns a version not listed as a constant, such as
// "1.38". It panics when v is not of the form "1.<minor>", since a version is
// always a literal in a program.
func KubernetesVersionOf(v string) KubernetesVersion {
	if !versionPattern.MatchString(v) {
		panic(fmt.Sprintf("eks.KubernetesVersionOf(%q): a Kubernetes version is \"1.<minor>\", such as \"1.34\"", v))
	}
	return KubernetesVersion(v)
}

// String returns the version as EKS writes it.
func (v KubernetesVersion) String() string { return string(v) }

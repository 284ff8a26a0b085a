package eks

import "strings"

type endpointMode int

const (
	endpointPublicAndPrivate endpointMode = iota
	endpointPublic
	endpointPrivate
)

// EndpointAccess says from where the cluster's Kubernetes API endpoint can be
// reached. Its zero value is public and private access: the endpoint is
// reachable from the internet, and nodes in the VPC reach it privately.
// Use EndpointAccessPublic, EndpointAccessPrivate or
// EndpointAccessPublicAndPrivate, and OnlyFrom to restrict public access to
// CIDR blocks.
type EndpointAccess struct {
	mode  endpointMode
	cidrs []string
	// onlyFromPrivate records OnlyFrom called on a private-only endpoint,
	// reported at synthesis.
	onlyFromPrivate bool
}

var (
	// EndpointAccessPublic makes the endpoint reachable from the internet
	// only; nodes reach it through the internet too.
	EndpointAccessPublic = EndpointAccess{mode: endpointPublic}
	// EndpointAccessPrivate makes the endpoint reachable from the VPC only.
	// The cluster's subnets must include private subnets.
	EndpointAccessPrivate = EndpointAccess{mode: endpointPrivate}
	// EndpointAccessPublicAndPrivate makes the endpoint reachable from the
	// internet and, privately, from the VPC. It is the zero value.
	EndpointAccessPublicAndPrivate = EndpointAccess{mode: endpointPublicAndPrivate}
)

// OnlyFrom restricts public access to the given CIDR blocks. Calling it on
// EndpointAccessPrivate is a synthesis error: a private endpoint has no
// public access to restrict.
func (e EndpointAccess) OnlyFrom(cidrs ...string) EndpointAccess {
	out := EndpointAccess{mode: e.mode, cidrs: append(append([]string(nil), e.cidrs...), cidrs...)}
	if e.mode == endpointPrivate {
		out.onlyFromPrivate = true
		out.cidrs = nil
	}
	return out
}

// PublicAccess reports whether the endpoint is reachable from the internet.
func (e EndpointAccess) PublicAccess() bool { return e.mode != endpointPrivate }

// PrivateAccess reports whether the endpoint is reachable privately from the
// VPC.
func (e EndpointAccess) PrivateAccess() bool { return e.mode != endpointPublic }

// PublicCidrs are the CIDR blocks public access is restricted to; none means
// anywhere.
func (e EndpointAccess) PublicCidrs() []string { return append([]string(nil), e.cidrs...) }

// String describes the access as the AWS CDK names it.
func (e EndpointAccess) String() string {
	s := [...]string{"PUBLIC_AND_PRIVATE", "PUBLIC", "PRIVATE"}[e.mode]
	if len(e.cidrs) > 0 {
		s += ".onlyFrom(" + strings.Join(e.cidrs, ", ") + ")"
	}
	return s
}

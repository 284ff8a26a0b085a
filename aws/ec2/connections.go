package ec2

import (
	"fmt"

	"github.com/eksforge/eksforge/internal/nilref"
)

// reactive is a list whose listeners also see the items added later, as
// the AWS CDK's ReactiveList: a rule allowed between two Connections also
// covers security groups added to either afterwards.
type reactive[T any] struct {
	items     []T
	listeners []func(T)
}

func (r *reactive[T]) push(xs ...T) {
	r.items = append(r.items, xs...)
	for _, l := range r.listeners {
		for _, x := range xs {
			l(x)
		}
	}
}

func (r *reactive[T]) forEachAndForever(l func(T)) {
	for _, x := range r.items {
		l(x)
	}
	r.listeners = append(r.listeners, l)
}

// ConnectionsProps configure [NewConnections].
type ConnectionsProps struct {
	// SecurityGroups are the groups whose rules the Connections manage.
	// Default: none.
	SecurityGroups []ISecurityGroup
	// Peer is the address the Connections stand for when they have no
	// security group (a CIDR block, a prefix list).
	// Default: none.
	Peer IPeer
	// DefaultPort is the port of the AllowDefaultPort… methods.
	// Default: none (those methods panic).
	DefaultPort *Port
}

// Connections manages the security group rules between constructs: a rule
// allowed from A to B adds an egress rule to A's groups and an ingress rule
// to B's, written inline or as separate resources exactly where the AWS CDK
// writes them.
type Connections struct {
	// DefaultPort is the port of the AllowDefaultPort… methods; nil when
	// none.
	DefaultPort *Port

	groups     reactive[ISecurityGroup]
	rules      reactive[IPeer]
	skip       bool
	remoteRule bool
}

// NewConnections returns Connections for security groups or a peer.
//
// A nil or typed-nil security group or Peer is left out and reported as a
// synthesis error on the first valid security group; without one there is
// no construct to report on, and it panics with a message (a programming
// error).
func NewConnections(props ConnectionsProps) *Connections {
	c := &Connections{DefaultPort: props.DefaultPort}
	var bad []string
	for i, g := range props.SecurityGroups {
		if nilref.IsNil(g) {
			bad = append(bad, fmt.Sprintf("ConnectionsProps.SecurityGroups[%d] %s", i, nilref.Describe(g)))
			continue
		}
		c.groups.push(g)
		c.rules.push(g)
	}
	if props.Peer != nil {
		if nilref.IsNil(props.Peer) {
			bad = append(bad, "ConnectionsProps.Peer "+nilref.Describe(props.Peer))
		} else {
			c.rules.push(props.Peer)
		}
	}
	for _, b := range bad {
		c.fail("NewConnections", b, "pass security groups and a peer that exist, or leave them out")
	}
	return c
}

// fail reports a nil argument of a Connections method as an error on the
// first managed security group, or panics with the message without one.
func (c *Connections) fail(method, what, fix string) {
	msg := fmt.Sprintf("Connections.%s: %s: %s", method, what, fix)
	if len(c.groups.items) == 0 {
		panic("ec2: " + msg)
	}
	c.groups.items[0].Node().AddError("%s", msg)
}

// other returns other's Connections, or nil after reporting a nil or
// typed-nil other (or one without Connections).
func (c *Connections) other(method string, other IConnectable) *Connections {
	if nilref.IsNil(other) {
		c.fail(method, "the other side "+nilref.Describe(other), "pass a security group, peer or construct with Connections()")
		return nil
	}
	oc := other.Connections()
	if oc == nil {
		c.fail(method, fmt.Sprintf("%T.Connections() is nil", other), "pass a construct whose connections exist")
	}
	return oc
}

// SecurityGroups are the managed groups.
func (c *Connections) SecurityGroups() []ISecurityGroup {
	return append([]ISecurityGroup(nil), c.groups.items...)
}

// AddSecurityGroup adds groups; rules already allowed apply to them too.
// A nil or typed-nil group is reported as NewConnections reports one.
func (c *Connections) AddSecurityGroup(groups ...ISecurityGroup) {
	for i, g := range groups {
		if nilref.IsNil(g) {
			c.fail("AddSecurityGroup", fmt.Sprintf("group %d %s", i, nilref.Describe(g)), "pass a security group that exists")
			continue
		}
		c.groups.push(g)
		c.rules.push(g)
	}
}

func addRule(sg ISecurityGroup, ingress bool, peer IPeer, port Port, description string, remote bool) {
	if ra, ok := sg.(ruleAdder); ok {
		ra.addRule(ingress, peer, port, description, remote)
		return
	}
	if ingress {
		sg.AddIngressRule(peer, port, description)
	} else {
		sg.AddEgressRule(peer, port, description)
	}
}

func checkPortValue(fn string, port Port) {
	if !port.valid() {
		panic(fmt.Sprintf("ec2: %s: the Port is the zero value; make one with PortTcp, PortAllTraffic or another Port… function", fn))
	}
}

// AllowTo allows traffic on port from these groups to other: egress rules
// here, ingress rules on other's groups. An empty description gives the
// AWS CDK's default ("to <peer>:<port>").
func (c *Connections) AllowTo(other IConnectable, port Port, description string) {
	checkPortValue("AllowTo", port)
	if c.skip {
		return
	}
	remote := c.remoteRule
	oc := c.other("AllowTo", other)
	if oc == nil {
		return
	}
	c.groups.forEachAndForever(func(sg ISecurityGroup) {
		oc.rules.forEachAndForever(func(rule IPeer) {
			addRule(sg, false, rule, port, description, remote)
		})
	})
	c.skip = true
	oc.remoteRule = true
	defer func() { c.skip = false; oc.remoteRule = false }()
	oc.AllowFrom(c, port, description)
}

// AllowFrom allows traffic on port from other to these groups: ingress
// rules here, egress rules on other's groups. A nil or typed-nil other is
// an error on the first managed group (a panic with a message without
// one), as are the other methods' nil arguments.
func (c *Connections) AllowFrom(other IConnectable, port Port, description string) {
	checkPortValue("AllowFrom", port)
	if c.skip {
		return
	}
	remote := c.remoteRule
	oc := c.other("AllowFrom", other)
	if oc == nil {
		return
	}
	c.groups.forEachAndForever(func(sg ISecurityGroup) {
		oc.rules.forEachAndForever(func(rule IPeer) {
			addRule(sg, true, rule, port, description, remote)
		})
	})
	c.skip = true
	oc.remoteRule = true
	defer func() { c.skip = false; oc.remoteRule = false }()
	oc.AllowTo(c, port, description)
}

// AllowInternally allows traffic on port between the managed groups (and
// within each).
func (c *Connections) AllowInternally(port Port, description string) {
	checkPortValue("AllowInternally", port)
	c.groups.forEachAndForever(func(sg ISecurityGroup) {
		c.rules.forEachAndForever(func(rule IPeer) {
			addRule(sg, true, rule, port, description, false)
			addRule(sg, false, rule, port, description, false)
		})
	})
}

// AllowFromAnyIpv4 allows traffic on port from any IPv4 address.
func (c *Connections) AllowFromAnyIpv4(port Port, description string) {
	c.AllowFrom(PeerAnyIpv4(), port, description)
}

// AllowToAnyIpv4 allows traffic on port to any IPv4 address.
func (c *Connections) AllowToAnyIpv4(port Port, description string) {
	c.AllowTo(PeerAnyIpv4(), port, description)
}

func (c *Connections) defaultPort(method string) Port {
	if c.DefaultPort == nil {
		panic(fmt.Sprintf("ec2: Connections.%s: these connections have no DefaultPort; use the method that takes a Port", method))
	}
	return *c.DefaultPort
}

// AllowDefaultPortFrom allows traffic on the default port from other.
func (c *Connections) AllowDefaultPortFrom(other IConnectable, description string) {
	c.AllowFrom(other, c.defaultPort("AllowDefaultPortFrom"), description)
}

// AllowDefaultPortTo allows traffic on the default port to other.
func (c *Connections) AllowDefaultPortTo(other IConnectable, description string) {
	c.AllowTo(other, c.defaultPort("AllowDefaultPortTo"), description)
}

// AllowDefaultPortInternally allows traffic on the default port between
// the managed groups.
func (c *Connections) AllowDefaultPortInternally(description string) {
	c.AllowInternally(c.defaultPort("AllowDefaultPortInternally"), description)
}

// AllowDefaultPortFromAnyIpv4 allows traffic on the default port from any
// IPv4 address.
func (c *Connections) AllowDefaultPortFromAnyIpv4(description string) {
	c.AllowFromAnyIpv4(c.defaultPort("AllowDefaultPortFromAnyIpv4"), description)
}

// AllowToDefaultPort allows traffic to other on other's default port.
func (c *Connections) AllowToDefaultPort(other IConnectable, description string) {
	oc := c.other("AllowToDefaultPort", other)
	if oc == nil {
		return
	}
	if oc.DefaultPort == nil {
		panic("ec2: Connections.AllowToDefaultPort: the other side has no DefaultPort; use AllowTo with a Port")
	}
	c.AllowTo(other, *oc.DefaultPort, description)
}

// Connections makes *Connections an IConnectable itself.
func (c *Connections) Connections() *Connections { return c }

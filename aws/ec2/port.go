package ec2

import (
	"fmt"
	"strconv"

	"github.com/eksforge/eksforge/cdk"
)

// Port is a protocol and a range of ports (or ICMP type and code) that a
// security group rule allows. Make one with PortTcp, PortTcpRange, PortUdp,
// PortAllTraffic and the other Port… functions; the zero Port is not valid.
type Port struct {
	protocol string
	from, to *int
	repr     string
}

func newPort(protocol string, from, to int, repr string) Port {
	return Port{protocol: protocol, from: cdk.Ptr(from), to: cdk.Ptr(to), repr: repr}
}

func renderPort(p int) string {
	if cdk.IsUnresolved(p) {
		return "{IndirectPort}"
	}
	return strconv.Itoa(p)
}

func checkPort(fn string, ports ...int) {
	for _, p := range ports {
		if !cdk.IsUnresolved(p) && (p < 0 || p > 65535) {
			panic(fmt.Sprintf("ec2: %s: port %d is out of range; ports are from 0 to 65535", fn, p))
		}
	}
}

func checkRange(fn string, from, to int) {
	checkPort(fn, from, to)
	if !cdk.IsUnresolved(from) && !cdk.IsUnresolved(to) && from > to {
		panic(fmt.Sprintf("ec2: %s(%d, %d): the range starts after it ends; the first port must be at most the last (did you mean %s(%d, %d)?)", fn, from, to, fn, to, from))
	}
}

// PortTcp allows one TCP port.
func PortTcp(port int) Port {
	checkPort("PortTcp", port)
	return newPort("tcp", port, port, renderPort(port))
}

// PortTcpRange allows TCP ports from start to end, inclusive. It panics
// when start is greater than end.
func PortTcpRange(start, end int) Port {
	checkRange("PortTcpRange", start, end)
	return newPort("tcp", start, end, renderPort(start)+"-"+renderPort(end))
}

// PortAllTcp allows every TCP port.
func PortAllTcp() Port { return newPort("tcp", 0, 65535, "ALL PORTS") }

// PortUdp allows one UDP port.
func PortUdp(port int) Port {
	checkPort("PortUdp", port)
	return newPort("udp", port, port, "UDP "+renderPort(port))
}

// PortUdpRange allows UDP ports from start to end, inclusive. It panics
// when start is greater than end.
func PortUdpRange(start, end int) Port {
	checkRange("PortUdpRange", start, end)
	return newPort("udp", start, end, "UDP "+renderPort(start)+"-"+renderPort(end))
}

// PortAllUdp allows every UDP port.
func PortAllUdp() Port { return newPort("udp", 0, 65535, "UDP ALL PORTS") }

// PortIcmpTypeAndCode allows one ICMP type and code.
func PortIcmpTypeAndCode(typ, code int) Port {
	return newPort("icmp", typ, code, fmt.Sprintf("ICMP Type %d Code %d", typ, code))
}

// PortIcmpType allows every code of one ICMP type.
func PortIcmpType(typ int) Port { return newPort("icmp", typ, -1, fmt.Sprintf("ICMP Type %d", typ)) }

// PortIcmpPing allows ICMP echo requests (type 8).
func PortIcmpPing() Port { return PortIcmpType(8) }

// PortAllIcmp allows all ICMP.
func PortAllIcmp() Port { return newPort("icmp", -1, -1, "ALL ICMP") }

// PortAllIcmpV6 allows all ICMPv6.
func PortAllIcmpV6() Port { return newPort("icmpv6", -1, -1, "ALL ICMPv6") }

// PortAllTraffic allows every protocol and port.
func PortAllTraffic() Port { return Port{protocol: "-1", repr: "ALL TRAFFIC"} }

// String describes the port as the AWS CDK does in rule descriptions and
// ids: "443", "1000-2000", "UDP 53", "ALL TRAFFIC", "ICMP Type 8".
func (p Port) String() string { return p.repr }

// Protocol is the rule's IpProtocol: "tcp", "udp", "icmp", "icmpv6" or
// "-1" for all.
func (p Port) Protocol() string { return p.protocol }

// FromPort is the first port (or ICMP type); nil for all traffic.
func (p Port) FromPort() *int { return p.from }

// ToPort is the last port (or ICMP code); nil for all traffic.
func (p Port) ToPort() *int { return p.to }

// canInline reports whether the ports are known at synthesis.
func (p Port) canInline() bool {
	return (p.from == nil || !cdk.IsUnresolved(*p.from)) && (p.to == nil || !cdk.IsUnresolved(*p.to))
}

func (p Port) valid() bool { return p.protocol != "" }

package ec2

import (
	"fmt"
	"math"
	"math/bits"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// cidrBlock is an IPv4 block: its first address and prefix length.
type cidrBlock struct {
	first uint32
	mask  int
}

// parseCIDR parses an IPv4 CIDR such as "10.0.0.0/16". Host bits must be
// zero: "10.0.0.1/16" is rejected, with the block it probably meant.
func parseCIDR(s string) (cidrBlock, error) {
	addr, bitsStr, ok := strings.Cut(s, "/")
	if !ok {
		return cidrBlock{}, fmt.Errorf("%q is not an IPv4 CIDR block: it has no prefix length (e.g. %q)", s, s+"/16")
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil || !ip.Is4() {
		return cidrBlock{}, fmt.Errorf("%q is not an IPv4 CIDR block: %q is not an IPv4 address", s, addr)
	}
	mask, err := strconv.Atoi(bitsStr)
	if err != nil || mask < 0 || mask > 32 {
		return cidrBlock{}, fmt.Errorf("%q is not an IPv4 CIDR block: the prefix length %q must be a number from 0 to 32", s, bitsStr)
	}
	b := ip.As4()
	first := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	c := cidrBlock{first: first &^ (hostMask(mask)), mask: mask}
	if c.first != first {
		return cidrBlock{}, fmt.Errorf("%q is not an IPv4 CIDR block: it has host bits set; did you mean %q?", s, c.String())
	}
	return c, nil
}

func hostMask(mask int) uint32 {
	if mask >= 32 {
		return 0
	}
	return uint32(math.MaxUint32) >> mask
}

func (c cidrBlock) last() uint32 { return c.first | hostMask(c.mask) }

func (c cidrBlock) String() string {
	return fmt.Sprintf("%d.%d.%d.%d/%d", c.first>>24, c.first>>16&0xff, c.first>>8&0xff, c.first&0xff, c.mask)
}

func (c cidrBlock) overlaps(o cidrBlock) bool {
	return c.first <= o.last() && o.first <= c.last()
}

func (c cidrBlock) contains(o cidrBlock) bool {
	return c.first <= o.first && o.last() <= c.last()
}

// networkBuilder hands out consecutive subnets of a VPC block, as the AWS
// CDK's NetworkBuilder does: each subnet starts at the next address aligned
// to its own size, after the previous one.
type networkBuilder struct {
	network cidrBlock
	next    uint64 // the next free address; may be one past the end
}

func newNetworkBuilder(network cidrBlock) *networkBuilder {
	return &networkBuilder{network: network, next: uint64(network.first)}
}

// add allocates one subnet with the given prefix length.
func (b *networkBuilder) add(mask int) (cidrBlock, error) {
	if mask < 16 || mask > 28 {
		return cidrBlock{}, fmt.Errorf("a subnet of /%d is not allowed: subnet prefix lengths must be from /16 to /28", mask)
	}
	size := uint64(1) << (32 - mask)
	start := (b.next + size - 1) / size * size
	if start+size-1 > uint64(b.network.last()) {
		return cidrBlock{}, fmt.Errorf("a /%d subnet does not fit in the space left in %s (the next free address is %s)", mask, b.network, ipString(b.next))
	}
	b.next = start + size
	return cidrBlock{first: uint32(start), mask: mask}, nil
}

// maskForRemaining is the longest-lived (largest) prefix that gives count
// equal subnets of the space left.
func (b *networkBuilder) maskForRemaining(count int) (int, error) {
	remaining := uint64(b.network.last()) + 1 - b.next
	if uint64(b.network.last())+1 < b.next {
		remaining = 0
	}
	per := remaining / uint64(count)
	if per == 0 {
		return 0, fmt.Errorf("no space is left in %s for %d more subnets", b.network, count)
	}
	return 32 - (bits.Len64(per) - 1), nil
}

func ipString(n uint64) string {
	if n > math.MaxUint32 {
		return "none (the block is full)"
	}
	return fmt.Sprintf("%d.%d.%d.%d", n>>24, n>>16&0xff, n>>8&0xff, n&0xff)
}

func sortStrings(s []string) { sort.Strings(s) }

package ec2

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/nilref"
)

// SubnetSelection selects subnets of a VPC. Set at most one of SubnetType,
// SubnetGroupName and Subnets; AvailabilityZones and OnePerAz then filter
// what they select.
type SubnetSelection struct {
	// SubnetType selects the subnets of a type.
	// Default: private subnets with egress if any, else isolated, else
	// public.
	SubnetType SubnetType
	// SubnetGroupName selects the subnets of a group (its
	// SubnetConfiguration.Name).
	// Default: select by SubnetType.
	SubnetGroupName string
	// Subnets selects these subnets; a nil or typed-nil one is an error
	// naming the construct that selects.
	// Default: select by SubnetType.
	Subnets []ISubnet
	// AvailabilityZones keeps only the subnets in these zones.
	// Default: all zones.
	AvailabilityZones []string
	// OnePerAz keeps only the first subnet of each zone.
	// Default: false.
	OnePerAz bool
}

// IsZero reports whether s selects nothing explicitly, so the consumer's
// default selection applies.
func (s SubnetSelection) IsZero() bool {
	return s.SubnetType == "" && s.SubnetGroupName == "" && s.Subnets == nil && s.AvailabilityZones == nil && !s.OnePerAz
}

// SelectedSubnets are the subnets a [SubnetSelection] selected.
type SelectedSubnets struct {
	// SubnetIds are the IDs of the subnets.
	SubnetIds []string
	// AvailabilityZones are the zones of the subnets, in the same order
	// ("" for an imported subnet with no zone).
	AvailabilityZones []string
	// Subnets are the subnets.
	Subnets []ISubnet
	// HasPublic reports whether any of them is a public subnet.
	HasPublic bool
	// InternetConnectivityEstablished lists what instances in the subnets
	// need for internet access; depend on it with Node().AddDependency.
	InternetConnectivityEstablished []cdk.Construct
}

type subnetSelector interface {
	selectSubnetObjects(sel SubnetSelection) ([]ISubnet, error)
	PublicSubnets() []ISubnet
}

// TrySelectSubnets is [IVpc.SelectSubnets] returning an error instead of
// panicking, for constructs that report a bad selection at synthesis (with
// Node().AddError) rather than at once.
func TrySelectSubnets(vpc IVpc, sel SubnetSelection) (res SelectedSubnets, err error) {
	if s, ok := vpc.(subnetSelector); ok {
		subnets, err := s.selectSubnetObjects(sel)
		if err != nil {
			return SelectedSubnets{}, fmt.Errorf("VPC %q: %w", vpc.Node().Path(), err)
		}
		return selected(subnets, s.PublicSubnets()), nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return vpc.SelectSubnets(sel), nil
}

func mustSelect(vpc IVpc, sel SubnetSelection, choose func(SubnetSelection) ([]ISubnet, error)) SelectedSubnets {
	subnets, err := choose(sel)
	if err != nil {
		panic(fmt.Sprintf("ec2: VPC %q: %v", vpc.Node().Path(), err))
	}
	return selected(subnets, vpc.PublicSubnets())
}

func selected(subnets, public []ISubnet) SelectedSubnets {
	out := SelectedSubnets{Subnets: subnets, SubnetIds: []string{}, AvailabilityZones: []string{}}
	for _, s := range subnets {
		out.SubnetIds = append(out.SubnetIds, s.SubnetId())
		out.AvailabilityZones = append(out.AvailabilityZones, s.AvailabilityZone())
		out.InternetConnectivityEstablished = append(out.InternetConnectivityEstablished, s.InternetConnectivityEstablished()...)
		if slices.Contains(public, s) {
			out.HasPublic = true
		}
	}
	return out
}

var subnetSuffix = regexp.MustCompile(`Subnet\d+$`)

// selectSubnets implements subnet selection as the AWS CDK does.
func selectSubnets(sel SubnetSelection, public, private, isolated []ISubnet, groupOf func(ISubnet) string) ([]ISubnet, error) {
	var given []string
	if sel.Subnets != nil {
		given = append(given, "Subnets")
	}
	if sel.SubnetType != "" {
		given = append(given, "SubnetType")
	}
	if sel.SubnetGroupName != "" {
		given = append(given, "SubnetGroupName")
	}
	if len(given) > 1 {
		return nil, fmt.Errorf("the subnet selection sets %s; set only one of them", strings.Join(given, " and "))
	}
	var subnets []ISubnet
	switch {
	case sel.Subnets != nil:
		for i, sn := range sel.Subnets {
			if nilref.IsNil(sn) {
				return nil, fmt.Errorf("SubnetSelection.Subnets[%d] %s: pass subnets of the VPC (its PrivateSubnets(), PublicSubnets(), or ec2.SubnetFromSubnetId)", i, nilref.Describe(sn))
			}
		}
		subnets = sel.Subnets
	case sel.SubnetGroupName != "":
		all := slices.Concat(public, private, isolated)
		var names []string
		for _, s := range all {
			g := groupOf(s)
			if g == "" {
				g = subnetSuffix.ReplaceAllString(s.Node().ID(), "")
			}
			if g == sel.SubnetGroupName {
				subnets = append(subnets, s)
			}
			if !slices.Contains(names, g) {
				names = append(names, g)
			}
		}
		if len(subnets) == 0 {
			return nil, fmt.Errorf("there is no subnet group named %q; the groups are: %s", sel.SubnetGroupName, strings.Join(names, ", "))
		}
	default:
		t := sel.SubnetType
		if t == "" {
			switch {
			case len(private) > 0:
				t = SubnetTypePrivateWithEgress
			case len(isolated) > 0:
				t = SubnetTypePrivateIsolated
			default:
				t = SubnetTypePublic
			}
		}
		switch t {
		case SubnetTypePublic:
			subnets = public
		case SubnetTypePrivateWithEgress:
			subnets = private
		case SubnetTypePrivateIsolated:
			subnets = isolated
		default:
			return nil, fmt.Errorf("SubnetType %q is not one of %s, %s, %s", t, SubnetTypePublic, SubnetTypePrivateWithEgress, SubnetTypePrivateIsolated)
		}
		if len(subnets) == 0 {
			return nil, fmt.Errorf("there are no %q subnets; the subnet types with subnets are: %s", t, subnetTypesIn(public, private, isolated))
		}
	}
	if sel.AvailabilityZones != nil {
		var kept []ISubnet
		for _, s := range subnets {
			if slices.Contains(sel.AvailabilityZones, s.AvailabilityZone()) {
				kept = append(kept, s)
			}
		}
		subnets = kept
	}
	if sel.OnePerAz {
		seen := map[string]bool{}
		var kept []ISubnet
		for _, s := range subnets {
			if !seen[s.AvailabilityZone()] {
				seen[s.AvailabilityZone()] = true
				kept = append(kept, s)
			}
		}
		subnets = kept
	}
	return append([]ISubnet(nil), subnets...), nil
}

package ec2_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
)

// TestNilConnectionsArguments: nil and typed-nil security groups, peers
// and "other sides" given to Connections are errors on the first managed
// security group's path; with no group to report on, a panic with a
// message. A typed-nil subnet in a selection is an error, never a nil
// dereference.
func TestNilConnectionsArguments(t *testing.T) {
	t.Parallel()
	var (
		sg   *ec2.SecurityGroup
		vpc  *ec2.Vpc
		peer ec2.IPeer
	)
	group := func(s *cdk.Stack) *ec2.SecurityGroup {
		return ec2.NewSecurityGroup(s, "SG", ec2.SecurityGroupProps{Vpc: ec2.NewVpc(s, "V", ec2.VpcProps{})})
	}
	for _, tc := range []struct {
		name  string
		build func(s *cdk.Stack)
		want  []string
	}{
		{"fails on a typed-nil group beside a valid one", func(s *cdk.Stack) {
			ec2.NewConnections(ec2.ConnectionsProps{SecurityGroups: []ec2.ISecurityGroup{group(s), sg}})
		}, []string{"[Stack/SG]", "Connections.NewConnections: ConnectionsProps.SecurityGroups[1] is a nil *ec2.SecurityGroup"}},
		{"fails on a typed-nil Peer", func(s *cdk.Stack) {
			ec2.NewConnections(ec2.ConnectionsProps{SecurityGroups: []ec2.ISecurityGroup{group(s)}, Peer: sg})
		}, []string{"[Stack/SG]", "ConnectionsProps.Peer is a nil *ec2.SecurityGroup"}},
		{"fails on adding a typed-nil group", func(s *cdk.Stack) { group(s).Connections().AddSecurityGroup(sg) },
			[]string{"[Stack/SG]", "Connections.AddSecurityGroup: group 0 is a nil *ec2.SecurityGroup"}},
		{"fails on allowing from a typed-nil group", func(s *cdk.Stack) { group(s).Connections().AllowFrom(sg, ec2.PortTcp(443), "") },
			[]string{"[Stack/SG]", "Connections.AllowFrom: the other side is a nil *ec2.SecurityGroup"}},
		{"fails on allowing to a nil peer", func(s *cdk.Stack) { group(s).Connections().AllowTo(peer, ec2.PortTcp(443), "") },
			[]string{"[Stack/SG]", "Connections.AllowTo: the other side is nil"}},
		{"fails on the default port of a typed-nil group", func(s *cdk.Stack) { group(s).Connections().AllowToDefaultPort(sg, "") },
			[]string{"[Stack/SG]", "Connections.AllowToDefaultPort: the other side is a nil *ec2.SecurityGroup"}},
		{"fails on a typed-nil Vpc of a security group", func(s *cdk.Stack) { ec2.NewSecurityGroup(s, "SG2", ec2.SecurityGroupProps{Vpc: vpc}) },
			[]string{"[Stack/SG2]", "SecurityGroupProps.Vpc is a nil *ec2.Vpc"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := agnosticStack()
			tc.build(stack)
			_, err := app.Synth(cdk.InMemory())
			if err == nil {
				t.Fatal("synthesis succeeded, want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	t.Run("fails on only a typed-nil group, with a panic naming it", func(t *testing.T) {
		t.Parallel()
		mustPanic(t, func() { ec2.NewConnections(ec2.ConnectionsProps{SecurityGroups: []ec2.ISecurityGroup{sg}}) },
			"ec2: Connections.NewConnections: ConnectionsProps.SecurityGroups[0] is a nil *ec2.SecurityGroup")
	})
	t.Run("fails on a typed-nil subnet in a selection", func(t *testing.T) {
		t.Parallel()
		_, s := agnosticStack()
		var subnet *ec2.Subnet
		v := ec2.NewVpc(s, "V", ec2.VpcProps{})
		_, err := ec2.TrySelectSubnets(v, ec2.SubnetSelection{Subnets: []ec2.ISubnet{v.PrivateSubnets()[0], subnet}})
		if want := `VPC "Stack/V": SubnetSelection.Subnets[1] is a nil *ec2.Subnet: pass subnets of the VPC`; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	})
}

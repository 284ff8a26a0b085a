package ec2_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
)

func importedVpc(s *cdk.Stack) ec2.IVpc {
	return ec2.VpcFromVpcAttributes(s, "Vpc", ec2.VpcAttributes{VpcId: "vpc-12345678", AvailabilityZones: []string{"a"}, PublicSubnetIds: []string{"subnet-1"}})
}

func getAtt(id, attr string) map[string]any { return map[string]any{"Fn::GetAtt": []any{id, attr}} }

func TestSecurityGroupDefaults(t *testing.T) {
	t.Parallel()
	_, s := agnosticStack()
	vpc := ec2.NewVpc(s, "Network", ec2.VpcProps{})
	sg := ec2.NewSecurityGroup(s, "SG", ec2.SecurityGroupProps{Vpc: vpc})
	closed := ec2.NewSecurityGroup(s, "Closed", ec2.SecurityGroupProps{Vpc: vpc, AllowAllOutbound: cdk.Ptr(false), Description: "closed", SecurityGroupName: "closed-sg"})
	tmpl := assertions.FromStack(t, s)
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{
		"GroupDescription":     "Stack/SG",
		"VpcId":                ref("Network1C6012B5"),
		"SecurityGroupEgress":  []any{map[string]any{"CidrIp": "0.0.0.0/0", "Description": "Allow all outbound traffic by default", "IpProtocol": "-1"}},
		"SecurityGroupIngress": Match.Absent(),
	})
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{
		"GroupDescription": "closed", "GroupName": "closed-sg",
		"SecurityGroupEgress": []any{map[string]any{"CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic", "IpProtocol": "icmp", "FromPort": 252, "ToPort": 86}},
	})
	if !sg.AllowAllOutbound() || closed.AllowAllOutbound() {
		t.Errorf("AllowAllOutbound: %v, %v", sg.AllowAllOutbound(), closed.AllowAllOutbound())
	}
	if id := tmpl.ResourceID("AWS::EC2::SecurityGroup", map[string]any{"GroupDescription": "Stack/SG"}); id != "SGADB53937" {
		t.Errorf("logical ID %q, want SGADB53937", id)
	}
}

func TestSecurityGroupRules(t *testing.T) {
	t.Parallel()
	app, s := agnosticStack()
	vpc := importedVpc(s)
	web := ec2.NewSecurityGroup(s, "Web", ec2.SecurityGroupProps{Vpc: vpc})
	db := ec2.NewSecurityGroup(s, "Db", ec2.SecurityGroupProps{Vpc: vpc, AllowAllOutbound: cdk.Ptr(false)})
	web.AddIngressRule(ec2.PeerAnyIpv4(), ec2.PortTcp(443), "https")
	web.AddIngressRule(ec2.PeerAnyIpv4(), ec2.PortTcp(443), "again") // a duplicate is dropped
	web.AddEgressRule(ec2.PeerAnyIpv4(), ec2.PortTcp(25), "")        // ignored: all outbound allowed
	db.Connections().AllowFrom(web, ec2.PortTcp(5432), "")
	db.AddEgressRule(ec2.PeerIpv4("10.0.0.0/16"), ec2.PortUdp(53), "dns")
	tmpl := assertions.FromStack(t, s)
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{
		"GroupDescription":     "Stack/Web",
		"SecurityGroupIngress": []any{map[string]any{"CidrIp": "0.0.0.0/0", "Description": "https", "FromPort": 443, "ToPort": 443, "IpProtocol": "tcp"}},
		"SecurityGroupEgress":  Match.ArrayWith([]any{Match.ObjectLike(map[string]any{"IpProtocol": "-1"})}),
	})
	// The database's placeholder rule is gone once a real rule exists.
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{
		"GroupDescription":    "Stack/Db",
		"SecurityGroupEgress": []any{map[string]any{"CidrIp": "10.0.0.0/16", "Description": "dns", "FromPort": 53, "ToPort": 53, "IpProtocol": "udp"}},
	})
	// Rules between groups are separate resources, named as the AWS CDK names them.
	tmpl.HasResource("AWS::EC2::SecurityGroupIngress", map[string]any{"Properties": map[string]any{
		"GroupId": getAtt("Db5D02A0A9", "GroupId"), "SourceSecurityGroupId": getAtt("Web3C8945DB", "GroupId"),
		"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "Description": "from StackWeb3B3D323C:5432",
	}})
	if id := tmpl.ResourceID("AWS::EC2::SecurityGroupIngress", map[string]any{"FromPort": 5432}); !strings.HasPrefix(id, "DbfromStackWeb3B3D323C5432") {
		t.Errorf("ingress rule logical ID %q", id)
	}
	// Web allows all outbound traffic, so no egress rule is added to it.
	tmpl.ResourceCountIs("AWS::EC2::SecurityGroupEgress", 0)
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	_ = asm
	found := false
	for _, m := range web.Node().Metadata() {
		if m.Type == cdk.MetadataWarning && strings.Contains(m.Data.(string), "Ignoring Egress rule") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning for the ignored egress rule on Web: %v", web.Node().Metadata())
	}
}

func TestSecurityGroupOptions(t *testing.T) {
	t.Parallel()
	t.Run("IPv6 egress", func(t *testing.T) {
		t.Parallel()
		_, s := agnosticStack()
		ec2.NewSecurityGroup(s, "SG", ec2.SecurityGroupProps{Vpc: importedVpc(s), AllowAllIpv6Outbound: true})
		assertions.FromStack(t, s).HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{"SecurityGroupEgress": []any{
			map[string]any{"CidrIp": "0.0.0.0/0", "Description": "Allow all outbound traffic by default", "IpProtocol": "-1"},
			map[string]any{"CidrIpv6": "::/0", "Description": "Allow all outbound ipv6 traffic by default", "IpProtocol": "-1"},
		}})
	})
	t.Run("inline rules disabled", func(t *testing.T) {
		t.Parallel()
		_, s := agnosticStack()
		sg := ec2.NewSecurityGroup(s, "SG", ec2.SecurityGroupProps{Vpc: importedVpc(s), DisableInlineRules: true, AllowAllOutbound: cdk.Ptr(false)})
		sg.AddIngressRule(ec2.PeerIpv4("10.0.0.0/8"), ec2.PortTcp(22), "")
		tmpl := assertions.FromStack(t, s)
		tmpl.HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{"SecurityGroupIngress": Match.Absent(), "SecurityGroupEgress": Match.Absent()})
		tmpl.HasResourceProperties("AWS::EC2::SecurityGroupIngress", map[string]any{"CidrIp": "10.0.0.0/8", "Description": "from 10.0.0.0/8:22"})
		tmpl.HasResourceProperties("AWS::EC2::SecurityGroupEgress", map[string]any{"CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic"})
		if id := tmpl.ResourceID("AWS::EC2::SecurityGroupIngress", map[string]any{"FromPort": 22}); !strings.HasPrefix(id, "SGfrom100008") {
			t.Errorf("logical ID %q", id)
		}
	})
	t.Run("imported groups take separate rules unless immutable", func(t *testing.T) {
		t.Parallel()
		_, s := agnosticStack()
		mutable := ec2.SecurityGroupFromSecurityGroupId(s, "Mutable", "sg-11111111")
		frozen := ec2.SecurityGroupFromSecurityGroupId(s, "Frozen", "sg-22222222", ec2.SecurityGroupImportOptions{Mutable: cdk.Ptr(false)})
		mutable.AddIngressRule(ec2.PeerAnyIpv4(), ec2.PortTcp(80), "")
		mutable.AddEgressRule(ec2.PeerAnyIpv4(), ec2.PortTcp(80), "") // allows all outbound: dropped
		frozen.AddIngressRule(ec2.PeerAnyIpv4(), ec2.PortTcp(80), "")
		tmpl := assertions.FromStack(t, s)
		tmpl.ResourceCountIs("AWS::EC2::SecurityGroupIngress", 1)
		tmpl.ResourceCountIs("AWS::EC2::SecurityGroupEgress", 0)
		tmpl.HasResourceProperties("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": "sg-11111111", "CidrIp": "0.0.0.0/0", "Description": "from 0.0.0.0/0:80"})
		if frozen.SecurityGroupId() != "sg-22222222" {
			t.Errorf("id %q", frozen.SecurityGroupId())
		}
	})
	t.Run("rules added to groups joined later", func(t *testing.T) {
		t.Parallel()
		_, s := agnosticStack()
		vpc := importedVpc(s)
		conns := ec2.NewConnections(ec2.ConnectionsProps{DefaultPort: cdk.Ptr(ec2.PortTcp(8080))})
		conns.AllowDefaultPortFromAnyIpv4("app")
		conns.AddSecurityGroup(ec2.NewSecurityGroup(s, "Late", ec2.SecurityGroupProps{Vpc: vpc}))
		assertions.FromStack(t, s).HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{"SecurityGroupIngress": []any{
			map[string]any{"CidrIp": "0.0.0.0/0", "Description": "app", "FromPort": 8080, "ToPort": 8080, "IpProtocol": "tcp"}}})
	})
	t.Run("fails on an all-traffic egress rule", func(t *testing.T) {
		t.Parallel()
		_, s := agnosticStack()
		sg := ec2.NewSecurityGroup(s, "SG", ec2.SecurityGroupProps{Vpc: importedVpc(s), AllowAllOutbound: cdk.Ptr(false)})
		mustPanic(t, func() { sg.AddEgressRule(ec2.PeerAnyIpv4(), ec2.PortAllTraffic(), "") }, `"Stack/SG"`, "set AllowAllOutbound")
	})
	t.Run("fails without a default port", func(t *testing.T) {
		t.Parallel()
		mustPanic(t, func() { ec2.NewConnections(ec2.ConnectionsProps{}).AllowDefaultPortFromAnyIpv4("") }, "no DefaultPort")
	})
	t.Run("fails without a VPC", func(t *testing.T) {
		t.Parallel()
		_, s := agnosticStack()
		mustPanic(t, func() { ec2.NewSecurityGroup(s, "SG", ec2.SecurityGroupProps{}) }, `"Stack/SG" needs a Vpc`)
	})
	t.Run("cross-stack rules go in the other stack", func(t *testing.T) {
		t.Parallel()
		app := cdk.NewApp(cdk.AppProps{})
		a := cdk.NewStack(app, "A", cdk.StackProps{})
		b := cdk.NewStack(app, "B", cdk.StackProps{})
		sgA := ec2.NewSecurityGroup(a, "SG", ec2.SecurityGroupProps{Vpc: importedVpc(a)})
		sgB := ec2.NewSecurityGroup(b, "SG", ec2.SecurityGroupProps{Vpc: importedVpc(b)})
		sgB.Connections().AllowFrom(sgA, ec2.PortTcp(443), "")
		assertions.FromStack(t, b).ResourceCountIs("AWS::EC2::SecurityGroupIngress", 1)
		assertions.FromStack(t, a).ResourceCountIs("AWS::EC2::SecurityGroupIngress", 0)
	})
}

func TestPorts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		port          ec2.Port
		str, protocol string
		from, to      int
		noPorts       bool
	}{
		{ec2.PortTcp(22), "22", "tcp", 22, 22, false},
		{ec2.PortTcpRange(1000, 2000), "1000-2000", "tcp", 1000, 2000, false},
		{ec2.PortAllTcp(), "ALL PORTS", "tcp", 0, 65535, false},
		{ec2.PortUdp(53), "UDP 53", "udp", 53, 53, false},
		{ec2.PortUdpRange(1, 2), "UDP 1-2", "udp", 1, 2, false},
		{ec2.PortAllUdp(), "UDP ALL PORTS", "udp", 0, 65535, false},
		{ec2.PortAllIcmp(), "ALL ICMP", "icmp", -1, -1, false},
		{ec2.PortIcmpPing(), "ICMP Type 8", "icmp", 8, -1, false},
		{ec2.PortIcmpTypeAndCode(3, 4), "ICMP Type 3 Code 4", "icmp", 3, 4, false},
		{ec2.PortAllIcmpV6(), "ALL ICMPv6", "icmpv6", -1, -1, false},
		{ec2.PortAllTraffic(), "ALL TRAFFIC", "-1", 0, 0, true},
	}
	for _, tc := range tests {
		if tc.port.String() != tc.str || tc.port.Protocol() != tc.protocol {
			t.Errorf("%q: String %q, Protocol %q", tc.str, tc.port.String(), tc.port.Protocol())
		}
		if tc.noPorts {
			if tc.port.FromPort() != nil || tc.port.ToPort() != nil {
				t.Errorf("%q has ports", tc.str)
			}
		} else if *tc.port.FromPort() != tc.from || *tc.port.ToPort() != tc.to {
			t.Errorf("%q: ports %d-%d", tc.str, *tc.port.FromPort(), *tc.port.ToPort())
		}
	}
	mustPanic(t, func() { ec2.PortTcpRange(200, 100) }, "PortTcpRange(200, 100)", "starts after it ends", "PortTcpRange(100, 200)")
	mustPanic(t, func() { ec2.PortUdpRange(9, 1) }, "PortUdpRange(9, 1)")
	mustPanic(t, func() { ec2.PortTcp(70000) }, "port 70000 is out of range")
}

func TestPeers(t *testing.T) {
	t.Parallel()
	if got := ec2.PeerIpv4("10.0.0.0/8").IngressRuleConfig().CidrIp; got != "10.0.0.0/8" {
		t.Errorf("CidrIp %q", got)
	}
	if got := ec2.PeerAnyIpv6().EgressRuleConfig().CidrIpv6; got != "::/0" {
		t.Errorf("CidrIpv6 %q", got)
	}
	pl := ec2.PeerPrefixList("pl-1")
	if pl.CanInlineRule() || pl.IngressRuleConfig().SourcePrefixListId != "pl-1" || pl.EgressRuleConfig().DestinationPrefixListId != "pl-1" {
		t.Errorf("prefix list peer %+v", pl.IngressRuleConfig())
	}
	sg := ec2.PeerSecurityGroupId("sg-12345678", "123456789012")
	if r := sg.IngressRuleConfig(); r.SourceSecurityGroupId != "sg-12345678" || r.SourceSecurityGroupOwnerId != "123456789012" {
		t.Errorf("security group peer %+v", r)
	}
	mustPanic(t, func() { ec2.PeerIpv4("10.0.0.0") }, `did you mean "10.0.0.0/32"`)
	mustPanic(t, func() { ec2.PeerIpv4("ten") }, `"ten" is not an IPv4 CIDR block`)
	mustPanic(t, func() { ec2.PeerIpv6("2001:db8::") }, `"2001:db8::/128"`)
	mustPanic(t, func() { ec2.PeerSecurityGroupId("group") }, `"group" is not a security group ID`)
	mustPanic(t, func() { ec2.PeerSecurityGroupId("sg-12345678", "12") }, "12-digit")
}

package eks_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

var (
	clusterSGRef = map[string]any{"Fn::GetAtt": []any{"ClusterEB0386A7", "ClusterSecurityGroupId"}}
	nodesSGRef   = map[string]any{"Fn::GetAtt": []any{"ClusterNodesInstanceSecurityGroup899246BD", "GroupId"}}
)

// ingressRule is an AWS::EC2::SecurityGroupIngress between two groups.
type ingressRule struct {
	Group, Source string
	Protocol      string
	From, To      float64
}

// ingressRules returns the template's AWS::EC2::SecurityGroupIngress
// resources whose group is one of groups (by the GetAtt's logical ID), the
// source named the same way.
func ingressRules(t *testing.T, stack *cdk.Stack, groups ...string) []ingressRule {
	t.Helper()
	name := func(v any) string {
		m, _ := v.(map[string]any)
		ga, _ := m["Fn::GetAtt"].([]any)
		if len(ga) != 2 {
			b, _ := v.(string)
			return b
		}
		return ga[0].(string) + "." + ga[1].(string)
	}
	var out []ingressRule
	for _, r := range resourcesOfType(templateOf(t, stack), "AWS::EC2::SecurityGroupIngress") {
		p := r["Properties"].(map[string]any)
		g := name(p["GroupId"])
		for _, want := range groups {
			if g != want {
				continue
			}
			src := name(p["SourceSecurityGroupId"])
			if src == "" {
				src, _ = p["CidrIp"].(string)
			}
			from, _ := p["FromPort"].(float64)
			to, _ := p["ToPort"].(float64)
			out = append(out, ingressRule{g, src, p["IpProtocol"].(string), from, to})
		}
	}
	return out
}

// TestSelfManagedNodesHaveTheirOwnSecurityGroup checks that self-managed
// instances are members of their own security group only, and that the
// EKS cluster security group gets exactly one rule from them: HTTPS to the
// API server.
func TestSelfManagedNodesHaveTheirOwnSecurityGroup(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	asg := c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
	asg.Connections().AllowFrom(ec2.PeerIpv4("10.0.0.0/16"), ec2.PortTcp(22), "SSH")
	tp := assertions.FromStack(t, stack)
	tp.HasResourceProperties("AWS::EC2::LaunchTemplate", map[string]any{"LaunchTemplateData": Match.ObjectLike(map[string]any{
		"SecurityGroupIds": Match.ArrayEquals([]any{nodesSGRef}),
	})})
	// SSH only on the nodes' own group.
	tp.HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{
		"SecurityGroupIngress": Match.ArrayWith([]any{Match.ObjectLike(map[string]any{"CidrIp": "10.0.0.0/16", "FromPort": 22})}),
	})
	got := ingressRules(t, stack, "ClusterEB0386A7.ClusterSecurityGroupId")
	want := []ingressRule{{"ClusterEB0386A7.ClusterSecurityGroupId", "ClusterNodesInstanceSecurityGroup899246BD.GroupId", "tcp", 443, 443}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ingress of the EKS cluster security group (-want +got):\n%s", diff)
	}
	// From the cluster security group, the nodes take what aws-cdk-lib
	// opens from the control plane, and no more.
	tp.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": nodesSGRef, "SourceSecurityGroupId": clusterSGRef}, 2)
	tp.HasResourceProperties("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": nodesSGRef, "SourceSecurityGroupId": clusterSGRef, "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443})
	tp.HasResourceProperties("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": nodesSGRef, "SourceSecurityGroupId": clusterSGRef, "IpProtocol": "tcp", "FromPort": 1025, "ToPort": 65535})
}

// TestPodTrafficWithTheClusterSecurityGroup checks that, once pods also run
// in the cluster security group (managed nodes, Fargate, Auto Mode,
// Karpenter's default node class, an imported cluster), self-managed nodes
// exchange all traffic with it both ways, whichever is added first, and
// that the rules are written once.
func TestPodTrafficWithTheClusterSecurityGroup(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		props eks.ClusterProps
		build func(c *eks.Cluster)
	}{
		{"managed node group added before", eks.ClusterProps{}, func(c *eks.Cluster) {
			c.AddNodegroupCapacity("Managed")
			c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
		}},
		{"managed node group added after", eks.ClusterProps{}, func(c *eks.Cluster) {
			c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
			c.AddNodegroupCapacity("Managed")
			c.AddNodegroupCapacity("Managed2")
		}},
		{"fargate profile", eks.ClusterProps{}, func(c *eks.Cluster) {
			c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
			c.AddFargateProfile("Profile", eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "batch"}}})
		}},
		{"auto mode", eks.ClusterProps{DefaultCapacityType: eks.DefaultCapacityTypeAutoMode}, func(c *eks.Cluster) {
			c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
		}},
		{"declared by the user", eks.ClusterProps{}, func(c *eks.Cluster) {
			c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
			eks.AllowPodTrafficWithClusterSecurityGroup(c)
			eks.AllowPodTrafficWithClusterSecurityGroup(c)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := newStack()
			p := tc.props
			p.Version = eks.V1_34
			if p.DefaultCapacityType != eks.DefaultCapacityTypeAutoMode {
				p.DefaultCapacity = cdk.Ptr(0)
			}
			tc.build(eks.NewCluster(stack, "Cluster", p))
			tp := assertions.FromStack(t, stack)
			tp.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", map[string]any{
				"GroupId": nodesSGRef, "SourceSecurityGroupId": clusterSGRef, "IpProtocol": "-1",
			}, 1)
			tp.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", map[string]any{
				"GroupId": clusterSGRef, "SourceSecurityGroupId": nodesSGRef, "IpProtocol": "-1",
				"Description": "pods on self-managed nodes to the cluster security group (managed nodes, Fargate)",
			}, 1)
			// Still not a member of it.
			tp.HasResourceProperties("AWS::EC2::LaunchTemplate", map[string]any{"LaunchTemplateData": Match.ObjectLike(map[string]any{
				"SecurityGroupIds": Match.ArrayEquals([]any{nodesSGRef}),
			})})
		})
	}
}

// TestNoPodTrafficRulesWithoutOtherCompute checks that a cluster whose only
// capacity is self-managed opens nothing but the control plane's rules on
// the cluster security group.
func TestNoPodTrafficRulesWithoutOtherCompute(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
	tp := assertions.FromStack(t, stack)
	tp.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", map[string]any{"SourceSecurityGroupId": clusterSGRef, "IpProtocol": "-1"}, 0)
	tp.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": clusterSGRef, "IpProtocol": "-1"}, 0)
}

// TestPodTrafficBetweenSelfManagedGroups checks that two self-managed
// groups of one cluster, each in its own security group, exchange all
// traffic, and that each adds HTTPS to the cluster security group.
func TestPodTrafficBetweenSelfManagedGroups(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
	c.AddAutoScalingGroupCapacity("More", asgOptions("m5.large"))
	more := map[string]any{"Fn::GetAtt": []any{Match.StringLikeRegexp("^ClusterMoreInstanceSecurityGroup"), "GroupId"}}
	tp := assertions.FromStack(t, stack)
	tp.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": nodesSGRef, "SourceSecurityGroupId": more, "IpProtocol": "-1"}, 1)
	tp.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": more, "SourceSecurityGroupId": nodesSGRef, "IpProtocol": "-1"}, 1)
	tp.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": clusterSGRef}, 2)
}

// TestImportedClusterOpensPodTraffic checks that self-managed capacity of an
// imported cluster, whose managed node groups are not known, exchanges all
// traffic with its cluster security group, and does not join it.
func TestImportedClusterOpensPodTraffic(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	vpc := ec2.VpcFromVpcAttributes(stack, "Vpc", ec2.VpcAttributes{VpcId: "vpc-1", AvailabilityZones: []string{"a"}, PrivateSubnetIds: []string{"subnet-1"}})
	c := eks.ClusterFromClusterAttributes(stack, "C", eks.ClusterAttributes{
		ClusterName: "prod", Vpc: vpc, ClusterEndpoint: "https://example.eks.amazonaws.com", ClusterCertificateAuthorityData: "Q0E=",
		ClusterSecurityGroupId: "sg-1", KubernetesVersion: eks.V1_33,
	})
	eks.AddAutoScalingGroupCapacityTo(c, "Nodes", eks.AutoScalingGroupCapacityOptions{
		AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{InstanceType: ec2.InstanceTypeOf("t3.large")},
	})
	nodes := map[string]any{"Fn::GetAtt": []any{Match.StringLikeRegexp("^CNodesInstanceSecurityGroup"), "GroupId"}}
	tp := assertions.FromStack(t, stack)
	tp.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": "sg-1", "SourceSecurityGroupId": nodes, "IpProtocol": "-1"}, 1)
	tp.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": nodes, "SourceSecurityGroupId": "sg-1", "IpProtocol": "-1"}, 1)
	tp.HasResourceProperties("AWS::EC2::LaunchTemplate", map[string]any{"LaunchTemplateData": Match.ObjectLike(map[string]any{
		"SecurityGroupIds": Match.ArrayEquals([]any{nodes}),
	})})
}

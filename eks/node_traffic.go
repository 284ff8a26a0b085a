package eks

import (
	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
)

// Security group rules of self-managed capacity (issue 22).
//
// Self-managed instances are members of their own security group only (the
// Auto Scaling group's), never of the security group EKS creates for the
// cluster, which also covers the control plane's network interfaces, every
// managed node group, Fargate pods and Auto Mode nodes. The rules between
// the two are the ones nodes need:
//
//   - nodes' group from itself: all traffic (node to node, pod to pod);
//   - nodes' group from the control plane (the cluster security group and
//     the control plane security group): TCP 443 and 1025-65535 (kubelet
//     10250, webhooks and extension API servers), as aws-cdk-lib opens them;
//   - the control plane from the nodes' group: TCP 443 (the API server);
//   - between two self-managed groups of one cluster: all traffic both ways
//     (pods on one group reach pods on the other);
//   - between the nodes' group and the cluster security group, all traffic
//     both ways, only while pods also run in the cluster security group
//     (managed node groups, Fargate profiles, Auto Mode, Karpenter nodes of
//     the default EC2NodeClass, an imported cluster whose compute is not
//     known, or AllowPodTrafficWithClusterSecurityGroup): Kubernetes' network
//     model lets any pod reach any other, CoreDNS included, on any port.

// nodeTraffic is the per-cluster state of those rules.
type nodeTraffic struct {
	// groups are the cluster's self-managed Auto Scaling groups.
	groups []*autoscaling.AutoScalingGroup
	// shared says pods also run in the cluster security group.
	shared bool
}

// Descriptions of the rules that carry pod traffic.
const (
	podTrafficFromClusterSG = "pods in the cluster security group (managed nodes, Fargate) to self-managed nodes"
	podTrafficToClusterSG   = "pods on self-managed nodes to the cluster security group (managed nodes, Fargate)"
	podTrafficBetweenGroups = "pods between self-managed node groups of the cluster"
)

// connectNodeSecurityGroups writes the rules of a self-managed group asg
// joining c (see the comment at the top of this file).
func connectNodeSecurityGroups(c ICluster, asg *autoscaling.AutoScalingGroup) {
	conn := asg.Connections()
	conn.AllowInternally(ec2.PortAllTraffic(), "")
	conn.AllowFrom(c, ec2.PortTcp(443), "")
	conn.AllowFrom(c, ec2.PortTcpRange(1025, 65535), "")
	conn.AllowTo(c, ec2.PortTcp(443), "")
	conn.AllowToAnyIpv4(ec2.PortAllTcp(), "")
	conn.AllowToAnyIpv4(ec2.PortAllUdp(), "")
	conn.AllowToAnyIpv4(ec2.PortAllIcmp(), "")

	st := &c.internals().nodeTraffic
	for _, other := range st.groups {
		conn.AllowFrom(other, ec2.PortAllTraffic(), podTrafficBetweenGroups)
		other.Connections().AllowFrom(asg, ec2.PortAllTraffic(), podTrafficBetweenGroups)
	}
	st.groups = append(st.groups, asg)
	if _, owned := c.(*Cluster); !owned || AutoModeEnabled(c) {
		// An imported cluster's compute is not known: its managed node
		// groups would lose their pods' traffic with these nodes.
		st.shared = true
	}
	if st.shared {
		allowPodTrafficWithClusterSG(c, asg)
	}
}

// AllowPodTrafficWithClusterSecurityGroup records that pods of c run in the
// cluster security group EKS created for it, so that every self-managed
// group of c, added before or after, exchanges all traffic with that group.
// The library calls it for the managed node groups, Fargate profiles and
// Karpenter EC2NodeClasses it makes (and assumes it for Auto Mode and
// imported clusters); call it for nodes made by other means that use the
// cluster security group.
func AllowPodTrafficWithClusterSecurityGroup(c ICluster) {
	st := &c.internals().nodeTraffic
	if st.shared {
		return
	}
	st.shared = true
	for _, asg := range st.groups {
		allowPodTrafficWithClusterSG(c, asg)
	}
}

// allowPodTrafficWithClusterSG opens all traffic both ways between asg's
// groups and c's cluster security group (not the control plane security
// group, which holds no pods).
func allowPodTrafficWithClusterSG(c ICluster, asg *autoscaling.AutoScalingGroup) {
	sg := c.ClusterSecurityGroup()
	if sg == nil {
		// An imported cluster without ClusterSecurityGroupId: its
		// Connections are all that is known.
		return
	}
	conn := asg.Connections()
	conn.AllowFrom(sg, ec2.PortAllTraffic(), podTrafficFromClusterSG)
	conn.AllowTo(sg, ec2.PortAllTraffic(), podTrafficToClusterSG)
}

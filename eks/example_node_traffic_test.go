package eks_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

// Self-managed nodes are not members of the EKS cluster security group.
// When nodes the library does not know of use that group (made by another
// tool), declaring it opens all traffic both ways between it and the
// self-managed nodes' own group, so pods on both reach each other; the
// rules the control plane needs are there in any case.
func ExampleAllowPodTrafficWithClusterSecurityGroup() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	cluster.AddAutoScalingGroupCapacity("Nodes", eks.AutoScalingGroupCapacityOptions{
		AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{InstanceType: ec2.InstanceTypeOf("m5.large")},
	})
	eks.AllowPodTrafficWithClusterSecurityGroup(cluster)

	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := asm.TemplateOf(stack)
	var tmpl struct {
		Resources map[string]struct {
			Type       string
			Properties map[string]any
		}
	}
	_ = json.Unmarshal(body, &tmpl)
	name := func(v any) string {
		id := v.(map[string]any)["Fn::GetAtt"].([]any)[0].(string)
		switch {
		case strings.HasPrefix(id, "ClusterControlPlaneSecurityGroup"):
			return "control plane group"
		case strings.HasPrefix(id, "ClusterNodesInstanceSecurityGroup"):
			return "nodes' group"
		}
		return "cluster security group"
	}
	var lines []string
	for _, r := range tmpl.Resources {
		p := r.Properties
		if r.Type != "AWS::EC2::SecurityGroupIngress" {
			continue
		}
		ports := fmt.Sprint(p["IpProtocol"], " ", p["FromPort"], "-", p["ToPort"])
		if p["IpProtocol"] == "-1" {
			ports = "all traffic"
		}
		lines = append(lines, fmt.Sprintf("%s <- %s: %s", name(p["GroupId"]), name(p["SourceSecurityGroupId"]), ports))
	}
	sort.Strings(lines)
	fmt.Println(strings.Join(lines, "\n"))
	// Output:
	// cluster security group <- nodes' group: all traffic
	// cluster security group <- nodes' group: tcp 443-443
	// control plane group <- nodes' group: tcp 443-443
	// nodes' group <- cluster security group: all traffic
	// nodes' group <- cluster security group: tcp 1025-65535
	// nodes' group <- cluster security group: tcp 443-443
	// nodes' group <- control plane group: tcp 1025-65535
	// nodes' group <- control plane group: tcp 443-443
	// nodes' group <- nodes' group: all traffic
}

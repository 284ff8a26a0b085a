package autoscaling_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
)

// resources synthesizes the app and returns the stack's resources.
func resources(app *cdk.App, stack *cdk.Stack) map[string]map[string]any {
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		fmt.Println(err)
		return nil
	}
	body, _ := asm.TemplateOf(stack)
	var tmpl struct{ Resources map[string]map[string]any }
	if err := json.Unmarshal(body, &tmpl); err != nil {
		fmt.Println(err)
	}
	return tmpl.Resources
}

func printJSON(v any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

// Self-managed Spot capacity for an EKS cluster, as the EKS library's
// AddAutoScalingGroupCapacity builds it: the EKS-optimized AMI, a spot
// price, bootstrap commands in the user data, the cluster's ownership tag
// on the instances, and SSH from the VPC.
func ExampleNewAutoScalingGroup() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	vpc := ec2.NewVpc(stack, "Vpc", ec2.VpcProps{})

	asg := autoscaling.NewAutoScalingGroup(stack, "Nodes", autoscaling.AutoScalingGroupProps{
		Vpc:          vpc,
		InstanceType: ec2.InstanceTypeOf("m5.large"),
		MachineImage: ec2.EksOptimizedAmi("1.33", ec2.NodeTypeStandard),
		MinCapacity:  cdk.Ptr(0),
		MaxCapacity:  cdk.Ptr(10),
		SpotPrice:    "0.05",
		KeyName:      "ops",
	})
	asg.AddUserData("/usr/bin/nodeadm init --config-source file:///etc/eks/nodeconfig.yaml")
	cdk.TagsOf(asg).Add("kubernetes.io/cluster/demo", "owned")
	asg.Connections().AllowFrom(ec2.PeerIpv4("10.0.0.0/16"), ec2.PortTcp(22), "SSH")

	res := resources(app, stack)
	var ids []string
	for id, r := range res {
		if path := r["Metadata"].(map[string]any)["aws:cdk:path"].(string); strings.HasPrefix(path, "Stack/Nodes/") {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		fmt.Println(id, res[id]["Type"])
	}
	props := res["NodesASG3E6C60E6"]["Properties"].(map[string]any)
	fmt.Println("MinSize", props["MinSize"], "MaxSize", props["MaxSize"])
	printJSON(props["Tags"])
	data := res["NodesLaunchTemplateC89FE32D"]["Properties"].(map[string]any)["LaunchTemplateData"].(map[string]any)
	printJSON(data["InstanceMarketOptions"])
	printJSON(data["UserData"])
	// Output:
	// NodesASG3E6C60E6 AWS::AutoScaling::AutoScalingGroup
	// NodesInstanceProfileED381792 AWS::IAM::InstanceProfile
	// NodesInstanceRole09865859 AWS::IAM::Role
	// NodesInstanceSecurityGroupFF9E0446 AWS::EC2::SecurityGroup
	// NodesLaunchTemplateC89FE32D AWS::EC2::LaunchTemplate
	// MinSize 0 MaxSize 10
	// [{"Key":"Name","PropagateAtLaunch":true,"Value":"Stack/Nodes"},{"Key":"kubernetes.io/cluster/demo","PropagateAtLaunch":true,"Value":"owned"}]
	// {"MarketType":"spot","SpotOptions":{"MaxPrice":"0.05"}}
	// {"Fn::Base64":"#!/bin/bash\n/usr/bin/nodeadm init --config-source file:///etc/eks/nodeconfig.yaml"}
}

// Instances that signal when they are ready, replaced two at a time: the
// rolling update waits for each batch's signals, as long as the signals'
// timeout.
func ExampleUpdatePolicyRollingUpdate() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	vpc := ec2.NewVpc(stack, "Vpc", ec2.VpcProps{})
	asg := autoscaling.NewAutoScalingGroup(stack, "Nodes", autoscaling.AutoScalingGroupProps{
		Vpc:          vpc,
		InstanceType: ec2.InstanceTypeOf("c7g.large"),
		MachineImage: ec2.EksOptimizedAmi("1.33", ec2.NodeTypeStandardArm64),
		MinCapacity:  cdk.Ptr(2),
		MaxCapacity:  cdk.Ptr(6),
		Signals:      autoscaling.SignalsWaitForMinCapacity(autoscaling.SignalsOptions{Timeout: cdk.Minutes(10)}),
		UpdatePolicy: autoscaling.UpdatePolicyRollingUpdate(autoscaling.RollingUpdateOptions{MaxBatchSize: 2, MinInstancesInService: 1}),
	})
	asg.AddUserData(`/opt/aws/bin/cfn-signal --stack ${AWS::StackName} --resource NodesASG3E6C60E6 --region ${AWS::Region}`)

	r := resources(app, stack)["NodesASG3E6C60E6"]
	printJSON(r["CreationPolicy"])
	printJSON(r["UpdatePolicy"])
	// Output:
	// {"ResourceSignal":{"Count":2,"Timeout":"PT10M"}}
	// {"AutoScalingRollingUpdate":{"MaxBatchSize":2,"MinInstancesInService":1,"PauseTime":"PT10M","SuspendProcesses":["HealthCheck","ReplaceUnhealthy","AZRebalance","AlarmNotification","ScheduledActions","InstanceRefresh"],"WaitOnResourceSignals":true},"AutoScalingScheduledAction":{"IgnoreUnmodifiedGroupSizeProperties":true}}
}

// Capacities out of order are reported by app.Synth(), with the construct
// path, together with every other problem.
func ExampleNewAutoScalingGroup_errors() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	autoscaling.NewAutoScalingGroup(stack, "Nodes", autoscaling.AutoScalingGroupProps{
		Vpc:             ec2.NewVpc(stack, "Vpc", ec2.VpcProps{}),
		InstanceType:    ec2.InstanceTypeOf("m7g.large"),
		MachineImage:    ec2.EksOptimizedAmi("1.33", ec2.NodeTypeStandard),
		MinCapacity:     cdk.Ptr(2),
		MaxCapacity:     cdk.Ptr(4),
		DesiredCapacity: cdk.Ptr(5),
		SpotPrice:       "five cents",
	})
	_, err := app.Synth(cdk.InMemory())
	fmt.Println(err)
	// Output:
	// synthesis found 3 problem(s):
	//   [Stack/Nodes] SpotPrice "five cents" is not a price: give the most to pay per instance hour in USD as a positive decimal number, such as "0.05"
	//   [Stack/Nodes] InstanceType m7g.large is arm64, but the MachineImage is built for x86_64; choose an instance type or an image of the same architecture
	//   [Stack/Nodes] DesiredCapacity (5) is greater than MaxCapacity (4); it must be between MinCapacity (2) and MaxCapacity
}

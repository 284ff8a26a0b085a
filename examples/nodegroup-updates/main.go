// Command nodegroup-updates synthesizes managed node groups with the update
// and repair settings of the current EKS API: a GPU group updated one
// quarter at a time, old nodes first (capacity that is scarce), whose
// unhealthy nodes EKS repairs (rebooting on an NVIDIA XID 13 error, at most
// two at a time, and none while more than a fifth are unhealthy) and pinned
// to an AMI release; and a group on the app's launch template that follows
// the template's latest version, so that a change of the template rolls its
// nodes, even past pods that cannot be drained.
//
//	go run ./examples/nodegroup-updates
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

func main() {
	app := cdk.NewApp(cdk.AppProps{})
	build(app)
	asm, err := app.Synth()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, s := range asm.Stacks {
		fmt.Printf("%s: %s/%s\n", s.StackName, asm.Directory, s.TemplateFile)
	}
}

// build adds the example's stack to app.
func build(app *cdk.App) {
	stack := cdk.NewStack(app, "NodegroupUpdates", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})

	cluster.AddNodegroupCapacity("Gpu", eks.NodegroupOptions{
		InstanceTypes:            []ec2.InstanceType{ec2.InstanceTypeOf("g6.xlarge")},
		ReleaseVersion:           "1.34.2-20251120",
		MaxUnavailablePercentage: 25,
		UpdateStrategy:           eks.NodegroupUpdateStrategyMinimal,
		EnableNodeAutoRepair:     true,
		NodeRepair: &eks.NodeRepairConfig{
			MaxUnhealthyNodeThresholdPercentage: 20,
			MaxParallelNodesRepairedCount:       2,
			Overrides: []eks.NodeRepairOverride{{
				NodeMonitoringCondition: "AcceleratedHardwareReady",
				NodeUnhealthyReason:     "NvidiaXID13Error",
				MinRepairWait:           cdk.Minutes(10),
				RepairAction:            eks.NodeRepairActionReboot,
			}},
		},
	})

	// Each change of the template makes a new version, which rolls the
	// group's nodes onto it.
	template := ec2.NewLaunchTemplate(stack, "NodeTemplate", ec2.LaunchTemplateProps{
		BlockDevices: []ec2.BlockDevice{{DeviceName: "/dev/xvda", VolumeSize: 100, Ebs: ec2.EbsDeviceOptions{VolumeType: ec2.EbsVolumeTypeGp3, Encrypted: cdk.Ptr(true)}}},
	})
	cluster.AddNodegroupCapacity("Web", eks.NodegroupOptions{
		InstanceTypes:      []ec2.InstanceType{ec2.InstanceTypeOf("m7i.large")},
		LaunchTemplateSpec: eks.LaunchTemplateSpecOf(template),
		MaxUnavailable:     2,
	})
}

package eks_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

func TestNodegroupUpdateAndRepairConfig(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	c.AddNodegroupCapacity("Gpu", eks.NodegroupOptions{
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
		ReleaseVersion: "1.34.0-20251120",
	})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::EKS::Nodegroup", map[string]any{
		"UpdateConfig": map[string]any{"MaxUnavailablePercentage": 25, "UpdateStrategy": "MINIMAL"},
		"NodeRepairConfig": map[string]any{
			"Enabled":                             true,
			"MaxUnhealthyNodeThresholdPercentage": 20,
			"MaxParallelNodesRepairedCount":       2,
			"NodeRepairConfigOverrides": []any{map[string]any{
				"NodeMonitoringCondition": "AcceleratedHardwareReady", "NodeUnhealthyReason": "NvidiaXID13Error",
				"MinRepairWaitTimeMins": 10, "RepairAction": "Reboot",
			}},
		},
		"ReleaseVersion": "1.34.0-20251120",
	})
}

func TestNodegroupTracksLaunchTemplateVersion(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	lt := ec2.NewLaunchTemplate(stack, "Template", ec2.LaunchTemplateProps{})
	c.AddNodegroupCapacity("Custom", eks.NodegroupOptions{LaunchTemplateSpec: eks.LaunchTemplateSpecOf(lt)})
	tmpl := assertions.FromStack(t, stack)
	id := logicalIDOf(t, stack, lt)
	tmpl.HasResourceProperties("AWS::EKS::Nodegroup", map[string]any{
		"LaunchTemplate": map[string]any{"Id": map[string]any{"Ref": id}, "Version": map[string]any{"Fn::GetAtt": []any{id, "LatestVersionNumber"}}},
	})
}

func TestNodegroupUpdateValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		opts eks.NodegroupOptions
		want []string
	}{
		{"fails with an unknown update strategy", eks.NodegroupOptions{UpdateStrategy: "FAST"}, []string{"Stack/Cluster/NodegroupNg", `UpdateStrategy "FAST" is not DEFAULT or MINIMAL`}},
		{"fails with repair settings without repair", eks.NodegroupOptions{NodeRepair: &eks.NodeRepairConfig{}}, []string{"NodeRepair is set but EnableNodeAutoRepair is false"}},
		{"fails with a count and a percentage", eks.NodegroupOptions{EnableNodeAutoRepair: true, NodeRepair: &eks.NodeRepairConfig{MaxParallelNodesRepairedCount: 1, MaxParallelNodesRepairedPercentage: 10}},
			[]string{"NodeRepair.MaxParallelNodesRepairedCount and NodeRepair.MaxParallelNodesRepairedPercentage cannot both be set"}},
		{"fails with a percentage over 100", eks.NodegroupOptions{EnableNodeAutoRepair: true, NodeRepair: &eks.NodeRepairConfig{MaxUnhealthyNodeThresholdPercentage: 150}},
			[]string{"NodeRepair.MaxUnhealthyNodeThresholdPercentage must be between 1 and 100, got 150"}},
		{"fails with an incomplete override", eks.NodegroupOptions{EnableNodeAutoRepair: true, NodeRepair: &eks.NodeRepairConfig{Overrides: []eks.NodeRepairOverride{{RepairAction: "Restart"}}}},
			[]string{"NodeRepair.Overrides[0] needs NodeMonitoringCondition and NodeUnhealthyReason", `NodeRepair.Overrides[0].RepairAction "Restart" is not Replace, Reboot or NoAction`}},
		{"fails with a wait that is not whole minutes", eks.NodegroupOptions{EnableNodeAutoRepair: true, NodeRepair: &eks.NodeRepairConfig{Overrides: []eks.NodeRepairOverride{{
			NodeMonitoringCondition: "a", NodeUnhealthyReason: "b", RepairAction: eks.NodeRepairActionReplace, MinRepairWait: cdk.Seconds(90)}}}},
			[]string{"NodeRepair.Overrides[0].MinRepairWait"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			clusterWithoutCapacity(stack).AddNodegroupCapacity("Ng", tc.opts)
			wantError(t, app, tc.want...)
		})
	}
}

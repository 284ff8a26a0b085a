package eks

import (
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
)

// NodegroupUpdateStrategy is how a managed node group replaces its nodes
// in a version update.
type NodegroupUpdateStrategy string

// Update strategies; the zero value leaves EKS's default.
const (
	// NodegroupUpdateStrategyDefault launches new nodes before terminating
	// old ones.
	NodegroupUpdateStrategyDefault NodegroupUpdateStrategy = "DEFAULT"
	// NodegroupUpdateStrategyMinimal terminates old nodes first, for
	// capacity that is scarce or costly (GPUs, capacity blocks).
	NodegroupUpdateStrategyMinimal NodegroupUpdateStrategy = "MINIMAL"
)

// NodeRepairAction is what node auto repair does with an unhealthy node.
type NodeRepairAction string

// Node repair actions.
const (
	NodeRepairActionReplace  NodeRepairAction = "Replace"
	NodeRepairActionReboot   NodeRepairAction = "Reboot"
	NodeRepairActionNoAction NodeRepairAction = "NoAction"
)

// NodeRepairOverride sets the repair of nodes unhealthy for one reason.
type NodeRepairOverride struct {
	// NodeMonitoringCondition is the condition the node monitoring agent
	// reports, such as "AcceleratedHardwareReady". Required.
	NodeMonitoringCondition string
	// NodeUnhealthyReason is the reason within the condition, such as
	// "NvidiaXID13Error". Required.
	NodeUnhealthyReason string
	// MinRepairWait is how long the node stays unhealthy before it is
	// repaired (whole minutes).
	// Default: EKS's.
	MinRepairWait cdk.Duration
	// RepairAction is what is done. Required.
	RepairAction NodeRepairAction
}

// NodeRepairConfig tunes the node auto repair of a managed node group.
// Thresholds and parallelism are each a count or a percentage, not both.
type NodeRepairConfig struct {
	// MaxUnhealthyNodeThresholdCount stops repairs while more nodes than
	// this are unhealthy (a wider failure that replacing nodes won't fix).
	// Default: EKS's.
	MaxUnhealthyNodeThresholdCount int
	// MaxUnhealthyNodeThresholdPercentage is the same threshold as a
	// percentage of the nodes (1–100).
	// Default: EKS's.
	MaxUnhealthyNodeThresholdPercentage int
	// MaxParallelNodesRepairedCount is how many nodes are repaired at once.
	// Default: EKS's.
	MaxParallelNodesRepairedCount int
	// MaxParallelNodesRepairedPercentage is the same as a percentage of the
	// unhealthy nodes (1–100).
	// Default: EKS's.
	MaxParallelNodesRepairedPercentage int
	// Overrides set the repair per condition and reason.
	// Default: none.
	Overrides []NodeRepairOverride
}

// updateConfig renders MaxUnavailable, MaxUnavailablePercentage and
// UpdateStrategy (validateUpdateConfig checks the numbers).
func (ng *Nodegroup) updateConfig(o NodegroupOptions) *cfneks.CfnNodegroupUpdateConfig {
	switch o.UpdateStrategy {
	case "", NodegroupUpdateStrategyDefault, NodegroupUpdateStrategyMinimal:
	default:
		ng.Node().AddError("UpdateStrategy %q is not DEFAULT or MINIMAL: use eks.NodegroupUpdateStrategyDefault or eks.NodegroupUpdateStrategyMinimal", string(o.UpdateStrategy))
	}
	if o.MaxUnavailable == 0 && o.MaxUnavailablePercentage == 0 && o.UpdateStrategy == "" {
		return nil
	}
	uc := &cfneks.CfnNodegroupUpdateConfig{UpdateStrategy: string(o.UpdateStrategy)}
	if o.MaxUnavailable != 0 {
		uc.MaxUnavailable = cdk.Ptr(float64(o.MaxUnavailable))
	}
	if o.MaxUnavailablePercentage != 0 {
		uc.MaxUnavailablePercentage = cdk.Ptr(float64(o.MaxUnavailablePercentage))
	}
	return uc
}

// nodeRepairConfig renders EnableNodeAutoRepair and NodeRepair.
func (ng *Nodegroup) nodeRepairConfig(o NodegroupOptions) *cfneks.CfnNodegroupNodeRepairConfig {
	r := o.NodeRepair
	if r != nil && !o.EnableNodeAutoRepair {
		ng.Node().AddError("NodeRepair is set but EnableNodeAutoRepair is false: set EnableNodeAutoRepair, or remove NodeRepair")
	}
	if !o.EnableNodeAutoRepair {
		return nil
	}
	nr := &cfneks.CfnNodegroupNodeRepairConfig{Enabled: cdk.Ptr(true)}
	if r == nil {
		return nr
	}
	pair := func(name string, count, pct int) (*int, *int) {
		if count != 0 && pct != 0 {
			ng.Node().AddError("NodeRepair.%sCount and NodeRepair.%sPercentage cannot both be set: keep one", name, name)
		}
		if count < 0 {
			ng.Node().AddError("NodeRepair.%sCount must be positive, got %d", name, count)
		}
		if pct != 0 && (pct < 1 || pct > 100) {
			ng.Node().AddError("NodeRepair.%sPercentage must be between 1 and 100, got %d", name, pct)
		}
		var c, p *int
		if count != 0 {
			c = cdk.Ptr(count)
		}
		if pct != 0 {
			p = cdk.Ptr(pct)
		}
		return c, p
	}
	nr.MaxUnhealthyNodeThresholdCount, nr.MaxUnhealthyNodeThresholdPercentage = pair("MaxUnhealthyNodeThreshold", r.MaxUnhealthyNodeThresholdCount, r.MaxUnhealthyNodeThresholdPercentage)
	nr.MaxParallelNodesRepairedCount, nr.MaxParallelNodesRepairedPercentage = pair("MaxParallelNodesRepaired", r.MaxParallelNodesRepairedCount, r.MaxParallelNodesRepairedPercentage)
	for i, ov := range r.Overrides {
		if ov.NodeMonitoringCondition == "" || ov.NodeUnhealthyReason == "" {
			ng.Node().AddError("NodeRepair.Overrides[%d] needs NodeMonitoringCondition and NodeUnhealthyReason (for example AcceleratedHardwareReady and NvidiaXID13Error)", i)
		}
		switch ov.RepairAction {
		case NodeRepairActionReplace, NodeRepairActionReboot, NodeRepairActionNoAction:
		default:
			ng.Node().AddError("NodeRepair.Overrides[%d].RepairAction %q is not Replace, Reboot or NoAction: use eks.NodeRepairActionReplace and its siblings", i, string(ov.RepairAction))
		}
		co := cfneks.CfnNodegroupNodeRepairConfigOverrides{
			NodeMonitoringCondition: ov.NodeMonitoringCondition,
			NodeUnhealthyReason:     ov.NodeUnhealthyReason,
			RepairAction:            string(ov.RepairAction),
		}
		if !ov.MinRepairWait.IsZero() {
			m, err := ov.MinRepairWait.ToMinutes()
			if err != nil {
				ng.Node().AddError("NodeRepair.Overrides[%d].MinRepairWait: %v; use whole minutes", i, err)
			}
			co.MinRepairWaitTimeMins = cdk.Ptr(int(m))
		}
		nr.NodeRepairConfigOverrides = append(nr.NodeRepairConfigOverrides, co)
	}
	return nr
}

// LaunchTemplateSpecOf names a launch template defined in the app and
// tracks its latest version: each change of the template makes a new
// version, which rolls the node group's nodes onto it (a LaunchTemplateSpec
// without Version stays on the template's default version, which EC2 does
// not move). A nil lt panics with a message (a programming error: there
// is no construct to report it on).
func LaunchTemplateSpecOf(lt *ec2.LaunchTemplate) *LaunchTemplateSpec {
	if lt == nil {
		panic("eks: LaunchTemplateSpecOf: the launch template is a nil *ec2.LaunchTemplate: pass one made with ec2.NewLaunchTemplate, or give a LaunchTemplateSpec with the ID of an existing template")
	}
	return &LaunchTemplateSpec{ID: lt.LaunchTemplateId(), Version: lt.LatestVersionNumber()}
}

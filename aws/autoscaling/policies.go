package autoscaling

import (
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/optarg"
)

// ScalingProcess is an Auto Scaling process that can be suspended during a
// rolling update.
type ScalingProcess string

// Auto Scaling processes.
const (
	ScalingProcessLaunch            ScalingProcess = "Launch"
	ScalingProcessTerminate         ScalingProcess = "Terminate"
	ScalingProcessHealthCheck       ScalingProcess = "HealthCheck"
	ScalingProcessReplaceUnhealthy  ScalingProcess = "ReplaceUnhealthy"
	ScalingProcessAZRebalance       ScalingProcess = "AZRebalance"
	ScalingProcessAlarmNotification ScalingProcess = "AlarmNotification"
	ScalingProcessScheduledActions  ScalingProcess = "ScheduledActions"
	ScalingProcessAddToLoadBalancer ScalingProcess = "AddToLoadBalancer"
	ScalingProcessInstanceRefresh   ScalingProcess = "InstanceRefresh"
)

// DefaultSuspendProcesses are the processes a rolling update suspends
// unless told otherwise: the AWS CDK's list (AWS's recommendation for
// rolling updates).
func DefaultSuspendProcesses() []ScalingProcess {
	return []ScalingProcess{
		ScalingProcessHealthCheck, ScalingProcessReplaceUnhealthy, ScalingProcessAZRebalance,
		ScalingProcessAlarmNotification, ScalingProcessScheduledActions, ScalingProcessInstanceRefresh,
	}
}

// SignalsOptions tune [Signals].
type SignalsOptions struct {
	// MinSuccessPercentage is the percentage of signals (0 to 100) that
	// must be successful; below 100 some instances may fail to start
	// without failing the deployment.
	// Default: 100 (not rendered).
	MinSuccessPercentage *int
	// Timeout is how long CloudFormation waits for the signals: the time
	// instances take to start and initialise.
	// Default: CloudFormation's (5 minutes; not rendered).
	Timeout cdk.Duration
}

type signalsKind int

const (
	waitForAll signalsKind = iota
	waitForMinCapacity
	waitForCount
)

// Signals make CloudFormation wait, when it creates the group (and during
// replacing updates), for instances to report that they started: their user
// data must run cfn-signal. They render the group's CreationPolicy. Make one
// with [SignalsWaitForAll], [SignalsWaitForMinCapacity] or
// [SignalsWaitForCount].
type Signals struct {
	kind  signalsKind
	count int
	opts  SignalsOptions
}

func signalsOptions(opts []SignalsOptions) SignalsOptions {
	return optarg.One("autoscaling.Signals", opts)
}

// SignalsWaitForAll waits for as many signals as the group's desired
// capacity, or its minimum capacity when no desired capacity is set.
func SignalsWaitForAll(opts ...SignalsOptions) *Signals {
	return &Signals{kind: waitForAll, opts: signalsOptions(opts)}
}

// SignalsWaitForMinCapacity waits for as many signals as the group's
// minimum capacity.
func SignalsWaitForMinCapacity(opts ...SignalsOptions) *Signals {
	return &Signals{kind: waitForMinCapacity, opts: signalsOptions(opts)}
}

// SignalsWaitForCount waits for count signals (one per instance).
func SignalsWaitForCount(count int, opts ...SignalsOptions) *Signals {
	return &Signals{kind: waitForCount, count: count, opts: signalsOptions(opts)}
}

// renderCreationPolicy renders the CreationPolicy attribute.
func (s *Signals) renderCreationPolicy(desired *int, min int) map[string]any {
	count := s.count
	switch s.kind {
	case waitForAll:
		count = min
		if desired != nil {
			count = *desired
		}
	case waitForMinCapacity:
		count = min
	}
	signal := map[string]any{"Count": count}
	if !s.opts.Timeout.IsZero() {
		signal["Timeout"] = s.opts.Timeout.ToIsoString()
	}
	out := map[string]any{"ResourceSignal": signal}
	if p := s.opts.MinSuccessPercentage; p != nil {
		out["AutoScalingCreationPolicy"] = map[string]any{"MinSuccessfulInstancesPercent": *p}
	}
	return out
}

// RollingUpdateOptions tune [UpdatePolicyRollingUpdate].
type RollingUpdateOptions struct {
	// MaxBatchSize is the most instances replaced at once.
	// Default: 1 (not rendered).
	MaxBatchSize int
	// MinInstancesInService is the fewest instances kept in service while
	// others are replaced.
	// Default: 0 (not rendered).
	MinInstancesInService int
	// SuspendProcesses are the Auto Scaling processes suspended during the
	// update, so they do not interfere with it. An empty, non-nil slice
	// suspends none.
	// Default: DefaultSuspendProcesses().
	SuspendProcesses []ScalingProcess
	// WaitOnResourceSignals makes each batch wait for its instances'
	// signals.
	// Default: true when the group has Signals, otherwise false.
	WaitOnResourceSignals *bool
	// PauseTime is how long to wait after each batch (for its signals,
	// when waiting on them); at most one hour.
	// Default: the Signals' Timeout.
	PauseTime cdk.Duration
	// MinSuccessPercentage is the percentage (0 to 100) of instances that
	// must signal success for the update to succeed.
	// Default: the Signals' MinSuccessPercentage.
	MinSuccessPercentage *int
}

// UpdatePolicy is how CloudFormation replaces instances when the launch
// template or the group's subnets change. Make one with
// [UpdatePolicyRollingUpdate] or [UpdatePolicyReplacingUpdate]; without
// one, only new instances get the new configuration.
type UpdatePolicy struct {
	replacing bool
	rolling   RollingUpdateOptions
}

// UpdatePolicyReplacingUpdate creates a new group and switches over to it
// (AutoScalingReplacingUpdate with WillReplace).
func UpdatePolicyReplacingUpdate() *UpdatePolicy { return &UpdatePolicy{replacing: true} }

// UpdatePolicyRollingUpdate replaces the instances in batches
// (AutoScalingRollingUpdate).
func UpdatePolicyRollingUpdate(opts ...RollingUpdateOptions) *UpdatePolicy {
	return &UpdatePolicy{rolling: optarg.One("autoscaling.UpdatePolicyRollingUpdate", opts)}
}

// render renders the UpdatePolicy attribute's update part, given the
// CreationPolicy rendered from the group's Signals (nil without).
func (u *UpdatePolicy) render(creation map[string]any) map[string]any {
	if u.replacing {
		return map[string]any{"AutoScalingReplacingUpdate": map[string]any{"WillReplace": true}}
	}
	o := u.rolling
	r := map[string]any{}
	if o.MaxBatchSize != 0 {
		r["MaxBatchSize"] = o.MaxBatchSize
	}
	if o.MinInstancesInService != 0 {
		r["MinInstancesInService"] = o.MinInstancesInService
	}
	procs := o.SuspendProcesses
	if procs == nil {
		procs = DefaultSuspendProcesses()
	}
	list := make([]any, len(procs))
	for i, p := range procs {
		list[i] = string(p)
	}
	r["SuspendProcesses"] = list
	signal, _ := creation["ResourceSignal"].(map[string]any)
	if o.MinSuccessPercentage != nil {
		r["MinSuccessfulInstancesPercent"] = *o.MinSuccessPercentage
	} else if acp, ok := creation["AutoScalingCreationPolicy"].(map[string]any); ok {
		r["MinSuccessfulInstancesPercent"] = acp["MinSuccessfulInstancesPercent"]
	}
	switch {
	case o.WaitOnResourceSignals != nil:
		if *o.WaitOnResourceSignals {
			r["WaitOnResourceSignals"] = true
		}
	case signal != nil:
		r["WaitOnResourceSignals"] = true
	}
	if !o.PauseTime.IsZero() {
		r["PauseTime"] = o.PauseTime.ToIsoString()
	} else if t, ok := signal["Timeout"]; ok {
		r["PauseTime"] = t
	}
	return map[string]any{"AutoScalingRollingUpdate": r}
}

// HealthCheckType is how Auto Scaling decides an instance is unhealthy.
type HealthCheckType string

// Health check types.
const (
	// HealthCheckTypeEc2 uses the EC2 status checks.
	HealthCheckTypeEc2 HealthCheckType = "EC2"
	// HealthCheckTypeElb also uses the load balancer's health checks.
	HealthCheckTypeElb HealthCheckType = "ELB"
)

// HealthCheck configures the group's health checks.
type HealthCheck struct {
	// Type is the kind of health check.
	// Default: EC2 (not rendered).
	Type HealthCheckType
	// Grace is how long Auto Scaling waits after an instance comes into
	// service before checking its health. Required for ELB.
	// Default: none (0 seconds).
	Grace cdk.Duration
}

// GroupMetric is a metric an Auto Scaling group sends to CloudWatch.
type GroupMetric string

// Group metrics.
const (
	GroupMetricMinSize              GroupMetric = "GroupMinSize"
	GroupMetricMaxSize              GroupMetric = "GroupMaxSize"
	GroupMetricDesiredCapacity      GroupMetric = "GroupDesiredCapacity"
	GroupMetricInServiceInstances   GroupMetric = "GroupInServiceInstances"
	GroupMetricPendingInstances     GroupMetric = "GroupPendingInstances"
	GroupMetricStandbyInstances     GroupMetric = "GroupStandbyInstances"
	GroupMetricTerminatingInstances GroupMetric = "GroupTerminatingInstances"
	GroupMetricTotalInstances       GroupMetric = "GroupTotalInstances"
)

// GroupMetrics is a set of group metrics collected every minute; an empty
// set collects them all ([GroupMetricsAll]).
type GroupMetrics []GroupMetric

// GroupMetricsAll collects every group metric.
func GroupMetricsAll() GroupMetrics { return GroupMetrics{} }

// ScalingEvent is a fleet event that can be notified.
type ScalingEvent string

// Scaling events.
const (
	ScalingEventInstanceLaunch         ScalingEvent = "autoscaling:EC2_INSTANCE_LAUNCH"
	ScalingEventInstanceTerminate      ScalingEvent = "autoscaling:EC2_INSTANCE_TERMINATE"
	ScalingEventInstanceTerminateError ScalingEvent = "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"
	ScalingEventInstanceLaunchError    ScalingEvent = "autoscaling:EC2_INSTANCE_LAUNCH_ERROR"
	ScalingEventTestNotification       ScalingEvent = "autoscaling:TEST_NOTIFICATION"
)

// ScalingEventsAll are the launch and terminate events and their errors.
func ScalingEventsAll() []ScalingEvent {
	return []ScalingEvent{ScalingEventInstanceLaunch, ScalingEventInstanceLaunchError, ScalingEventInstanceTerminate, ScalingEventInstanceTerminateError}
}

// ScalingEventsErrors are the launch and terminate errors.
func ScalingEventsErrors() []ScalingEvent {
	return []ScalingEvent{ScalingEventInstanceLaunchError, ScalingEventInstanceTerminateError}
}

// NotificationConfiguration sends fleet events to an SNS topic.
type NotificationConfiguration struct {
	// TopicArn is the ARN of the SNS topic. Required.
	TopicArn string
	// ScalingEvents are the events notified.
	// Default: ScalingEventsAll().
	ScalingEvents []ScalingEvent
}

// TerminationPolicy chooses the instances terminated when scaling in.
type TerminationPolicy string

// Termination policies.
const (
	TerminationPolicyAllocationStrategy        TerminationPolicy = "AllocationStrategy"
	TerminationPolicyClosestToNextInstanceHour TerminationPolicy = "ClosestToNextInstanceHour"
	TerminationPolicyDefault                   TerminationPolicy = "Default"
	TerminationPolicyNewestInstance            TerminationPolicy = "NewestInstance"
	TerminationPolicyOldestInstance            TerminationPolicy = "OldestInstance"
	TerminationPolicyOldestLaunchConfiguration TerminationPolicy = "OldestLaunchConfiguration"
	TerminationPolicyOldestLaunchTemplate      TerminationPolicy = "OldestLaunchTemplate"
)

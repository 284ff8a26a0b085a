package autoscaling

import (
	"fmt"
	"time"

	"github.com/eksforge/eksforge/cdk"
	cfnautoscaling "github.com/eksforge/eksforge/cfn/autoscaling"
	"github.com/eksforge/eksforge/internal/nilref"
)

// Schedule is when a scheduled action recurs: a cron expression in UTC (or
// the action's TimeZone). Make one with [ScheduleCron] or
// [ScheduleExpression].
type Schedule struct {
	expr      string
	cron      bool
	setMinute bool
}

// ScheduleExpression is a literal cron expression, e.g. "0 8 * * 1-5".
func ScheduleExpression(expression string) Schedule { return Schedule{expr: expression} }

// CronOptions are the fields of a cron expression; an empty field is "*".
type CronOptions struct {
	// Minute of the hour.
	// Default: "*" (every minute; a warning says so).
	Minute string
	// Hour of the day.
	// Default: "*".
	Hour string
	// Day of the month; not with WeekDay.
	// Default: "*".
	Day string
	// Month of the year.
	// Default: "*".
	Month string
	// WeekDay is the day of the week; not with Day.
	// Default: "*".
	WeekDay string
}

// ScheduleCron builds a cron expression from its fields. It panics when
// both Day and WeekDay are set.
func ScheduleCron(o CronOptions) Schedule {
	if o.Day != "" && o.WeekDay != "" {
		panic("autoscaling: ScheduleCron: both Day and WeekDay are set; set at most one")
	}
	f := func(s string) string {
		if s == "" {
			return "*"
		}
		return s
	}
	return Schedule{
		expr:      fmt.Sprintf("%s %s %s %s %s", f(o.Minute), f(o.Hour), f(o.Day), f(o.Month), f(o.WeekDay)),
		cron:      true,
		setMinute: o.Minute != "",
	}
}

// ExpressionString is the cron expression.
func (s Schedule) ExpressionString() string { return s.expr }

// ScheduledActionProps define a [ScheduledAction]. AutoScalingGroup (set by
// ScaleOnSchedule), Schedule and at least one capacity are required.
type ScheduledActionProps struct {
	// AutoScalingGroup is the group to scale. Required (ScaleOnSchedule
	// sets it).
	AutoScalingGroup IAutoScalingGroup
	// Schedule is when the action recurs. Required.
	Schedule Schedule
	// TimeZone is the IANA time zone of the schedule, e.g.
	// "Europe/Berlin".
	// Default: UTC.
	TimeZone string
	// StartTime is when the schedule starts.
	// Default: at once.
	StartTime time.Time
	// EndTime is when the schedule ends. Auto Scaling then deletes the
	// action, which CloudFormation sees as drift (a warning says so).
	// Default: never.
	EndTime time.Time
	// MinCapacity is the new minimum size.
	// Default: unchanged.
	MinCapacity *int
	// MaxCapacity is the new maximum size.
	// Default: unchanged.
	MaxCapacity *int
	// DesiredCapacity is the new desired size.
	// Default: unchanged.
	DesiredCapacity *int
}

// ScheduledAction is an AWS::AutoScaling::ScheduledAction: capacities set
// on a schedule.
type ScheduledAction struct {
	cdk.Base
	// Resource is the AWS::AutoScaling::ScheduledAction.
	Resource *cfnautoscaling.CfnScheduledAction
}

// NewScheduledAction adds a scheduled action to scope. It panics without a
// group or schedule; a schedule without any capacity is reported by
// app.Synth().
func NewScheduledAction(scope cdk.Construct, id string, props ScheduledActionProps) *ScheduledAction {
	a := &ScheduledAction{}
	cdk.InitConstruct(a, scope, id)
	typedNils := nilref.Clear(&props, "ScheduledActionProps")
	for _, e := range typedNils {
		a.Node().AddError("%s: pass a value, or leave the field unset", e)
	}
	node := a.Node()
	switch {
	case props.AutoScalingGroup == nil && len(typedNils) == 0:
		panic(fmt.Sprintf("autoscaling: ScheduledAction %q needs an AutoScalingGroup", node.Path()))
	case props.Schedule.expr == "":
		panic(fmt.Sprintf("autoscaling: ScheduledAction %q needs a Schedule: use ScheduleCron or ScheduleExpression", node.Path()))
	}
	if props.MinCapacity == nil && props.MaxCapacity == nil && props.DesiredCapacity == nil {
		node.AddError("set at least one of MinCapacity, MaxCapacity and DesiredCapacity")
	}
	if props.Schedule.cron && !props.Schedule.setMinute {
		node.AddWarning("ScheduleCron without a Minute runs every minute; set Minute \"*\" if you mean it, or \"0\" to run once an hour")
	}
	if !props.EndTime.IsZero() {
		node.AddWarning("an EndTime makes Auto Scaling delete the action once it has passed, which CloudFormation sees as drift")
	}
	a.Resource = cfnautoscaling.NewCfnScheduledAction(a, "Resource", cfnautoscaling.CfnScheduledActionProps{
		AutoScalingGroupName: groupNameOrEmpty(props.AutoScalingGroup),
		Recurrence:           props.Schedule.expr,
		TimeZone:             props.TimeZone,
		StartTime:            isoTime(props.StartTime),
		EndTime:              isoTime(props.EndTime),
		MinSize:              props.MinCapacity,
		MaxSize:              props.MaxCapacity,
		DesiredCapacity:      props.DesiredCapacity,
	})
	return a
}

// isoTime renders t in UTC to the second, as the AWS CDK does; "" for the
// zero time.
func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// ScheduledActionName is the action's name.
func (a *ScheduledAction) ScheduledActionName() string {
	return a.Resource.AttrScheduledActionName()
}

// ScaleOnSchedule sets the group's capacities on a schedule, with a
// ScheduledAction named "ScheduledAction<id>" under the group.
func (asg *AutoScalingGroup) ScaleOnSchedule(id string, props ScheduledActionProps) *ScheduledAction {
	props.AutoScalingGroup = asg
	return NewScheduledAction(asg, "ScheduledAction"+id, props)
}

// groupNameOrEmpty is the group's name, "" for a nil group (reported as an
// error).
func groupNameOrEmpty(g IAutoScalingGroup) string {
	if g == nil {
		return ""
	}
	return g.AutoScalingGroupName()
}

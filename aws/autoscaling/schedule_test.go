package autoscaling_test

import (
	"strings"
	"testing"
	"time"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

func TestScheduleCron(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   autoscaling.CronOptions
		want string
	}{
		{"every minute", autoscaling.CronOptions{}, "* * * * *"},
		{"weekday mornings", autoscaling.CronOptions{Minute: "0", Hour: "8", WeekDay: "MON-FRI"}, "0 8 * * MON-FRI"},
		{"first of the month", autoscaling.CronOptions{Minute: "30", Hour: "2", Day: "1", Month: "*/3"}, "30 2 1 */3 *"},
	}
	for _, tc := range tests {
		if got := autoscaling.ScheduleCron(tc.in).ExpressionString(); got != tc.want {
			t.Errorf("%s: ScheduleCron = %q, want %q", tc.name, got, tc.want)
		}
	}
	if msg := panicMessage(func() { autoscaling.ScheduleCron(autoscaling.CronOptions{Day: "1", WeekDay: "MON"}) }); !strings.Contains(msg, "both Day and WeekDay are set") {
		t.Errorf("panic = %q", msg)
	}
}

func TestScaleOnSchedule(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	asg := autoscaling.NewAutoScalingGroup(stack, "ASG", minimal(stack))
	a := asg.ScaleOnSchedule("Weekend", autoscaling.ScheduledActionProps{
		Schedule:        autoscaling.ScheduleExpression("0 0 * * SAT"),
		DesiredCapacity: cdk.Ptr(0),
		TimeZone:        "Europe/Berlin",
		StartTime:       time.Date(2031, 6, 7, 8, 9, 10, 0, time.FixedZone("CEST", 2*3600)),
		EndTime:         time.Date(2032, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	if !strings.HasPrefix(a.Node().Path(), "Stack/ASG/ScheduledActionWeekend") {
		t.Errorf("path = %s", a.Node().Path())
	}
	var warned bool
	for _, m := range a.Node().Metadata() {
		warned = warned || (m.Type == cdk.MetadataWarning && strings.Contains(m.Data.(string), "EndTime"))
	}
	if !warned {
		t.Errorf("no warning about EndTime")
	}
	assertions.FromStack(t, stack).HasResourceProperties("AWS::AutoScaling::ScheduledAction", Match.ObjectEquals(map[string]any{
		"AutoScalingGroupName": map[string]any{"Ref": "ASG46ED3070"},
		"Recurrence":           "0 0 * * SAT",
		"DesiredCapacity":      0,
		"TimeZone":             "Europe/Berlin",
		"StartTime":            "2031-06-07T06:09:10Z",
		"EndTime":              "2032-01-01T00:00:00Z",
	}))
}

func TestScheduledActionErrors(t *testing.T) {
	t.Parallel()
	app, stack := synthtest.NewStack()
	asg := autoscaling.NewAutoScalingGroup(stack, "ASG", minimal(stack))
	asg.ScaleOnSchedule("Nothing", autoscaling.ScheduledActionProps{Schedule: autoscaling.ScheduleCron(autoscaling.CronOptions{Hour: "1"})})
	err := synthtest.SynthError(t, app)
	if !strings.Contains(err, "[Stack/ASG/ScheduledActionNothing] set at least one of MinCapacity, MaxCapacity and DesiredCapacity") {
		t.Errorf("synthesis error = %q", err)
	}
	if msg := panicMessage(func() { asg.ScaleOnSchedule("NoSchedule", autoscaling.ScheduledActionProps{MinCapacity: cdk.Ptr(1)}) }); !strings.Contains(msg, `"Stack/ASG/ScheduledActionNoSchedule" needs a Schedule`) {
		t.Errorf("panic = %q", msg)
	}
	if msg := panicMessage(func() {
		autoscaling.NewScheduledAction(stack, "Orphan", autoscaling.ScheduledActionProps{Schedule: autoscaling.ScheduleExpression("* * * * *"), MinCapacity: cdk.Ptr(1)})
	}); !strings.Contains(msg, `"Stack/Orphan" needs an AutoScalingGroup`) {
		t.Errorf("panic = %q", msg)
	}
}

// An imported group can be scaled on a schedule too.
func TestScheduledActionOnImportedGroup(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	g := autoscaling.AutoScalingGroupFromAutoScalingGroupName(stack, "Existing", "legacy-nodes")
	autoscaling.NewScheduledAction(stack, "Scale", autoscaling.ScheduledActionProps{
		AutoScalingGroup: g, Schedule: autoscaling.ScheduleCron(autoscaling.CronOptions{Minute: "0", Hour: "6"}), MinCapacity: cdk.Ptr(3),
	})
	assertions.FromStack(t, stack).HasResourceProperties("AWS::AutoScaling::ScheduledAction", map[string]any{
		"AutoScalingGroupName": "legacy-nodes", "MinSize": 3, "Recurrence": "0 6 * * *",
	})
}

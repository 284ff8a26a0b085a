package deploy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// monitor follows one stack operation: it prints each new stack event and
// a progress bar of resources done out of total, with the elapsed time.
type monitor struct {
	d       *Deployer
	name    string
	stackID string
	total   int
	paths   map[string]string
	start   time.Time
	lastID  string // newest event seen before the operation
	seen    map[string]bool
	done    map[string]bool
	events  []types.StackEvent // this operation's events, oldest first
	drawn   bool               // a live bar is on screen
	// succeeded is set when the stack completes: every resource counts as
	// done, including those that report no events of their own.
	succeeded bool
	// lastLine is when a line was last printed; running maps resources
	// in progress to when their _IN_PROGRESS event was seen.
	lastLine time.Time
	running  map[string]time.Time
	types    map[string]string
}

// doneCount is the number of resources done, at most total.
func (m *monitor) doneCount() int {
	if m.succeeded {
		return m.total
	}
	return min(len(m.done), m.total)
}

func (d *Deployer) newMonitor(name, stackID string, total int, paths map[string]string) *monitor {
	now := d.now()
	return &monitor{d: d, name: name, stackID: stackID, total: total, paths: paths, start: now, lastLine: now, seen: map[string]bool{}, done: map[string]bool{}, running: map[string]time.Time{}, types: map[string]string{}}
}

// mark remembers the newest event before the operation starts, so only
// the operation's events are shown.
func (m *monitor) mark(ctx context.Context) error {
	if m.stackID == "" {
		return nil
	}
	out, err := m.d.CFN.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: &m.stackID})
	if err != nil {
		if isStackMissing(err) {
			return nil
		}
		return fmt.Errorf("unable to read the events of stack %s: %w", m.name, err)
	}
	for _, e := range out.StackEvents {
		m.seen[aws.ToString(e.EventId)] = true
	}
	if len(out.StackEvents) > 0 {
		m.lastID = aws.ToString(out.StackEvents[0].EventId)
	}
	return nil
}

// step reads the events since the last step and prints them.
func (m *monitor) step(ctx context.Context) error {
	var fresh []types.StackEvent
	in := &cloudformation.DescribeStackEventsInput{StackName: &m.stackID}
pages:
	for {
		out, err := m.d.CFN.DescribeStackEvents(ctx, in)
		if err != nil {
			if isStackMissing(err) {
				break
			}
			return fmt.Errorf("unable to read the events of stack %s: %w", m.name, err)
		}
		for _, e := range out.StackEvents {
			id := aws.ToString(e.EventId)
			if id == m.lastID {
				break pages
			}
			if !m.seen[id] {
				fresh = append(fresh, e)
			}
		}
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	slices.Reverse(fresh) // oldest first
	for _, e := range fresh {
		m.seen[aws.ToString(e.EventId)] = true
		m.events = append(m.events, e)
		m.print(e)
	}
	if m.d.Live {
		m.drawBar()
	}
	return nil
}

func (m *monitor) isStackEvent(e types.StackEvent) bool {
	return aws.ToString(e.ResourceType) == "AWS::CloudFormation::Stack" && aws.ToString(e.PhysicalResourceId) == m.stackID
}

func (m *monitor) print(e types.StackEvent) {
	id := aws.ToString(e.LogicalResourceId)
	status := string(e.ResourceStatus)
	now := m.d.now()
	if !m.isStackEvent(e) && (strings.HasSuffix(status, "_COMPLETE") || strings.HasSuffix(status, "_FAILED") || strings.HasSuffix(status, "_SKIPPED")) {
		m.done[id] = true
		delete(m.running, id)
	} else if !m.isStackEvent(e) && strings.HasSuffix(status, "_IN_PROGRESS") {
		if _, ok := m.running[id]; !ok {
			m.running[id] = now
		}
		m.types[id] = aws.ToString(e.ResourceType)
	}
	m.lastLine = now
	name := id
	if p := m.paths[id]; p != "" {
		name += " (" + p + ")"
	}
	line := fmt.Sprintf("%s | %s | %-28s | %-30s | %s", m.name, aws.ToTime(e.Timestamp).UTC().Format("15:04:05"), status, aws.ToString(e.ResourceType), name)
	if r := aws.ToString(e.ResourceStatusReason); r != "" && (strings.HasSuffix(status, "_FAILED") || strings.Contains(status, "ROLLBACK")) {
		line += ": " + r
	}
	if m.d.Live {
		m.clearBar()
		fmt.Fprintln(m.d.Out, line)
		return
	}
	fmt.Fprintf(m.d.Out, "%s %s\n", m.counter(now), line)
}

// counter renders "[done/total elapsed]" at now.
func (m *monitor) counter(now time.Time) string {
	return fmt.Sprintf("[%d/%d %s]", m.doneCount(), m.total, elapsed(now.Sub(m.start)))
}

// bar renders "[#####-----] 3/7 resources, 12s".
func (m *monitor) bar() string {
	const width = 30
	n := 0
	if m.total > 0 {
		n = m.doneCount() * width / m.total
	}
	return fmt.Sprintf("%s [%s%s] %d/%d resources, %s", m.name, strings.Repeat("#", n), strings.Repeat("-", width-n), m.doneCount(), m.total, elapsed(m.d.now().Sub(m.start)))
}

func (m *monitor) drawBar() {
	m.clearBar()
	fmt.Fprint(m.d.Out, m.bar())
	m.drawn = true
}

func (m *monitor) clearBar() {
	if m.drawn {
		fmt.Fprint(m.d.Out, "\r\033[K")
		m.drawn = false
	}
}

// finish prints the final bar on its own line.
func (m *monitor) finish() {
	m.clearBar()
	fmt.Fprintln(m.d.Out, m.bar())
}

// wait follows the stack until no operation is in progress and returns
// its final description.
func (m *monitor) wait(ctx context.Context) (*types.Stack, error) {
	for {
		if err := m.step(ctx); err != nil {
			return nil, err
		}
		out, err := m.d.CFN.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: &m.stackID})
		var st *types.Stack
		switch {
		case err != nil && isStackMissing(err):
			st = &types.Stack{StackName: &m.name, StackStatus: types.StackStatusDeleteComplete}
		case err != nil:
			return nil, fmt.Errorf("unable to describe stack %s: %w", m.name, err)
		case len(out.Stacks) == 0:
			st = &types.Stack{StackName: &m.name, StackStatus: types.StackStatusDeleteComplete}
		default:
			st = &out.Stacks[0]
		}
		if !strings.HasSuffix(string(st.StackStatus), "_IN_PROGRESS") {
			if err := m.step(ctx); err != nil {
				return nil, err
			}
			switch st.StackStatus {
			case types.StackStatusCreateComplete, types.StackStatusUpdateComplete, types.StackStatusDeleteComplete:
				m.succeeded = true
			}
			m.finish()
			return st, nil
		}
		if !m.d.Live {
			m.noteLongWait(st)
		}
		if err := sleep(ctx, m.d.poll()); err != nil {
			return nil, err
		}
	}
}

// noteLongWait prints, when nothing was printed for the Deployer's
// WaitNotice, a line with the stack's status, the elapsed time, and the
// resources still in progress with how long each has been (an EKS cluster
// takes 10 minutes: the line says the deployment is alive and what it
// waits for).
func (m *monitor) noteLongWait(st *types.Stack) {
	now := m.d.now()
	if now.Sub(m.lastLine) < m.d.waitNotice() {
		return
	}
	ids := make([]string, 0, len(m.running))
	for id := range m.running {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return m.running[a].Compare(m.running[b]) })
	var waiting []string
	for _, id := range ids {
		w := fmt.Sprintf("%s (%s) for %s", id, m.types[id], elapsed(now.Sub(m.running[id])))
		if p := m.paths[id]; p != "" {
			w = fmt.Sprintf("%s (%s, %s) for %s", id, p, m.types[id], elapsed(now.Sub(m.running[id])))
		}
		waiting = append(waiting, w)
	}
	line := fmt.Sprintf("%s %s: still %s after %s", m.counter(now), m.name, st.StackStatus, elapsed(now.Sub(m.start)))
	if len(waiting) > 0 {
		line += "; in progress: " + strings.Join(waiting, ", ")
	}
	fmt.Fprintln(m.d.Out, line)
	m.lastLine = now
}

// firstFailure returns the earliest resource event of the operation with a
// _FAILED status and a reason that is not a cancellation, or the earliest
// failed event of any kind.
func (m *monitor) firstFailure() *types.StackEvent {
	var fallback *types.StackEvent
	for i := range m.events {
		e := &m.events[i]
		if !strings.HasSuffix(string(e.ResourceStatus), "_FAILED") {
			continue
		}
		reason := aws.ToString(e.ResourceStatusReason)
		if !m.isStackEvent(*e) && !strings.Contains(reason, "cancelled") {
			return e
		}
		if fallback == nil {
			fallback = e
		}
	}
	return fallback
}

// elapsed renders a duration in whole seconds: "12s", "3m05s".
func elapsed(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s < 60 {
		return fmt.Sprintf("%ds", s)
	}
	return fmt.Sprintf("%dm%02ds", s/60, s%60)
}

package provider

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/provider/spec"
)

// slowThing is a handler whose operation completes only once the test says
// so (ready), counting the isComplete calls.
type slowThing struct {
	mu    sync.Mutex
	ready bool
	polls int
	fail  string
}

func (s *slowThing) OnEvent(_ context.Context, e Event) (OnEventResult, error) {
	return OnEventResult{PhysicalResourceId: "slow", Data: map[string]any{"Started": "yes"}, Extra: map[string]any{"Step": "waiting"}}, nil
}

func (s *slowThing) IsComplete(_ context.Context, r IsCompleteRequest) (IsCompleteResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.polls++
	if r.Extra["Step"] != "waiting" {
		return IsCompleteResult{}, &UserFunctionError{Message: "Extra lost"}
	}
	if s.fail != "" {
		return IsCompleteResult{}, reasonError(s.fail)
	}
	if !s.ready {
		return IsCompleteResult{}, nil
	}
	return IsCompleteResult{IsComplete: true, Data: map[string]any{"Done": "yes"}}, nil
}

const waiterArn = "arn:aws:states:us-east-1:123456789012:stateMachine:kubectl-waiter"
const continuableArn = "arn:aws:lambda:us-east-1:123456789012:function:kubectl-waiter"

// invocation runs one Lambda invocation of entry with a deadline of left.
func invocation(entry func(context.Context, json.RawMessage) error, left time.Duration) func(context.Context, json.RawMessage) error {
	return func(ctx context.Context, raw json.RawMessage) error {
		ctx, cancel := context.WithTimeout(ctx, left)
		defer cancel()
		return entry(ctx, raw)
	}
}

func TestLongOperationContinuesInTheWaiter(t *testing.T) {
	t.Parallel()
	cf := newCloudFormation(t)
	execs := &executions{}
	h := &slowThing{}
	o := Options{PollInterval: 10 * time.Millisecond, HandoffReserve: 50 * time.Millisecond, Waiter: Waiter{Executions: execs, StateMachine: waiterArn}}
	entry := Continuable(h, o)
	raw, _ := json.Marshal(cf.event(cfnresponse.Create, "req-long", "", nil))
	// The first invocation has a second: it polls in process, then hands
	// the operation to the waiter without answering.
	if err := invocation(entry, time.Second)(t.Context(), raw); err != nil {
		t.Fatal(err)
	}
	cf.none(t, "req-long")
	input := execs.last(t)
	if got := execs.started[0]; *got.Name != "req-long" || *got.StateMachineArn != waiterArn {
		t.Errorf("execution %s of %s", *got.Name, *got.StateMachineArn)
	}
	inProcessPolls := h.polls

	def, err := spec.WaiterDefinition(continuableArn, continuableArn, time.Second, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	waiterPolls := 0
	sm := newStateMachine(t, def, map[string]func(context.Context, json.RawMessage) error{
		continuableArn: func(ctx context.Context, raw json.RawMessage) error {
			var probe map[string]any
			_ = json.Unmarshal(raw, &probe)
			if _, timeout := probe[spec.ErrorInfoField]; !timeout {
				waiterPolls++
				if waiterPolls == 3 {
					h.mu.Lock()
					h.ready = true // after observing three polls
					h.mu.Unlock()
				}
			}
			return invocation(entry, time.Minute)(ctx, raw)
		},
	})
	if _, err := sm.Run(t.Context(), json.RawMessage(input)); err != nil {
		t.Fatal(err)
	}
	got := cf.only(t, "req-long")
	if got.Status != cfnresponse.Success || got.PhysicalResourceId != "slow" || got.Data["Started"] != "yes" || got.Data["Done"] != "yes" {
		t.Errorf("answer = %+v", got)
	}
	if waiterPolls != 3 || h.polls != inProcessPolls+3 {
		t.Errorf("waiter polled %d times (isComplete %d, %d in process), want 3", waiterPolls, h.polls, inProcessPolls)
	}
	if strings.Count(strings.Join(sm.Trace, ","), spec.OnTimeoutState) != 0 {
		t.Errorf("onTimeout ran: %v", sm.Trace)
	}
}

func TestLongOperationFailsWithTheHandlersReason(t *testing.T) {
	t.Parallel()
	cf := newCloudFormation(t)
	execs := &executions{}
	h := &slowThing{}
	o := Options{PollInterval: 10 * time.Millisecond, HandoffReserve: 50 * time.Millisecond, Waiter: Waiter{Executions: execs, StateMachine: waiterArn}}
	entry := Continuable(h, o)
	raw, _ := json.Marshal(cf.event(cfnresponse.Update, "req-fail", "slow", nil))
	if err := invocation(entry, time.Second)(t.Context(), raw); err != nil {
		t.Fatal(err)
	}
	h.fail = "release x is not ready after 40m0s: Deployment default/x: 0 of 1 replicas available"
	if err := invocation(entry, time.Minute)(t.Context(), json.RawMessage(execs.last(t))); err != nil {
		t.Fatalf("a failing poll answers CloudFormation and ends the waiter, got %v", err)
	}
	got := cf.only(t, "req-fail")
	if got.Status != cfnresponse.Failed || got.Reason != h.fail || got.PhysicalResourceId != "slow" {
		t.Errorf("answer = %+v", got)
	}
}

func TestLongOperationPollReportsNotComplete(t *testing.T) {
	t.Parallel()
	cf := newCloudFormation(t)
	execs := &executions{}
	h := &slowThing{}
	entry := Continuable(h, Options{PollInterval: 10 * time.Millisecond, HandoffReserve: 50 * time.Millisecond, Waiter: Waiter{Executions: execs, StateMachine: waiterArn}})
	raw, _ := json.Marshal(cf.event(cfnresponse.Create, "req-nc", "", nil))
	if err := invocation(entry, time.Second)(t.Context(), raw); err != nil {
		t.Fatal(err)
	}
	err := invocation(entry, time.Minute)(t.Context(), json.RawMessage(execs.last(t)))
	ive, ok := err.(messages.InvokeResponse_Error)
	if !ok || ive.Type != spec.NotCompleteError {
		t.Fatalf("err = %#v, want %s", err, spec.NotCompleteError)
	}
	cf.none(t, "req-nc")
	// The waiter gives up: onTimeout answers once.
	var m map[string]any
	_ = json.Unmarshal([]byte(execs.last(t)), &m)
	m[spec.ErrorInfoField] = map[string]string{"Error": spec.NotCompleteError, "Cause": "{}"}
	b, _ := json.Marshal(m)
	if err := invocation(entry, time.Minute)(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	if got := cf.only(t, "req-nc"); got.Status != cfnresponse.Failed || !strings.Contains(got.Reason, "Operation timed out") {
		t.Errorf("answer = %+v", got)
	}
}

func TestLongOperationWithoutWaiterFailsInProcess(t *testing.T) {
	t.Parallel()
	cf := newCloudFormation(t)
	h := &slowThing{}
	entry := Continuable(h, Options{PollInterval: 10 * time.Millisecond, MinGuard: 100 * time.Millisecond})
	raw, _ := json.Marshal(cf.event(cfnresponse.Create, "req-nw", "", nil))
	if err := invocation(entry, 500*time.Millisecond)(t.Context(), raw); err != nil {
		t.Fatal(err)
	}
	if got := cf.only(t, "req-nw"); got.Status != cfnresponse.Failed || !strings.Contains(got.Reason, "timed out") {
		t.Errorf("answer = %+v", got)
	}
}

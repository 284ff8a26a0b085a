package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
)

// things is a small resource implementation of our own, so that tests run
// real handler logic: a named thing per resource, replaced when its Name
// changes.
type things struct {
	mu    sync.Mutex
	live  map[string]map[string]any
	calls atomic.Int32
}

func newThings() *things { return &things{live: map[string]map[string]any{}} }

func (s *things) OnEvent(_ context.Context, e Event) (OnEventResult, error) {
	s.calls.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	name, _ := e.ResourceProperties["Name"].(string)
	switch e.RequestType {
	case cfnresponse.Create, cfnresponse.Update:
		id := "thing-" + name
		s.live[id] = e.ResourceProperties // create or converge: a replay is harmless
		return OnEventResult{PhysicalResourceId: id, Data: map[string]any{"Arn": "arn:aws:things:::" + id, "Size": e.ResourceProperties["Size"]}}, nil
	default:
		delete(s.live, e.PhysicalResourceId) // gone already is fine
		return OnEventResult{}, nil
	}
}

func (s *things) has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.live[id]
	return ok
}

func TestInProcessLifecycle(t *testing.T) {
	t.Parallel()
	cf := newCloudFormation(t)
	store := newThings()
	handle := InProcess(store, Options{})
	ctx := t.Context()

	// Create: the handler's ID and attributes reach CloudFormation.
	if err := handle(ctx, cf.event(cfnresponse.Create, "req-create", "", map[string]any{"Name": "a", "Size": "3"})); err != nil {
		t.Fatal(err)
	}
	got := cf.only(t, "req-create")
	want := cfnresponse.Response{Status: cfnresponse.Success, Reason: "SUCCESS", PhysicalResourceId: "thing-a",
		StackId: got.StackId, RequestId: "req-create", LogicalResourceId: "Thing",
		Data: map[string]any{"Arn": "arn:aws:things:::thing-a", "Size": "3"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Create answer (-want +got):\n%s", d)
	}

	// Update in place keeps the ID.
	if err := handle(ctx, cf.event(cfnresponse.Update, "req-update", "thing-a", map[string]any{"Name": "a", "Size": "4"})); err != nil {
		t.Fatal(err)
	}
	if got := cf.only(t, "req-update"); got.Status != cfnresponse.Success || got.PhysicalResourceId != "thing-a" || got.Data["Size"] != "4" {
		t.Errorf("Update answer = %+v", got)
	}

	// Update that changes Name replaces: a new ID; CloudFormation deletes the old.
	if err := handle(ctx, cf.event(cfnresponse.Update, "req-replace", "thing-a", map[string]any{"Name": "b"})); err != nil {
		t.Fatal(err)
	}
	if got := cf.only(t, "req-replace"); got.Status != cfnresponse.Success || got.PhysicalResourceId != "thing-b" {
		t.Errorf("replacing Update answer = %+v", got)
	}
	if err := handle(ctx, cf.event(cfnresponse.Delete, "req-delete-old", "thing-a", map[string]any{"Name": "a"})); err != nil {
		t.Fatal(err)
	}
	if got := cf.only(t, "req-delete-old"); got.Status != cfnresponse.Success || got.PhysicalResourceId != "thing-a" {
		t.Errorf("Delete answer = %+v", got)
	}
	if store.has("thing-a") || !store.has("thing-b") {
		t.Errorf("live things after replacement: %v", store.live)
	}
}

func TestInProcessReplayedRequestsAreHarmless(t *testing.T) {
	t.Parallel()
	cf := newCloudFormation(t)
	store := newThings()
	handle := InProcess(store, Options{})
	for _, e := range []Event{
		cf.event(cfnresponse.Create, "req-c", "", map[string]any{"Name": "x"}),
		cf.event(cfnresponse.Delete, "req-d", "thing-x", map[string]any{"Name": "x"}),
	} {
		for range 2 {
			if err := handle(t.Context(), e); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Each delivery is answered, identically.
	cf.mu.Lock()
	defer cf.mu.Unlock()
	if len(cf.answers) != 4 {
		t.Fatalf("got %d answers, want 4", len(cf.answers))
	}
	for i := 0; i < 4; i += 2 {
		if d := cmp.Diff(cf.answers[i].resp, cf.answers[i+1].resp); d != "" || cf.answers[i].resp.Status != cfnresponse.Success {
			t.Errorf("replayed answers differ or failed (-first +second):\n%s", d)
		}
	}
	if store.has("thing-x") {
		t.Error("thing-x still live")
	}
}

func TestInProcessPhysicalIDRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		rt         cfnresponse.RequestType
		physical   string
		returned   string
		wantStatus cfnresponse.Status
		wantID     string
		wantReason string
	}{
		{"create defaults to the RequestId", cfnresponse.Create, "", "", cfnresponse.Success, "req", ""},
		{"update defaults to the current ID", cfnresponse.Update, "p-1", "", cfnresponse.Success, "p-1", ""},
		{"delete defaults to the current ID", cfnresponse.Delete, "p-1", "", cfnresponse.Success, "p-1", ""},
		{"delete may return the same ID", cfnresponse.Delete, "p-1", "p-1", cfnresponse.Success, "p-1", ""},
		{"fails when delete changes the ID", cfnresponse.Delete, "p-1", "p-2", cfnresponse.Failed, "p-1", `cannot change the physical resource ID from "p-1" to "p-2"`},
		{"fails on an ID over 1 KB", cfnresponse.Create, "", strings.Repeat("i", 1025), cfnresponse.Failed, CreateFailedPhysicalIDPrefix + "req", "physical resource ID is 1025 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cf := newCloudFormation(t)
			h := HandlerFunc(func(context.Context, Event) (OnEventResult, error) {
				return OnEventResult{PhysicalResourceId: tt.returned}, nil
			})
			if err := InProcess(h, Options{})(t.Context(), cf.event(tt.rt, "req", tt.physical, nil)); err != nil {
				t.Fatal(err)
			}
			got := cf.only(t, "req")
			if got.Status != tt.wantStatus || got.PhysicalResourceId != tt.wantID || !strings.Contains(got.Reason, tt.wantReason) {
				t.Errorf("got %s %q %q, want %s %q reason containing %q", got.Status, got.PhysicalResourceId, got.Reason, tt.wantStatus, tt.wantID, tt.wantReason)
			}
		})
	}
}

func TestInProcessFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		rt         cfnresponse.RequestType
		physical   string
		handler    HandlerFunc
		wantID     string
		wantReason []string
	}{
		{
			name: "fails with the handler's error as the reason",
			rt:   cfnresponse.Update, physical: "p-1",
			handler: func(context.Context, Event) (OnEventResult, error) {
				return OnEventResult{}, fmt.Errorf("unable to apply Deployment default/web: %w", errors.New("admission webhook denied"))
			},
			wantID:     "p-1",
			wantReason: []string{"unable to apply Deployment default/web: admission webhook denied"},
		},
		{
			name: "fails a create without ID with the marker",
			rt:   cfnresponse.Create,
			handler: func(context.Context, Event) (OnEventResult, error) {
				return OnEventResult{}, errors.New("quota exceeded")
			},
			wantID:     CreateFailedPhysicalIDPrefix + "req",
			wantReason: []string{"quota exceeded"},
		},
		{
			name: "fails a create with the ID returned with the error",
			rt:   cfnresponse.Create,
			handler: func(context.Context, Event) (OnEventResult, error) {
				return OnEventResult{PhysicalResourceId: "half-made"}, errors.New("second object failed")
			},
			wantID:     "half-made",
			wantReason: []string{"second object failed"},
		},
		{
			name: "fails on panic with its value and site",
			rt:   cfnresponse.Delete, physical: "p-1",
			handler: func(context.Context, Event) (OnEventResult, error) {
				var m map[string]int
				//lint:ignore SA5000 the test needs a runtime panic
				m["boom"]++
				return OnEventResult{}, nil
			},
			wantID:     "p-1",
			wantReason: []string{"panic: assignment to entry in nil map", "serve_test.go:", "stack trace in"},
		},
		{
			name: "fails on panic with an error value",
			rt:   cfnresponse.Create,
			handler: func(context.Context, Event) (OnEventResult, error) {
				panic(errors.New("invariant broken"))
			},
			wantID:     CreateFailedPhysicalIDPrefix + "req",
			wantReason: []string{"panic: invariant broken"},
		},
		{
			name: "fails on an error with an empty message",
			rt:   cfnresponse.Create,
			handler: func(context.Context, Event) (OnEventResult, error) {
				return OnEventResult{}, errors.New("")
			},
			wantID:     CreateFailedPhysicalIDPrefix + "req",
			wantReason: []string{"*errors.errorString with an empty message"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cf := newCloudFormation(t)
			if err := InProcess(tt.handler, Options{})(t.Context(), cf.event(tt.rt, "req", tt.physical, nil)); err != nil {
				t.Fatalf("the entry failed although CloudFormation was answered: %v", err)
			}
			got := cf.only(t, "req")
			if got.Status != cfnresponse.Failed || got.PhysicalResourceId != tt.wantID {
				t.Errorf("got %s %q, want FAILED %q", got.Status, got.PhysicalResourceId, tt.wantID)
			}
			for _, w := range tt.wantReason {
				if !strings.Contains(got.Reason, w) {
					t.Errorf("Reason %q lacks %q", got.Reason, w)
				}
			}
		})
	}
}

func TestInProcessDeadlineGuard(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	tests := []struct {
		name       string
		handler    HandlerFunc
		wantReason []string
	}{
		{
			name: "fails a handler that ignores its context",
			handler: func(context.Context, Event) (OnEventResult, error) {
				<-release // stuck until the test ends
				return OnEventResult{}, nil
			},
			wantReason: []string{"timed out after", "before the Lambda function's timeout", "; see "},
		},
		{
			name: "fails a handler that honours its context, with its error",
			handler: func(ctx context.Context, _ Event) (OnEventResult, error) {
				select {
				case <-ctx.Done():
					return OnEventResult{}, fmt.Errorf("waiting for Deployment default/web to roll out: %w", ctx.Err())
				case <-release:
					return OnEventResult{}, nil
				}
			},
			wantReason: []string{"timed out after", "waiting for Deployment default/web to roll out: context deadline exceeded"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cf := newCloudFormation(t)
			// The Lambda's deadline, as the runtime sets it on the context,
			// on a context that never ends by itself: an answer can only
			// come from the guard, before the deadline by construction, so
			// the test asserts the order of events, not the machine's speed.
			const life = 1500 * time.Millisecond
			ctx := reportedDeadline{Context: t.Context(), deadline: time.Now().Add(life)}
			done := make(chan error, 1)
			go func() {
				done <- InProcess(tt.handler, Options{MinGuard: 300 * time.Millisecond})(ctx, cf.event(cfnresponse.Create, "req", "", nil))
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(2 * time.Minute):
				t.Fatal("no answer: the deadline guard did not fire")
			}
			if ctx.Err() != nil {
				t.Fatalf("the invocation's context ended (%v) before the guard answered", ctx.Err())
			}
			got := cf.only(t, "req")
			if got.Status != cfnresponse.Failed {
				t.Errorf("Status = %s", got.Status)
			}
			for _, w := range append(tt.wantReason, "answers 300ms before") {
				if !strings.Contains(got.Reason, w) {
					t.Errorf("Reason %q lacks %q", got.Reason, w)
				}
			}
		})
	}
}

// reportedDeadline is a context that reports a deadline, as the Lambda
// runtime's does, but ends only with its parent: what happens at the
// deadline is then the code's own doing.
type reportedDeadline struct {
	context.Context
	deadline time.Time
}

// Deadline returns the reported deadline.
func (c reportedDeadline) Deadline() (time.Time, bool) { return c.deadline, true }

func TestGuardMargin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		left, want time.Duration
		o          Options
	}{
		{15 * time.Minute, 90 * time.Second, Options{}},
		{30 * time.Second, 5 * time.Second, Options{}},
		{4 * time.Second, 2 * time.Second, Options{}},
		{time.Minute, 30 * time.Second, Options{GuardFraction: 0.5}},
	}
	for _, tt := range tests {
		if got := tt.o.guardMargin(tt.left); got != tt.want {
			t.Errorf("guardMargin(%v) with %+v = %v, want %v", tt.left, tt.o, got, tt.want)
		}
	}
}

func TestInProcessDeleteAfterFailedCreate(t *testing.T) {
	t.Parallel()
	for name, physical := range map[string]string{
		"our marker":            CreateFailedPhysicalIDPrefix + "req-create",
		"the AWS CDK's marker":  "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED",
		"no physical ID at all": "",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cf := newCloudFormation(t)
			store := newThings()
			if err := InProcess(store, Options{})(t.Context(), cf.event(cfnresponse.Delete, "req", physical, nil)); err != nil {
				t.Fatal(err)
			}
			got := cf.only(t, "req")
			if got.Status != cfnresponse.Success || store.calls.Load() != 0 {
				t.Errorf("got %s after %d handler calls, want SUCCESS without calling the handler", got.Status, store.calls.Load())
			}
			if physical != "" && got.PhysicalResourceId != physical {
				t.Errorf("PhysicalResourceId = %q, want %q kept", got.PhysicalResourceId, physical)
			}
		})
	}
	// End to end: the failed Create's marker comes back in the Delete.
	t.Run("the rollback of a failed create", func(t *testing.T) {
		t.Parallel()
		cf := newCloudFormation(t)
		var calls atomic.Int32
		h := HandlerFunc(func(context.Context, Event) (OnEventResult, error) {
			calls.Add(1)
			return OnEventResult{}, errors.New("nope")
		})
		handle := InProcess(h, Options{})
		if err := handle(t.Context(), cf.event(cfnresponse.Create, "req-create", "", nil)); err != nil {
			t.Fatal(err)
		}
		created := cf.only(t, "req-create")
		if err := handle(t.Context(), cf.event(cfnresponse.Delete, "req-delete", created.PhysicalResourceId, nil)); err != nil {
			t.Fatal(err)
		}
		if got := cf.only(t, "req-delete"); got.Status != cfnresponse.Success || calls.Load() != 1 {
			t.Errorf("Delete answered %s after %d calls", got.Status, calls.Load())
		}
	})
}

// waiting implements both halves: a resource that needs several polls.
type waiting struct {
	polls     atomic.Int32
	readyAt   int32
	failAt    int32
	dataEarly bool
}

func (w *waiting) OnEvent(_ context.Context, e Event) (OnEventResult, error) {
	return OnEventResult{PhysicalResourceId: "cluster-1", Data: map[string]any{"Name": "cluster-1", "Endpoint": "pending"},
		Extra: map[string]any{"UpdateId": "u-42"}}, nil
}

func (w *waiting) IsComplete(_ context.Context, r IsCompleteRequest) (IsCompleteResult, error) {
	n := w.polls.Add(1)
	if r.PhysicalResourceId != "cluster-1" || r.Extra["UpdateId"] != "u-42" || r.Data["Name"] != "cluster-1" {
		return IsCompleteResult{}, fmt.Errorf("isComplete got the wrong request: %+v", r)
	}
	if w.failAt != 0 && n == w.failAt {
		return IsCompleteResult{}, errors.New("cluster entered FAILED state")
	}
	if w.dataEarly {
		return IsCompleteResult{Data: map[string]any{"x": "y"}}, nil
	}
	if w.readyAt != 0 && n >= w.readyAt {
		return IsCompleteResult{IsComplete: true, Data: map[string]any{"Endpoint": "https://cluster-1.example"}}, nil
	}
	return IsCompleteResult{}, nil
}

func TestInProcessPollsIsComplete(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		w          *waiting
		deadline   time.Duration
		wantStatus cfnresponse.Status
		wantPolls  int32
		wantData   map[string]any
		wantReason string
	}{
		{"polls until complete and merges Data", &waiting{readyAt: 4}, 0, cfnresponse.Success, 4,
			map[string]any{"Name": "cluster-1", "Endpoint": "https://cluster-1.example"}, ""},
		{"fails when isComplete fails", &waiting{failAt: 2}, 0, cfnresponse.Failed, 2, nil, "cluster entered FAILED state"},
		{"fails on Data before completion", &waiting{dataEarly: true}, 0, cfnresponse.Failed, 1, nil, `"Data" is not allowed if "IsComplete" is false`},
		{"fails at the deadline guard when never complete", &waiting{}, time.Second, cfnresponse.Failed, 0, nil, "timed out after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cf := newCloudFormation(t)
			ctx := t.Context()
			if tt.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			err := InProcess(tt.w, Options{PollInterval: 10 * time.Millisecond, MinGuard: 200 * time.Millisecond})(ctx, cf.event(cfnresponse.Create, "req", "", nil))
			if err != nil {
				t.Fatal(err)
			}
			got := cf.only(t, "req")
			if got.Status != tt.wantStatus || !strings.Contains(got.Reason, tt.wantReason) {
				t.Errorf("got %s %q, want %s with %q", got.Status, got.Reason, tt.wantStatus, tt.wantReason)
			}
			if got.PhysicalResourceId != "cluster-1" {
				t.Errorf("PhysicalResourceId = %q, want onEvent's cluster-1 (also on failure, so the rollback Delete reaches the handler)", got.PhysicalResourceId)
			}
			if tt.wantPolls != 0 && tt.w.polls.Load() != tt.wantPolls {
				t.Errorf("polled %d times, want %d", tt.w.polls.Load(), tt.wantPolls)
			}
			if tt.wantData != nil {
				if d := cmp.Diff(tt.wantData, got.Data); d != "" {
					t.Errorf("Data (-want +got):\n%s", d)
				}
			}
		})
	}
}

func TestInProcessHugeAnswersStayUnder4KB(t *testing.T) {
	t.Parallel()
	cf := newCloudFormation(t)
	huge := HandlerFunc(func(_ context.Context, e Event) (OnEventResult, error) {
		if e.RequestType == cfnresponse.Update {
			return OnEventResult{}, errors.New("kubectl said: " + strings.Repeat("error: the server could not find the requested resource\n", 10000))
		}
		data := map[string]any{"Small": "kept"}
		for i := range 100 {
			data[fmt.Sprintf("Big%02d", i)] = strings.Repeat("d", 1000)
		}
		return OnEventResult{PhysicalResourceId: "p", Data: data}, nil
	})
	handle := InProcess(huge, Options{})
	if err := handle(t.Context(), cf.event(cfnresponse.Create, "req-data", "", nil)); err != nil {
		t.Fatal(err)
	}
	if err := handle(t.Context(), cf.event(cfnresponse.Update, "req-reason", "p", nil)); err != nil {
		t.Fatal(err)
	}
	data := cf.only(t, "req-data") // only() checks the 4 KB limit on the wire
	if data.Status != cfnresponse.Success || data.Data["Small"] != "kept" || !strings.Contains(data.Reason, "dropped Data keys") {
		t.Errorf("data answer: %s %q %d keys", data.Status, data.Reason, len(data.Data))
	}
	reason := cf.only(t, "req-reason")
	if reason.Status != cfnresponse.Failed || !strings.HasPrefix(reason.Reason, "kubectl said: error: the server") || !strings.Contains(reason.Reason, "… (truncated; see ") {
		t.Errorf("reason answer: %s %.200q", reason.Status, reason.Reason)
	}
}

func TestInProcessMalformedEvents(t *testing.T) {
	t.Parallel()
	cf := newCloudFormation(t)
	store := newThings()
	handle := InProcess(store, Options{})

	e := cf.event("Upsert", "req", "", nil)
	if err := handle(t.Context(), e); err != nil {
		t.Fatal(err)
	}
	if got := cf.only(t, "req"); got.Status != cfnresponse.Failed || !strings.Contains(got.Reason, `invalid RequestType "Upsert"`) {
		t.Errorf("got %s %q", got.Status, got.Reason)
	}
	e = cf.event(cfnresponse.Create, "req2", "", nil)
	e.ResponseURL = ""
	if err := handle(t.Context(), e); err == nil || !strings.Contains(err.Error(), "no answer possible") {
		t.Errorf("err = %v, want an error when no answer is possible", err)
	}
	if store.calls.Load() != 0 {
		t.Errorf("the handler ran for a malformed event")
	}
}

func TestInProcessReportsUndeliverableAnswers(t *testing.T) {
	t.Parallel()
	cf := newCloudFormation(t)
	e := cf.event(cfnresponse.Create, "req", "", nil)
	cf.srv.Close() // CloudFormation's URL is gone
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	err := InProcess(newThings(), Options{})(ctx, e)
	if err == nil || strings.Contains(err.Error(), "X-Amz-Signature") {
		t.Errorf("err = %v, want a delivery error without the URL's signature", err)
	}
}

func TestCompletedPhysicalIDOverride(t *testing.T) {
	t.Parallel()
	req := func(rt cfnresponse.RequestType) IsCompleteRequest {
		r := IsCompleteRequest{Event: Event{RequestType: rt, PhysicalResourceId: "p-1"}, Data: map[string]any{"A": "1", "B": "1"}, NoEcho: true}
		return r
	}
	got, err := completed(req(cfnresponse.Update), IsCompleteResult{IsComplete: true, PhysicalResourceId: "p-2", Data: map[string]any{"B": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	want := cfnresponse.Response{Status: cfnresponse.Success, PhysicalResourceId: "p-2", NoEcho: true, Data: map[string]any{"A": "1", "B": "2"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Update (-want +got):\n%s", d)
	}
	if _, err := completed(req(cfnresponse.Delete), IsCompleteResult{IsComplete: true, PhysicalResourceId: "p-2"}); err == nil {
		t.Error("a Delete changed its physical ID")
	}
	if _, err := completed(req(cfnresponse.Create), IsCompleteResult{IsComplete: true, PhysicalResourceId: strings.Repeat("x", 2000)}); err == nil {
		t.Error("an oversized physical ID was accepted")
	}
}

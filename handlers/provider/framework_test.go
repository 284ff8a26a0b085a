package provider

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/provider/spec"
)

const (
	userOnEvent    = "arn:aws:lambda:us-east-1:123456789012:function:user-onEvent"
	userIsComplete = "arn:aws:lambda:us-east-1:123456789012:function:user-isComplete"
	fwIsComplete   = "arn:aws:lambda:us-east-1:123456789012:function:framework-isComplete"
	fwOnTimeout    = "arn:aws:lambda:us-east-1:123456789012:function:framework-onTimeout"
	waiterARN      = "arn:aws:states:us-east-1:123456789012:stateMachine:waiter"
)

// deployment wires the framework as the constructs deploy it: three entries
// of one Framework configuration, user functions behind the Lambda API, and
// the waiter definition interpreted in process.
type deployment struct {
	cf      *cloudFormation
	lambdas *lambdaService
	execs   *executions
	fw      *Framework
}

func newDeployment(t *testing.T, onEvent Handler, isComplete IsCompleteHandler) *deployment {
	t.Helper()
	d := &deployment{cf: newCloudFormation(t), lambdas: newLambdaService(), execs: &executions{}}
	d.lambdas.addOnEvent(userOnEvent, onEvent)
	d.fw = &Framework{Functions: d.lambdas, Executions: d.execs, OnEventFunction: userOnEvent}
	if isComplete != nil {
		d.lambdas.addIsComplete(userIsComplete, isComplete)
		d.fw.IsCompleteFunction = userIsComplete
		d.fw.WaiterStateMachine = waiterARN
	}
	return d
}

// entry returns the Lambda handler of one framework function.
func (d *deployment) entry(name string) func(context.Context, json.RawMessage) error {
	f := *d.fw
	f.Entry = name
	return f.Handle
}

// send delivers e to the service token as CloudFormation does.
func (d *deployment) send(t *testing.T, e Event) {
	t.Helper()
	raw, _ := json.Marshal(e)
	if err := d.entry(spec.EntryOnEvent)(t.Context(), raw); err != nil {
		t.Fatalf("onEvent entry: %v", err)
	}
}

// wait runs the waiter on the last started execution with the given policy.
func (d *deployment) wait(t *testing.T, interval time.Duration, backoff float64, attempts int) *stateMachine {
	t.Helper()
	def, err := WaiterDefinition(fwIsComplete, fwOnTimeout, interval, backoff, attempts)
	if err != nil {
		t.Fatal(err)
	}
	sm := newStateMachine(t, def, map[string]func(context.Context, json.RawMessage) error{
		fwIsComplete: d.entry(spec.EntryIsComplete),
		fwOnTimeout:  d.entry(spec.EntryOnTimeout),
	})
	if _, err := sm.Run(t.Context(), json.RawMessage(d.execs.last(t))); err != nil {
		t.Fatalf("waiter execution failed: %v", err)
	}
	return sm
}

func TestFrameworkWithoutIsCompleteAnswersAtOnce(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, newThings(), nil)
	d.send(t, d.cf.event(cfnresponse.Create, "req-c", "", map[string]any{"Name": "n", "Size": "2"}))
	got := d.cf.only(t, "req-c")
	if got.Status != cfnresponse.Success || got.PhysicalResourceId != "thing-n" || got.Data["Size"] != "2" {
		t.Errorf("Create answer = %+v", got)
	}
	d.send(t, d.cf.event(cfnresponse.Update, "req-u", "thing-n", map[string]any{"Name": "m"}))
	if got := d.cf.only(t, "req-u"); got.PhysicalResourceId != "thing-m" {
		t.Errorf("replacing Update answered ID %q", got.PhysicalResourceId)
	}
	d.send(t, d.cf.event(cfnresponse.Delete, "req-d", "thing-n", map[string]any{"Name": "n"}))
	if got := d.cf.only(t, "req-d"); got.Status != cfnresponse.Success || got.PhysicalResourceId != "thing-n" {
		t.Errorf("Delete answer = %+v", got)
	}
	if len(d.execs.started) != 0 {
		t.Error("a waiter was started without an isComplete function")
	}
}

func TestFrameworkUserFunctionFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		handler    HandlerFunc
		wantReason []string
	}{
		{
			name: "fails with the user error and its log group",
			handler: func(context.Context, Event) (OnEventResult, error) {
				return OnEventResult{}, errors.New("AccessDenied: not allowed to eks:CreateCluster")
			},
			wantReason: []string{"errorString: AccessDenied: not allowed to eks:CreateCluster", "Logs: /aws/lambda/user-onEvent"},
		},
		{
			name: "fails when the user function crashes",
			handler: func(context.Context, Event) (OnEventResult, error) {
				panic("runtime error: index out of range [3] with length 1")
			},
			wantReason: []string{"Runtime.ExitError: runtime error: index out of range", "Logs: /aws/lambda/user-onEvent"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := newDeployment(t, tt.handler, nil)
			d.send(t, d.cf.event(cfnresponse.Create, "req", "", nil))
			got := d.cf.only(t, "req")
			if got.Status != cfnresponse.Failed || got.PhysicalResourceId != CreateFailedPhysicalIDPrefix+"req" {
				t.Errorf("got %s %q", got.Status, got.PhysicalResourceId)
			}
			for _, w := range tt.wantReason {
				if !strings.Contains(got.Reason, w) {
					t.Errorf("Reason %q lacks %q", got.Reason, w)
				}
			}
		})
	}
	t.Run("fails on a result that is not an object", func(t *testing.T) {
		t.Parallel()
		d := newDeployment(t, newThings(), nil)
		d.lambdas.fns[userOnEvent] = func(context.Context, []byte) (any, error) { return "done", nil }
		d.send(t, d.cf.event(cfnresponse.Update, "req", "p", nil))
		if got := d.cf.only(t, "req"); got.Status != cfnresponse.Failed || !strings.Contains(got.Reason, `must be JSON objects; user-onEvent returned "done"`) {
			t.Errorf("got %s %q", got.Status, got.Reason)
		}
	})
	t.Run("accepts a null result as defaults", func(t *testing.T) {
		t.Parallel()
		d := newDeployment(t, newThings(), nil)
		d.lambdas.fns[userOnEvent] = func(context.Context, []byte) (any, error) { return nil, nil }
		d.send(t, d.cf.event(cfnresponse.Create, "req", "", nil))
		if got := d.cf.only(t, "req"); got.Status != cfnresponse.Success || got.PhysicalResourceId != "req" {
			t.Errorf("got %s %q", got.Status, got.PhysicalResourceId)
		}
	})
	t.Run("fails at the deadline guard when the user function hangs", func(t *testing.T) {
		t.Parallel()
		release := make(chan struct{})
		defer close(release)
		d := newDeployment(t, HandlerFunc(func(context.Context, Event) (OnEventResult, error) {
			<-release
			return OnEventResult{}, nil
		}), nil)
		d.fw.MinGuard = 300 * time.Millisecond
		ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
		defer cancel()
		raw, _ := json.Marshal(d.cf.event(cfnresponse.Delete, "req", "p-1", nil))
		if err := d.entry(spec.EntryOnEvent)(ctx, raw); err != nil {
			t.Fatal(err)
		}
		if got := d.cf.only(t, "req"); got.Status != cfnresponse.Failed || got.PhysicalResourceId != "p-1" || !strings.Contains(got.Reason, "timed out after") {
			t.Errorf("got %s %q %q", got.Status, got.PhysicalResourceId, got.Reason)
		}
	})
}

func TestFrameworkWaiterPollsUntilComplete(t *testing.T) {
	t.Parallel()
	w := &waiting{readyAt: 4}
	d := newDeployment(t, w, w)
	d.send(t, d.cf.event(cfnresponse.Create, "req", "", map[string]any{"Version": "1.33"}))

	// onEvent started the waiter and left the answer to it.
	d.cf.none(t, "req")
	if name := *d.execs.started[0].Name; name != "req" {
		t.Errorf("execution name = %q, want the RequestId", name)
	}
	var input map[string]any
	if err := json.Unmarshal([]byte(d.execs.last(t)), &input); err != nil {
		t.Fatal(err)
	}
	if input["PhysicalResourceId"] != "cluster-1" || input["UpdateId"] != "u-42" || input["RequestType"] != "Create" {
		t.Errorf("waiter input = %v", input)
	}

	sm := d.wait(t, time.Minute, 1, 60)
	got := d.cf.only(t, "req")
	want := map[string]any{"Name": "cluster-1", "Endpoint": "https://cluster-1.example"}
	if got.Status != cfnresponse.Success || got.PhysicalResourceId != "cluster-1" || !cmp.Equal(want, got.Data) {
		t.Errorf("answer = %+v", got)
	}
	if d := cmp.Diff([]time.Duration{time.Minute, time.Minute, time.Minute}, sm.Waits); d != "" {
		t.Errorf("waits between polls (-want +got):\n%s", d)
	}
	if n := d.lambdas.count(userIsComplete); n != 4 {
		t.Errorf("user isComplete called %d times, want 4", n)
	}
}

func TestFrameworkWaiterTimesOut(t *testing.T) {
	t.Parallel()
	w := &waiting{} // never ready
	d := newDeployment(t, w, w)
	d.send(t, d.cf.event(cfnresponse.Update, "req", "cluster-1", nil))
	sm := d.wait(t, 2*time.Second, 2, 5)
	got := d.cf.only(t, "req")
	if got.Status != cfnresponse.Failed || !strings.HasPrefix(got.Reason, "Operation timed out: Update of Thing did not complete") {
		t.Errorf("got %s %q", got.Status, got.Reason)
	}
	if got.PhysicalResourceId != "cluster-1" {
		t.Errorf("PhysicalResourceId = %q", got.PhysicalResourceId)
	}
	if n := d.lambdas.count(userIsComplete); n != 6 {
		t.Errorf("user isComplete called %d times, want 1 + 5 retries", n)
	}
	if d := cmp.Diff([]time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second}, sm.Waits); d != "" {
		t.Errorf("backoff (-want +got):\n%s", d)
	}
	if last := sm.Trace[len(sm.Trace)-1]; last != spec.OnTimeoutState {
		t.Errorf("last state = %s", last)
	}
}

func TestFrameworkWaiterFailures(t *testing.T) {
	t.Parallel()
	t.Run("fails when isComplete fails, without retrying", func(t *testing.T) {
		t.Parallel()
		w := &waiting{failAt: 3}
		d := newDeployment(t, w, w)
		d.send(t, d.cf.event(cfnresponse.Create, "req", "", nil))
		sm := d.wait(t, time.Second, 1, 10)
		got := d.cf.only(t, "req")
		if got.Status != cfnresponse.Failed || !strings.Contains(got.Reason, "cluster entered FAILED state") || !strings.Contains(got.Reason, "Logs: /aws/lambda/user-isComplete") {
			t.Errorf("got %s %q", got.Status, got.Reason)
		}
		if got.PhysicalResourceId != "cluster-1" {
			t.Errorf("PhysicalResourceId = %q, want onEvent's so the rollback Delete can clean up", got.PhysicalResourceId)
		}
		if slices := sm.Trace; slices[len(slices)-1] != spec.IsCompleteState {
			t.Errorf("onTimeout ran after an answered failure: %v", sm.Trace)
		}
	})
	t.Run("fails on Data before completion", func(t *testing.T) {
		t.Parallel()
		w := &waiting{dataEarly: true}
		d := newDeployment(t, w, w)
		d.send(t, d.cf.event(cfnresponse.Create, "req", "", nil))
		d.wait(t, time.Second, 1, 10)
		if got := d.cf.only(t, "req"); got.Status != cfnresponse.Failed || !strings.Contains(got.Reason, `"Data" is not allowed`) {
			t.Errorf("got %s %q", got.Status, got.Reason)
		}
	})
	t.Run("answers via onTimeout when the isComplete task keeps crashing", func(t *testing.T) {
		t.Parallel()
		w := &waiting{readyAt: 1}
		d := newDeployment(t, w, w)
		d.send(t, d.cf.event(cfnresponse.Create, "req", "", nil))
		def, _ := WaiterDefinition(fwIsComplete, fwOnTimeout, time.Second, 1, 10)
		crashes := 0
		sm := newStateMachine(t, def, map[string]func(context.Context, json.RawMessage) error{
			fwIsComplete: func(context.Context, json.RawMessage) error {
				crashes++
				return messages.InvokeResponse_Error{Type: "Runtime.ExitError", Message: "signal: killed"}
			},
			fwOnTimeout: d.entry(spec.EntryOnTimeout),
		})
		if _, err := sm.Run(t.Context(), json.RawMessage(d.execs.last(t))); err != nil {
			t.Fatal(err)
		}
		got := d.cf.only(t, "req")
		if got.Status != cfnresponse.Failed || !strings.Contains(got.Reason, "the isComplete step failed: Runtime.ExitError: ") {
			t.Errorf("got %s %q", got.Status, got.Reason)
		}
		if crashes != 3 {
			t.Errorf("isComplete task ran %d times, want 1 + 2 retries", crashes)
		}
	})
}

func TestFrameworkIsCompleteEntryReportsNotComplete(t *testing.T) {
	t.Parallel()
	w := &waiting{}
	d := newDeployment(t, w, w)
	d.send(t, d.cf.event(cfnresponse.Create, "req", "", nil))
	err := d.entry(spec.EntryIsComplete)(t.Context(), json.RawMessage(d.execs.last(t)))
	var ive messages.InvokeResponse_Error
	if !errors.As(err, &ive) || ive.Type != spec.NotCompleteError || ive.Message != "Create of Thing is not complete yet" {
		t.Errorf("err = %#v, want a %s Lambda error", err, spec.NotCompleteError)
	}
	d.cf.none(t, "req")
}

func TestFrameworkReplayedOnEventStartsOneWaiter(t *testing.T) {
	t.Parallel()
	w := &waiting{readyAt: 1}
	d := newDeployment(t, w, w)
	e := d.cf.event(cfnresponse.Create, "req", "", nil)
	d.send(t, e)
	d.send(t, e) // same input: Step Functions treats it as the same execution
	// A replay whose onEvent result differs collides with the running waiter.
	d.lambdas.fns[userOnEvent] = func(context.Context, []byte) (any, error) {
		return OnEventResult{PhysicalResourceId: "cluster-2"}, nil
	}
	d.send(t, e)
	if n := len(d.execs.started); n != 2 {
		t.Errorf("%d executions recorded, want the first two (identical) only", n)
	}
	d.cf.none(t, "req")
	d.wait(t, time.Second, 1, 5)
	if got := d.cf.only(t, "req"); got.Status != cfnresponse.Success || got.PhysicalResourceId != "cluster-1" {
		t.Errorf("got %+v", got)
	}
}

func TestFrameworkDeleteAfterFailedCreate(t *testing.T) {
	t.Parallel()
	w := &waiting{readyAt: 1}
	d := newDeployment(t, w, w)
	d.send(t, d.cf.event(cfnresponse.Delete, "req", CreateFailedPhysicalIDPrefix+"req-0", nil))
	if got := d.cf.only(t, "req"); got.Status != cfnresponse.Success {
		t.Errorf("got %+v", got)
	}
	if d.lambdas.count(userOnEvent) != 0 || len(d.execs.started) != 0 {
		t.Error("the user function or the waiter ran for the Delete of a failed Create")
	}
}

func TestFrameworkOnTimeoutAcceptsTheAWSCDKShape(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, newThings(), nil)
	req := IsCompleteRequest{Event: d.cf.event(cfnresponse.Create, "req", "", nil)}
	req.PhysicalResourceId = "p-9"
	reqJSON, _ := json.Marshal(req)
	cause, _ := json.Marshal(map[string]string{"errorType": "Retry", "errorMessage": string(reqJSON)})
	raw, _ := json.Marshal(map[string]string{"Error": "Retry", "Cause": string(cause)})
	// No entry configured: the shape selects onTimeout.
	if err := d.fw.Handle(t.Context(), raw); err != nil {
		t.Fatal(err)
	}
	if got := d.cf.only(t, "req"); got.Status != cfnresponse.Failed || got.PhysicalResourceId != "p-9" || !strings.HasPrefix(got.Reason, "Operation timed out") {
		t.Errorf("got %+v", got)
	}
}

func TestFrameworkMisconfigured(t *testing.T) {
	t.Parallel()
	cf := newCloudFormation(t)
	f := &Framework{IsCompleteFunction: userIsComplete, Entry: spec.EntryOnEvent}
	cerr := f.check()
	if cerr == nil || !strings.Contains(cerr.Error(), spec.EnvOnEventFunctionARN) || !strings.Contains(cerr.Error(), spec.EnvWaiterStateMachineARN) {
		t.Fatalf("check() = %v", cerr)
	}
	raw, _ := json.Marshal(cf.event(cfnresponse.Create, "req", "", nil))
	if err := Misconfigured(cerr, Options{})(t.Context(), raw); !errors.Is(err, cerr) {
		t.Errorf("err = %v", err)
	}
	if got := cf.only(t, "req"); got.Status != cfnresponse.Failed || !strings.Contains(got.Reason, "provider framework misconfigured") {
		t.Errorf("got %+v", got)
	}
}

func TestEntryFromEnv(t *testing.T) {
	for _, tt := range []struct{ entry, handler, want string }{
		{"isComplete", "bootstrap", "isComplete"},
		{"", "framework.onTimeout", "onTimeout"},
		{"", "onEvent", "onEvent"},
		{"", "bootstrap", ""},
	} {
		t.Setenv(spec.EnvEntry, tt.entry)
		t.Setenv("_HANDLER", tt.handler)
		if got := entryFromEnv(); got != tt.want {
			t.Errorf("entryFromEnv(%q, %q) = %q, want %q", tt.entry, tt.handler, got, tt.want)
		}
	}
}

func TestResultJSONShapes(t *testing.T) {
	t.Parallel()
	// What a Node.js handler written for the AWS CDK returns.
	var r OnEventResult
	if err := json.Unmarshal([]byte(`{"PhysicalResourceId":"p","Data":{"A":"1"},"NoEcho":true,"EksUpdateId":"u-1"}`), &r); err != nil {
		t.Fatal(err)
	}
	want := OnEventResult{PhysicalResourceId: "p", Data: map[string]any{"A": "1"}, NoEcho: true, Extra: map[string]any{"EksUpdateId": "u-1"}}
	if d := cmp.Diff(want, r); d != "" {
		t.Errorf("OnEventResult (-want +got):\n%s", d)
	}
	b, _ := json.Marshal(r)
	var back map[string]any
	_ = json.Unmarshal(b, &back)
	if d := cmp.Diff(map[string]any{"PhysicalResourceId": "p", "Data": map[string]any{"A": "1"}, "NoEcho": true, "EksUpdateId": "u-1"}, back); d != "" {
		t.Errorf("OnEventResult JSON (-want +got):\n%s", d)
	}

	// The waiter input round-trips, dropping the error record.
	in := `{"RequestType":"Delete","ResponseURL":"https://x/y","StackId":"s","RequestId":"r","ResourceType":"Custom::X",` +
		`"LogicalResourceId":"L","PhysicalResourceId":"p","ResourceProperties":{"A":"1"},"Data":{"D":"2"},"EksUpdateId":"u-1",` +
		`"ErrorInfo":{"Error":"eksforge.NotComplete","Cause":"{}"}}`
	var req IsCompleteRequest
	if err := json.Unmarshal([]byte(in), &req); err != nil {
		t.Fatal(err)
	}
	if req.RequestType != cfnresponse.Delete || req.PhysicalResourceId != "p" || req.Data["D"] != "2" ||
		!cmp.Equal(req.Extra, map[string]any{"EksUpdateId": "u-1"}) {
		t.Errorf("IsCompleteRequest = %+v", req)
	}
}

// flakyFunctions answers ResourceNotReadyException (an inactive function
// waking up) a few times before delegating.
type flakyFunctions struct {
	FunctionInvoker
	notReady int
}

func (f *flakyFunctions) Invoke(ctx context.Context, in *awslambda.InvokeInput, opts ...func(*awslambda.Options)) (*awslambda.InvokeOutput, error) {
	if f.notReady > 0 {
		f.notReady--
		return nil, &lambdatypes.ResourceNotReadyException{Message: aws.String("The function is currently in the following state: Inactive")}
	}
	return f.FunctionInvoker.Invoke(ctx, in, opts...)
}

func TestFrameworkWaitsForAnInactiveUserFunction(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, newThings(), nil)
	d.fw.Functions = &flakyFunctions{FunctionInvoker: d.lambdas, notReady: 2}
	d.send(t, d.cf.event(cfnresponse.Create, "req", "", map[string]any{"Name": "n"}))
	if got := d.cf.only(t, "req"); got.Status != cfnresponse.Success || got.PhysicalResourceId != "thing-n" {
		t.Errorf("got %+v", got)
	}
}

func TestFunctionName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"arn:aws:lambda:us-east-1:123456789012:function:user-onEvent":      "user-onEvent",
		"arn:aws:lambda:us-east-1:123456789012:function:user-onEvent:live": "user-onEvent",
		"user-onEvent": "user-onEvent",
	} {
		if got := functionName(in); got != want {
			t.Errorf("functionName(%q) = %q, want %q", in, got, want)
		}
	}
}

func init() {
	notReadyFirstWait = 10 * time.Millisecond
}

func TestFrameworkRefusesOversizedWaiterInput(t *testing.T) {
	t.Parallel()
	w := &waiting{}
	d := newDeployment(t, w, w)
	d.lambdas.fns[userOnEvent] = func(context.Context, []byte) (any, error) {
		return OnEventResult{PhysicalResourceId: "big", Extra: map[string]any{"State": strings.Repeat("s", 300*1024)}}, nil
	}
	d.send(t, d.cf.event(cfnresponse.Create, "req", "", nil))
	got := d.cf.only(t, "req")
	if got.Status != cfnresponse.Failed || got.PhysicalResourceId != "big" || !strings.Contains(got.Reason, "over Step Functions' limit") {
		t.Errorf("got %s %q %.200q", got.Status, got.PhysicalResourceId, got.Reason)
	}
	if len(d.execs.started) != 0 {
		t.Error("a waiter was started")
	}
}

func TestFrameworkKeepsTheResponseURLOutOfTheWaiter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		w          *waiting
		wantStatus cfnresponse.Status
	}{
		{"completes", &waiting{readyAt: 3}, cfnresponse.Success},
		{"times out", &waiting{}, cfnresponse.Failed},
		{"fails", &waiting{failAt: 2}, cfnresponse.Failed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := newDeployment(t, tt.w, tt.w)
			params := &parameters{}
			d.fw.Parameters = params
			d.fw.ResponseURLParameterPrefix = "/eksforge/provider/Thing/"
			// The user isComplete still receives the real URL.
			var seen []string
			var mu sync.Mutex
			inner := d.lambdas.fns[userIsComplete]
			d.lambdas.fns[userIsComplete] = func(ctx context.Context, payload []byte) (any, error) {
				var r IsCompleteRequest
				_ = json.Unmarshal(payload, &r)
				mu.Lock()
				seen = append(seen, r.ResponseURL)
				mu.Unlock()
				return inner(ctx, payload)
			}
			e := d.cf.event(cfnresponse.Create, "req", "", nil)
			d.send(t, e)

			input := d.execs.last(t)
			if strings.Contains(input, "X-Amz-Signature") || !strings.Contains(input, `"ResponseURL":"`+spec.ResponseURLRedacted+`"`) ||
				!strings.Contains(input, `"ResponseURLParameterName":"/eksforge/provider/Thing/req"`) {
				t.Errorf("waiter input = %s", input)
			}
			if params.len() != 1 {
				t.Fatalf("%d parameters stored, want 1", params.len())
			}
			sm := d.wait(t, time.Second, 1, 3)
			for _, u := range seen {
				if u != e.ResponseURL {
					t.Errorf("user isComplete got ResponseURL %q, want the real one", u)
				}
			}
			if got := d.cf.only(t, "req"); got.Status != tt.wantStatus {
				t.Errorf("answer %s %q, want %s", got.Status, got.Reason, tt.wantStatus)
			}
			if params.len() != 0 {
				t.Errorf("the parameter was left behind after the answer (trace %v)", sm.Trace)
			}
		})
	}
	t.Run("fails to answer without the parameter", func(t *testing.T) {
		t.Parallel()
		w := &waiting{readyAt: 1}
		d := newDeployment(t, w, w)
		d.fw.Parameters = &parameters{}
		d.fw.ResponseURLParameterPrefix = "/p"
		req := IsCompleteRequest{Event: d.cf.event(cfnresponse.Create, "req", "", nil), ResponseURLParameterName: "/p/req"}
		req.ResponseURL = spec.ResponseURLRedacted
		raw, _ := json.Marshal(req)
		if err := d.entry(spec.EntryIsComplete)(t.Context(), raw); err == nil || !strings.Contains(err.Error(), "unable to read the response URL from parameter /p/req") {
			t.Errorf("err = %v", err)
		}
		d.cf.none(t, "req")
	})
	t.Run("forgets the parameter when the waiter cannot start", func(t *testing.T) {
		t.Parallel()
		w := &waiting{readyAt: 1}
		d := newDeployment(t, w, w)
		params := &parameters{}
		d.fw.Parameters = params
		d.fw.ResponseURLParameterPrefix = "/p"
		d.fw.Executions = failingStarter{}
		d.send(t, d.cf.event(cfnresponse.Create, "req", "", nil))
		if got := d.cf.only(t, "req"); got.Status != cfnresponse.Failed || !strings.Contains(got.Reason, "unable to start the waiter state machine") {
			t.Errorf("got %+v", got)
		}
		if params.puts != 1 || params.len() != 0 {
			t.Errorf("%d parameters stored, %d left behind; want 1 and 0", params.puts, params.len())
		}
	})
}

// failingStarter is a Step Functions that refuses every execution.
type failingStarter struct{}

func (failingStarter) StartExecution(context.Context, *sfn.StartExecutionInput, ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	return nil, &sfntypes.StateMachineDoesNotExist{Message: aws.String("State Machine Does Not Exist")}
}

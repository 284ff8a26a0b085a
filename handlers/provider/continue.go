package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/provider/spec"
)

// Waiter is the Step Functions state machine (of [spec.WaiterDefinition])
// that an in-process provider hands an unfinished operation to. Its tasks
// run a function serving [Continuable] with the same handler.
type Waiter struct {
	// Executions starts the state machine.
	Executions ExecutionStarter
	// StateMachine is the state machine's ARN.
	StateMachine string
}

func (w Waiter) configured() bool { return w.Executions != nil && w.StateMachine != "" }

// shouldHandOff reports whether an unfinished in-process operation goes to
// the waiter now: one is configured and the guarded context ends before
// another poll and the hand-off itself would fit.
func (o Options) shouldHandOff(ctx context.Context) bool {
	if !o.Waiter.configured() {
		return false
	}
	deadline, ok := ctx.Deadline()
	return ok && time.Until(deadline) < o.pollInterval()+o.handoffReserve()
}

// handOff starts the waiter with req; from then on the waiter's polls and
// its timeout answer CloudFormation. The execution is named after the
// RequestId, so a replayed event does not start a second one.
func (o Options) handOff(ctx context.Context, req IsCompleteRequest) error {
	extra := make(map[string]any, len(req.Extra)+1)
	for k, v := range req.Extra {
		extra[k] = v
	}
	extra[spec.ContinuationField] = true
	req.Extra = extra
	f := &Framework{Executions: o.Waiter.Executions, WaiterStateMachine: o.Waiter.StateMachine, Options: o}
	slog.InfoContext(ctx, "handing the operation to the waiter", "stateMachine", o.Waiter.StateMachine)
	return f.startWaiter(ctx, req)
}

// ServeContinuable runs h as a Lambda function with [Continuable]. It does
// not return.
func ServeContinuable(h Handler, o Options) {
	lambda.Start(Continuable(h, o))
}

// Continuable wraps h into a Lambda handler function that serves both
// CloudFormation and the waiter of [Options.Waiter]: the in-process mode of
// [InProcess] for operations that may outlive one invocation.
//
// By its input it runs one of three entries:
//   - a CloudFormation event: as [InProcess]; when h's isComplete still
//     reports "not complete" with less than [Options.HandoffReserve] (and a
//     poll interval) of the invocation left, the operation is handed to the
//     waiter (execution name = RequestId, input = the event merged with
//     the onEvent result and [spec.ContinuationField]) and the invocation
//     ends without answering;
//   - a waiter poll (an input carrying [spec.ContinuationField]): h's
//     isComplete once; complete answers SUCCESS, an error answers FAILED,
//     and "not complete" returns the Lambda error [spec.NotCompleteError],
//     which the waiter retries after its interval;
//   - the waiter's timeout (an input carrying [spec.ErrorInfoField]):
//     answers FAILED with the waiter's reason.
//
// So CloudFormation gets exactly one answer per request, from whichever
// invocation finishes the operation; a crashed poll is retried by the
// waiter, and a dead waiter is bounded by the resource's ServiceTimeout.
// Without a Waiter it is [InProcess].
func Continuable(h Handler, o Options) func(ctx context.Context, raw json.RawMessage) error {
	inProcess := InProcess(h, o)
	return func(ctx context.Context, raw json.RawMessage) error {
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(raw, &probe); err != nil {
			return fmt.Errorf("the input is not a JSON object: %w", err)
		}
		if _, ok := probe[spec.ErrorInfoField]; ok {
			return (&Framework{Options: o}).OnTimeout(ctx, raw)
		}
		if _, ok := probe[spec.ContinuationField]; ok {
			var req IsCompleteRequest
			if err := json.Unmarshal(raw, &req); err != nil {
				return fmt.Errorf("isComplete: unable to decode the waiter input: %w", err)
			}
			ic, ok := h.(IsCompleteHandler)
			if !ok {
				return fmt.Errorf("isComplete: the handler %T has no IsComplete", h)
			}
			return pollOnce(ctx, ic, o, req)
		}
		var e Event
		if err := json.Unmarshal(raw, &e); err != nil {
			return fmt.Errorf("unable to decode the CloudFormation event: %w", err)
		}
		return inProcess(ctx, e)
	}
}

// errNotComplete is the cause of a poll that found the operation pending.
var errNotComplete = errors.New("not complete")

// pollOnce is the waiter's polling task: h's isComplete once, then an answer
// to CloudFormation, or [spec.NotCompleteError] for the waiter to retry.
func pollOnce(ctx context.Context, h IsCompleteHandler, o Options, req IsCompleteRequest) error {
	slog.InfoContext(ctx, "isComplete", req.Event.LogAttrs()...)
	if err := req.Event.Validate(); err != nil {
		return fmt.Errorf("isComplete: malformed waiter input: %w", err)
	}
	resp, err := guard(ctx, o, func(ctx context.Context) (cfnresponse.Response, error) {
		r, err := h.IsComplete(ctx, req)
		if err != nil {
			return cfnresponse.Response{}, err
		}
		if !r.IsComplete {
			if len(r.Data) > 0 {
				return cfnresponse.Response{}, errDataBeforeComplete
			}
			return cfnresponse.Response{}, errNotComplete
		}
		return completed(req, r)
	})
	if errors.Is(err, errNotComplete) {
		msg := (&NotCompleteError{LogicalResourceId: req.LogicalResourceId, RequestType: req.RequestType}).Error()
		slog.InfoContext(ctx, msg)
		return messages.InvokeResponse_Error{Type: spec.NotCompleteError, Message: msg}
	}
	if err != nil {
		slog.ErrorContext(ctx, "isComplete failed", "error", err)
		resp = failure(req.Event, req.PhysicalResourceId, err)
	}
	return o.respond(ctx, req.Event, resp)
}

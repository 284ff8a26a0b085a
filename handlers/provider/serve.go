package provider

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
)

// Serve runs h as a Lambda function that is itself the custom resource's
// service token: it answers CloudFormation with the guarantees of
// [InProcess]. It does not return.
func Serve(h Handler) {
	ServeWithOptions(h, Options{})
}

// ServeWithOptions is [Serve] with options.
func ServeWithOptions(h Handler, o Options) {
	lambda.Start(InProcess(h, o))
}

// InProcess wraps h into a Lambda handler function that answers
// CloudFormation itself: the in-process mode, for a provider that is a
// single Lambda function (our kubectl handler).
//
// It calls h.OnEvent and, when h also implements [IsCompleteHandler],
// h.IsComplete every [Options.PollInterval] until it reports completion —
// all within the one invocation, so the wait is bounded by the Lambda
// timeout. It answers CloudFormation in every case: SUCCESS with the
// handler's physical ID and Data; FAILED with the error's text; FAILED on a
// panic (the stack goes to the log); FAILED shortly before the Lambda
// timeout if the handler is still running (the deadline guard). A Delete
// after a Create that failed without a physical ID is answered SUCCESS
// without calling h.
//
// The returned function fails only when no answer could be delivered, so
// that Lambda's retry of the asynchronous invocation gets another chance.
func InProcess(h Handler, o Options) func(ctx context.Context, e Event) error {
	return func(ctx context.Context, e Event) error {
		slog.InfoContext(ctx, "custom resource request", e.LogAttrs()...)
		if handled, err := o.preflight(ctx, e); handled {
			return err
		}
		var p progress
		out, err := guard(ctx, o, func(ctx context.Context) (inProcessOutcome, error) {
			return runInProcess(ctx, h, o, e, &p)
		})
		if err == nil && out.handedOff {
			return nil // the waiter answers
		}
		resp := out.resp
		if err != nil {
			slog.ErrorContext(ctx, "custom resource operation failed", "error", err)
			resp = failure(e, p.getPhysicalID(), err)
		}
		if serr := o.respond(ctx, e, resp); serr != nil {
			slog.ErrorContext(ctx, "unable to answer CloudFormation", "error", serr)
			return serr
		}
		return nil
	}
}

// errDataBeforeComplete rejects Data from an isComplete that is not done.
var errDataBeforeComplete = errors.New(`"Data" is not allowed if "IsComplete" is false`)

// inProcessOutcome is what one in-process invocation ends with: an answer
// for CloudFormation, or the operation handed to the waiter.
type inProcessOutcome struct {
	resp      cfnresponse.Response
	handedOff bool
}

func answered(r cfnresponse.Response, err error) (inProcessOutcome, error) {
	return inProcessOutcome{resp: r}, err
}

func runInProcess(ctx context.Context, h Handler, o Options, e Event, p *progress) (inProcessOutcome, error) {
	res, err := h.OnEvent(ctx, e)
	if err != nil {
		p.setPhysicalID(res.PhysicalResourceId)
		return inProcessOutcome{}, err
	}
	phys, err := settlePhysicalID(e, res.PhysicalResourceId)
	if err != nil {
		return inProcessOutcome{}, err
	}
	p.setPhysicalID(phys)
	if e.RequestType == cfnresponse.Update && phys != e.PhysicalResourceId {
		slog.InfoContext(ctx, "update replaces the resource", "old", e.PhysicalResourceId, "new", phys)
	}
	ic, ok := h.(IsCompleteHandler)
	if !ok {
		return answered(cfnresponse.Response{Status: cfnresponse.Success, PhysicalResourceId: phys, Data: res.Data, NoEcho: res.NoEcho}, nil)
	}
	req := IsCompleteRequest{Event: e, Data: res.Data, NoEcho: res.NoEcho, Extra: res.Extra}
	req.PhysicalResourceId = phys
	for attempt := 1; ; attempt++ {
		r, err := ic.IsComplete(ctx, req)
		if err != nil {
			return inProcessOutcome{}, err
		}
		if r.IsComplete {
			return answered(completed(req, r))
		}
		if len(r.Data) > 0 {
			return inProcessOutcome{}, errDataBeforeComplete
		}
		slog.InfoContext(ctx, "not complete yet", "attempt", attempt)
		if o.shouldHandOff(ctx) {
			if err := o.handOff(ctx, req); err != nil {
				return inProcessOutcome{}, err
			}
			return inProcessOutcome{handedOff: true}, nil
		}
		t := time.NewTimer(o.pollInterval())
		select {
		case <-ctx.Done():
			t.Stop()
			return inProcessOutcome{}, fmt.Errorf("still not complete after %d checks: %w", attempt, context.Cause(ctx))
		case <-t.C:
		}
	}
}

// completed builds the SUCCESS answer once isComplete reports completion:
// the physical ID it returns (if any) over the settled one, and its Data
// merged over onEvent's.
func completed(req IsCompleteRequest, r IsCompleteResult) (cfnresponse.Response, error) {
	phys := req.PhysicalResourceId
	if r.PhysicalResourceId != "" {
		if req.RequestType == cfnresponse.Delete && r.PhysicalResourceId != phys {
			return cfnresponse.Response{}, fmt.Errorf("DELETE: cannot change the physical resource ID from %q to %q during deletion", phys, r.PhysicalResourceId)
		}
		if len(r.PhysicalResourceId) > maxPhysicalIDLen {
			return cfnresponse.Response{}, fmt.Errorf("physical resource ID is %d bytes; CloudFormation allows %d", len(r.PhysicalResourceId), maxPhysicalIDLen)
		}
		phys = r.PhysicalResourceId
	}
	var data map[string]any
	if len(req.Data)+len(r.Data) > 0 {
		data = make(map[string]any, len(req.Data)+len(r.Data))
		maps.Copy(data, req.Data)
		maps.Copy(data, r.Data)
	}
	return cfnresponse.Response{Status: cfnresponse.Success, PhysicalResourceId: phys, Data: data, NoEcho: req.NoEcho}, nil
}

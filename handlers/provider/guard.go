package provider

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
)

// Options tune the runtime's guarantees. The zero value is the documented
// default of every field.
type Options struct {
	// HTTPClient sends responses to CloudFormation.
	// Default: http.DefaultClient.
	HTTPClient *http.Client
	// GuardFraction is the share of the time left at the start of an
	// invocation that the deadline guard keeps for answering CloudFormation;
	// values outside (0, 1) mean the default.
	// Default: 0.1.
	GuardFraction float64
	// MinGuard is the least time the deadline guard keeps for answering,
	// capped at half the time left.
	// Default: 5 s.
	MinGuard time.Duration
	// PollInterval is the wait between isComplete calls in the in-process
	// mode ([Serve] with a handler that also implements [IsCompleteHandler]).
	// Default: 5 s.
	PollInterval time.Duration
	// Waiter receives an in-process operation that is still not complete
	// when the invocation's time runs short, so that it continues past one
	// Lambda invocation (see [Continuable]).
	// Default: none; the whole operation must finish in one invocation.
	Waiter Waiter
	// HandoffReserve is how much of the invocation's time (before the
	// deadline guard) is left when an unfinished operation is handed to
	// the Waiter rather than polled again in process.
	// Default: 30 s.
	HandoffReserve time.Duration
}

const (
	defaultGuardFraction = 0.1
	defaultMinGuard      = 5 * time.Second
	defaultPollInterval  = 5 * time.Second
	// defaultHandoffReserve leaves time to start the waiter (one Step
	// Functions call, retried by the SDK) before the guard fires.
	defaultHandoffReserve = 30 * time.Second
	// grace is how long the guard waits, after it fires, for a handler that
	// honours its context to return a more telling error.
	maxGrace = time.Second
)

func (o Options) guardFraction() float64 {
	if o.GuardFraction <= 0 || o.GuardFraction >= 1 {
		return defaultGuardFraction
	}
	return o.GuardFraction
}

func (o Options) minGuard() time.Duration {
	if o.MinGuard <= 0 {
		return defaultMinGuard
	}
	return o.MinGuard
}

func (o Options) handoffReserve() time.Duration {
	if o.HandoffReserve <= 0 {
		return defaultHandoffReserve
	}
	return o.HandoffReserve
}

func (o Options) pollInterval() time.Duration {
	if o.PollInterval <= 0 {
		return defaultPollInterval
	}
	return o.PollInterval
}

// guardMargin is how long before the deadline the guard fires, given the time
// left at the start of an invocation.
func (o Options) guardMargin(left time.Duration) time.Duration {
	m := max(time.Duration(float64(left)*o.guardFraction()), o.minGuard())
	return min(m, left/2)
}

// errGuardFired is the cause of a guarded context ended by the guard.
var errGuardFired = errors.New("deadline guard fired")

// TimeoutError reports that a handler was still running when the deadline
// guard fired, shortly before the Lambda function's own timeout.
type TimeoutError struct {
	// After is how long the handler had run.
	After time.Duration
	// Margin is how long before the Lambda timeout the guard fired.
	Margin time.Duration
	// Err is what the handler returned within the grace period after its
	// context ended, if anything.
	Err error
}

// Error names the elapsed time and where to look.
func (e *TimeoutError) Error() string {
	msg := fmt.Sprintf("timed out after %v (the deadline guard answers %v before the Lambda function's timeout)",
		e.After.Round(time.Millisecond), e.Margin.Round(time.Millisecond))
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg + "; see " + logRef()
}

// Unwrap returns the handler's own error, if any.
func (e *TimeoutError) Unwrap() error { return e.Err }

// PanicError reports a panic recovered from a handler.
type PanicError struct {
	// Value is what was passed to panic.
	Value any
	// Site is the function and line that panicked.
	Site string
	// Stack is the goroutine's stack at the panic.
	Stack []byte
}

// Error gives the panic value and site; the stack is logged, not returned.
func (e *PanicError) Error() string {
	msg := fmt.Sprintf("panic: %v", e.Value)
	if e.Site != "" {
		msg += " (at " + e.Site + ")"
	}
	return msg + "; stack trace in " + logRef()
}

// logRef points a reader of a Reason to the full log.
func logRef() string {
	if s := cfnresponse.LogStreamName(); s != "" {
		return "CloudWatch log stream " + s
	}
	return "the handler's CloudWatch logs"
}

// panicSite returns the first frame outside the runtime below a recover.
func panicSite() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") && f.Function != "" {
			return fmt.Sprintf("%s %s:%d", f.Function, shortFile(f.File), f.Line)
		}
		if !more {
			return ""
		}
	}
}

func shortFile(path string) string {
	if i := strings.LastIndex(path, "/"); i >= 0 {
		if j := strings.LastIndex(path[:i], "/"); j >= 0 {
			return path[j+1:]
		}
	}
	return path
}

// progress records what a guarded handler has learned so far, so that a
// failure answer sent while it still runs can use it.
type progress struct {
	mu         sync.Mutex
	physicalID string
}

func (p *progress) setPhysicalID(id string) {
	p.mu.Lock()
	p.physicalID = id
	p.mu.Unlock()
}

func (p *progress) getPhysicalID() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.physicalID
}

// guard runs fn with panic recovery and the deadline guard: fn's context ends
// a margin before ctx's deadline (see guardMargin), and guard returns a
// *TimeoutError then, whether or not fn has returned. A panic in fn becomes a
// *PanicError, logged with its stack.
//
// fn keeps running in the background after a timeout; it must not write
// state guard's caller reads except through synchronised values.
func guard[T any](ctx context.Context, o Options, fn func(ctx context.Context) (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	start := time.Now()
	gctx := ctx
	margin := time.Duration(0)
	if deadline, ok := ctx.Deadline(); ok {
		margin = o.guardMargin(time.Until(deadline))
		var cancel context.CancelFunc
		gctx, cancel = context.WithDeadlineCause(ctx, deadline.Add(-margin), errGuardFired)
		defer cancel()
	}
	done := make(chan result, 1) // buffered: a late handler never blocks
	go func() {
		defer func() {
			if v := recover(); v != nil {
				stack := debug.Stack()
				pe := &PanicError{Value: v, Site: panicSite(), Stack: stack}
				slog.ErrorContext(ctx, "handler panicked", "panic", fmt.Sprint(v), "site", pe.Site, "stack", string(stack))
				var zero T
				done <- result{zero, pe}
			}
		}()
		v, err := fn(gctx)
		done <- result{v, err}
	}()

	timedOut := func(err error) error {
		te := &TimeoutError{After: time.Since(start), Margin: margin, Err: err}
		slog.ErrorContext(ctx, "deadline guard fired", "after", te.After, "margin", margin, "error", err)
		return te
	}
	select {
	case r := <-done:
		if r.err != nil && errors.Is(context.Cause(gctx), errGuardFired) {
			return r.v, timedOut(r.err)
		}
		return r.v, r.err
	case <-gctx.Done():
		var zero T
		if !errors.Is(context.Cause(gctx), errGuardFired) {
			// The invocation itself was cancelled (the Lambda deadline
			// passed, or the runtime is shutting down).
			return zero, fmt.Errorf("invocation cancelled after %v: %w", time.Since(start).Round(time.Millisecond), context.Cause(gctx))
		}
		grace := min(maxGrace, margin/4)
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case r := <-done:
			if r.err == nil {
				// Finished within the grace period: its answer
				// stands.
				return r.v, nil
			}
			return zero, timedOut(r.err)
		case <-t.C:
			return zero, timedOut(nil)
		}
	}
}

// sendContext returns the context for answering CloudFormation: not
// cancelled with the invocation's context (the guard may have ended it), but
// bounded by the invocation's deadline, or by [cfnresponse.MaxSendDuration]
// when there is none. Past the deadline it still allows a last second.
func sendContext(ctx context.Context) (context.Context, context.CancelFunc) {
	sctx := context.WithoutCancel(ctx)
	if deadline, ok := ctx.Deadline(); ok {
		return context.WithDeadline(sctx, later(deadline, time.Now().Add(time.Second)))
	}
	return context.WithTimeout(sctx, cfnresponse.MaxSendDuration)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// respond sends r for e, filling identity fields from e.
func (o Options) respond(ctx context.Context, e Event, r cfnresponse.Response) error {
	sctx, cancel := sendContext(ctx)
	defer cancel()
	return cfnresponse.Send(sctx, o.HTTPClient, e, r)
}

// failure builds the FAILED answer for e. physicalID is the ID known for the
// resource (returned by the handler along with the error, or settled before a
// later step failed); without one, a Create gets the marker ID and other
// requests keep the event's.
func failure(e Event, physicalID string, err error) cfnresponse.Response {
	if physicalID == "" || e.RequestType != cfnresponse.Create {
		physicalID = e.PhysicalResourceId
	}
	if physicalID == "" {
		physicalID = CreateFailedPhysicalIDPrefix + e.RequestId
	}
	reason := err.Error()
	if reason == "" {
		reason = fmt.Sprintf("%T with an empty message", err)
	}
	return cfnresponse.Response{Status: cfnresponse.Failed, Reason: reason, PhysicalResourceId: physicalID}
}

// preflight handles what needs no handler: a malformed event is answered
// FAILED (or, without a usable response URL, reported as an error), and a
// Delete of a resource whose Create failed without a physical ID is answered
// SUCCESS. handled reports whether the event is dealt with.
func (o Options) preflight(ctx context.Context, e Event) (handled bool, err error) {
	if e.RequestType == cfnresponse.Delete && (e.PhysicalResourceId == "" || IsCreateFailedPhysicalID(e.PhysicalResourceId)) {
		slog.InfoContext(ctx, "ignoring the Delete of a resource whose Create failed", "physicalResourceId", e.PhysicalResourceId)
		if e.PhysicalResourceId == "" {
			e.PhysicalResourceId = CreateFailedPhysicalIDPrefix + e.RequestId
		}
		return true, o.respond(ctx, e, cfnresponse.Response{Status: cfnresponse.Success})
	}
	if verr := e.Validate(); verr != nil {
		if e.ResponseURL == "" || e.RequestId == "" {
			return true, fmt.Errorf("malformed CloudFormation event, no answer possible: %w", verr)
		}
		return true, o.respond(ctx, e, failure(e, "", fmt.Errorf("malformed CloudFormation event: %w", verr)))
	}
	return false, nil
}

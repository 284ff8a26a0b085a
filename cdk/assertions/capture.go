package assertions

import (
	"fmt"
	"sync"
)

// Capture is a [Matcher] that matches any non-null value (or, if given a
// pattern, any value matching it) and records the value, so that a test can
// inspect a part of a template it cannot predict, such as a generated name,
// and assert on it separately.
//
// Values are recorded only when the whole assertion the Capture is part of
// matches; an assertion that matches several resources records one value per
// resource. The As* methods return the current value; Next moves to the
// following one.
//
// The As* methods panic if nothing was captured or if the value has another
// type, as the CDK's throw: both are failures of the test that uses them.
type Capture struct {
	pattern Matcher // nil: any non-null value

	mu       sync.Mutex
	captured []any
	idx      int
}

// NewCapture returns a Capture. With no argument it captures any non-null
// value; with one pattern (a value or a matcher) it captures only values that
// match it, literal objects being matched as with [Matchers.ObjectLike].
// It panics if given more than one pattern.
func NewCapture(pattern ...any) *Capture {
	switch len(pattern) {
	case 0:
		return &Capture{}
	case 1:
		return &Capture{pattern: toMatcher("Capture", normalize(pattern[0]), true)}
	}
	panic(fmt.Sprintf("assertions: NewCapture takes at most one pattern, got %d", len(pattern)))
}

// Name returns "Capture".
func (c *Capture) Name() string { return "Capture" }

// Test matches actual and, if it matches, records it in the returned result;
// the value is kept when the result is finished (see [MatchResult.Finished]).
func (c *Capture) Test(actual any) *MatchResult {
	result := NewMatchResult(actual)
	if actual == nil {
		return result.RecordFailure(MatchFailure{
			Matcher: c,
			Message: "Can only capture non-null values. Found null",
		})
	}
	if c.pattern != nil {
		if inner := c.pattern.Test(actual); inner.HasFailed() {
			return inner
		}
	}
	result.captures = append(result.captures, capturedValue{capture: c, value: actual})
	return result
}

func (c *Capture) add(v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.captured = append(c.captured, v)
}

// Next moves to the next captured value and reports whether there was one.
func (c *Capture) Next() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idx < len(c.captured)-1 {
		c.idx++
		return true
	}
	return false
}

// Values returns every value captured so far, in the order they were
// captured.
func (c *Capture) Values() []any {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]any(nil), c.captured...)
}

// Value returns the current captured value, whatever its type. It panics if
// nothing was captured.
func (c *Capture) Value() any {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.current()
}

func (c *Capture) current() any {
	if len(c.captured) == 0 {
		panic("assertions: Capture: no value captured")
	}
	return c.captured[c.idx]
}

func captureAs[T any](c *Capture, want string) T {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.current()
	if t, ok := v.(T); ok {
		return t
	}
	panic(fmt.Sprintf("assertions: Capture: captured value is expected to be %s but found %s. Value is %s",
		want, typeOf(v), jsonifyIndent(v)))
}

// AsString returns the current captured value, which must be a string.
func (c *Capture) AsString() string { return captureAs[string](c, "string") }

// AsNumber returns the current captured value, which must be a number.
func (c *Capture) AsNumber() float64 { return captureAs[float64](c, "number") }

// AsBoolean returns the current captured value, which must be a boolean.
func (c *Capture) AsBoolean() bool { return captureAs[bool](c, "boolean") }

// AsArray returns the current captured value, which must be an array.
func (c *Capture) AsArray() []any { return captureAs[[]any](c, "array") }

// AsObject returns the current captured value, which must be an object.
func (c *Capture) AsObject() map[string]any { return captureAs[map[string]any](c, "object") }

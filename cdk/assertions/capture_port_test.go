package assertions_test

import (
	"reflect"
	"regexp"
	"testing"

	"github.com/eksforge/eksforge/cdk/assertions"
)

// TestPortedCapture is ported from aws-cdk-lib's
// assertions/test/capture.test.ts. Where the CDK expects a throw, Go
// expects a panic.
func TestPortedCapture(t *testing.T) {
	t.Parallel()

	// expectPanic fails t unless fn panics with a message matching pattern.
	expectPanic := func(t *testing.T, fn func(), pattern string) {
		t.Helper()
		if msg := panicMessage(fn); !regexp.MustCompile(pattern).MatchString(msg) {
			t.Errorf("panic %q does not match %s", msg, pattern)
		}
	}
	equal := func(t *testing.T, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %#v, want %#v", got, want)
		}
	}

	t.Run("uncaptured", func(t *testing.T) {
		t.Parallel()
		capture := assertions.NewCapture()
		expectPanic(t, func() { capture.AsString() }, `(?i)No value captured`)
	})

	t.Run("nullish", func(t *testing.T) {
		t.Parallel()
		capture := assertions.NewCapture()
		matcher := Match.ObjectEquals(obj{"foo": capture})

		result := matcher.Test(obj{"foo": nil})
		equal(t, result.FailCount(), 1)
		if got := result.ToHumanStrings()[0]; !regexp.MustCompile(`Can only capture non-null values`).MatchString(got) {
			t.Errorf("failure %q", got)
		}
	})

	t.Run("no captures if not finished", func(t *testing.T) {
		t.Parallel()
		capture := assertions.NewCapture()
		matcher := Match.ObjectEquals(obj{"foo": capture})

		matcher.Test(obj{"foo": "bar"}) // Not calling Finished()
		expectPanic(t, func() { capture.AsString() }, `(?i)No value captured`)
	})

	t.Run("asString()", func(t *testing.T) {
		t.Parallel()
		capture := assertions.NewCapture()
		matcher := Match.ObjectEquals(obj{"foo": capture})

		matcher.Test(obj{"foo": "bar"}).Finished()
		matcher.Test(obj{"foo": 3.0}).Finished()

		equal(t, capture.AsString(), "bar")
		equal(t, capture.Next(), true)
		expectPanic(t, func() { capture.AsString() }, `expected to be string but found number`)
	})

	t.Run("asNumber()", func(t *testing.T) {
		t.Parallel()
		capture := assertions.NewCapture()
		matcher := Match.ObjectEquals(obj{"foo": capture})

		matcher.Test(obj{"foo": 3.0}).Finished()
		matcher.Test(obj{"foo": "bar"}).Finished()

		equal(t, capture.AsNumber(), 3.0)
		equal(t, capture.Next(), true)
		expectPanic(t, func() { capture.AsNumber() }, `expected to be number but found string`)
	})

	t.Run("asArray()", func(t *testing.T) {
		t.Parallel()
		capture := assertions.NewCapture()
		matcher := Match.ObjectEquals(obj{"foo": capture})

		matcher.Test(obj{"foo": arr{"bar"}}).Finished()
		matcher.Test(obj{"foo": "bar"}).Finished()

		equal(t, capture.AsArray(), arr{"bar"})
		equal(t, capture.Next(), true)
		expectPanic(t, func() { capture.AsArray() }, `expected to be array but found string`)
	})

	t.Run("asObject()", func(t *testing.T) {
		t.Parallel()
		capture := assertions.NewCapture()
		matcher := Match.ObjectEquals(obj{"foo": capture})

		matcher.Test(obj{"foo": obj{"fred": "waldo"}}).Finished()
		matcher.Test(obj{"foo": "bar"}).Finished()

		equal(t, capture.AsObject(), obj{"fred": "waldo"})
		equal(t, capture.Next(), true)
		expectPanic(t, func() { capture.AsObject() }, `expected to be object but found string`)
	})

	t.Run("nested within an array", func(t *testing.T) {
		t.Parallel()
		capture := assertions.NewCapture()
		matcher := Match.ObjectEquals(obj{"foo": arr{"bar", capture}})

		matcher.Test(obj{"foo": arr{"bar", "baz"}}).Finished()
		equal(t, capture.AsString(), "baz")
	})

	t.Run("multiple captures", func(t *testing.T) {
		t.Parallel()
		capture := assertions.NewCapture()
		matcher := Match.ObjectEquals(obj{"foo": capture, "real": true})

		matcher.Test(obj{"foo": 3.0, "real": true}).Finished()
		matcher.Test(obj{"foo": 5.0, "real": true}).Finished()
		matcher.Test(obj{"foo": 7.0, "real": false}).Finished()

		equal(t, capture.AsNumber(), 3.0)
		equal(t, capture.Next(), true)
		equal(t, capture.AsNumber(), 5.0)
		equal(t, capture.Next(), false)
	})

	t.Run("nested pattern match", func(t *testing.T) {
		t.Parallel()
		capture := assertions.NewCapture(Match.ObjectLike(obj{"bar": "baz"}))
		matcher := Match.ObjectLike(obj{"foo": capture})

		matcher.Test(obj{"foo": obj{"bar": "baz", "fred": "waldo"}}).Finished()

		equal(t, capture.AsObject(), obj{"bar": "baz", "fred": "waldo"})
		equal(t, capture.Next(), false)
	})

	t.Run("nested pattern does not match", func(t *testing.T) {
		t.Parallel()
		capture := assertions.NewCapture(Match.ObjectLike(obj{"bar": "baz"}))
		matcher := Match.ObjectLike(obj{"foo": capture})

		matcher.Test(obj{"foo": obj{"fred": "waldo"}}).Finished()

		expectPanic(t, func() { capture.AsObject() }, `(?i)No value captured`)
	})

	t.Run("capture in arraywith and objectlike", func(t *testing.T) {
		t.Parallel()
		capture := assertions.NewCapture()
		matcher := Match.ObjectLike(obj{
			"People": Match.ArrayWith(arr{
				obj{
					"Name":       "Alice",
					"Attributes": arr{Match.ObjectLike(obj{"Name": "HairColor", "Value": capture})},
				},
			}),
		})

		result := matcher.Test(obj{
			"People": arr{
				obj{"Name": "Alice", "Attributes": arr{obj{"Name": "HairColor", "Value": "Black"}}},
			},
		})

		equal(t, result.IsSuccess(), true)
		result.Finished()
		equal(t, capture.AsString(), "Black")
	})
}

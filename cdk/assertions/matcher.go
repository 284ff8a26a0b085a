package assertions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Matcher tests a value found in a template against a pattern. The matchers
// built by [Match] and [Capture] implement it; implement it yourself for a
// check the built-in matchers cannot express, and use it anywhere a pattern
// is accepted.
//
// The assertions in this package call Test; a Matcher must not keep state
// between calls other than what [Capture] records through its results.
type Matcher interface {
	// Name identifies the matcher in failure messages, e.g. "objectLike".
	Name() string
	// Test checks actual, a value decoded by encoding/json (map[string]any,
	// []any, string, float64, bool or nil), and returns the result. A result
	// without failures is a match. Build it with [NewMatchResult].
	Test(actual any) *MatchResult
}

// MatchFailure is one reason why a value does not match a pattern.
type MatchFailure struct {
	// Matcher is the matcher that found the mismatch.
	Matcher Matcher
	// Path locates the mismatch relative to the value passed to Test, one
	// element per step: an object key or an array index, e.g.
	// []string{"Tags", "0"} for the first element of the Tags key. An empty
	// path means the value itself.
	Path []string
	// Message says what was expected and what was found.
	Message string
	// Cost weighs this failure when choosing the closest of several
	// candidates; the candidate with the lowest total cost is shown.
	// Default: 1 (0 if Informational)
	Cost int
	// Informational marks a note that explains another failure (such as
	// where an earlier element of an ArrayWith pattern matched) rather than
	// a mismatch of its own; it costs nothing.
	// Default: false
	Informational bool
}

func (f MatchFailure) cost() int {
	switch {
	case f.Informational:
		return 0
	case f.Cost == 0:
		return 1
	default:
		return f.Cost
	}
}

type capturedValue struct {
	capture *Capture
	value   any
}

// MatchResult is the outcome of [Matcher.Test]: the value that was tested and
// the failures found in it and in its nested values. Matchers record their own
// failures with RecordFailure and attach the results of nested matchers with
// Compose.
type MatchResult struct {
	target      any
	failureKeys []string // insertion order of failuresHere
	failures    map[string][]MatchFailure
	innerKeys   []string // insertion order of inner
	inner       map[string]*MatchResult
	captures    []capturedValue
	finalized   bool
	failed      bool
	failCount   int
	cost        int
}

// NewMatchResult returns an empty (successful) result for target, the value
// a matcher tested.
func NewMatchResult(target any) *MatchResult {
	return &MatchResult{
		target:   target,
		failures: map[string][]MatchFailure{},
		inner:    map[string]*MatchResult{},
	}
}

// Target returns the value that was tested.
func (r *MatchResult) Target() any { return r.target }

// RecordFailure records a failure at failure.Path and returns r.
func (r *MatchResult) RecordFailure(failure MatchFailure) *MatchResult {
	key := strings.Join(failure.Path, ".")
	if _, ok := r.failures[key]; !ok {
		r.failureKeys = append(r.failureKeys, key)
	}
	r.failures[key] = append(r.failures[key], failure)
	r.failCount++
	r.cost += failure.cost()
	r.failed = true
	return r
}

// Compose attaches inner, the result of testing the nested value at id (an
// object key or array index), and returns r. Failures of inner become
// failures of r; values captured by inner are kept with r.
func (r *MatchResult) Compose(id string, inner *MatchResult) *MatchResult {
	if inner.HasFailed() {
		r.failed = true
		r.failCount += inner.failCount
		r.cost += inner.cost
		if _, ok := r.inner[id]; !ok {
			r.innerKeys = append(r.innerKeys, id)
		}
		r.inner[id] = inner
	}
	r.captures = append(r.captures, inner.captures...)
	return r
}

// IsSuccess reports whether the value matched.
func (r *MatchResult) IsSuccess() bool { return !r.failed }

// HasFailed reports whether any failure was recorded.
func (r *MatchResult) HasFailed() bool { return r.failed }

// FailCount is the number of failures recorded, including nested ones.
func (r *MatchResult) FailCount() int { return r.failCount }

// FailCost is the total cost of the failures recorded, including nested ones.
func (r *MatchResult) FailCost() int { return r.cost }

// Finished completes the result: if the value matched, the values captured
// while testing it are handed to their [Capture]s. The assertions of
// [Template] call it; call it yourself only when using a Matcher directly.
func (r *MatchResult) Finished() *MatchResult {
	if r.finalized {
		return r
	}
	if r.failCount == 0 {
		for _, c := range r.captures {
			c.capture.add(c.value)
		}
	}
	r.finalized = true
	return r
}

// pathFailure is a failure with its path from the root of a result.
type pathFailure struct {
	MatchFailure
	fullPath []string
}

func (r *MatchResult) flatten() []pathFailure {
	var out []pathFailure
	var walk func(x *MatchResult, prefix []string)
	walk = func(x *MatchResult, prefix []string) {
		for _, k := range x.failureKeys {
			for _, f := range x.failures[k] {
				out = append(out, pathFailure{f, append(slices.Clip(prefix), f.Path...)})
			}
		}
		for _, k := range x.innerKeys {
			walk(x.inner[k], append(slices.Clip(prefix), k))
		}
	}
	walk(r, nil)
	return out
}

func formatPath(p []string) string { return "/" + strings.Join(p, "/") }

func matcherName(m Matcher) string {
	if m == nil {
		return "unknown"
	}
	return m.Name()
}

// ToHumanStrings lists the failures, one per line, each with its path from
// the tested value and the matcher that found it, e.g.
// `Expected "b" but received "c" at /Tags/0/Value (using objectLike matcher)`.
func (r *MatchResult) ToHumanStrings() []string {
	var out []string
	for _, f := range r.flatten() {
		loc := ""
		if len(f.fullPath) > 0 {
			loc = " at " + formatPath(f.fullPath)
		}
		out = append(out, fmt.Sprintf("%s%s (using %s matcher)", f.Message, loc, matcherName(f.Matcher)))
	}
	return out
}

// mismatchLines lists the failures path first, for failure messages.
func (r *MatchResult) mismatchLines() (lines []string, mismatches int) {
	for _, f := range r.flatten() {
		if !f.Informational {
			mismatches++
		}
		lines = append(lines, fmt.Sprintf("%s: %s (%s)", formatPath(f.fullPath), f.Message, matcherName(f.Matcher)))
	}
	return lines, mismatches
}

// RenderMismatch renders the tested value as indented JSON with each failure
// marked by a line starting with "!!" just above the place it was found.
// Values that matched are abridged. A successful result renders as "<match>".
func (r *MatchResult) RenderMismatch() string {
	if !r.HasFailed() {
		return "<match>"
	}
	rd := &renderer{}
	rd.emitFailures(r, "", nil)
	rd.recurse(r)
	return moveMarkersToFront(strings.TrimRight(rd.b.String(), " \t\n"))
}

type renderer struct {
	b      bytes.Buffer
	indent string
}

// closeWith ends a nested object or array with bracket on its own line,
// dropping the whitespace left after the last line before it.
func (rd *renderer) closeWith(bracket string) {
	rd.b.Truncate(len(bytes.TrimRight(rd.b.Bytes(), " \n")))
	rd.emit("\n" + bracket)
}

func (rd *renderer) emit(s string) {
	rd.b.WriteString(strings.ReplaceAll(s, "\n", "\n"+rd.indent))
}

// emitFailures prints the failures of r recorded at path and removes path
// from remaining.
func (rd *renderer) emitFailures(r *MatchResult, path string, remaining map[string]bool) {
	for _, f := range r.failures[path] {
		rd.emit("!! " + f.Message + "\n")
	}
	delete(remaining, path)
}

// missing stands for an object key that the pattern expects but the value
// lacks.
type missing struct{}

func (rd *renderer) recurse(r *MatchResult) {
	remaining := map[string]bool{}
	for _, k := range r.failureKeys {
		if k != "" {
			remaining[k] = true
		}
	}
	emitRemaining := func() {
		if len(remaining) > 0 {
			rd.emit("\n")
		}
		for _, k := range r.failureKeys {
			if remaining[k] {
				rd.emitFailures(r, k, nil)
			}
		}
	}
	push := func() func() {
		old := rd.indent
		rd.indent += "  "
		return func() { rd.indent = old }
	}

	switch t := r.target.(type) {
	case []any:
		pop := push()
		rd.emit("[\n")
		for i, v := range t {
			if i > 0 {
				rd.emit(",\n")
			}
			key := strconv.Itoa(i)
			rd.emitFailures(r, key, remaining)
			if inner, ok := r.inner[key]; ok {
				rd.emitFailures(inner, "", nil)
				rd.recurseComparing(inner, v)
			} else {
				rd.emit(renderAbridged(v))
			}
		}
		emitRemaining()
		pop()
		rd.closeWith("]")
	case map[string]any:
		pop := push()
		rd.emit("{\n")
		keys := make([]string, 0, len(t)+len(remaining))
		for k := range t {
			keys = append(keys, k)
		}
		for k := range remaining {
			if _, ok := t[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				rd.emit(",\n")
			}
			rd.emitFailures(r, k, remaining)
			v, present := t[k]
			var shown any = v
			if !present {
				shown = missing{}
			}
			if inner, ok := r.inner[k]; ok {
				rd.emitFailures(inner, "", nil)
				rd.emit(jsonify(k) + ": ")
				rd.recurseComparing(inner, shown)
			} else {
				rd.emit(jsonify(k) + ": ")
				rd.emit(renderAbridged(shown))
			}
		}
		emitRemaining()
		pop()
		rd.closeWith("}")
	default:
		emitRemaining()
		rd.emit(jsonify(r.target))
	}
}

// recurseComparing renders inner; if inner tested a transformation of actual
// (as SerializedJSON does), both are shown, separated by "<*>".
func (rd *renderer) recurseComparing(inner *MatchResult, actual any) {
	if sameValue(inner.target, actual) {
		rd.recurse(inner)
		return
	}
	rd.emit(renderAbridged(actual))
	rd.emit(" <*> ")
	rd.recurse(inner)
}

// sameValue reports whether a and b are the same value: the same map or
// slice, or equal scalars.
func sameValue(a, b any) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if !va.IsValid() || !vb.IsValid() {
		return va.IsValid() == vb.IsValid()
	}
	if va.Type() != vb.Type() {
		return false
	}
	switch va.Kind() {
	case reflect.Map:
		return va.UnsafePointer() == vb.UnsafePointer()
	case reflect.Slice:
		return va.UnsafePointer() == vb.UnsafePointer() && va.Len() == vb.Len()
	}
	if !va.Type().Comparable() {
		return false
	}
	return a == b
}

func renderAbridged(x any) string {
	switch t := x.(type) {
	case []any:
		switch len(t) {
		case 0:
			return "[]"
		case 1:
			return "[ " + renderAbridged(t[0]) + " ]"
		case 2:
			if isScalar(t[0]) && isScalar(t[1]) {
				return "[ " + renderAbridged(t[0]) + ", " + renderAbridged(t[1]) + " ]"
			}
		}
		return "[ ... ]"
	case map[string]any:
		switch len(t) {
		case 0:
			return "{}"
		case 1:
			for k, v := range t {
				return "{ " + jsonify(k) + ": " + renderAbridged(v) + " }"
			}
		}
		return "{ ... }"
	}
	return jsonify(x)
}

func isScalar(x any) bool {
	switch x.(type) {
	case string, float64, bool:
		return true
	}
	return false
}

// jsonify renders x as compact JSON, without escaping HTML characters.
func jsonify(x any) string {
	if _, ok := x.(missing); ok {
		return "<missing>"
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(x); err != nil {
		return fmt.Sprintf("%v", x)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// jsonifyIndent renders x as JSON indented by two spaces.
func jsonifyIndent(x any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(x); err != nil {
		return fmt.Sprintf("%v", x)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

var markerRe = regexp.MustCompile(`(?m)^( +)!!`)

// moveMarkersToFront moves each "!!" marker to the start of its line, keeping
// the text after it aligned with the JSON below it.
func moveMarkersToFront(x string) string {
	return markerRe.ReplaceAllStringFunc(x, func(m string) string {
		spaces := len(m) - 2
		return "!!" + strings.Repeat(" ", max(spaces-2, 0))
	})
}

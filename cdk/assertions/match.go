package assertions

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
)

// Matchers builds the matchers of this package; use it through the [Match]
// variable, as in Match.ObjectLike(...), the way the AWS CDK's tests use its
// Match class.
//
// Patterns given to a matcher may be Go values of any JSON-like type —
// map[string]any, map[string]string, []any, []string, int, float64, bool,
// string, nil, structs with json tags — and may nest other matchers at any
// depth inside maps and slices. They are compared with the template as
// encoding/json would encode them: []string{"a"} matches []any{"a"}, 2
// matches float64(2). A nil slice or map means JSON null, as encoding/json
// encodes it; matchers nested inside structs are not seen (use maps).
//
// Literal values nested in a pattern are matched as follows, as in the CDK:
// under ObjectLike, nested objects are matched partially too (extra keys
// allowed) at any depth; under ObjectEquals, Exact, ArrayEquals, ArrayWith,
// Not and SerializedJSON they must match exactly. Arrays given as literals
// always match element by element with the same length; use ArrayWith for a
// subsequence.
//
// The constructors panic on a malformed pattern (a programming mistake in
// the test), as the CDK throws.
type Matchers struct{}

// Match is the namespace of the built-in matchers: Match.ObjectLike,
// Match.ArrayWith, Match.Absent and so on.
var Match Matchers

// Absent matches when the key it is the value of is not present in the
// object. Use it as the value of a key in an object pattern; a key that is
// present with a null value is not absent.
func (Matchers) Absent() Matcher { return &absentMatch{name: "absent"} }

// AnyValue matches any value that is present and not null.
func (Matchers) AnyValue() Matcher { return &anyMatch{name: "anyValue"} }

// ArrayWith matches an array that contains the elements of pattern (values
// or matchers) in the same order, possibly with other elements between them:
// pattern must be a subsequence of the array. Literal objects in pattern must
// match their elements exactly. Absent and AnyValue cannot be elements of
// pattern.
func (Matchers) ArrayWith(pattern any) Matcher {
	p := mustArray("arrayWith", pattern)
	for i, e := range p {
		switch e.(type) {
		case *absentMatch:
			panic(fmt.Sprintf("assertions: Match.ArrayWith: element %d: the matcher Absent() cannot be nested within ArrayWith()", i))
		case *anyMatch:
			panic(fmt.Sprintf("assertions: Match.ArrayWith: element %d: the matcher AnyValue() cannot be nested within ArrayWith()", i))
		}
	}
	return &arrayMatch{name: "arrayWith", pattern: p, subsequence: true}
}

// ArrayEquals matches an array whose elements match the elements of pattern
// (values or matchers) one to one, in order, with no others.
func (Matchers) ArrayEquals(pattern any) Matcher {
	return &arrayMatch{name: "arrayEquals", pattern: mustArray("arrayEquals", pattern)}
}

// Exact matches a value deeply equal to pattern: objects have exactly the
// pattern's keys at every depth. Matchers may be nested in pattern, but
// pattern itself may not be one.
func (Matchers) Exact(pattern any) Matcher {
	return newLiteralMatch("exact", normalize(pattern), false)
}

// ObjectLike matches an object that has the keys of pattern, with matching
// values, and possibly other keys. Nested literal objects are matched the
// same way; nested arrays must have the same length (use ArrayWith otherwise).
func (Matchers) ObjectLike(pattern any) Matcher {
	return &objectMatch{name: "objectLike", pattern: mustObject("objectLike", pattern), partial: true}
}

// ObjectEquals matches an object that has exactly the keys of pattern, with
// matching values; nested literal objects must match exactly too.
func (Matchers) ObjectEquals(pattern any) Matcher {
	return &objectMatch{name: "objectEquals", pattern: mustObject("objectEquals", pattern), partial: false}
}

// Not matches any value that does not match pattern. A literal pattern is
// matched exactly, as with Exact.
func (Matchers) Not(pattern any) Matcher {
	return &notMatch{name: "not", pattern: toMatcher("not", normalize(pattern), false)}
}

// SerializedJSON matches a string holding JSON whose decoded value matches
// pattern, such as an IAM policy or a Kubernetes manifest rendered into a
// string property. A literal pattern is matched exactly, as with Exact.
func (Matchers) SerializedJSON(pattern any) Matcher {
	return &serializedJSONMatch{name: "serializedJson", pattern: toMatcher("serializedJson", normalize(pattern), false)}
}

// StringLikeRegexp matches a string in which the regular expression pattern
// (Go RE2 syntax, in multi-line mode: ^ and $ match at line breaks) finds a
// match. Anchor it with ^ and $ to match the whole string.
func (Matchers) StringLikeRegexp(pattern string) Matcher {
	re, err := regexp.Compile("(?m)" + pattern)
	if err != nil {
		panic(fmt.Sprintf("assertions: Match.StringLikeRegexp(%q): %v", pattern, err))
	}
	return &stringLikeRegexpMatch{name: "stringLikeRegexp", pattern: pattern, re: re}
}

func mustArray(name string, pattern any) []any {
	p, ok := normalize(pattern).([]any)
	if !ok {
		panic(fmt.Sprintf("assertions: Match.%s needs a slice pattern, got %T", exportedName(name), pattern))
	}
	return p
}

func mustObject(name string, pattern any) map[string]any {
	p, ok := normalize(pattern).(map[string]any)
	if !ok {
		panic(fmt.Sprintf("assertions: Match.%s needs a map (or struct) pattern, got %T", exportedName(name), pattern))
	}
	return p
}

func exportedName(name string) string {
	switch name {
	case "serializedJson":
		return "SerializedJSON"
	case "":
		return ""
	}
	return string(name[0]-'a'+'A') + name[1:]
}

// toMatcher returns p itself if it is a Matcher, or a literal matcher for it.
// p must be normalized.
func toMatcher(name string, p any, partialObjects bool) Matcher {
	if m, ok := p.(Matcher); ok {
		return m
	}
	return &literalMatch{name: name, pattern: p, partialObjects: partialObjects}
}

// typeOf names the JSON type of a normalized value.
func typeOf(x any) string {
	switch x.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case missing:
		return "nothing"
	}
	return fmt.Sprintf("%T", x)
}

// literalMatch matches a literal value: arrays element by element, objects
// key by key (partially if partialObjects), scalars by equality. Matchers
// nested in the pattern are delegated to.
type literalMatch struct {
	name           string
	pattern        any
	partialObjects bool
}

func newLiteralMatch(name string, pattern any, partialObjects bool) Matcher {
	if _, ok := pattern.(Matcher); ok {
		panic(fmt.Sprintf("assertions: Match.%s cannot directly contain another matcher: remove the top-level matcher or nest it more deeply", exportedName(name)))
	}
	return &literalMatch{name: name, pattern: pattern, partialObjects: partialObjects}
}

func (m *literalMatch) Name() string { return m.name }

func (m *literalMatch) Test(actual any) *MatchResult {
	switch p := m.pattern.(type) {
	case []any:
		return (&arrayMatch{name: m.name, pattern: p, partialObjects: m.partialObjects}).Test(actual)
	case map[string]any:
		return (&objectMatch{name: m.name, pattern: p, partial: m.partialObjects}).Test(actual)
	}
	result := NewMatchResult(actual)
	if m.pattern == nil {
		if actual != nil {
			result.RecordFailure(MatchFailure{Matcher: m, Message: "Expected null but received " + jsonify(actual)})
		}
		return result
	}
	if pt, at := typeOf(m.pattern), typeOf(actual); pt != at {
		result.RecordFailure(MatchFailure{Matcher: m, Message: fmt.Sprintf("Expected type %s but received %s", pt, at)})
		return result
	}
	if actual != m.pattern {
		result.RecordFailure(MatchFailure{Matcher: m, Message: fmt.Sprintf("Expected %s but received %s", jsonify(m.pattern), jsonify(actual))})
	}
	return result
}

// arrayMatch matches arrays, either element by element or, if subsequence,
// the pattern as a subsequence of the array.
type arrayMatch struct {
	name           string
	pattern        []any
	subsequence    bool
	partialObjects bool
}

func (m *arrayMatch) Name() string { return m.name }

func (m *arrayMatch) elementMatcher(p any) Matcher {
	return toMatcher(m.name, p, m.partialObjects)
}

func (m *arrayMatch) Test(actual any) *MatchResult {
	a, ok := actual.([]any)
	if !ok {
		return NewMatchResult(actual).RecordFailure(MatchFailure{
			Matcher: m,
			Message: "Expected type array but received " + typeOf(actual),
		})
	}
	if m.subsequence {
		return m.testSubsequence(a)
	}
	return m.testFullArray(a)
}

func (m *arrayMatch) testFullArray(actual []any) *MatchResult {
	result := NewMatchResult(actual)
	i := 0
	for ; i < len(m.pattern) && i < len(actual); i++ {
		result.Compose(strconv.Itoa(i), m.elementMatcher(m.pattern[i]).Test(actual[i]))
	}
	if i < len(m.pattern) {
		result.RecordFailure(MatchFailure{
			Matcher: m,
			Path:    []string{strconv.Itoa(i)},
			Message: fmt.Sprintf("Not enough elements in array (expecting %d, got %d)", len(m.pattern), len(actual)),
		})
	}
	if i < len(actual) {
		result.RecordFailure(MatchFailure{
			Matcher: m,
			Path:    []string{strconv.Itoa(i)},
			Message: fmt.Sprintf("Too many elements in array (expecting %d, got %d)", len(m.pattern), len(actual)),
		})
	}
	return result
}

type attempt struct {
	index  int
	result *MatchResult
}

func (m *arrayMatch) testSubsequence(actual []any) *MatchResult {
	result := NewMatchResult(actual)

	// Keep every attempt, so that a failure can report where the earlier
	// pattern elements matched and which element came closest to the first
	// one that did not.
	attempts := make([][]attempt, len(m.pattern))
	patternIdx, actualIdx := 0, 0
	for patternIdx < len(m.pattern) && actualIdx < len(actual) {
		inner := m.elementMatcher(m.pattern[patternIdx]).Test(actual[actualIdx])
		attempts[patternIdx] = append(attempts[patternIdx], attempt{actualIdx, inner})
		if inner.IsSuccess() {
			result.Compose(strconv.Itoa(actualIdx), inner) // keeps captures
			patternIdx++
		}
		actualIdx++
	}
	if patternIdx == len(m.pattern) {
		return result
	}

	for spi := range patternIdx {
		i := slices.IndexFunc(attempts[spi], func(a attempt) bool { return a.result.IsSuccess() })
		if i < 0 {
			continue
		}
		index := attempts[spi][i].index
		result.Compose(strconv.Itoa(index), NewMatchResult(actual[index]).RecordFailure(MatchFailure{
			Matcher:       m,
			Message:       fmt.Sprintf("arrayWith pattern %d matched here", spi),
			Informational: true,
		}))
	}

	failed := attempts[patternIdx]
	if len(failed) == 0 {
		result.RecordFailure(MatchFailure{
			Matcher: m,
			Path:    []string{strconv.Itoa(len(actual))},
			Message: fmt.Sprintf("Could not match arrayWith pattern %d. No more elements to try", patternIdx),
		})
		return result
	}
	closest := slices.MinFunc(failed, func(a, b attempt) int {
		if c := a.result.FailCost() - b.result.FailCost(); c != 0 {
			return c
		}
		return a.index - b.index
	})
	result.RecordFailure(MatchFailure{
		Matcher:       m,
		Path:          []string{strconv.Itoa(closest.index)},
		Message:       fmt.Sprintf("Could not match arrayWith pattern %d. This is the closest match", patternIdx),
		Informational: true,
	})
	result.Compose(strconv.Itoa(closest.index), closest.result)
	return result
}

// objectMatch matches objects key by key; if partial, the object may have
// keys the pattern does not mention.
type objectMatch struct {
	name    string
	pattern map[string]any
	partial bool
}

func (m *objectMatch) Name() string { return m.name }

func (m *objectMatch) Test(actual any) *MatchResult {
	a, ok := actual.(map[string]any)
	if !ok {
		return NewMatchResult(actual).RecordFailure(MatchFailure{
			Matcher: m,
			Message: "Expected type object but received " + typeOf(actual),
		})
	}
	result := NewMatchResult(actual)
	if !m.partial {
		for _, k := range sortedKeys(a) {
			if _, ok := m.pattern[k]; !ok {
				result.RecordFailure(MatchFailure{Matcher: m, Path: []string{k}, Message: "Unexpected key " + k})
			}
		}
	}
	for _, k := range sortedKeys(m.pattern) {
		pv := m.pattern[k]
		av, present := a[k]
		if !present {
			if _, isAbsent := pv.(*absentMatch); !isAbsent {
				result.RecordFailure(MatchFailure{Matcher: m, Path: []string{k}, Message: fmt.Sprintf("Missing key '%s'", k)})
			}
			continue
		}
		result.Compose(k, toMatcher(m.name, pv, m.partial).Test(av))
	}
	return result
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

type serializedJSONMatch struct {
	name    string
	pattern Matcher
}

func (m *serializedJSONMatch) Name() string { return m.name }

func (m *serializedJSONMatch) Test(actual any) *MatchResult {
	s, ok := actual.(string)
	if !ok {
		return NewMatchResult(actual).RecordFailure(MatchFailure{
			Matcher: m,
			Message: "Expected JSON as a string but found " + typeOf(actual),
		})
	}
	var parsed any
	if err := json.Unmarshal([]byte(s), &parsed); err != nil {
		return NewMatchResult(actual).RecordFailure(MatchFailure{
			Matcher: m,
			Message: fmt.Sprintf("Invalid JSON string: %s (%v)", s, err),
		})
	}
	inner := m.pattern.Test(parsed)
	if inner.HasFailed() {
		inner.RecordFailure(MatchFailure{Matcher: m, Message: "Encoded JSON value does not match"})
	}
	return inner
}

type notMatch struct {
	name    string
	pattern Matcher
}

func (m *notMatch) Name() string { return m.name }

func (m *notMatch) Test(actual any) *MatchResult {
	inner := m.pattern.Test(actual)
	result := NewMatchResult(actual)
	if inner.FailCount() == 0 {
		result.RecordFailure(MatchFailure{Matcher: m, Message: "Found unexpected match: " + jsonifyIndent(actual)})
	}
	return result
}

type anyMatch struct{ name string }

func (m *anyMatch) Name() string { return m.name }

func (m *anyMatch) Test(actual any) *MatchResult {
	result := NewMatchResult(actual)
	if actual == nil {
		result.RecordFailure(MatchFailure{Matcher: m, Message: "Expected a value but found none"})
	}
	return result
}

type absentMatch struct{ name string }

func (m *absentMatch) Name() string { return m.name }

// Test fails: the object matchers do not call it for a key that is missing,
// so any value it is given is present.
func (m *absentMatch) Test(actual any) *MatchResult {
	return NewMatchResult(actual).RecordFailure(MatchFailure{
		Matcher: m,
		Message: fmt.Sprintf("Received %s, but key should be absent", renderAbridged(actual)),
	})
}

type stringLikeRegexpMatch struct {
	name    string
	pattern string
	re      *regexp.Regexp
}

func (m *stringLikeRegexpMatch) Name() string { return m.name }

func (m *stringLikeRegexpMatch) Test(actual any) *MatchResult {
	result := NewMatchResult(actual)
	s, ok := actual.(string)
	if !ok {
		return result.RecordFailure(MatchFailure{Matcher: m, Message: fmt.Sprintf("Expected a string, but got '%s'", typeOf(actual))})
	}
	if !m.re.MatchString(s) {
		result.RecordFailure(MatchFailure{Matcher: m, Message: fmt.Sprintf("String '%s' did not match pattern '%s'", s, m.pattern)})
	}
	return result
}

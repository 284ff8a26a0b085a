package assertions_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk/assertions"
)

// matchCase tests one matcher against one value (given as JSON text). want
// lists what the failures, as ToHumanStrings renders them, must contain; no
// want means the value must match.
type matchCase struct {
	name    string
	matcher assertions.Matcher
	actual  string
	want    []string
}

func runMatchCases(t *testing.T, cases []matchCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			result := tc.matcher.Test(decode(t, tc.actual)).Finished()
			got := strings.Join(result.ToHumanStrings(), "\n")
			if len(tc.want) == 0 {
				if result.HasFailed() {
					t.Fatalf("want a match, got:\n%s\n%s", got, result.RenderMismatch())
				}
				return
			}
			if result.IsSuccess() {
				t.Fatalf("want a mismatch, got a match")
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("failures do not contain %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestObjectLike(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{name: "matches an object with more keys", matcher: Match.ObjectLike(obj{"a": 1}), actual: `{"a": 1, "b": 2}`},
		{name: "matches nested objects partially", matcher: Match.ObjectLike(obj{"a": obj{"b": 1}}), actual: `{"a": {"b": 1, "c": 2}}`},
		{name: "matches objects in nested arrays partially", matcher: Match.ObjectLike(obj{"a": []obj{{"b": 1}}}), actual: `{"a": [{"b": 1, "c": 2}]}`},
		{name: "matches a map[string]string pattern", matcher: Match.ObjectLike(map[string]string{"a": "x"}), actual: `{"a": "x", "b": "y"}`},
		{name: "matches an empty pattern against any object", matcher: Match.ObjectLike(obj{}), actual: `{"a": 1}`},
		{name: "fails when a key is missing", matcher: Match.ObjectLike(obj{"a": 1, "b": 2}), actual: `{"a": 1}`,
			want: []string{"Missing key 'b' at /b (using objectLike matcher)"}},
		{name: "fails when a nested value differs", matcher: Match.ObjectLike(obj{"a": obj{"b": "x"}}), actual: `{"a": {"b": "y"}}`,
			want: []string{`Expected "x" but received "y" at /a/b (using objectLike matcher)`}},
		{name: "fails on a nested array with fewer elements", matcher: Match.ObjectLike(obj{"a": []int{1, 2}}), actual: `{"a": [1]}`,
			want: []string{"Not enough elements in array (expecting 2, got 1) at /a/1"}},
		{name: "fails on a nested array with more elements", matcher: Match.ObjectLike(obj{"a": []int{1}}), actual: `{"a": [1, 2]}`,
			want: []string{"Too many elements in array (expecting 1, got 2) at /a/1"}},
		{name: "fails on an array", matcher: Match.ObjectLike(obj{}), actual: `[]`,
			want: []string{"Expected type object but received array (using objectLike matcher)"}},
		{name: "fails on null", matcher: Match.ObjectLike(obj{}), actual: `null`,
			want: []string{"Expected type object but received null"}},
	})
}

func TestObjectEquals(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{name: "matches an object with the same keys", matcher: Match.ObjectEquals(obj{"a": 1, "b": obj{"c": true}}), actual: `{"a": 1, "b": {"c": true}}`},
		{name: "matches with nested matchers", matcher: Match.ObjectEquals(obj{"a": Match.AnyValue()}), actual: `{"a": [1]}`},
		{name: "matches a nested ObjectLike partially", matcher: Match.ObjectEquals(obj{"a": Match.ObjectLike(obj{"b": 1})}), actual: `{"a": {"b": 1, "c": 2}}`},
		{name: "fails on an extra key", matcher: Match.ObjectEquals(obj{"a": 1}), actual: `{"a": 1, "c": 2}`,
			want: []string{"Unexpected key c at /c (using objectEquals matcher)"}},
		{name: "fails on an extra key in a nested literal object", matcher: Match.ObjectEquals(obj{"a": obj{"b": 1}}), actual: `{"a": {"b": 1, "c": 2}}`,
			want: []string{"Unexpected key c at /a/c"}},
		{name: "fails on a missing key", matcher: Match.ObjectEquals(obj{"a": 1}), actual: `{}`,
			want: []string{"Missing key 'a' at /a"}},
	})
}

func TestArrayWith(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{name: "matches a subsequence", matcher: Match.ArrayWith([]int{1, 3}), actual: `[1, 2, 3, 4]`},
		{name: "matches an empty pattern against any array", matcher: Match.ArrayWith([]any{}), actual: `[1]`},
		{name: "matches an exact object element", matcher: Match.ArrayWith([]obj{{"Key": "a", "Value": "b"}}), actual: `[{"Key": "x", "Value": "y"}, {"Key": "a", "Value": "b"}]`},
		{name: "matches nested matchers as elements", matcher: Match.ArrayWith([]any{Match.ObjectLike(obj{"Key": "a"})}), actual: `[{"Key": "a", "Value": "b"}]`},
		{name: "matches a []string pattern", matcher: Match.ArrayWith([]string{"sts:AssumeRole"}), actual: `["sts:TagSession", "sts:AssumeRole"]`},
		{name: "fails when the elements are in another order", matcher: Match.ArrayWith([]int{3, 1}), actual: `[1, 2, 3]`,
			want: []string{
				"arrayWith pattern 0 matched here at /2",
				"Could not match arrayWith pattern 1. No more elements to try at /3",
			}},
		{name: "fails on an object element with extra keys, showing the closest element", matcher: Match.ArrayWith([]obj{{"Key": "a"}}),
			actual: `[{"Key": "b"}, {"Key": "a", "Value": "b"}]`,
			want: []string{
				"Could not match arrayWith pattern 0. This is the closest match at /0",
				`Expected "a" but received "b" at /0/Key (using arrayWith matcher)`,
			}},
		{name: "fails when no element matches, picking the element with the lowest cost", matcher: Match.ArrayWith([]any{obj{"a": 1, "b": 2}}),
			actual: `[{"a": 0, "b": 0}, {"a": 1, "b": 0}]`,
			want:   []string{"This is the closest match at /1", "Expected 2 but received 0 at /1/b"}},
		{name: "fails on an empty array", matcher: Match.ArrayWith([]int{1}), actual: `[]`,
			want: []string{"Could not match arrayWith pattern 0. No more elements to try at /0"}},
		{name: "fails on an object", matcher: Match.ArrayWith([]int{1}), actual: `{}`,
			want: []string{"Expected type array but received object (using arrayWith matcher)"}},
	})
}

func TestArrayEquals(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{name: "matches the same elements in order", matcher: Match.ArrayEquals([]any{"a", 1, true}), actual: `["a", 1, true]`},
		{name: "matches an empty array", matcher: Match.ArrayEquals([]string{}), actual: `[]`},
		{name: "matches nested matchers", matcher: Match.ArrayEquals([]any{Match.StringLikeRegexp("^a"), Match.AnyValue()}), actual: `["abc", {}]`},
		{name: "fails on extra elements", matcher: Match.ArrayEquals([]int{1}), actual: `[1, 2]`,
			want: []string{"Too many elements in array (expecting 1, got 2) at /1 (using arrayEquals matcher)"}},
		{name: "fails on missing elements", matcher: Match.ArrayEquals([]int{1, 2}), actual: `[1]`,
			want: []string{"Not enough elements in array (expecting 2, got 1) at /1"}},
		{name: "fails on elements in another order", matcher: Match.ArrayEquals([]int{2, 1}), actual: `[1, 2]`,
			want: []string{"Expected 2 but received 1 at /0", "Expected 1 but received 2 at /1"}},
		{name: "fails on object elements with extra keys", matcher: Match.ArrayEquals([]obj{{"a": 1}}), actual: `[{"a": 1, "b": 2}]`,
			want: []string{"Unexpected key b at /0/b"}},
	})
}

func TestExact(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{name: "matches a deeply equal value", matcher: Match.Exact(obj{"a": []any{1, obj{"b": "c"}}}), actual: `{"a": [1, {"b": "c"}]}`},
		{name: "matches a Go int against a JSON number", matcher: Match.Exact(2), actual: `2`},
		{name: "matches a Go uint8 against a JSON number", matcher: Match.Exact(uint8(7)), actual: `7`},
		{name: "matches a float", matcher: Match.Exact(0.5), actual: `0.5`},
		{name: "matches a named string type", matcher: Match.Exact(policyEffect("Allow")), actual: `"Allow"`},
		{name: "matches a Go []string against a JSON array", matcher: Match.Exact([]string{"a", "b"}), actual: `["a", "b"]`},
		{name: "matches a pointer to a value", matcher: Match.Exact(new(true)), actual: `true`},
		{name: "matches null with nil", matcher: Match.Exact(nil), actual: `null`},
		{name: "matches nested matchers", matcher: Match.Exact(obj{"a": Match.AnyValue()}), actual: `{"a": 1}`},
		{name: "fails on an extra nested key", matcher: Match.Exact(obj{"a": obj{}}), actual: `{"a": {"b": 1}}`,
			want: []string{"Unexpected key b at /a/b (using exact matcher)"}},
		{name: "fails on another type", matcher: Match.Exact(1), actual: `"1"`,
			want: []string{"Expected type number but received string (using exact matcher)"}},
		{name: "fails on another number", matcher: Match.Exact(1), actual: `1.5`,
			want: []string{"Expected 1 but received 1.5"}},
		{name: "fails on another string", matcher: Match.Exact("a"), actual: `"b"`,
			want: []string{`Expected "a" but received "b"`}},
		{name: "fails on a value where null is expected", matcher: Match.Exact(nil), actual: `false`,
			want: []string{"Expected null but received false"}},
		{name: "fails on null where a value is expected", matcher: Match.Exact(false), actual: `null`,
			want: []string{"Expected type boolean but received null"}},
	})
}

type policyEffect string

func TestAnyValue(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{name: "matches a string", matcher: Match.AnyValue(), actual: `"x"`},
		{name: "matches false", matcher: Match.AnyValue(), actual: `false`},
		{name: "matches an empty object", matcher: Match.AnyValue(), actual: `{}`},
		{name: "fails on null", matcher: Match.AnyValue(), actual: `null`,
			want: []string{"Expected a value but found none (using anyValue matcher)"}},
		{name: "fails on a missing key", matcher: Match.ObjectLike(obj{"a": Match.AnyValue()}), actual: `{}`,
			want: []string{"Missing key 'a' at /a"}},
	})
}

func TestAbsent(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{name: "matches a missing key", matcher: Match.ObjectLike(obj{"a": Match.Absent()}), actual: `{"b": 1}`},
		{name: "matches a missing key under ObjectEquals", matcher: Match.ObjectEquals(obj{"a": Match.Absent()}), actual: `{}`},
		{name: "fails on a present key", matcher: Match.ObjectLike(obj{"a": Match.Absent()}), actual: `{"a": "x"}`,
			want: []string{`Received "x", but key should be absent at /a (using absent matcher)`}},
		{name: "fails on a key present with null", matcher: Match.ObjectLike(obj{"a": Match.Absent()}), actual: `{"a": null}`,
			want: []string{"Received null, but key should be absent at /a"}},
		{name: "fails on a present object, abridging it", matcher: Match.ObjectLike(obj{"a": Match.Absent()}), actual: `{"a": {"b": 1, "c": 2}}`,
			want: []string{"Received { ... }, but key should be absent at /a"}},
		{name: "fails on a missing key under Not", matcher: Match.ObjectLike(obj{"a": Match.Not(Match.Absent())}), actual: `{}`,
			want: []string{"Missing key 'a' at /a"}},
	})
}

func TestNot(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{name: "matches a different value", matcher: Match.Not("a"), actual: `"b"`},
		{name: "matches an object with extra keys, a literal being exact", matcher: Match.Not(obj{"a": 1}), actual: `{"a": 1, "b": 2}`},
		{name: "matches a value a nested matcher rejects", matcher: Match.Not(Match.ArrayWith([]string{"x"})), actual: `["y"]`},
		{name: "matches a present key with Not(Absent)", matcher: Match.ObjectLike(obj{"a": Match.Not(Match.Absent())}), actual: `{"a": 1}`},
		{name: "fails on a matching value, showing it", matcher: Match.Not(obj{"a": 1}), actual: `{"a": 1}`,
			want: []string{"Found unexpected match: {\n  \"a\": 1\n} (using not matcher)"}},
		{name: "fails on a value a nested matcher accepts", matcher: Match.ObjectLike(obj{"a": Match.Not(Match.StringLikeRegexp("^x"))}), actual: `{"a": "xy"}`,
			want: []string{`Found unexpected match: "xy" at /a`}},
	})
}

func TestStringLikeRegexp(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{name: "matches a substring", matcher: Match.StringLikeRegexp("AmazonEKS.*Policy"), actual: `"arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"`},
		{name: "matches at a line start in multi-line mode", matcher: Match.StringLikeRegexp("^kind: Namespace$"), actual: `"apiVersion: v1\nkind: Namespace\n"`},
		{name: "fails when the pattern is not found", matcher: Match.StringLikeRegexp("^b"), actual: `"abc"`,
			want: []string{"String 'abc' did not match pattern '^b' (using stringLikeRegexp matcher)"}},
		{name: "fails on a number", matcher: Match.StringLikeRegexp("1"), actual: `1`,
			want: []string{"Expected a string, but got 'number'"}},
	})
}

func TestSerializedJSON(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{name: "matches decoded JSON exactly", matcher: Match.SerializedJSON([]obj{{"kind": "Namespace"}}), actual: `"[{\"kind\": \"Namespace\"}]"`},
		{name: "matches decoded JSON with a nested matcher",
			matcher: Match.SerializedJSON(Match.ArrayWith([]any{Match.ObjectLike(obj{"metadata": obj{"name": "team-a"}})})),
			actual:  `"[{\"kind\": \"Namespace\", \"metadata\": {\"name\": \"team-a\"}}]"`},
		{name: "fails when a literal pattern has fewer keys", matcher: Match.SerializedJSON(obj{"kind": "Namespace"}), actual: `"{\"kind\": \"Namespace\", \"apiVersion\": \"v1\"}"`,
			want: []string{
				"Unexpected key apiVersion at /apiVersion (using serializedJson matcher)",
				"Encoded JSON value does not match (using serializedJson matcher)",
			}},
		{name: "fails on invalid JSON", matcher: Match.SerializedJSON(obj{}), actual: `"{"`,
			want: []string{"Invalid JSON string: {"}},
		{name: "fails on an object", matcher: Match.SerializedJSON(obj{}), actual: `{}`,
			want: []string{"Expected JSON as a string but found object"}},
	})
}

// evenNumber is a Matcher written outside the package, as a user would.
type evenNumber struct{}

func (evenNumber) Name() string { return "evenNumber" }

func (m evenNumber) Test(actual any) *assertions.MatchResult {
	result := assertions.NewMatchResult(actual)
	if n, ok := actual.(float64); !ok || int(n)%2 != 0 {
		result.RecordFailure(assertions.MatchFailure{Matcher: m, Message: fmt.Sprintf("Expected an even number but received %v", actual)})
	}
	return result
}

func TestCustomMatcher(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{name: "matches through a user-defined matcher", matcher: Match.ObjectLike(obj{"n": evenNumber{}}), actual: `{"n": 4}`},
		{name: "matches a user-defined matcher given by pointer", matcher: Match.ArrayWith([]any{&evenNumber{}}), actual: `[1, 2]`},
		{name: "fails with the user-defined matcher's message and path", matcher: Match.ObjectLike(obj{"a": []any{evenNumber{}}}), actual: `{"a": [3]}`,
			want: []string{"Expected an even number but received 3 at /a/0 (using evenNumber matcher)"}},
	})
}

func TestMatcherConstructionPanics(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		build func()
		want  string
	}{
		{"fails when Absent is an ArrayWith element", func() { Match.ArrayWith([]any{Match.Absent()}) }, "Absent() cannot be nested within ArrayWith()"},
		{"fails when AnyValue is an ArrayWith element", func() { Match.ArrayWith([]any{1, Match.AnyValue()}) }, "element 1: the matcher AnyValue() cannot be nested within ArrayWith()"},
		{"fails when Exact directly wraps a matcher", func() { Match.Exact(Match.AnyValue()) }, "Match.Exact cannot directly contain another matcher"},
		{"fails when ObjectLike is given a slice", func() { Match.ObjectLike([]string{"a"}) }, "Match.ObjectLike needs a map (or struct) pattern, got []string"},
		{"fails when ArrayWith is given a map", func() { Match.ArrayWith(obj{}) }, "Match.ArrayWith needs a slice pattern, got map[string]interface {}"},
		{"fails when ArrayEquals is given nil", func() { Match.ArrayEquals(nil) }, "Match.ArrayEquals needs a slice pattern"},
		{"fails on an invalid regular expression", func() { Match.StringLikeRegexp("(") }, `Match.StringLikeRegexp("("): error parsing regexp`},
		{"fails on a pattern holding a function", func() { Match.ObjectLike(obj{"a": []any{func() {}}}) }, `cannot use a value of type func() at "/a/0"`},
		{"fails on a struct encoding/json cannot encode", func() { Match.ObjectLike(obj{"a": struct{ C chan int }{}}) }, `cannot encode the value of type struct { C chan int } at "/a" as JSON`},
		{"fails when NewCapture is given two patterns", func() { assertions.NewCapture(1, 2) }, "NewCapture takes at most one pattern, got 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := panicMessage(tc.build)
			if !strings.Contains(got, tc.want) {
				t.Errorf("panic %q does not contain %q", got, tc.want)
			}
		})
	}
}

func TestRenderMismatch(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		matcher assertions.Matcher
		actual  string
		want    string
	}{
		{
			name:    "renders a match",
			matcher: Match.AnyValue(),
			actual:  `1`,
			want:    "<match>",
		},
		{
			name:    "renders a mismatch at the root",
			matcher: Match.ObjectLike(obj{}),
			actual:  `"x"`,
			want:    "!! Expected type object but received string\n\"x\"",
		},
		{
			name:    "marks nested mismatches and abridges what matched",
			matcher: Match.ObjectLike(obj{"a": 1, "b": obj{"c": "x"}, "g": 1}),
			actual:  `{"a": 2, "b": {"c": "y", "d": true}, "e": [1, 2, 3], "f": {"x": 1, "y": 2}}`,
			want: strings.Join([]string{
				`{`,
				`!! Expected 1 but received 2`,
				`  "a": 2,`,
				`  "b": {`,
				`!!   Expected "x" but received "y"`,
				`    "c": "y",`,
				`    "d": true`,
				`  },`,
				`  "e": [ ... ],`,
				`  "f": { ... },`,
				`!! Missing key 'g'`,
				`  "g": <missing>`,
				`}`,
			}, "\n"),
		},
		{
			name:    "marks array mismatches",
			matcher: Match.ArrayWith([]any{obj{"k": 2}, obj{"k": 3}}),
			actual:  `[{"k": 1}, {"k": 2}]`,
			want: strings.Join([]string{
				`[`,
				`  { "k": 1 },`,
				`!! arrayWith pattern 0 matched here`,
				`  {`,
				`    "k": 2`,
				`  }`,
				`!! Could not match arrayWith pattern 1. No more elements to try`,
				`]`,
			}, "\n"),
		},
		{
			name:    "shows both the string and its decoded JSON",
			matcher: Match.SerializedJSON(obj{"x": 2}),
			actual:  `"{\"x\":1}"`,
			want: strings.Join([]string{
				`!! Encoded JSON value does not match`,
				`{`,
				`!! Expected 2 but received 1`,
				`  "x": 1`,
				`}`,
			}, "\n"),
		},
		{
			name:    "shows a decoded JSON value nested in an object",
			matcher: Match.ObjectLike(obj{"s": Match.SerializedJSON(obj{"x": 2})}),
			actual:  `{"s": "{\"x\":1}"}`,
			want: strings.Join([]string{
				`{`,
				`!! Encoded JSON value does not match`,
				`  "s": "{\"x\":1}" <*> {`,
				`!!   Expected 2 but received 1`,
				`    "x": 1`,
				`  }`,
				`}`,
			}, "\n"),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tc.matcher.Test(decode(t, tc.actual)).RenderMismatch()
			if got != tc.want {
				t.Errorf("RenderMismatch():\n%s\n\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestMatchResult(t *testing.T) {
	t.Parallel()
	m := evenNumber{}
	inner := assertions.NewMatchResult(1.0).RecordFailure(assertions.MatchFailure{Matcher: m, Message: "odd", Cost: 3})
	note := assertions.NewMatchResult(2.0).RecordFailure(assertions.MatchFailure{Matcher: m, Message: "note", Informational: true})
	r := assertions.NewMatchResult([]any{1.0, 2.0}).Compose("0", inner).Compose("1", note)

	if r.IsSuccess() || !r.HasFailed() {
		t.Errorf("IsSuccess() = %v, HasFailed() = %v; want a failure", r.IsSuccess(), r.HasFailed())
	}
	if got := r.FailCount(); got != 2 {
		t.Errorf("FailCount() = %d, want 2", got)
	}
	if got := r.FailCost(); got != 3 {
		t.Errorf("FailCost() = %d, want 3 (informational failures cost nothing)", got)
	}
	if got, want := r.ToHumanStrings(), []string{"odd at /0 (using evenNumber matcher)", "note at /1 (using evenNumber matcher)"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("ToHumanStrings() = %q, want %q", got, want)
	}
	if got := r.Target(); fmt.Sprint(got) != "[1 2]" {
		t.Errorf("Target() = %v", got)
	}
	ok := assertions.NewMatchResult("x").Compose("a", assertions.NewMatchResult("y"))
	if !ok.IsSuccess() || ok.FailCount() != 0 || ok.FailCost() != 0 {
		t.Errorf("composing a success: IsSuccess() = %v, FailCount() = %d, FailCost() = %d", ok.IsSuccess(), ok.FailCount(), ok.FailCost())
	}
}

type tagStruct struct {
	Key      string `json:"Key"`
	Value    string `json:"Value"`
	Optional string `json:"Optional,omitempty"`
}

// upper marshals itself as an upper-case JSON string.
type upper string

func (u upper) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strings.ToUpper(string(u)) + `"`), nil
}

func TestLiteralPatternsAreComparedAsJSON(t *testing.T) {
	t.Parallel()
	var nilSlice []string
	var nilMap map[string]any
	var nilPtr *int
	runMatchCases(t, []matchCase{
		{name: "matches every Go integer and float type", matcher: Match.Exact([]any{int8(1), int16(2), int32(3), int64(4), uint(5), uint16(6), uint32(7), uint64(8), float32(0.5), 1.5}), actual: `[1, 2, 3, 4, 5, 6, 7, 8, 0.5, 1.5]`},
		{name: "matches a json.Number", matcher: Match.Exact(json.Number("42")), actual: `42`},
		{name: "matches a struct by its json tags", matcher: Match.Exact(tagStruct{Key: "k", Value: "v"}), actual: `{"Key": "k", "Value": "v"}`},
		{name: "matches a pointer to a struct", matcher: Match.Exact(&tagStruct{Key: "k", Value: "v"}), actual: `{"Key": "k", "Value": "v"}`},
		{name: "matches a value by its MarshalJSON", matcher: Match.Exact([]upper{"a"}), actual: `["A"]`},
		{name: "matches a map with integer keys as JSON does", matcher: Match.Exact(map[int]string{1: "a"}), actual: `{"1": "a"}`},
		{name: "matches an array", matcher: Match.Exact([2]string{"a", "b"}), actual: `["a", "b"]`},
		{name: "matches []byte as base64, as encoding/json writes it", matcher: Match.Exact([]byte("hi")), actual: `"aGk="`},
		{name: "matches a nil slice as null", matcher: Match.ObjectLike(obj{"a": nilSlice}), actual: `{"a": null}`},
		{name: "matches a nil map as null", matcher: Match.ObjectLike(obj{"a": nilMap}), actual: `{"a": null}`},
		{name: "matches a nil pointer as null", matcher: Match.ObjectLike(obj{"a": nilPtr}), actual: `{"a": null}`},
		{name: "matches an empty slice as an empty array", matcher: Match.ObjectLike(obj{"a": []string{}}), actual: `{"a": []}`},
		{name: "matches matchers nested in typed maps and slices", matcher: Match.ObjectLike(map[string][]assertions.Matcher{"a": {Match.AnyValue()}}), actual: `{"a": [1]}`},
		{name: "fails a nil slice against an empty array", matcher: Match.ObjectLike(obj{"a": nilSlice}), actual: `{"a": []}`,
			want: []string{"Expected null but received [] at /a"}},
		{name: "fails a struct field left out by omitempty", matcher: Match.Exact(tagStruct{Key: "k"}), actual: `{"Key": "k", "Value": "", "Optional": ""}`,
			want: []string{"Unexpected key Optional at /Optional"}},
	})
}

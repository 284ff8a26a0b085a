package assertions_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk/assertions"
)

// The tests in this file are ported from aws-cdk-lib's
// assertions/test/match.test.ts and keep its structure, so the two can be
// read side by side. The messages differ in one way: values are shown as
// JSON, so strings are quoted ("foo" where the CDK writes foo).

func expectPass(t *testing.T, matcher assertions.Matcher, target any) {
	t.Helper()
	if result := matcher.Test(target); result.HasFailed() {
		t.Errorf("want a match of %s, got:\n%s", jsonText(target), strings.Join(result.ToHumanStrings(), "\n"))
	}
}

// expectFailure checks that matching target fails and that each expected
// string (a substring) or *regexp.Regexp is found in one of the failures.
func expectFailure(t *testing.T, matcher assertions.Matcher, target any, expected ...any) {
	t.Helper()
	result := matcher.Test(target)
	if result.FailCount() == 0 {
		t.Errorf("want a mismatch of %s, got a match", jsonText(target))
		return
	}
	actual := result.ToHumanStrings()
	for _, needle := range expected {
		found := false
		for _, haystack := range actual {
			switch n := needle.(type) {
			case string:
				found = found || strings.Contains(haystack, n)
			case *regexp.Regexp:
				found = found || n.MatchString(haystack)
			}
		}
		if !found {
			t.Errorf("pattern %v missing from the failures:\n%s", needle, strings.Join(actual, "\n"))
		}
	}
}

func TestPortedMatchers(t *testing.T) {
	t.Parallel()

	t.Run("exactly()", func(t *testing.T) {
		t.Parallel()
		t.Run("simple literals", func(t *testing.T) {
			t.Parallel()
			matcher := Match.Exact("foo")
			expectPass(t, matcher, "foo")
			expectFailure(t, matcher, "bar", re(`Expected "foo" but received "bar"`))
			expectFailure(t, matcher, 5.0, re(`Expected type string but received number`))

			matcher = Match.Exact(3)
			expectPass(t, matcher, 3.0)
			expectFailure(t, matcher, 5.0, re(`Expected 3 but received 5`))
			expectFailure(t, matcher, "foo", re(`Expected type number but received string`))

			matcher = Match.Exact(true)
			expectPass(t, matcher, true)
			expectFailure(t, matcher, false, re(`Expected true but received false`))
			expectFailure(t, matcher, "foo", re(`Expected type boolean but received string`))
		})

		t.Run("arrays", func(t *testing.T) {
			t.Parallel()
			matcher := Match.Exact(arr{4})
			expectPass(t, matcher, arr{4.0})
			expectFailure(t, matcher, arr{4.0, 5.0}, re(`Too many elements in array`))
			expectFailure(t, matcher, "foo", re(`Expected type array but received string`))

			matcher = Match.Exact(arr{"foo", 3})
			expectPass(t, matcher, arr{"foo", 3.0})
			expectFailure(t, matcher, arr{"bar", 3.0}, re(`Expected "foo" but received "bar" at /0`))
			expectFailure(t, matcher, arr{"foo", 5.0}, re(`Expected 3 but received 5 at /1`))

			matcher = Match.Exact(arr{obj{"foo": "bar", "baz": "qux"}, obj{"waldo": "fred", "wobble": "flob"}})
			expectPass(t, matcher, arr{obj{"foo": "bar", "baz": "qux"}, obj{"waldo": "fred", "wobble": "flob"}})
			expectFailure(t, matcher, arr{obj{"foo": "bar", "baz": "qux"}}, re(`Not enough elements in array`))
			expectFailure(t, matcher, arr{obj{"foo": "bar", "baz": "qux"}, obj{"waldo": "flob", "wobble": "fred"}},
				`Expected "fred" but received "flob" at /1/waldo`,
				`Expected "flob" but received "fred" at /1/wobble`,
			)
			expectFailure(t, matcher, arr{obj{"foo": "bar", "baz": "qux"}, obj{"waldo": "fred"}}, re(`Missing key.*at /1/wobble`))
		})

		t.Run("objects", func(t *testing.T) {
			t.Parallel()
			matcher := Match.Exact(obj{"foo": "bar"})
			expectPass(t, matcher, obj{"foo": "bar"})
			expectFailure(t, matcher, 5.0, re(`Expected type object but received number`))
			expectFailure(t, matcher, arr{"3", 5.0}, re(`Expected type object but received array`))
			expectFailure(t, matcher, obj{"baz": "qux"},
				"Unexpected key baz at /baz",
				re(`Missing key.*at /foo`),
			)

			matcher = Match.Exact(obj{"foo": "bar", "baz": 5})
			expectFailure(t, matcher, obj{"foo": "bar", "baz": "5"}, re(`Expected type number but received string at /baz`))
			expectFailure(t, matcher, obj{"foo": "bar", "baz": 5.0, "qux": 7.0}, re(`Unexpected key qux at /qux`))

			matcher = Match.Exact(obj{"foo": arr{2, 3}, "bar": "baz"})
			expectPass(t, matcher, obj{"foo": arr{2.0, 3.0}, "bar": "baz"})
			expectFailure(t, matcher, obj{},
				re(`Missing key.*at /foo`),
				re(`Missing key.*at /bar`),
			)
			expectFailure(t, matcher, obj{"bar": arr{2.0, 3.0}, "foo": "baz"},
				"Expected type array but received string at /foo",
				"Expected type string but received array at /bar",
			)
			expectFailure(t, matcher, obj{"foo": arr{3.0, 5.0}, "bar": "baz"},
				"Expected 2 but received 3 at /foo/0",
				"Expected 3 but received 5 at /foo/1",
			)
		})

		t.Run("nesting", func(t *testing.T) {
			t.Parallel()
			if msg := panicMessage(func() { Match.Exact(Match.ArrayWith(arr{"foo"})) }); !strings.Contains(msg, "cannot directly contain another matcher") {
				t.Errorf("panic %q", msg)
			}
		})

		t.Run("absent", func(t *testing.T) {
			t.Parallel()
			if msg := panicMessage(func() { Match.Exact(Match.Absent()) }); !strings.Contains(msg, "cannot directly contain another matcher") {
				t.Errorf("panic %q", msg)
			}
		})
	})

	t.Run("arrayWith()", func(t *testing.T) {
		t.Parallel()
		t.Run("subset match", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ArrayWith(arr{})
			expectPass(t, matcher, arr{})
			expectPass(t, matcher, arr{3.0})

			matcher = Match.ArrayWith(arr{3})
			expectPass(t, matcher, arr{3.0})
			expectPass(t, matcher, arr{3.0, 5.0})
			expectPass(t, matcher, arr{1.0, 3.0, 5.0})
			expectFailure(t, matcher, arr{5.0}, re(`Could not match arrayWith pattern 0`))

			matcher = Match.ArrayWith(arr{5, false})
			expectPass(t, matcher, arr{5.0, false, "foo"})
			expectPass(t, matcher, arr{5.0, "foo", false})
			expectFailure(t, matcher, arr{5.0, "foo"}, re(`Could not match arrayWith pattern 1`))

			matcher = Match.ArrayWith(arr{obj{"foo": "bar"}})
			expectPass(t, matcher, arr{obj{"fred": "waldo"}, obj{"foo": "bar"}, obj{"baz": "qux"}})
			expectPass(t, matcher, arr{obj{"foo": "bar"}})
			expectFailure(t, matcher, arr{obj{"foo": "baz"}}, re(`Could not match arrayWith pattern 0`))
			expectFailure(t, matcher, arr{obj{"baz": "qux"}}, re(`Could not match arrayWith pattern 0`))
		})

		t.Run("not array", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ArrayWith(arr{3})
			expectFailure(t, matcher, 3.0, re(`Expected type array but received number`))
			expectFailure(t, matcher, obj{"val": 3.0}, re(`Expected type array but received object`))
		})

		t.Run("out of order", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ArrayWith(arr{3, 5})
			expectFailure(t, matcher, arr{5.0, 3.0}, re(`Could not match arrayWith pattern 1`))
		})

		t.Run("nested with ObjectLike", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ArrayWith(arr{Match.ObjectLike(obj{"foo": "bar"})})
			expectPass(t, matcher, arr{obj{"baz": "qux"}, obj{"foo": "bar"}})
			expectPass(t, matcher, arr{obj{"baz": "qux"}, obj{"foo": "bar", "fred": "waldo"}})
			expectFailure(t, matcher, arr{obj{"foo": "baz", "fred": "waldo"}}, re(`Could not match arrayWith pattern 0`))
		})

		// The CDK throws when such a matcher is tested; Go panics as soon as
		// it is built.
		t.Run("incompatible with absent", func(t *testing.T) {
			t.Parallel()
			msg := panicMessage(func() { Match.ArrayWith(arr{"foo", Match.Absent()}) })
			if !re(`Absent\(\) cannot be nested within ArrayWith\(\)`).MatchString(msg) {
				t.Errorf("panic %q", msg)
			}
		})

		t.Run("incompatible with anyValue", func(t *testing.T) {
			t.Parallel()
			msg := panicMessage(func() { Match.ArrayWith(arr{"foo", Match.AnyValue()}) })
			if !re(`AnyValue\(\) cannot be nested within ArrayWith\(\)`).MatchString(msg) {
				t.Errorf("panic %q", msg)
			}
		})
	})

	t.Run("arrayEquals", func(t *testing.T) {
		t.Parallel()
		t.Run("exact match", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ArrayEquals(arr{5, false})
			expectPass(t, matcher, arr{5.0, false})
			expectFailure(t, matcher, arr{5.0, "foo", false}, re(`Too many elements in array`))
			expectFailure(t, matcher, arr{5.0, "foo"}, re(`Expected type boolean but received string at /1`))
		})
	})

	t.Run("objectLike()", func(t *testing.T) {
		t.Parallel()
		t.Run("basic", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ObjectLike(obj{"foo": "bar"})
			expectPass(t, matcher, obj{"foo": "bar"})
			expectFailure(t, matcher, obj{"foo": "baz"}, re(`Expected "bar" but received "baz" at /foo`))
			expectFailure(t, matcher, obj{"foo": arr{"bar"}}, re(`Expected type string but received array at /foo`))
			expectFailure(t, matcher, obj{"bar": "foo"}, re(`Missing key.*at /foo`))
			expectPass(t, matcher, obj{"foo": "bar", "baz": "qux"})
		})

		t.Run("not an object", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ObjectLike(obj{"foo": "bar"})
			expectFailure(t, matcher, arr{"foo", "bar"}, re(`Expected type object but received array`))
			expectFailure(t, matcher, "foo", re(`Expected type object but received string`))

			matcher = Match.ObjectLike(obj{"foo": Match.ObjectLike(obj{"baz": "qux"})})
			expectFailure(t, matcher, obj{"foo": "baz"}, re(`Expected type object but received string at /foo`))
		})

		t.Run("partial", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ObjectLike(obj{"foo": "bar"})
			expectPass(t, matcher, obj{"foo": "bar", "baz": obj{"fred": "waldo"}})

			matcher = Match.ObjectLike(obj{"baz": obj{"fred": "waldo"}})
			expectPass(t, matcher, obj{"foo": "bar", "baz": obj{"fred": "waldo", "wobble": "flob"}})
		})

		t.Run("ArrayMatch nested inside ObjectMatch", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ObjectLike(obj{"foo": Match.ArrayWith(arr{"bar"})})
			expectPass(t, matcher, obj{"foo": arr{"bar", "baz"}, "fred": "waldo"})
			expectFailure(t, matcher, obj{"foo": arr{"baz"}, "fred": "waldo"}, re(`Could not match arrayWith pattern 0`))
		})

		t.Run("Partiality is maintained throughout arrays", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ObjectLike(obj{"foo": arr{obj{"bar": "bar"}}})
			expectPass(t, matcher, obj{"foo": arr{obj{"bar": "bar"}}})               // Trivially true
			expectPass(t, matcher, obj{"boo": "boo", "foo": arr{obj{"bar": "bar"}}}) // Additional members at top level okay
			expectPass(t, matcher, obj{"foo": arr{obj{"bar": "bar", "boo": "boo"}}}) // Additional members at inner level okay
		})

		t.Run("absent", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ObjectLike(obj{"foo": Match.Absent()})
			expectPass(t, matcher, obj{"bar": "baz"})
			expectFailure(t, matcher, obj{"foo": "baz"}, re(`key should be absent at /foo`))
		})
	})

	t.Run("objectEquals()", func(t *testing.T) {
		t.Parallel()
		t.Run("exact match", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ObjectEquals(obj{"foo": "bar"})
			expectPass(t, matcher, obj{"foo": "bar"})
			expectFailure(t, matcher, obj{"foo": "bar", "baz": "qux"}, re(`Unexpected key baz at /baz`))
		})
	})

	t.Run("not()", func(t *testing.T) {
		t.Parallel()
		t.Run("literal", func(t *testing.T) {
			t.Parallel()
			matcher := Match.Not("foo")
			expectPass(t, matcher, "bar")
			expectPass(t, matcher, 3.0)

			expectFailure(t, matcher, "foo", `Found unexpected match: "foo"`)
		})

		t.Run("object", func(t *testing.T) {
			t.Parallel()
			matcher := Match.Not(obj{"foo": "bar"})
			expectPass(t, matcher, "bar")
			expectPass(t, matcher, 3.0)
			expectPass(t, matcher, obj{"foo": "baz"})
			expectPass(t, matcher, obj{"bar": "foo"})

			msg := strings.Join([]string{
				"Found unexpected match: {",
				`  "foo": "bar"`,
				"}",
			}, "\n")
			expectFailure(t, matcher, obj{"foo": "bar"}, msg)
		})

		t.Run("array", func(t *testing.T) {
			t.Parallel()
			matcher := Match.Not(arr{"foo", "bar"})
			expectPass(t, matcher, "foo")
			expectPass(t, matcher, arr{})
			expectPass(t, matcher, arr{"bar"})
			expectPass(t, matcher, arr{"foo", 3.0})

			msg := strings.Join([]string{
				"Found unexpected match: [",
				`  "foo",`,
				`  "bar"`,
				"]",
			}, "\n")
			expectFailure(t, matcher, arr{"foo", "bar"}, msg)
		})

		t.Run("as a nested matcher", func(t *testing.T) {
			t.Parallel()
			matcher := Match.Exact(obj{"foo": obj{"bar": Match.Not(arr{1, 2})}})

			expectPass(t, matcher, obj{"foo": obj{"bar": arr{1.0}}})
			expectPass(t, matcher, obj{"foo": obj{"bar": arr{"baz"}}})

			msg := strings.Join([]string{
				"Found unexpected match: [",
				"  1,",
				"  2",
				"] at /foo/bar",
			}, "\n")
			expectFailure(t, matcher, obj{"foo": obj{"bar": arr{1.0, 2.0}}}, msg)
		})

		t.Run("with nested matcher", func(t *testing.T) {
			t.Parallel()
			matcher := Match.Not(obj{"foo": obj{"bar": Match.ArrayWith(arr{1})}})

			expectPass(t, matcher, obj{"foo": obj{"bar": arr{2.0}}})
			expectPass(t, matcher, "foo")

			msg := strings.Join([]string{
				"Found unexpected match: {",
				`  "foo": {`,
				`    "bar": [`,
				"      1,",
				"      2",
				"    ]",
				"  }",
				"}",
			}, "\n")
			expectFailure(t, matcher, obj{"foo": obj{"bar": arr{1.0, 2.0}}}, msg)
		})
	})

	t.Run("anyValue()", func(t *testing.T) {
		t.Parallel()
		t.Run("simple", func(t *testing.T) {
			t.Parallel()
			matcher := Match.AnyValue()
			expectPass(t, matcher, "foo")
			expectPass(t, matcher, 5.0)
			expectPass(t, matcher, false)
			expectPass(t, matcher, arr{})
			expectPass(t, matcher, obj{})

			expectFailure(t, matcher, nil, "Expected a value but found none")
		})

		t.Run("nested in array", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ArrayEquals(arr{"foo", Match.AnyValue(), "bar"})
			expectPass(t, matcher, arr{"foo", "baz", "bar"})
			expectPass(t, matcher, arr{"foo", 3.0, "bar"})

			expectFailure(t, matcher, arr{"foo", nil, "bar"}, "Expected a value but found none at /1")
		})

		t.Run("nested in object", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ObjectLike(obj{"foo": Match.AnyValue()})
			expectPass(t, matcher, obj{"foo": "bar"})
			expectPass(t, matcher, obj{"foo": arr{1.0, 2.0}})

			expectFailure(t, matcher, obj{"foo": nil}, "Expected a value but found none at /foo")
			expectFailure(t, matcher, obj{}, re(`Missing key.*at /foo`))
		})
	})

	t.Run("serializedJson()", func(t *testing.T) {
		t.Parallel()
		t.Run("all types", func(t *testing.T) {
			t.Parallel()
			matcher := Match.SerializedJSON(obj{"Foo": "Bar", "Baz": 3, "Boo": true, "Fred": arr{1, 2}})
			expectPass(t, matcher, `{ "Foo": "Bar", "Baz": 3, "Boo": true, "Fred": [1, 2] }`)
		})

		t.Run("simple match", func(t *testing.T) {
			t.Parallel()
			matcher := Match.SerializedJSON(obj{"Foo": "Bar"})
			expectPass(t, matcher, `{ "Foo": "Bar" }`)

			expectFailure(t, matcher, `{ "Foo": "Baz" }`, re(`Encoded JSON value does not match`), `Expected "Bar" but received "Baz" at /Foo`)
			expectFailure(t, matcher, `{ "Foo": 4 }`, re(`Encoded JSON value does not match`), "Expected type string but received number at /Foo")
			expectFailure(t, matcher, `{ "Bar": "Baz" }`,
				re(`Encoded JSON value does not match`),
				"Unexpected key Bar at /Bar",
				re(`Missing key.*at /Foo`),
			)
		})

		t.Run("nested matcher", func(t *testing.T) {
			t.Parallel()
			matcher := Match.SerializedJSON(Match.ObjectLike(obj{"Foo": Match.ArrayWith(arr{"Bar"})}))

			expectPass(t, matcher, `{ "Foo": ["Bar"] }`)
			expectPass(t, matcher, `{ "Foo": ["Bar", "Baz"] }`)
			expectPass(t, matcher, `{ "Foo": ["Bar", "Baz"], "Fred": "Waldo" }`)

			expectFailure(t, matcher, `{ "Foo": ["Baz"] }`, "Could not match arrayWith pattern 0")
			expectFailure(t, matcher, `{ "Bar": ["Baz"] }`, re(`Missing key.*at /Foo`))
		})

		t.Run("invalid json string", func(t *testing.T) {
			t.Parallel()
			matcher := Match.SerializedJSON(obj{"Foo": "Bar"})

			expectFailure(t, matcher, `{ "Foo"`, re(`(?i)invalid JSON string`))
		})
	})

	// The CDK's Absent also passes on undefined, a value Go does not have: a
	// missing key is the only absent value.
	t.Run("absent", func(t *testing.T) {
		t.Parallel()
		t.Run("simple", func(t *testing.T) {
			t.Parallel()
			matcher := Match.Absent()
			expectFailure(t, matcher, "foo", `Received "foo", but key should be absent`)
		})

		t.Run("nested in object", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ObjectLike(obj{"foo": Match.Absent()})
			expectFailure(t, matcher, obj{"foo": "bar"}, re(`key should be absent at /foo`))
			expectFailure(t, matcher, obj{"foo": arr{1.0, 2.0}}, re(`key should be absent at /foo`))
			expectFailure(t, matcher, obj{"foo": nil}, re(`key should be absent at /foo`))

			expectPass(t, matcher, obj{})
		})
	})

	t.Run("stringLikeRegexp", func(t *testing.T) {
		t.Parallel()
		t.Run("simple", func(t *testing.T) {
			t.Parallel()
			matcher := Match.StringLikeRegexp(".*includeHeaders = true.*")
			expectFailure(t, matcher, "const includeHeaders = false;", re(`did not match pattern`))
			expectPass(t, matcher, "const includeHeaders = true;")
		})

		t.Run("nested in object", func(t *testing.T) {
			t.Parallel()
			matcher := Match.ObjectLike(obj{"foo": Match.StringLikeRegexp(".*includeHeaders = true.*")})
			expectFailure(t, matcher, obj{"foo": "const includeHeaders = false;"}, re(`did not match pattern`))
			expectPass(t, matcher, obj{"foo": "const includeHeaders = true;"})
		})
	})
}

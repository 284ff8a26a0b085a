package assertions_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk/assertions"
)

// TestPortedRender is ported from aws-cdk-lib's assertions/test/render.test.ts
// and its snapshots. The renderings differ from the CDK's only in showing
// values as JSON, a missing key as <missing> instead of undefined, and in
// not leaving a blank line before a closing bracket.
func TestPortedRender(t *testing.T) {
	t.Parallel()
	list := func() any {
		return arr{
			obj{"Value": "1", "MakeItBig": true},
			obj{"Value": "2", "MakeItBig": true},
			obj{"Value": "3", "MakeItBig": true},
			obj{"Value": "4", "MakeItBig": true},
		}
	}
	encoded, _ := json.Marshal(obj{"Value": "Value"})
	cases := []struct {
		name    string
		target  any
		matcher assertions.Matcher
		want    []string
	}{
		{
			name:    "Match.objectLike with mismatched string value",
			target:  obj{"Value": "Balue", "Other": "Other"},
			matcher: Match.ObjectLike(obj{"Value": "Value"}),
			want: []string{
				`{`,
				`  "Other": "Other",`,
				`!! Expected "Value" but received "Balue"`,
				`  "Value": "Balue"`,
				`}`,
			},
		},
		{
			name:    "Deep Match.objectLike with mismatched string value",
			target:  obj{"Deep": obj{"Value": "Balue", "Other": "Other"}},
			matcher: Match.ObjectLike(obj{"Deep": obj{"Value": "Value"}}),
			want: []string{
				`{`,
				`  "Deep": {`,
				`    "Other": "Other",`,
				`!!   Expected "Value" but received "Balue"`,
				`    "Value": "Balue"`,
				`  }`,
				`}`,
			},
		},
		{
			name:    "Match.objectEquals with unexpected key",
			target:  obj{"Value": "Value", "Other": "Other"},
			matcher: Match.ObjectEquals(obj{"Value": "Value"}),
			want: []string{
				`{`,
				`!! Unexpected key Other`,
				`  "Other": "Other",`,
				`  "Value": "Value"`,
				`}`,
			},
		},
		{
			name:    "Match.objectEquals with missing key",
			target:  obj{},
			matcher: Match.ObjectEquals(obj{"Value": "Value"}),
			want: []string{
				`{`,
				`!! Missing key 'Value'`,
				`  "Value": <missing>`,
				`}`,
			},
		},
		{
			name:    "Match.objectLike looking for absent key",
			target:  obj{"Value": "Value"},
			matcher: Match.ObjectEquals(obj{"Value": Match.Absent()}),
			want: []string{
				`{`,
				`!! Received "Value", but key should be absent`,
				`  "Value": "Value"`,
				`}`,
			},
		},
		{
			name:    "Abridged rendering of uninteresting keys (showing Other)",
			target:  obj{"Other": obj{"OneKey": "Visible"}, "Value": "Value"},
			matcher: Match.ObjectLike(obj{"Value": "Balue"}),
			want: []string{
				`{`,
				`  "Other": { "OneKey": "Visible" },`,
				`!! Expected "Balue" but received "Value"`,
				`  "Value": "Value"`,
				`}`,
			},
		},
		{
			name:    "Abridged rendering of uninteresting keys (hiding Other)",
			target:  obj{"Other": obj{"OneKey": "Visible", "TooMany": "Keys"}, "Value": "Value"},
			matcher: Match.ObjectLike(obj{"Value": "Balue"}),
			want: []string{
				`{`,
				`  "Other": { ... },`,
				`!! Expected "Balue" but received "Value"`,
				`  "Value": "Value"`,
				`}`,
			},
		},
		{
			name:    "Encodedjson matcher",
			target:  obj{"Json": string(encoded)},
			matcher: Match.ObjectLike(obj{"Json": Match.SerializedJSON(obj{"Value": "Balue"})}),
			want: []string{
				`{`,
				`!! Encoded JSON value does not match`,
				`  "Json": "{\"Value\":\"Value\"}" <*> {`,
				`!!   Expected "Balue" but received "Value"`,
				`    "Value": "Value"`,
				`  }`,
				`}`,
			},
		},
		{
			name:    "ArrayWith matcher",
			target:  obj{"List": list()},
			matcher: Match.ObjectLike(obj{"List": Match.ArrayWith(arr{Match.ObjectLike(obj{"Value": "5"})})}),
			want: []string{
				`{`,
				`  "List": [`,
				`!!   Could not match arrayWith pattern 0. This is the closest match`,
				`    {`,
				`      "MakeItBig": true,`,
				`!!     Expected "5" but received "1"`,
				`      "Value": "1"`,
				`    },`,
				`    { ... },`,
				`    { ... },`,
				`    { ... }`,
				`  ]`,
				`}`,
			},
		},
		{
			name:   "ArrayWith partial match",
			target: obj{"List": list()},
			matcher: Match.ObjectLike(obj{"List": Match.ArrayWith(arr{
				Match.ObjectLike(obj{"Value": "2"}),
				Match.ObjectLike(obj{"Value": "5"}),
			})}),
			want: []string{
				`{`,
				`  "List": [`,
				`    { ... },`,
				`!!   arrayWith pattern 0 matched here`,
				`    {`,
				`      "MakeItBig": true,`,
				`      "Value": "2"`,
				`    },`,
				`!!   Could not match arrayWith pattern 1. This is the closest match`,
				`    {`,
				`      "MakeItBig": true,`,
				`!!     Expected "5" but received "3"`,
				`      "Value": "3"`,
				`    },`,
				`    { ... }`,
				`  ]`,
				`}`,
			},
		},
		{
			name:    "ArrayWith out-of-order match",
			target:  arr{5.0, 3.0},
			matcher: Match.ArrayWith(arr{3, 5}),
			want: []string{
				`[`,
				`  5,`,
				`!! arrayWith pattern 0 matched here`,
				`  3`,
				`!! Could not match arrayWith pattern 1. No more elements to try`,
				`]`,
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tc.matcher.Test(tc.target).RenderMismatch()
			if want := strings.Join(tc.want, "\n"); got != want {
				t.Errorf("RenderMismatch():\n%s\n\nwant:\n%s", got, want)
			}
		})
	}
}

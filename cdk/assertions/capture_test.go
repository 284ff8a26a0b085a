package assertions_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk/assertions"
)

func TestCaptureInTemplates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// capture runs assertions against the fixture with c in their
		// patterns.
		capture func(tp *assertions.Template, c *assertions.Capture)
		want    []any
	}{
		{
			name: "captures a property value",
			capture: func(tp *assertions.Template, c *assertions.Capture) {
				tp.HasResourceProperties("AWS::EKS::Cluster", obj{"RoleArn": c})
			},
			want: []any{obj{"Fn::GetAtt": []any{"ClusterRole", "Arn"}}},
		},
		{
			name: "captures one value per matching resource, in logical ID order",
			capture: func(tp *assertions.Template, c *assertions.Capture) {
				tp.AllResourcesProperties("AWS::S3::Bucket", obj{"BucketName": c})
			},
			want: []any{"a", "b"},
		},
		{
			name: "captures only from resources that match as a whole",
			capture: func(tp *assertions.Template, c *assertions.Capture) {
				tp.FindResources("AWS::S3::Bucket", obj{"Properties": obj{"BucketName": c, "Tags": []obj{{"Value": "prod"}}}})
			},
			want: []any{"b"},
		},
		{
			name: "captures nothing when the assertion fails",
			capture: func(tp *assertions.Template, c *assertions.Capture) {
				tp.FindResources("AWS::S3::Bucket", obj{"Properties": obj{"BucketName": c, "Tags": []obj{{"Value": "staging"}}}})
			},
			want: nil,
		},
		{
			name: "captures the element an ArrayWith matched",
			capture: func(tp *assertions.Template, c *assertions.Capture) {
				tp.HasResourceProperties("AWS::EKS::Cluster", obj{"Tags": Match.ArrayWith([]any{obj{"Key": "env", "Value": c}})})
			},
			want: []any{"dev"},
		},
		{
			name: "captures an output value",
			capture: func(tp *assertions.Template, c *assertions.Capture) {
				tp.HasOutput("ClusterName", obj{"Value": c})
			},
			want: []any{obj{"Ref": "Cluster"}},
		},
		{
			name: "captures inside serialized JSON",
			capture: func(tp *assertions.Template, c *assertions.Capture) {
				tp.HasResourceProperties("Custom::AWSCDK-EKS-KubernetesResource", obj{
					"Manifest": Match.SerializedJSON([]any{Match.ObjectLike(obj{"metadata": obj{"name": c}})}),
				})
			},
			want: []any{"team-a"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := assertions.NewCapture()
			tc.capture(assertions.FromString(rec, fixture), c)
			if got := c.Values(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("captured %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestCaptureWithPattern(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		pattern any
		actual  string
		match   bool
	}{
		{"captures a value matching a literal object partially", obj{"Key": "env"}, `{"Key": "env", "Value": "dev"}`, true},
		{"captures a value matching a matcher", Match.StringLikeRegexp("^arn:"), `"arn:aws:s3:::b"`, true},
		{"captures a scalar equal to a literal", 2, `2`, true},
		{"fails a value not matching a literal object", obj{"Key": "team"}, `{"Key": "env"}`, false},
		{"fails a value not matching a matcher", Match.StringLikeRegexp("^arn:"), `"b"`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := assertions.NewCapture(tc.pattern)
			actual := decode(t, tc.actual)
			r := Match.ObjectLike(obj{"v": c}).Test(obj{"v": actual}).Finished()
			if r.IsSuccess() != tc.match {
				t.Fatalf("match = %v, want %v:\n%s", r.IsSuccess(), tc.match, r.RenderMismatch())
			}
			var want []any
			if tc.match {
				want = []any{actual}
			}
			if got := c.Values(); !reflect.DeepEqual(got, want) {
				t.Errorf("captured %#v, want %#v", got, want)
			}
		})
	}
}

func TestCaptureFailsOnNull(t *testing.T) {
	t.Parallel()
	c := assertions.NewCapture()
	r := Match.ObjectLike(obj{"a": c}).Test(obj{"a": nil}).Finished()
	if got := strings.Join(r.ToHumanStrings(), "\n"); got != "Can only capture non-null values. Found null at /a (using Capture matcher)" {
		t.Errorf("failure = %q", got)
	}
	if len(c.Values()) != 0 {
		t.Errorf("captured %v, want nothing", c.Values())
	}
}

func TestCaptureResultsNeedFinished(t *testing.T) {
	t.Parallel()
	c := assertions.NewCapture()
	r := c.Test("x")
	if len(c.Values()) != 0 {
		t.Fatalf("captured %v before Finished", c.Values())
	}
	r.Finished().Finished() // a second call records nothing more
	if got := c.Values(); !reflect.DeepEqual(got, []any{"x"}) {
		t.Errorf("captured %v, want [x]", got)
	}
}

func TestCaptureAccessors(t *testing.T) {
	t.Parallel()
	captured := func(actual string) *assertions.Capture {
		c := assertions.NewCapture()
		c.Test(decode(t, actual)).Finished()
		return c
	}
	cases := []struct {
		name   string
		actual string
		get    func(c *assertions.Capture) any
		want   any
		panics string
	}{
		{name: "returns a string", actual: `"s"`, get: func(c *assertions.Capture) any { return c.AsString() }, want: "s"},
		{name: "returns a number", actual: `1.5`, get: func(c *assertions.Capture) any { return c.AsNumber() }, want: 1.5},
		{name: "returns a boolean", actual: `true`, get: func(c *assertions.Capture) any { return c.AsBoolean() }, want: true},
		{name: "returns an array", actual: `[1, "a"]`, get: func(c *assertions.Capture) any { return c.AsArray() }, want: []any{1.0, "a"}},
		{name: "returns an object", actual: `{"a": 1}`, get: func(c *assertions.Capture) any { return c.AsObject() }, want: obj{"a": 1.0}},
		{name: "returns any value", actual: `{"a": 1}`, get: func(c *assertions.Capture) any { return c.Value() }, want: obj{"a": 1.0}},
		{name: "fails AsString on a number", actual: `1`, get: func(c *assertions.Capture) any { return c.AsString() },
			panics: "Capture: captured value is expected to be string but found number. Value is 1"},
		{name: "fails AsNumber on a string", actual: `"1"`, get: func(c *assertions.Capture) any { return c.AsNumber() },
			panics: `expected to be number but found string. Value is "1"`},
		{name: "fails AsBoolean on a string", actual: `"true"`, get: func(c *assertions.Capture) any { return c.AsBoolean() },
			panics: "expected to be boolean but found string"},
		{name: "fails AsArray on an object", actual: `{"a": 1}`, get: func(c *assertions.Capture) any { return c.AsArray() },
			panics: "expected to be array but found object. Value is {\n  \"a\": 1\n}"},
		{name: "fails AsObject on an array", actual: `[]`, get: func(c *assertions.Capture) any { return c.AsObject() },
			panics: "expected to be object but found array"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := captured(tc.actual)
			var got any
			msg := panicMessage(func() { got = tc.get(c) })
			if msg != tc.panics {
				if tc.panics == "" || !strings.Contains(msg, tc.panics) {
					t.Fatalf("panic %q, want one containing %q", msg, tc.panics)
				}
			}
			if tc.panics == "" && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestCaptureWithNothingCaptured(t *testing.T) {
	t.Parallel()
	c := assertions.NewCapture()
	for name, get := range map[string]func(){
		"AsString": func() { c.AsString() },
		"AsNumber": func() { c.AsNumber() },
		"Value":    func() { c.Value() },
	} {
		if msg := panicMessage(get); msg != "assertions: Capture: no value captured" {
			t.Errorf("%s: panic %q, want %q", name, msg, "assertions: Capture: no value captured")
		}
	}
	if c.Next() {
		t.Errorf("Next() = true with nothing captured")
	}
}

func TestCaptureNext(t *testing.T) {
	t.Parallel()
	c := assertions.NewCapture()
	Match.ArrayEquals([]any{c, c, c}).Test([]any{"a", "b", "c"}).Finished()
	var got []string
	for {
		got = append(got, c.AsString())
		if !c.Next() {
			break
		}
	}
	if strings.Join(got, ",") != "a,b,c" {
		t.Errorf("iterated %v, want [a b c]", got)
	}
	if c.Next() {
		t.Errorf("Next() = true after the last value")
	}
	if got := c.AsString(); got != "c" {
		t.Errorf("AsString() after the last Next = %q, want the last value", got)
	}
}

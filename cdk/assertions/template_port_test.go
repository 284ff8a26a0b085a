package assertions_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk/assertions"
)

// The tests in this file are ported from aws-cdk-lib's
// assertions/test/template.test.ts, minus those that synthesize a stack:
// each `new Stack()` with its constructs becomes the template it
// synthesizes. Values in messages are shown as JSON ("waldo", not waldo).

// resources builds a template from logical ID, resource pairs.
func resources(kv ...any) map[string]any {
	rs := obj{}
	for i := 0; i < len(kv); i += 2 {
		rs[kv[i].(string)] = kv[i+1]
	}
	return obj{"Resources": rs}
}

// res is a resource of type typ with properties props (none if nil), as
// CfnResource synthesizes it.
func res(typ string, props obj) obj {
	r := obj{"Type": typ}
	if props != nil {
		r["Properties"] = props
	}
	return r
}

// inspect is a Template whose failures the test checks one call at a time.
type inspect struct {
	*assertions.Template
	rec *recorder
}

func newInspect(t *testing.T, template map[string]any) *inspect {
	t.Helper()
	rec := &recorder{}
	tp := assertions.FromJSON(rec, template)
	checkReport(t, rec, nil)
	return &inspect{tp, rec}
}

// expectPass fails t if fn reports a failure.
func (in *inspect) expectPass(t *testing.T, fn func()) {
	t.Helper()
	in.rec.errors = nil
	fn()
	if len(in.rec.errors) > 0 {
		t.Errorf("want no failure, got:\n%s", in.rec.output())
	}
}

// expectToThrow fails t unless fn reports one failure containing each
// string and matching each *regexp.Regexp of msgs.
func (in *inspect) expectToThrow(t *testing.T, fn func(), msgs ...any) {
	t.Helper()
	in.rec.errors = nil
	fn()
	if len(in.rec.errors) != 1 {
		t.Errorf("want one failure, got %d:\n%s", len(in.rec.errors), in.rec.output())
		return
	}
	msg := in.rec.errors[0]
	for _, m := range msgs {
		switch m := m.(type) {
		case string:
			if !strings.Contains(msg, m) {
				t.Errorf("failure does not contain %q:\n%s", m, msg)
			}
		case *regexp.Regexp:
			if !m.MatchString(msg) {
				t.Errorf("failure does not match %v:\n%s", m, msg)
			}
		}
	}
}

func TestPortedTemplate(t *testing.T) {
	t.Parallel()

	t.Run("fromString", func(t *testing.T) {
		t.Parallel()
		template := assertions.FromString(t, `{
        "Resources": {
          "Foo": {
            "Type": "Baz::Qux",
            "Properties": { "Fred": "Waldo" }
          }
        }
      }`)
		want := resources("Foo", res("Baz::Qux", obj{"Fred": "Waldo"}))
		if got := template.ToJSON(); !reflect.DeepEqual(got, want) {
			t.Errorf("ToJSON() = %v, want %v", got, want)
		}
		template.ResourceCountIs("Baz::Qux", 1)
	})

	t.Run("resourceCountIs", func(t *testing.T) {
		t.Parallel()
		t.Run("resource exists", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Resource", res("Foo::Bar", nil)))
			inspect.expectPass(t, func() { inspect.ResourceCountIs("Foo::Bar", 1) })

			inspect.expectToThrow(t, func() { inspect.ResourceCountIs("Foo::Bar", 0) }, "Expected 0 resources of type Foo::Bar but found 1")
			inspect.expectToThrow(t, func() { inspect.ResourceCountIs("Foo::Bar", 2) }, "Expected 2 resources of type Foo::Bar but found 1")

			inspect.expectToThrow(t, func() { inspect.ResourceCountIs("Foo::Baz", 1) }, "Expected 1 resources of type Foo::Baz but found 0")
		})

		t.Run("no resource", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, obj{})
			inspect.expectPass(t, func() { inspect.ResourceCountIs("Foo::Bar", 0) })

			inspect.expectToThrow(t, func() { inspect.ResourceCountIs("Foo::Bar", 1) }, "Expected 1 resources of type Foo::Bar but found 0")
		})
	})

	t.Run("resourcePropertiesCountIs", func(t *testing.T) {
		t.Parallel()
		t.Run("resource exists", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Resource", res("Foo::Bar", obj{"baz": "qux"})))
			inspect.expectPass(t, func() { inspect.ResourcePropertiesCountIs("Foo::Bar", obj{"baz": "qux"}, 1) })

			inspect.expectToThrow(t, func() { inspect.ResourcePropertiesCountIs("Foo::Bar", obj{"baz": "qux"}, 0) },
				"Expected 0 resources of type Foo::Bar but found 1")
			inspect.expectToThrow(t, func() { inspect.ResourcePropertiesCountIs("Foo::Bar", obj{"baz": "qux"}, 2) },
				"Expected 2 resources of type Foo::Bar but found 1")
			inspect.expectToThrow(t, func() { inspect.ResourcePropertiesCountIs("Foo::Bar", obj{"baz": "nope"}, 1) },
				"Expected 1 resources of type Foo::Bar but found 0")
			inspect.expectToThrow(t, func() { inspect.ResourcePropertiesCountIs("Foo::Baz", obj{"baz": "qux"}, 1) },
				"Expected 1 resources of type Foo::Baz but found 0")
		})

		t.Run("no resource", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, obj{})
			inspect.expectPass(t, func() { inspect.ResourcePropertiesCountIs("Foo::Bar", obj{"baz": "qux"}, 0) })

			inspect.expectToThrow(t, func() { inspect.ResourcePropertiesCountIs("Foo::Bar", obj{"baz": "qux"}, 1) },
				"Expected 1 resources of type Foo::Bar but found 0")
		})

		t.Run("absent - with properties", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", obj{"baz": "qux"})))
			inspect.expectPass(t, func() {
				inspect.ResourcePropertiesCountIs("Foo::Bar", obj{"bar": Match.Absent()}, 1)
				inspect.ResourcePropertiesCountIs("Foo::Bar", obj{"baz": Match.Absent()}, 0)
			})
		})

		t.Run("absent - no properties", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", nil)))
			inspect.expectPass(t, func() {
				inspect.ResourcePropertiesCountIs("Foo::Bar", obj{"bar": Match.Absent(), "baz": "qux"}, 0)
				inspect.ResourcePropertiesCountIs("Foo::Bar", Match.Absent(), 1)
			})
		})

		t.Run("not - with properties", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", obj{"baz": "qux"})))
			inspect.expectPass(t, func() { inspect.ResourcePropertiesCountIs("Foo::Bar", Match.Not(obj{"baz": "boo"}), 1) })
		})

		t.Run("not - no properties", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", nil)))
			inspect.expectPass(t, func() { inspect.ResourcePropertiesCountIs("Foo::Bar", Match.Not(obj{"baz": "qux"}), 1) })
		})
	})

	t.Run("templateMatches", func(t *testing.T) {
		t.Parallel()
		t.Run("matches", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", obj{"baz": "qux"})))
			inspect.expectPass(t, func() {
				inspect.TemplateMatches(obj{"Resources": obj{"Foo": obj{"Type": "Foo::Bar", "Properties": obj{"baz": "qux"}}}})
			})
		})

		t.Run("fails", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", obj{"baz": "qux"})))
			inspect.expectToThrow(t, func() {
				inspect.TemplateMatches(obj{"Resources": obj{"Foo": obj{"Type": "Foo::Bar", "Properties": obj{"baz": "waldo"}}}})
			}, re(`Expected "waldo" but received "qux"`))
		})
	})

	t.Run("hasResource", func(t *testing.T) {
		t.Parallel()
		t.Run("exact match", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", obj{"baz": "qux"})))
			inspect.expectPass(t, func() { inspect.HasResource("Foo::Bar", obj{"Properties": obj{"baz": "qux"}}) })

			inspect.expectToThrow(t, func() { inspect.HasResource("Foo::Bar", obj{"Properties": obj{"baz": "waldo"}}) },
				re(`Expected "waldo" but received "qux"`))

			inspect.expectToThrow(t, func() { inspect.HasResource("Foo::Bar", obj{"Properties": obj{"baz": "qux", "fred": "waldo"}}) },
				re(`Missing key`))
		})

		t.Run("arrayWith", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", obj{"baz": arr{"qux", "quy"}})))
			inspect.expectPass(t, func() { inspect.HasResource("Foo::Bar", obj{"Properties": obj{"baz": Match.ArrayWith(arr{"qux"})}}) })

			inspect.expectToThrow(t, func() { inspect.HasResource("Foo::Bar", obj{"Properties": obj{"baz": Match.ArrayWith(arr{"waldo"})}}) },
				re(`Could not match arrayWith pattern 0`))
		})

		t.Run("arrayWith - multiple resources", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources(
				"Foo1", res("Foo::Bar", obj{"foo": arr{"flob", "qux"}}),
				"Foo2", res("Foo::Bar", obj{"flob": arr{"qux"}}),
			))
			inspect.expectToThrow(t, func() {
				inspect.HasResource("Foo::Bar", obj{"Properties": Match.ArrayWith(arr{"flob"})})
			}, re(`closest match`), re(`flob`), re(`qux`))
		})

		t.Run("objectLike", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", obj{"baz": "qux", "fred": "waldo"})))
			inspect.expectPass(t, func() {
				inspect.HasResource("Foo::Bar", obj{"Properties": Match.ObjectLike(obj{"baz": "qux"})})
				inspect.HasResource("Foo::Bar", obj{"Properties": Match.ObjectLike(obj{"fred": "waldo"})})
			})

			inspect.expectToThrow(t, func() { inspect.HasResource("Foo::Bar", obj{"Properties": Match.ObjectLike(obj{"baz": "waldo"})}) },
				re(`Expected "waldo" but received "qux"`))
		})

		t.Run("objectLike - multiple resources", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources(
				"Foo1", res("Foo::Bar", obj{"foo": obj{"flob": "qux"}}),
				"Foo2", res("Foo::Bar", obj{"flob": "waldo"}),
			))
			inspect.expectToThrow(t, func() {
				inspect.HasResource("Foo::Bar", obj{"Properties": Match.ObjectLike(obj{"foo": obj{"flob": "foo"}})})
			}, re(`closest match`), re(`"flob": "qux"`))
		})

		t.Run("absent", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", obj{"baz": "qux"})))
			inspect.expectPass(t, func() {
				inspect.HasResource("Foo::Bar", obj{"Properties": Match.ObjectLike(obj{"foo": Match.Absent()})})
			})
			inspect.expectToThrow(t, func() {
				inspect.HasResource("Foo::Bar", obj{"Properties": Match.ObjectLike(obj{"baz": Match.Absent()})})
			},
				re(`key should be absent`))
		})

		t.Run("incorrect types", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", obj{"baz": "qux", "fred": "waldo"})))
			inspect.expectToThrow(t, func() { inspect.HasResource("Foo::Baz", obj{"Properties": Match.ObjectLike(obj{"baz": "qux"})}) },
				re(`0 resources with type Foo::Baz`))
		})

		t.Run("capture", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources(
				"Bar1", res("Foo::Bar", obj{"baz": "qux", "real": true}),
				"Bar2", res("Foo::Bar", obj{"baz": "waldo", "real": true}),
				"Bar3", res("Foo::Bar", obj{"baz": "fred", "real": false}),
			))
			capture := assertions.NewCapture()
			inspect.expectPass(t, func() {
				inspect.HasResource("Foo::Bar", obj{"Properties": Match.ObjectLike(obj{"baz": capture, "real": true})})
			})

			if got := capture.AsString(); got != "qux" {
				t.Errorf("AsString() = %q, want qux", got)
			}
			if !capture.Next() {
				t.Errorf("Next() = false, want true")
			}
			if got := capture.AsString(); got != "waldo" {
				t.Errorf("AsString() = %q, want waldo", got)
			}
			if capture.Next() {
				t.Errorf("Next() = true, want false")
			}
		})
	})

	t.Run("hasResourceProperties", func(t *testing.T) {
		t.Parallel()
		t.Run("exact match", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", obj{"baz": "qux"})))
			inspect.expectPass(t, func() { inspect.HasResourceProperties("Foo::Bar", obj{"baz": "qux"}) })

			inspect.expectToThrow(t, func() { inspect.HasResourceProperties("Foo::Bar", obj{"baz": "waldo"}) },
				re(`Expected "waldo" but received "qux"`))

			inspect.expectToThrow(t, func() { inspect.HasResourceProperties("Foo::Bar", obj{"baz": "qux", "fred": "waldo"}) },
				re(`Missing key`))
		})

		t.Run("absent - with properties", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", obj{"baz": "qux"})))
			inspect.expectPass(t, func() { inspect.HasResourceProperties("Foo::Bar", obj{"bar": Match.Absent()}) })

			inspect.expectToThrow(t, func() { inspect.HasResourceProperties("Foo::Bar", obj{"baz": Match.Absent()}) },
				re(`key should be absent`))
		})

		t.Run("absent - no properties", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", nil)))
			inspect.expectToThrow(t, func() { inspect.HasResourceProperties("Foo::Bar", obj{"bar": Match.Absent(), "baz": "qux"}) },
				re(`Missing key`))

			inspect.expectPass(t, func() { inspect.HasResourceProperties("Foo::Bar", Match.Absent()) })
		})

		t.Run("not - with properties", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", obj{"baz": "qux"})))
			inspect.expectPass(t, func() { inspect.HasResourceProperties("Foo::Bar", Match.Not(obj{"baz": "boo"})) })
		})

		t.Run("not - no properties", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources("Foo", res("Foo::Bar", nil)))
			inspect.expectPass(t, func() { inspect.HasResourceProperties("Foo::Bar", Match.Not(obj{"baz": "qux"})) })
		})
	})

	t.Run("getResources", func(t *testing.T) {
		t.Parallel()
		template := resources("Foo", res("Foo::Bar", obj{"baz": "qux", "fred": "waldo"}))

		t.Run("matching resource type", func(t *testing.T) {
			t.Parallel()
			got := newInspect(t, template).FindResources("Foo::Bar", nil)
			want := map[string]map[string]any{"Foo": {"Type": "Foo::Bar", "Properties": obj{"baz": "qux", "fred": "waldo"}}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("FindResources = %v, want %v", got, want)
			}
		})

		t.Run("no matching resource type", func(t *testing.T) {
			t.Parallel()
			if got := newInspect(t, template).FindResources("Foo::Baz", nil); len(got) != 0 {
				t.Errorf("FindResources = %v, want none", got)
			}
		})

		t.Run("matching resource props", func(t *testing.T) {
			t.Parallel()
			if got := newInspect(t, template).FindResources("Foo::Bar", obj{"Properties": obj{"baz": "qux"}}); len(got) != 1 {
				t.Errorf("FindResources = %v, want 1", got)
			}
		})

		t.Run("no matching resource props", func(t *testing.T) {
			t.Parallel()
			if got := newInspect(t, template).FindResources("Foo::Bar", obj{"Properties": obj{"baz": "waldo"}}); len(got) != 0 {
				t.Errorf("FindResources = %v, want none", got)
			}
		})

		t.Run("multiple matching resources", func(t *testing.T) {
			t.Parallel()
			got := newInspect(t, resources("Foo", res("Foo::Bar", nil), "Bar", res("Foo::Bar", nil))).FindResources("Foo::Bar", nil)
			want := map[string]map[string]any{"Foo": {"Type": "Foo::Bar"}, "Bar": {"Type": "Foo::Bar"}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("FindResources = %v, want %v", got, want)
			}
		})
	})

	t.Run("allResources", func(t *testing.T) {
		t.Parallel()
		partialProps := obj{"baz": "qux", "fred": "waldo"}

		t.Run("all resource of type match", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources(
				"Foo", res("Foo::Bar", obj{"baz": "qux", "fred": "waldo", "lorem": "ipsum"}),
				"Foo2", res("Foo::Bar", partialProps),
			))
			inspect.expectPass(t, func() { inspect.AllResources("Foo::Bar", obj{"Properties": partialProps}) })
		})

		twoResources := resources(
			"Foo", res("Foo::Bar", obj{"lorem": "ipsum"}),
			"Foo2", res("Foo::Bar", obj{"baz": "qux"}),
		)

		t.Run("no resources match", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, twoResources)
			inspect.expectToThrow(t, func() { inspect.AllResources("Foo::Bar", obj{"Properties": obj{"fred": "waldo"}}) },
				"Template has 2 resource(s) with type Foo::Bar, but none match as expected.",
				"The following resources do not match the given definition:",
				re(`Foo`),
				re(`Foo2`),
			)
		})

		t.Run("some resources match", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, twoResources)
			inspect.expectToThrow(t, func() { inspect.AllResources("Foo::Bar", obj{"Properties": obj{"lorem": "ipsum"}}) },
				"Template has 2 resource(s) with type Foo::Bar, but only 1 match as expected.",
				"The following resources do not match the given definition:",
				re(`Foo2`),
			)
		})

		t.Run(`using a "not" matcher `, func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources(
				"Foo", res("Foo::Bar", obj{"lorem": "ipsum"}),
				"Foo2", res("Foo::Bar", obj{"baz": "baz"}),
			))
			inspect.expectPass(t, func() { inspect.AllResources("Foo::Bar", Match.Not(obj{"Properties": obj{"baz": "qux"}})) })
		})
	})

	t.Run("allResourcesProperties", func(t *testing.T) {
		t.Parallel()
		partialProps := obj{"baz": "qux", "fred": "waldo"}

		t.Run("all resource of type match", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources(
				"Foo", res("Foo::Bar", obj{"baz": "qux", "fred": "waldo", "lorem": "ipsum"}),
				"Foo2", res("Foo::Bar", partialProps),
			))
			inspect.expectPass(t, func() { inspect.AllResourcesProperties("Foo::Bar", partialProps) })
		})

		t.Run("no resources match", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources(
				"Foo", res("Foo::Bar", obj{"lorem": "ipsum"}),
				"Foo2", res("Foo::Bar", obj{"baz": "qux"}),
				"NotFoo", res("NotFoo::NotBar", obj{"fred": "waldo"}),
			))
			inspect.expectToThrow(t, func() { inspect.AllResourcesProperties("Foo::Bar", obj{"fred": "waldo"}) },
				"Template has 2 resource(s) with type Foo::Bar, but none match as expected.",
				"The following resources do not match the given definition:",
				re(`Foo`),
				re(`Foo2`),
			)
		})

		t.Run("some resources match", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources(
				"Foo", res("Foo::Bar", obj{"lorem": "ipsum"}),
				"Foo2", res("Foo::Bar", obj{"baz": "qux"}),
			))
			inspect.expectToThrow(t, func() { inspect.AllResourcesProperties("Foo::Bar", obj{"lorem": "ipsum"}) },
				"Template has 2 resource(s) with type Foo::Bar, but only 1 match as expected.",
				"The following resources do not match the given definition:",
				re(`Foo2`),
			)
		})

		t.Run(`using a "not" matcher `, func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, resources(
				"Foo", res("Foo::Bar", obj{"lorem": "ipsum"}),
				"Foo2", res("Foo::Bar", obj{"baz": "baz"}),
			))
			inspect.expectPass(t, func() { inspect.AllResourcesProperties("Foo::Bar", Match.Not(obj{"baz": "qux"})) })
		})
	})

	t.Run("hasOutput", func(t *testing.T) {
		t.Parallel()
		t.Run("matching", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, obj{"Outputs": obj{"Foo": obj{"Value": "Bar"}, "Fred": obj{"Value": "Waldo"}}})
			inspect.expectPass(t, func() { inspect.HasOutput("Foo", obj{"Value": "Bar"}) })
		})

		t.Run("not matching", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, obj{"Outputs": obj{
				"Foo":  obj{"Value": "Bar", "Export": obj{"Name": "ExportBar"}},
				"Fred": obj{"Value": "Waldo"},
			}})
			inspect.expectToThrow(t, func() {
				inspect.HasOutput("Foo", obj{"Value": "Bar", "Export": obj{"Name": "ExportBaz"}})
			}, re(`1 outputs named Foo`), re(`Expected "ExportBaz" but received "ExportBar"`))
		})

		t.Run("value not matching with outputName", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, obj{"Outputs": obj{"Foo": obj{"Value": "Bar"}, "Fred": obj{"Value": "Baz"}}})
			inspect.expectToThrow(t, func() { inspect.HasOutput("Fred", obj{"Value": "Bar"}) },
				re(`1 outputs named Fred`), re(`Expected "Bar" but received "Baz"`))
		})

		t.Run("outputName not matching", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, obj{"Outputs": obj{"Foo": obj{"Value": "Bar", "Export": obj{"Name": "ExportBar"}}}})
			inspect.expectToThrow(t, func() {
				inspect.HasOutput("Fred", obj{"Value": "Bar", "Export": obj{"Name": "ExportBar"}})
			}, re(`Template has 0 outputs named Fred.`))
		})
	})

	t.Run("findOutputs", func(t *testing.T) {
		t.Parallel()
		t.Run("matching", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, obj{"Outputs": obj{
				"Foo": obj{"Value": "Fred", "Description": "FooFred"},
				"Bar": obj{"Value": "Fred", "Description": "BarFred"},
				"Baz": obj{"Value": "Waldo", "Description": "BazWaldo"},
			}})
			result := inspect.FindOutputs("*", obj{"Value": "Fred"})
			want := map[string]map[string]any{
				"Foo": {"Value": "Fred", "Description": "FooFred"},
				"Bar": {"Value": "Fred", "Description": "BarFred"},
			}
			if !reflect.DeepEqual(result, want) {
				t.Errorf("FindOutputs = %v, want %v", result, want)
			}
		})

		outputs := obj{"Outputs": obj{"Foo": obj{"Value": "Fred"}, "Baz": obj{"Value": "Waldo"}}}

		t.Run("not matching", func(t *testing.T) {
			t.Parallel()
			if result := newInspect(t, outputs).FindOutputs("*", obj{"Value": "Qux"}); len(result) != 0 {
				t.Errorf("FindOutputs = %v, want none", result)
			}
		})

		t.Run("matching specific output", func(t *testing.T) {
			t.Parallel()
			result := newInspect(t, outputs).FindOutputs("Foo", obj{"Value": "Fred"})
			if want := (map[string]map[string]any{"Foo": {"Value": "Fred"}}); !reflect.DeepEqual(result, want) {
				t.Errorf("FindOutputs = %v, want %v", result, want)
			}
		})

		t.Run("not matching specific output", func(t *testing.T) {
			t.Parallel()
			if result := newInspect(t, outputs).FindOutputs("Foo", obj{"Value": "Waldo"}); len(result) != 0 {
				t.Errorf("FindOutputs = %v, want none", result)
			}
		})
	})

	t.Run("hasMapping", func(t *testing.T) {
		t.Parallel()
		t.Run("matching", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, obj{"Mappings": obj{
				"Foo":  obj{"Foo": obj{"Bar": "Lightning", "Fred": "Waldo"}, "Baz": obj{"Bar": "Qux"}},
				"Fred": obj{"Foo": obj{"Bar": "Lightning"}},
			}})
			inspect.expectPass(t, func() { inspect.HasMapping("*", obj{"Foo": obj{"Bar": "Lightning"}}) })
			inspect.expectPass(t, func() { inspect.HasMapping("Foo", obj{"Baz": obj{"Bar": "Qux"}}) })
		})

		t.Run("not matching", func(t *testing.T) {
			t.Parallel()
			inspect := newInspect(t, obj{"Mappings": obj{
				"Foo":  obj{"Foo": obj{"Bar": "Fred", "Baz": "Waldo"}, "Qux": obj{"Bar": "Fred"}},
				"Fred": obj{"Foo": obj{"Baz": "Baz"}},
			}})
			inspect.expectToThrow(t, func() { inspect.HasMapping("*", obj{"Foo": obj{"Bar": "Qux"}}) },
				re(`2 mappings`), re(`Expected "Qux" but received "Fred"`))
			inspect.expectToThrow(t, func() { inspect.HasMapping("Fred", obj{"Foo": obj{"Baz": "Fred"}}) },
				re(`1 mappings`), re(`Expected "Fred" but received "Baz"`))
		})
	})

	t.Run("findParameters and hasParameter", func(t *testing.T) {
		t.Parallel()
		// BootstrapVersion is the parameter the default synthesizer adds.
		inspect := newInspect(t, obj{"Parameters": obj{
			"p1":               obj{"Type": "String", "Description": "string parameter"},
			"p2":               obj{"Type": "Number", "Description": "number parameter"},
			"BootstrapVersion": obj{"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/hnb659fds/version"},
		}})
		p1 := map[string]map[string]any{"p1": {"Description": "string parameter", "Type": "String"}}

		if got := inspect.FindParameters("*", obj{"Type": "String"}); !reflect.DeepEqual(got, p1) {
			t.Errorf("FindParameters(*) = %v, want %v", got, p1)
		}
		if got := inspect.FindParameters("*", obj{"Type": "CommaDelimitedList"}); len(got) != 0 {
			t.Errorf("FindParameters(*) = %v, want none", got)
		}
		if got := inspect.FindParameters("p1", obj{"Type": "String"}); !reflect.DeepEqual(got, p1) {
			t.Errorf("FindParameters(p1) = %v, want %v", got, p1)
		}
		if got := inspect.FindParameters("p3", obj{"Type": "String"}); len(got) != 0 {
			t.Errorf("FindParameters(p3) = %v, want none", got)
		}
		inspect.expectToThrow(t, func() { inspect.HasParameter("*", obj{"Type": "CommaDelimitedList"}) },
			re(`3 parameters`), re(`Expected "CommaDelimitedList" but received "String"`))
		inspect.expectToThrow(t, func() { inspect.HasParameter("p2", obj{"Type": "CommaDelimitedList"}) },
			re(`1 parameter`), re(`Expected "CommaDelimitedList" but received "Number"`))
	})

	t.Run("findMappings", func(t *testing.T) {
		t.Parallel()
		inspect := newInspect(t, obj{"Mappings": obj{
			"Foo":  obj{"Foo": obj{"Bar": "Lightning", "Fred": "Waldo"}, "Baz": obj{"Bar": "Qux"}},
			"Fred": obj{"Foo": obj{"Bar": "Lightning"}},
		}})
		want := map[string]map[string]any{
			"Foo":  {"Foo": obj{"Bar": "Lightning", "Fred": "Waldo"}, "Baz": obj{"Bar": "Qux"}},
			"Fred": {"Foo": obj{"Bar": "Lightning"}},
		}
		if got := inspect.FindMappings("*", obj{"Foo": obj{"Bar": "Lightning"}}); !reflect.DeepEqual(got, want) {
			t.Errorf("FindMappings(*) = %v, want %v", got, want)
		}
		if got := inspect.FindMappings("*", obj{"Foo": obj{"Bar": "Waldo"}}); len(got) != 0 {
			t.Errorf("FindMappings(*) = %v, want none", got)
		}
		if got := inspect.FindMappings("Foo", obj{"Foo": obj{"Bar": "Lightning"}}); len(got) != 1 || got["Foo"] == nil {
			t.Errorf("FindMappings(Foo) = %v, want Foo", got)
		}
		if got := inspect.FindMappings("Fred", obj{"Baz": obj{"Bar": "Qux"}}); len(got) != 0 {
			t.Errorf("FindMappings(Fred) = %v, want none", got)
		}
	})

	t.Run("hasCondition and findConditions", func(t *testing.T) {
		t.Parallel()
		inspect := newInspect(t, obj{"Conditions": obj{
			"Foo": obj{"Fn::Equals": arr{"Bar", "Baz"}},
			"Qux": obj{"Fn::Not": arr{obj{"Fn::Equals": arr{"Quux", "Quuz"}}}},
		}})
		inspect.expectPass(t, func() { inspect.HasCondition("*", obj{"Fn::Equals": arr{"Bar", "Baz"}}) })
		inspect.expectPass(t, func() { inspect.HasCondition("Foo", obj{"Fn::Equals": arr{"Bar", "Baz"}}) })
		inspect.expectToThrow(t, func() { inspect.HasCondition("*", obj{"Fn::Equals": arr{"Baz", "Bar"}}) },
			re(`2 conditions`), re(`Missing key`))
		inspect.expectToThrow(t, func() { inspect.HasCondition("Foo", obj{"Fn::Equals": arr{"Baz", "Bar"}}) },
			re(`1 conditions`), re(`Expected "Baz" but received "Bar"`))

		if got, want := inspect.FindConditions("Foo", nil), (map[string]map[string]any{"Foo": {"Fn::Equals": arr{"Bar", "Baz"}}}); !reflect.DeepEqual(got, want) {
			t.Errorf("FindConditions(Foo) = %v, want %v", got, want)
		}
		if got := inspect.FindConditions("Qux", nil); len(got) != 1 || got["Qux"]["Fn::Not"] == nil {
			t.Errorf("FindConditions(Qux) = %v", got)
		}
		if got := inspect.FindConditions("Foo", obj{"Fn::Equals": arr{"Bar", "Qux"}}); len(got) != 0 {
			t.Errorf("FindConditions(Foo) = %v, want none", got)
		}
	})

	t.Run("cyclic dependencies", func(t *testing.T) {
		t.Parallel()
		simple := resources(
			"Res1", obj{"Type": "Foo", "Properties": obj{"Thing": obj{"Ref": "Res2"}}},
			"Res2", obj{"Type": "Foo", "DependsOn": arr{"Res1"}},
		)
		complex := resources(
			"Res1", obj{"Type": "Foo", "Properties": obj{"Thing": obj{"Ref": "Res2"}}},
			"Res2", obj{"Type": "Foo", "DependsOn": arr{"Res3"}},
			"Res3", obj{"Type": "Foo", "DependsOn": arr{"Res2"}},
		)
		cases := []struct {
			name     string
			template map[string]any
			opts     assertions.TemplateParsingOptions
			want     []string
		}{
			{"throws when given a template with cyclic dependencies", simple, assertions.TemplateParsingOptions{}, []string{"dependency cycle"}},
			{"throws when given a more complex template with cyclic dependencies", complex, assertions.TemplateParsingOptions{}, []string{"dependency cycle: Res2 -> Res3 -> Res2"}},
			{"does not throw when given a template with cyclic dependencies if check is skipped", simple, assertions.TemplateParsingOptions{SkipCyclicalDependenciesCheck: true}, nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				rec := &recorder{}
				assertions.FromJSON(rec, tc.template, tc.opts)
				checkReport(t, rec, tc.want)
			})
		}
	})
}

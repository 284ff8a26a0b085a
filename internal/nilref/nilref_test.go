package nilref_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/internal/nilref"
)

type thing interface{ Name() string }

type impl struct{ n string }

func (i *impl) Name() string { return i.n }

type Embedded struct {
	Inner thing
}

type props struct {
	Embedded
	One  thing
	Many []thing
	Ptr  *impl
	Str  string
	//lint:ignore U1000 unexported on purpose: Clear must leave it alone
	private   thing
	Untouched []string
}

func TestClear(t *testing.T) {
	t.Parallel()
	var nilImpl *impl
	good := &impl{"a"}
	tests := []struct {
		name  string
		props props
		want  []string
		after props
	}{
		{"nothing to clear", props{One: good, Many: []thing{good}}, nil, props{One: good, Many: []thing{good}}},
		{"unset fields are fine", props{}, nil, props{}},
		{"fails on a typed nil field", props{One: nilImpl}, []string{"P.One is a nil *nilref_test.impl"}, props{}},
		{"fails on a typed nil in an embedded struct", props{Embedded: Embedded{Inner: nilImpl}}, []string{"P.Inner is a nil *nilref_test.impl"}, props{}},
		{"fails on nil slice elements", props{Many: []thing{good, nil, nilImpl}},
			[]string{"P.Many[1] is nil", "P.Many[2] is a nil *nilref_test.impl"}, props{Many: []thing{good}}},
		{"a nil struct pointer is an unset option", props{Ptr: nilImpl}, nil, props{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			orig := append([]thing(nil), tc.props.Many...)
			p := tc.props
			got := nilref.Clear(&p, "P")
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			if fmt.Sprint(p) != fmt.Sprint(tc.after) {
				t.Errorf("after Clear: %v, want %v", p, tc.after)
			}
			if fmt.Sprint(orig) != fmt.Sprint(tc.props.Many) {
				t.Error("Clear changed the caller's slice")
			}
		})
	}
}

package apply_test

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eksforge/eksforge/handlers/kubectl/apply"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     []string // Describe of each object
		wantErr  string
	}{
		{"a JSON array", `[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"n"}},{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"b"}}]`,
			[]string{"v1 ConfigMap n/a", "apps/v1 Deployment b"}, ""},
		{"one JSON object", `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}`, []string{"v1 Namespace x"}, ""},
		{"YAML documents", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n\n--- \napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n", []string{"v1 ConfigMap a", "v1 Secret s"}, ""},
		{"a List's items", `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}]}`, []string{"v1 ConfigMap a"}, ""},
		{"empty", "  ", nil, ""},
		{"fails without kind", `[{"apiVersion":"v1","metadata":{"name":"a"}}]`, nil, "object 1 (\"a\") has no apiVersion or kind"},
		{"fails without name", `[{"apiVersion":"v1","kind":"ConfigMap"}]`, nil, "object 1 (ConfigMap) has no metadata.name"},
		{"fails on bad JSON", `[{`, nil, "not a JSON array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			objs, err := apply.Parse([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range objs {
				got = append(got, apply.Describe(o))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTransient(t *testing.T) {
	t.Parallel()
	gr := schema.GroupResource{Resource: "configmaps"}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", fmt.Errorf("dial: %w", syscall.ECONNREFUSED), true},
		{"too many requests", apierrors.NewTooManyRequests("slow down", 1), true},
		{"service unavailable", apierrors.NewServiceUnavailable("restarting"), true},
		{"conflict is not", apierrors.NewConflict(gr, "a", errors.New("x")), false},
		{"not found is not", apierrors.NewNotFound(gr, "a"), false},
		{"internal error is not (strict validation failures come as 500)", apierrors.NewInternalError(errors.New("field not declared in schema")), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		if got := apply.Transient(tt.err); got != tt.want {
			t.Errorf("%s: Transient = %v, want %v", tt.name, got, tt.want)
		}
	}
}

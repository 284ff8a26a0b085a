package cfndiff

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/")

// TestWriteKubernetesGolden renders the diff of two templates of an app
// with a manifest (an object changed, one added, one removed, a late-bound
// role ARN inside), a Helm chart whose values change, a patch, a renamed
// cluster and the node group and Kubernetes resources it takes along, and
// an ARN built with Fn::Join. Run with -update to rewrite the golden file.
func TestWriteKubernetesGolden(t *testing.T) {
	t.Parallel()
	read := func(name string) map[string]any {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return tmpl(t, string(b))
	}
	var b strings.Builder
	if err := Compare(read("shop.old.template.json"), read("shop.new.template.json")).Write(&b); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "shop.diff.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("diff output (-golden +got), rerun with -update if intended:\n%s", diff)
	}
}

func TestLineDiff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b string
		want []string
	}{
		{"one line changes in the middle", "a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nX\ne\nf\ng\n", []string{"  b", "  c", "- d", "+ X", "  e", "  f"}},
		{"far apart changes are separated", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "0\n2\n3\n4\n5\n6\n7\n8\n10\n", []string{"- 1", "+ 0", "  2", "  3", "...", "  7", "  8", "- 9", "+ 10"}},
		{"lines added at the end", "a\n", "a\nb\n", []string{"  a", "+ b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, LineDiff(tc.a, tc.b)); diff != "" {
				t.Errorf("lineDiff (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderWritesJoinsAsStrings(t *testing.T) {
	t.Parallel()
	v := map[string]any{"Arn": map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::", map[string]any{"Ref": "AWS::AccountId"}, ":role/", map[string]any{"Fn::GetAtt": []any{"Role", "RoleName"}}}}}}
	if got, want := render(v), `{"Arn":"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Role.RoleName}"}`; got != want {
		t.Errorf("render = %s, want %s", got, want)
	}
	// A join of something else than strings and references stays as it is.
	odd := map[string]any{"Fn::Join": []any{",", map[string]any{"Fn::Split": []any{",", "a,b"}}}}
	if got, want := render(odd), `{"Fn::Join":[",",{"Fn::Split":[",","a,b"]}]}`; got != want {
		t.Errorf("render = %s, want %s", got, want)
	}
}

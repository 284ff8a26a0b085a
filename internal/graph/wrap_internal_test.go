package graph

import (
	"strings"
	"testing"
)

func TestWrapPathCutsAtSegments(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		path  string
		width int
		want  string
	}{
		{"Cluster", 10, "Cluster"},
		{"Cluster/Nodegroup", 40, "Cluster/Nodegroup"},
		{"Cluster/NodegroupDefaultCapacity/NodeGroupRole", 28, "Cluster/|NodegroupDefaultCapacity/|NodeGroupRole"},
		{"a/b/c/d/e", 4, "a/b/|c/d/|e"},
		// a segment longer than the width is kept whole, on a line of its own
		{"Stack/AVeryLongConstructIdentifierIndeed/x", 10, "Stack/|AVeryLongConstructIdentifierIndeed/|x"},
		{"ClusterKubectlProviderHandlerServiceRoleDefaultPolicyABCDEF12", 20, "ClusterKubectlProviderHandlerServiceRoleDefaultPolicyABCDEF12"},
	} {
		got := strings.Join(wrapPath(c.path, c.width), "|")
		if got != c.want {
			t.Errorf("wrapPath(%q, %d) = %q, want %q", c.path, c.width, got, c.want)
		}
		for _, l := range wrapPath(c.path, c.width) {
			if l == "" {
				t.Errorf("wrapPath(%q, %d) has an empty line", c.path, c.width)
			}
		}
	}
}

package eks_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/eks"
)

// The trailing options argument is optional and taken at most once: no
// placeholder in the common call, and two values are a wrong call site
// reported with the construct path and the options type.
func TestTrailingOptionsArgument(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	if ng := c.AddNodegroupCapacity("Extra"); ng == nil {
		t.Fatal("AddNodegroupCapacity without options returned nil")
	}
	if sa := c.AddServiceAccount("Sa"); sa.ServiceAccountName() == "" {
		t.Error("AddServiceAccount without options has no name")
	}
	defer func() {
		got := fmt.Sprint(recover())
		for _, want := range []string{"Stack/Cluster: AddServiceAccount", "pass at most one eks.ServiceAccountOptions, got 2"} {
			if !strings.Contains(got, want) {
				t.Errorf("panic %q lacks %q", got, want)
			}
		}
	}()
	c.AddServiceAccount("Twice", eks.ServiceAccountOptions{}, eks.ServiceAccountOptions{Name: "x"})
}

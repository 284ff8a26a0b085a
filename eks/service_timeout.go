package eks

import (
	"math"
	"strconv"
)

// How long CloudFormation waits for a Kubernetes resource's answer.
const (
	// serviceTimeoutMargin is how much longer than a resource's own total
	// time CloudFormation waits for its answer (ServiceTimeout): long
	// enough for a handler that answers at its deadline, short enough that
	// a handler that died (out of memory, a runtime fatal error) costs a
	// minute more than its timeout instead of CloudFormation's default hour.
	serviceTimeoutMargin = 60
	// maxServiceTimeoutSeconds is CloudFormation's limit on a custom
	// resource's ServiceTimeout (and its default): one hour.
	maxServiceTimeoutSeconds = 3600
)

// serviceTimeout is the ServiceTimeout of a kubectl resource whose
// operation may take total seconds (0: one invocation of the cluster's
// handler), in seconds as a string, as CloudFormation reads it.
func serviceTimeout(c ICluster, total float64) string {
	if total <= 0 {
		total = handlerTimeoutSeconds(c)
	}
	return strconv.Itoa(min(int(math.Ceil(total))+serviceTimeoutMargin, maxServiceTimeoutSeconds))
}

package karpenter

import (
	"fmt"
	"strconv"
	"strings"
)

// version is a Karpenter release, MAJOR.MINOR.PATCH.
type version struct{ major, minor, patch int }

func (v version) String() string { return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch) }

func (v version) less(o version) bool {
	if v.major != o.major {
		return v.major < o.major
	}
	if v.minor != o.minor {
		return v.minor < o.minor
	}
	return v.patch < o.patch
}

var (
	// oldestSupported is the oldest release whose controller policy this
	// package writes (the six policies of the 1.12 documentation).
	oldestSupported = version{1, 12, 0}
	// newestKnown is the newest minor release whose documented policy was
	// compared with controllerPolicies.
	newestKnown = version{1, 14, 0}
)

// parseVersion reads an exact release ("1.14.1"), as the chart's version
// must be pinned; prerelease suffixes ("1.14.0-rc.1") are accepted.
func parseVersion(s string) (version, error) {
	core := s
	if i := strings.IndexAny(core, "-+"); i >= 0 {
		core = core[:i]
	}
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return version{}, fmt.Errorf("karpenter.Props.Version %q is not an exact release MAJOR.MINOR.PATCH (such as \"1.14.1\"): pin the chart version Karpenter publishes, without a \"v\" or a range", s)
	}
	var n [3]int
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil || x < 0 || (len(p) > 1 && p[0] == '0') {
			return version{}, fmt.Errorf("karpenter.Props.Version %q is not an exact release MAJOR.MINOR.PATCH (such as \"1.14.1\"): pin the chart version Karpenter publishes, without a \"v\" or a range", s)
		}
		n[i] = x
	}
	v := version{n[0], n[1], n[2]}
	if v.less(oldestSupported) {
		return v, fmt.Errorf("karpenter.Props.Version %q is older than %s, the oldest release whose controller IAM policy and v1 APIs this construct writes: pin %s or later", s, oldestSupported, oldestSupported)
	}
	return v, nil
}

package eks

import (
	"regexp"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/cdk"
)

var accountIDPattern = regexp.MustCompile(`^\d{12}$`)

// checkMapping records the mapping of a principal and reports whether it
// is new: a repeat of the same mapping is dropped silently, a different
// mapping of the same principal is an error, and so is an empty group.
func (a *AwsAuth) checkMapping(kind string, principal cdk.Construct, arn, user string, groups []string) bool {
	for i, g := range groups {
		if strings.TrimSpace(g) == "" {
			a.Node().AddError("the %s mapping of %s has an empty group (Groups[%d]): name a Kubernetes group, or remove it", kind, principal.Node().Path(), i)
			return false
		}
	}
	sorted := append([]string(nil), groups...)
	sort.Strings(sorted)
	name := arn
	if cdk.IsUnresolved(arn) {
		name = principal.Node().Path()
	}
	shownUser := user
	if user == arn {
		shownUser = "the ARN"
	}
	desc := "username " + shownUser + ", groups [" + strings.Join(sorted, " ") + "]"
	key := kind + "|" + arn
	if prev, ok := a.seen[key]; ok {
		if prev != desc {
			a.Node().AddError("the %s %s is mapped twice differently (%s; then %s): aws-auth would hold two conflicting entries; map it once, with every group it needs", kind, name, prev, desc)
		}
		return false
	}
	a.seen[key] = desc
	return true
}

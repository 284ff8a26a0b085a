package eks

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/cdk"
)

var (
	labelNamePattern  = regexp.MustCompile(`^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$`)
	dnsSubdomainLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
)

// validateLabelKey checks a Kubernetes qualified name: an optional DNS
// subdomain prefix and "/", then a name of at most 63 characters.
func validateLabelKey(k string) string {
	if cdk.IsUnresolved(k) {
		return ""
	}
	name := k
	if i := strings.LastIndex(k, "/"); i >= 0 {
		prefix := k[:i]
		name = k[i+1:]
		if prefix == "" || len(prefix) > 253 {
			return fmt.Sprintf("key %q has an invalid prefix: a DNS subdomain of at most 253 characters before the \"/\"", k)
		}
		for _, part := range strings.Split(prefix, ".") {
			if !dnsSubdomainLabel.MatchString(part) {
				return fmt.Sprintf("key %q has an invalid prefix %q: lower-case letters, digits, '-' and '.'", k, prefix)
			}
		}
	}
	if name == "" || len(name) > 63 || !labelNamePattern.MatchString(name) {
		return fmt.Sprintf("key %q is not a valid Kubernetes label key: the name part must be 1-63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit, with an optional DNS-subdomain prefix and '/'", k)
	}
	return ""
}

// validateLabelValue checks a Kubernetes label value.
func validateLabelValue(k, v string) string {
	if cdk.IsUnresolved(v) || v == "" {
		return ""
	}
	if len(v) > 63 || !labelNamePattern.MatchString(v) {
		return fmt.Sprintf("value %q of %q is not a valid Kubernetes label value: at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit", v, k)
	}
	return ""
}

func validateLabels(labels map[string]string) []string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var errs []string
	for _, k := range keys {
		if e := validateLabelKey(k); e != "" {
			errs = append(errs, e)
		}
		if e := validateLabelValue(k, labels[k]); e != "" {
			errs = append(errs, e)
		}
	}
	return errs
}

func validateTaint(t TaintSpec) []string {
	var errs []string
	if t.Key == "" {
		errs = append(errs, "a taint needs a Key")
	} else if e := validateLabelKey(t.Key); e != "" {
		errs = append(errs, e)
	}
	if e := validateLabelValue(t.Key, t.Value); e != "" {
		errs = append(errs, e)
	}
	switch t.Effect {
	case TaintEffectNoSchedule, TaintEffectPreferNoSchedule, TaintEffectNoExecute:
	default:
		errs = append(errs, fmt.Sprintf("effect %q of taint %q is not one of NO_SCHEDULE, PREFER_NO_SCHEDULE, NO_EXECUTE: use eks.TaintEffectNoSchedule, eks.TaintEffectPreferNoSchedule or eks.TaintEffectNoExecute", t.Effect, t.Key))
	}
	return errs
}

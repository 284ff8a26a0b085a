package eks

import (
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/eksforge/eksforge/cdk"
)

// validateLabelKey checks a Kubernetes qualified name (a label, annotation
// or taint key): an optional DNS subdomain prefix and "/", then a name of
// at most 63 characters. It uses apimachinery's own check, so the rules are
// the API server's.
func validateLabelKey(k string) string {
	if cdk.IsUnresolved(k) {
		return ""
	}
	errs := validation.IsQualifiedName(k)
	if len(errs) == 0 {
		return ""
	}
	if i := strings.LastIndex(k, "/"); i >= 0 {
		if prefix := k[:i]; prefix == "" || len(validation.IsDNS1123Subdomain(prefix)) > 0 {
			return fmt.Sprintf("key %q has an invalid prefix %q: a DNS subdomain (lower-case letters, digits, '-' and '.', at most 253 characters) before the \"/\"", k, prefix)
		}
	}
	return fmt.Sprintf("key %q is not a valid Kubernetes label key: the name part must be 1-63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit, with an optional DNS-subdomain prefix and '/' (%s)", k, strings.Join(errs, "; "))
}

// validateLabelValue checks a Kubernetes label value.
func validateLabelValue(k, v string) string {
	if cdk.IsUnresolved(v) || v == "" {
		return ""
	}
	if len(validation.IsValidLabelValue(v)) > 0 {
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

// validateDNSLabel checks a name that must be a DNS-1123 label (a
// namespace, a Service's name): at most 63 lower-case letters, digits and
// '-', starting and ending with a letter or digit.
func validateDNSLabel(what, v string) string {
	if cdk.IsUnresolved(v) {
		return ""
	}
	if len(validation.IsDNS1123Label(v)) > 0 {
		return fmt.Sprintf("%s %q is not a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit", what, v)
	}
	return ""
}

// validateDNSSubdomain checks a name that must be a DNS-1123 subdomain
// (most object names): at most 253 lower-case letters, digits, '-' and
// '.', starting and ending with a letter or digit.
func validateDNSSubdomain(what, v string) string {
	if cdk.IsUnresolved(v) {
		return ""
	}
	if len(validation.IsDNS1123Subdomain(v)) > 0 {
		return fmt.Sprintf("%s %q is not a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit", what, v)
	}
	return ""
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

// labelsKey is a canonical string of a label map, for finding duplicates.
func labelsKey(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + labels[k] + ",")
	}
	return b.String()
}

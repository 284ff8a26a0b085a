package karpenter

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/eksforge/eksforge/cdk"
)

// The checks below catch at synthesis what Karpenter's CRD schemas would
// reject at deploy time (after a long wait for the cluster), each message
// naming the field, the value received and what is allowed.

var (
	operators = map[corev1.NodeSelectorOperator]bool{
		corev1.NodeSelectorOpIn: true, corev1.NodeSelectorOpNotIn: true, corev1.NodeSelectorOpExists: true,
		corev1.NodeSelectorOpDoesNotExist: true, corev1.NodeSelectorOpGt: true, corev1.NodeSelectorOpLt: true,
		"Gte": true, "Lte": true,
	}
	capacityTypes = map[string]bool{CapacityTypeOnDemand: true, CapacityTypeSpot: true, CapacityTypeReserved: true}
	taintEffects  = map[corev1.TaintEffect]bool{
		corev1.TaintEffectNoSchedule: true, corev1.TaintEffectPreferNoSchedule: true, corev1.TaintEffectNoExecute: true,
	}
	consolidationPolicies = map[ConsolidationPolicy]bool{
		ConsolidationPolicyWhenEmpty: true, ConsolidationPolicyWhenEmptyOrUnderutilized: true, ConsolidationPolicyBalanced: true,
	}
	durationRe      = regexp.MustCompile(`^([0-9]+(s|m|h))+$`)
	budgetNodes     = regexp.MustCompile(`^((100|[0-9]{1,2})%|[0-9]+)$`)
	budgetDuration  = regexp.MustCompile(`^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$`)
	budgetReasons   = map[string]bool{"Underutilized": true, "Empty": true, "Drifted": true}
	amiAliasFamily  = map[string]bool{"al2": true, "al2023": true, "bottlerocket": true, "windows2019": true, "windows2022": true, "windows2025": true}
	restrictedTags  = []string{"eks:eks-cluster-name", "kubernetes.io/cluster/", "karpenter.sh/nodepool", "karpenter.sh/nodeclaim", "karpenter.k8s.aws/ec2nodeclass"}
	dnsSubdomainRe  = regexp.MustCompile(`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`)
	knownVolumeType = map[string]bool{"standard": true, "io1": true, "io2": true, "gp2": true, "sc1": true, "st1": true, "gp3": true}
)

func literal(s string) bool { return !cdk.IsUnresolved(s) }

func checkName(kind, name string) []string {
	if literal(name) && (len(name) > 253 || !dnsSubdomainRe.MatchString(name)) {
		return []string{fmt.Sprintf("%s name %q is not a DNS subdomain name (lower-case letters, digits, '-' and '.', at most 253)", kind, name)}
	}
	return nil
}

// checkDuration accepts whole units of hours, minutes and seconds
// ("720h", "1m30s", Karpenter's pattern) or, when never is set, "Never".
func checkDuration(field, v string, never bool) []string {
	if v == "" || !literal(v) || (never && v == "Never") || durationRe.MatchString(v) {
		return nil
	}
	allowed := `hours, minutes and seconds such as "720h" or "1m30s"`
	if never {
		allowed += ` or "Never"`
	}
	return []string{fmt.Sprintf("%s is %q: use %s", field, v, allowed)}
}

// validateNodePool checks a NodePool's spec with defaults applied.
func validateNodePool(name string, s NodePoolSpec) []string {
	errs := checkName("NodePool", name)
	for res, q := range s.Limits {
		if q.Sign() < 0 {
			errs = append(errs, fmt.Sprintf("spec.limits.%s is %s: limits cannot be negative; use a positive quantity, or leave the resource out for no limit", res, q.String()))
		}
	}
	if s.Weight != nil && (*s.Weight < 0 || *s.Weight > 100) {
		errs = append(errs, fmt.Sprintf("spec.weight is %d: use 0 to 100", *s.Weight))
	}
	t := s.Template.Spec
	if len(t.Requirements) == 0 {
		errs = append(errs, "spec.template.spec.requirements is empty: give at least one requirement (for example karpenter.sh/capacity-type In on-demand), or leave it nil for the defaults")
	}
	for i, r := range t.Requirements {
		errs = append(errs, checkRequirement(fmt.Sprintf("spec.template.spec.requirements[%d]", i), r)...)
	}
	errs = append(errs, checkTaints("spec.template.spec.taints", t.Taints)...)
	errs = append(errs, checkTaints("spec.template.spec.startupTaints", t.StartupTaints)...)
	if t.NodeClassRef.Name == "" {
		errs = append(errs, "spec.template.spec.nodeClassRef.name is empty: name an EC2NodeClass, or leave NodeClassRef nil for the Karpenter construct's first one")
	}
	errs = append(errs, checkDuration("spec.template.spec.expireAfter", t.ExpireAfter, true)...)
	errs = append(errs, checkDuration("spec.template.spec.terminationGracePeriod", t.TerminationGracePeriod, false)...)
	for k, v := range s.Template.Metadata.Labels {
		errs = append(errs, checkLabel("spec.template.metadata.labels", k, v)...)
	}
	d := s.Disruption
	if !consolidationPolicies[d.ConsolidationPolicy] {
		errs = append(errs, fmt.Sprintf("spec.disruption.consolidationPolicy is %q: use WhenEmpty, WhenEmptyOrUnderutilized or Balanced", d.ConsolidationPolicy))
	}
	errs = append(errs, checkDuration("spec.disruption.consolidateAfter", d.ConsolidateAfter, true)...)
	for i, b := range d.Budgets {
		f := fmt.Sprintf("spec.disruption.budgets[%d]", i)
		if !budgetNodes.MatchString(b.Nodes) {
			errs = append(errs, fmt.Sprintf("%s.nodes is %q: use a count (\"5\") or a percentage (\"20%%\")", f, b.Nodes))
		}
		if (b.Schedule == "") != (b.Duration == "") {
			errs = append(errs, fmt.Sprintf("%s: set schedule and duration together (schedule %q, duration %q)", f, b.Schedule, b.Duration))
		}
		if b.Duration != "" && !budgetDuration.MatchString(b.Duration) {
			errs = append(errs, fmt.Sprintf("%s.duration is %q: use hours and minutes such as \"10m\" or \"1h30m\"", f, b.Duration))
		}
		for _, r := range b.Reasons {
			if !budgetReasons[r] {
				errs = append(errs, fmt.Sprintf("%s.reasons has %q: use Underutilized, Empty or Drifted", f, r))
			}
		}
	}
	return errs
}

func checkRequirement(f string, r NodeSelectorRequirementWithMinValues) []string {
	var errs []string
	if r.Key == "" {
		errs = append(errs, f+".key is empty: name a node label such as karpenter.sh/capacity-type")
	} else if literal(r.Key) {
		for _, m := range validation.IsQualifiedName(r.Key) {
			errs = append(errs, fmt.Sprintf("%s.key %q is not a label key: %s", f, r.Key, m))
		}
	}
	if !operators[r.Operator] {
		errs = append(errs, fmt.Sprintf("%s.operator is %q: use In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte or Lte", f, r.Operator))
	}
	switch r.Operator {
	case corev1.NodeSelectorOpIn:
		if len(r.Values) == 0 {
			errs = append(errs, fmt.Sprintf("%s: operator In needs at least one value for %s", f, r.Key))
		}
	case corev1.NodeSelectorOpGt, corev1.NodeSelectorOpLt, "Gte", "Lte":
		ok := len(r.Values) == 1
		if ok && literal(r.Values[0]) {
			n, err := strconv.Atoi(r.Values[0])
			ok = err == nil && n >= 0
		}
		if !ok {
			errs = append(errs, fmt.Sprintf("%s: operator %s needs exactly one non-negative integer value, got %q", f, r.Operator, r.Values))
		}
	case corev1.NodeSelectorOpExists, corev1.NodeSelectorOpDoesNotExist:
		if len(r.Values) > 0 {
			errs = append(errs, fmt.Sprintf("%s: operator %s takes no values, got %q", f, r.Operator, r.Values))
		}
	}
	if r.Key == LabelCapacityType {
		for _, v := range r.Values {
			if literal(v) && !capacityTypes[v] {
				errs = append(errs, fmt.Sprintf("%s: capacity type %q is unknown: use %q, %q or %q", f, v, CapacityTypeOnDemand, CapacityTypeSpot, CapacityTypeReserved))
			}
		}
	}
	if r.MinValues != nil && (*r.MinValues < 1 || *r.MinValues > 50) {
		errs = append(errs, fmt.Sprintf("%s.minValues is %d: use 1 to 50", f, *r.MinValues))
	}
	return errs
}

func checkTaints(f string, taints []corev1.Taint) []string {
	var errs []string
	for i, t := range taints {
		p := fmt.Sprintf("%s[%d]", f, i)
		if t.Key == "" {
			errs = append(errs, p+".key is empty: a taint needs a key")
		} else if literal(t.Key) {
			for _, m := range validation.IsQualifiedName(t.Key) {
				errs = append(errs, fmt.Sprintf("%s.key %q is not a valid taint key: %s", p, t.Key, m))
			}
		}
		if t.Value != "" && literal(t.Value) {
			for _, m := range validation.IsValidLabelValue(t.Value) {
				errs = append(errs, fmt.Sprintf("%s.value %q is not a valid taint value: %s", p, t.Value, m))
			}
		}
		if !taintEffects[t.Effect] {
			errs = append(errs, fmt.Sprintf("%s.effect is %q: use NoSchedule, PreferNoSchedule or NoExecute", p, t.Effect))
		}
	}
	return errs
}

func checkLabel(f, k, v string) []string {
	var errs []string
	for _, m := range validation.IsQualifiedName(k) {
		errs = append(errs, fmt.Sprintf("%s key %q: %s", f, k, m))
	}
	if literal(v) {
		for _, m := range validation.IsValidLabelValue(v) {
			errs = append(errs, fmt.Sprintf("%s[%q] value %q: %s", f, k, v, m))
		}
	}
	return errs
}

func checkTags(f string, tags map[string]string) []string {
	var errs []string
	for k, v := range tags {
		if k == "" || (v == "") {
			errs = append(errs, fmt.Sprintf("%s has an empty key or value (%q: %q): selectors match on non-empty tags; use \"*\" to match any value", f, k, v))
		}
	}
	return errs
}

// validateEC2NodeClass checks an EC2NodeClass's spec with defaults
// applied.
func validateEC2NodeClass(name string, s EC2NodeClassSpec) []string {
	errs := checkName("EC2NodeClass", name)
	if len(s.SubnetSelectorTerms) == 0 {
		errs = append(errs, "spec.subnetSelectorTerms is empty: select the nodes' subnets by tags or ID (leave it nil for the karpenter.sh/discovery tag)")
	}
	for i, t := range s.SubnetSelectorTerms {
		f := fmt.Sprintf("spec.subnetSelectorTerms[%d]", i)
		switch {
		case t.ID == "" && len(t.Tags) == 0:
			errs = append(errs, f+" selects nothing: set Tags or ID")
		case t.ID != "" && len(t.Tags) > 0:
			errs = append(errs, f+" sets both ID and Tags: ID is exclusive, use two terms")
		}
		errs = append(errs, checkTags(f+".tags", t.Tags)...)
	}
	if len(s.SecurityGroupSelectorTerms) == 0 {
		errs = append(errs, "spec.securityGroupSelectorTerms is empty: select the nodes' security groups by tags, ID or name (leave it nil for the cluster security group)")
	}
	for i, t := range s.SecurityGroupSelectorTerms {
		f := fmt.Sprintf("spec.securityGroupSelectorTerms[%d]", i)
		set := 0
		for _, b := range []bool{t.ID != "", t.Name != "", len(t.Tags) > 0} {
			if b {
				set++
			}
		}
		switch {
		case set == 0:
			errs = append(errs, f+" selects nothing: set Tags, ID or Name")
		case set > 1 && (t.ID != "" || t.Name != ""):
			errs = append(errs, f+" combines ID or Name with other fields: they are exclusive, use separate terms")
		}
		errs = append(errs, checkTags(f+".tags", t.Tags)...)
	}
	if len(s.AMISelectorTerms) == 0 {
		errs = append(errs, "spec.amiSelectorTerms is empty: select AMIs (leave it nil for the alias al2023@latest)")
	}
	alias := false
	for i, t := range s.AMISelectorTerms {
		f := fmt.Sprintf("spec.amiSelectorTerms[%d]", i)
		if t.Alias == "" && t.ID == "" && t.Name == "" && t.SSMParameter == "" && len(t.Tags) == 0 {
			errs = append(errs, f+" selects nothing: set Alias, Tags, ID, Name or SSMParameter")
		}
		if t.Alias != "" {
			alias = true
			if len(s.AMISelectorTerms) > 1 || t.ID != "" || t.Name != "" || t.Owner != "" || t.SSMParameter != "" || len(t.Tags) > 0 {
				errs = append(errs, f+" combines Alias with other selectors: an alias must be the only AMI selector term")
			}
			fam, ver, ok := strings.Cut(t.Alias, "@")
			if literal(t.Alias) && (!ok || ver == "" || !amiAliasFamily[fam]) {
				errs = append(errs, fmt.Sprintf("%s.alias is %q: use family@version with family al2, al2023, bottlerocket, windows2019, windows2022 or windows2025 (such as \"al2023@latest\")", f, t.Alias))
			}
		}
		errs = append(errs, checkTags(f+".tags", t.Tags)...)
	}
	if !alias && len(s.AMISelectorTerms) > 0 && s.AMIFamily == "" {
		errs = append(errs, "spec.amiFamily is empty: set it when no AMI selector term is an alias")
	}
	if s.Role != "" && s.InstanceProfile != "" {
		errs = append(errs, fmt.Sprintf("spec sets both role (%q) and instanceProfile (%q): set one", s.Role, s.InstanceProfile))
	}
	for k := range s.Tags {
		for _, r := range restrictedTags {
			if k == "" || k == r || (strings.HasSuffix(r, "/") && strings.HasPrefix(k, r)) {
				errs = append(errs, fmt.Sprintf("spec.tags has %q: Karpenter sets that tag itself; remove it", k))
				break
			}
		}
	}
	roots := 0
	for i, b := range s.BlockDeviceMappings {
		f := fmt.Sprintf("spec.blockDeviceMappings[%d]", i)
		if b.RootVolume {
			roots++
		}
		if b.EBS != nil {
			if b.EBS.SnapshotID == "" && b.EBS.VolumeSize == "" {
				errs = append(errs, f+".ebs sets neither volumeSize nor snapshotID: give a size such as \"100Gi\"")
			}
			if b.EBS.VolumeType != "" && !knownVolumeType[b.EBS.VolumeType] {
				errs = append(errs, fmt.Sprintf("%s.ebs.volumeType is %q: use gp3, gp2, io1, io2, st1, sc1 or standard", f, b.EBS.VolumeType))
			}
		}
	}
	if roots > 1 {
		errs = append(errs, fmt.Sprintf("spec.blockDeviceMappings marks %d root volumes: mark at most one", roots))
	}
	return errs
}

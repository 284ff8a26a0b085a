package eks

import (
	"regexp"
	"strings"

	"github.com/eksforge/eksforge/cdk"
)

// principalArnPattern is an IAM role or user ARN, the principals EKS access
// entries take.
var principalArnPattern = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:(role|user)/[\w+=,.@/-]+$`)

// checkAccessEntryProps checks an access entry's principal, type and
// groups, and registers the entry as its cluster's entry for the
// principal: EKS allows one entry per principal and cluster.
func (e *AccessEntry) checkAccessEntryProps(props AccessEntryProps) {
	n := e.Node()
	p := props.Principal
	if p != "" && !cdk.IsUnresolved(p) && !principalArnPattern.MatchString(p) {
		msg := "Principal %q is not an IAM role or user ARN (arn:aws:iam::<account>:role/<name> or :user/<name>)"
		if strings.Contains(p, ":sts::") && strings.Contains(p, ":assumed-role/") {
			msg += ": give the role's ARN, not the assumed-role session's"
		}
		n.AddError(msg, p)
	}
	switch props.AccessEntryType {
	case AccessEntryTypeStandard, AccessEntryTypeFargateLinux, AccessEntryTypeEc2Linux, AccessEntryTypeEc2Windows, "STANDARD", "EC2", "HYBRID_LINUX", "HYPERPOD_LINUX":
	default:
		n.AddError("AccessEntryType %q is not an access entry type: use eks.AccessEntryTypeStandard, AccessEntryTypeFargateLinux, AccessEntryTypeEc2Linux or AccessEntryTypeEc2Windows", string(props.AccessEntryType))
	}
	for i, g := range props.KubernetesGroups {
		if strings.TrimSpace(g) == "" {
			n.AddError("KubernetesGroups[%d] is empty: name a Kubernetes group, or remove it", i)
		} else if strings.HasPrefix(g, "system:") && !cdk.IsUnresolved(g) {
			n.AddError("KubernetesGroups[%d] %q: EKS refuses groups starting with \"system:\" in access entries; grant access policies (e.g. AmazonEKSClusterAdminPolicy) instead", i, g)
		}
	}
	if p == "" {
		return
	}
	in := props.Cluster.internals()
	if prev, ok := in.accessEntries[p]; ok && prev != e {
		n.AddError("the cluster already has an access entry for %s (%s): EKS allows one per principal; add access policies to that entry (AddAccessPolicies) instead", p, prev.Node().Path())
		return
	}
	in.accessEntries[p] = e
	in.accessEntryList = append(in.accessEntryList, e)
}

// checkAccessPolicy checks one access policy of an entry.
func (e *AccessEntry) checkAccessPolicy(p AccessPolicy) {
	n := e.Node()
	const marker = ":cluster-access-policy/"
	if p.PolicyArn == "" {
		n.AddError("an access policy has no PolicyArn: use eks.AccessPolicyFromAccessPolicyName(\"AmazonEKSViewPolicy\", ...)")
		return
	}
	if i := strings.Index(p.PolicyArn, marker); i >= 0 {
		name := p.PolicyArn[i+len(marker):]
		if name == "" || strings.ContainsAny(name, " /\t") {
			n.AddError("access policy name %q in %s is not an EKS access policy name: use one such as AmazonEKSClusterAdminPolicy, AmazonEKSAdminPolicy, AmazonEKSEditPolicy or AmazonEKSViewPolicy", name, p.PolicyArn)
		}
	} else if !cdk.IsUnresolved(p.PolicyArn) {
		n.AddError("access policy %q is not an EKS access policy ARN (arn:aws:eks::aws:cluster-access-policy/<name>): use eks.AccessPolicyFromAccessPolicyName", p.PolicyArn)
	}
	switch p.AccessScope.Type {
	case "", AccessScopeTypeCluster, AccessScopeTypeNamespace:
	default:
		n.AddError("access policy %s has AccessScope.Type %q: use eks.AccessScopeTypeCluster or eks.AccessScopeTypeNamespace", policyLabel(p.PolicyArn), string(p.AccessScope.Type))
	}
	for _, ns := range p.AccessScope.Namespaces {
		// EKS allows a trailing "*" wildcard in namespace scopes.
		check := ns
		if strings.HasSuffix(ns, "*") {
			check = strings.TrimSuffix(ns, "*") + "x"
		}
		if ns != "*" && validateDNSLabel("namespace", check) != "" {
			n.AddError("access policy %s: AccessScope.Namespaces: namespace %q is not a DNS-1123 label (at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit; a trailing '*' matches several)", policyLabel(p.PolicyArn), ns)
		}
	}
}

// policyLabel names an access policy in messages: its name when the ARN is
// an EKS access policy ARN (whose partition is often a token).
func policyLabel(arn string) string {
	const marker = ":cluster-access-policy/"
	if i := strings.Index(arn, marker); i >= 0 && arn[i+len(marker):] != "" {
		return arn[i+len(marker):]
	}
	return arn
}

// lambdaArnPattern is a Lambda function ARN, optionally with a version or
// alias.
var lambdaArnPattern = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z]{2,4}(-[a-z]+)+-\d{1,2}:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$`)

// roleArnPattern is an IAM role ARN.
var roleArnPattern = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$`)

// checkKubectlProviderAttributes checks an imported kubectl handler's ARNs
// and clears a typed-nil HandlerRole.
func checkKubectlProviderAttributes(n *cdk.Node, a KubectlProviderAttributes) KubectlProviderAttributes {
	if f := a.FunctionArn; !cdk.IsUnresolved(f) && !lambdaArnPattern.MatchString(f) {
		n.AddError("FunctionArn %q is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>): give the kubectl handler's ARN, e.g. from another stack's output", f)
	}
	if r := a.RoleArn; r != "" && !cdk.IsUnresolved(r) && !roleArnPattern.MatchString(r) {
		n.AddError("RoleArn %q is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)", r)
	}
	if isTypedNil(a.HandlerRole) {
		n.AddError("%s", nilRefMessage("HandlerRole", a.HandlerRole, "an unknown handler role"))
		a.HandlerRole = nil
	}
	return a
}

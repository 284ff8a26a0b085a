package eks

import (
	"github.com/eksforge/eksforge/cdk"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
)

// AccessScopeType says whether an access policy applies to the whole
// cluster or to some namespaces.
type AccessScopeType string

// Access scope types.
const (
	// AccessScopeTypeCluster applies the policy to the whole cluster.
	AccessScopeTypeCluster AccessScopeType = "cluster"
	// AccessScopeTypeNamespace applies the policy to AccessScope.Namespaces.
	AccessScopeTypeNamespace AccessScopeType = "namespace"
)

// AccessScope is where an access policy applies.
type AccessScope struct {
	// Type is cluster or namespace. Required.
	Type AccessScopeType
	// Namespaces the policy applies to; only with AccessScopeTypeNamespace.
	// Default: none.
	Namespaces []string
}

// AccessPolicy is an EKS access policy (such as AmazonEKSClusterAdminPolicy)
// with the scope it applies to.
type AccessPolicy struct {
	// PolicyArn is the policy's ARN.
	PolicyArn string
	// AccessScope is where the policy applies.
	AccessScope AccessScope
}

// AccessPolicyFromAccessPolicyName returns the EKS access policy name
// (AmazonEKSClusterAdminPolicy, AmazonEKSAdminPolicy, AmazonEKSEditPolicy,
// AmazonEKSViewPolicy, ...) with a scope; its ARN is
// arn:<partition>:eks::aws:cluster-access-policy/<name>.
func AccessPolicyFromAccessPolicyName(name string, scope AccessScope) AccessPolicy {
	return AccessPolicy{PolicyArn: "arn:" + cdk.Aws.Partition + ":eks::aws:cluster-access-policy/" + name, AccessScope: scope}
}

// AccessPolicyFromAccessPolicyArn returns an access policy by ARN.
func AccessPolicyFromAccessPolicyArn(arn string, scope AccessScope) AccessPolicy {
	return AccessPolicy{PolicyArn: arn, AccessScope: scope}
}

// AccessEntryType is the type of an access entry.
type AccessEntryType string

// Access entry types; the zero value is STANDARD.
const (
	AccessEntryTypeStandard     AccessEntryType = ""
	AccessEntryTypeFargateLinux AccessEntryType = "FARGATE_LINUX"
	AccessEntryTypeEc2Linux     AccessEntryType = "EC2_LINUX"
	AccessEntryTypeEc2Windows   AccessEntryType = "EC2_WINDOWS"
	// AccessEntryTypeHybridLinux is for the role of EKS Hybrid Nodes.
	AccessEntryTypeHybridLinux AccessEntryType = "HYBRID_LINUX"
)

// AccessEntryProps define an AccessEntry.
type AccessEntryProps struct {
	// Cluster the entry gives access to. Required.
	Cluster ICluster
	// Principal is the ARN of the IAM role or user. Required.
	Principal string
	// AccessPolicies are associated with the entry (STANDARD entries only).
	// Default: none.
	AccessPolicies []AccessPolicy
	// AccessEntryType is the entry's type. Changing it replaces the entry.
	// Default: STANDARD.
	AccessEntryType AccessEntryType
	// KubernetesGroups are Kubernetes groups the principal belongs to.
	// Default: none.
	KubernetesGroups []string
	// Username is the Kubernetes user name of the principal.
	// Default: EKS's.
	Username string
}

// AccessEntry gives an IAM principal access to a cluster
// (AWS::EKS::AccessEntry), with access policies.
type AccessEntry struct {
	cdk.Base

	// Resource is the AWS::EKS::AccessEntry resource.
	Resource *cfneks.CfnAccessEntry
	cluster  ICluster
}

// NewAccessEntry adds an access entry to scope.
func NewAccessEntry(scope cdk.Construct, id string, props AccessEntryProps) *AccessEntry {
	e := &AccessEntry{cluster: props.Cluster}
	cdk.InitConstruct(e, scope, id)
	requiredCluster(e.Node().Path(), "AccessEntryProps.Cluster", props.Cluster)
	if props.Principal == "" {
		e.Node().AddError("Principal is required: set AccessEntryProps.Principal to an IAM role or user ARN")
	}
	e.checkAccessEntryProps(props)
	if props.Cluster.AuthenticationMode() == AuthenticationModeConfigMap {
		e.Node().AddError("the cluster's AuthenticationMode is CONFIG_MAP, which ignores access entries: use API or API_AND_CONFIG_MAP")
	}
	e.Resource = cfneks.NewCfnAccessEntry(e, "Resource", cfneks.CfnAccessEntryProps{
		ClusterName:      props.Cluster.ClusterName(),
		PrincipalArn:     props.Principal,
		Type:             string(props.AccessEntryType),
		KubernetesGroups: props.KubernetesGroups,
		Username:         props.Username,
	})
	e.Node().SetDefaultChild(e.Resource)
	e.AddAccessPolicies(props.AccessPolicies...)
	typ := props.AccessEntryType
	e.Node().AddValidation(func() []string {
		if typ != AccessEntryTypeStandard && len(e.Resource.Props.AccessPolicies) > 0 {
			return []string{"access entries of type " + string(typ) + " cannot have access policies: use a STANDARD entry for the policies"}
		}
		return nil
	})
	if c, ok := props.Cluster.(*Cluster); ok {
		c.applyRemovalPolicy(&e.Resource.CfnResource)
	}
	return e
}

// AddAccessPolicies associates more access policies with the entry.
func (e *AccessEntry) AddAccessPolicies(policies ...AccessPolicy) {
	for _, p := range policies {
		e.checkAccessPolicy(p)
		scope := &cfneks.CfnAccessEntryAccessScope{Type: string(p.AccessScope.Type), Namespaces: p.AccessScope.Namespaces}
		if p.AccessScope.Type == "" {
			e.Node().AddError("access policy %s has no AccessScope.Type: use eks.AccessScopeTypeCluster or eks.AccessScopeTypeNamespace", policyLabel(p.PolicyArn))
		}
		if p.AccessScope.Type == AccessScopeTypeNamespace && len(p.AccessScope.Namespaces) == 0 {
			e.Node().AddError("access policy %s has a namespace scope without namespaces: set AccessScope.Namespaces", policyLabel(p.PolicyArn))
		}
		if p.AccessScope.Type == AccessScopeTypeCluster && len(p.AccessScope.Namespaces) > 0 {
			e.Node().AddError("access policy %s has a cluster scope with namespaces: use eks.AccessScopeTypeNamespace", policyLabel(p.PolicyArn))
		}
		e.Resource.Props.AccessPolicies = append(e.Resource.Props.AccessPolicies, cfneks.CfnAccessEntryAccessPolicy{PolicyArn: p.PolicyArn, AccessScope: scope})
	}
}

// AccessEntryArn is the entry's ARN.
func (e *AccessEntry) AccessEntryArn() string { return e.Resource.AttrAccessEntryArn() }

// Cluster is the entry's cluster.
func (e *AccessEntry) Cluster() ICluster { return e.cluster }

// grantAccess adds policies to the cluster's entry for principal, creating
// the entry (under the cluster, with id) the first time.
func grantAccess(c ICluster, id, principal string, typ AccessEntryType, policies []AccessPolicy) *AccessEntry {
	in := c.internals()
	if e, ok := in.accessEntries[principal]; ok {
		e.AddAccessPolicies(policies...)
		return e
	}
	e := NewAccessEntry(c, id, AccessEntryProps{Cluster: c, Principal: principal, AccessPolicies: policies, AccessEntryType: typ})
	return e
}

// GrantAccess gives principalArn (an IAM role or user) access to the
// cluster with access policies, through an access entry named id. Grants to
// the same principal add policies to one entry.
func (c *Cluster) GrantAccess(id, principalArn string, policies ...AccessPolicy) *AccessEntry {
	return grantAccess(c, id, principalArn, AccessEntryTypeStandard, policies)
}

// GrantClusterAdmin gives principalArn cluster-admin
// (AmazonEKSClusterAdminPolicy for the whole cluster).
func (c *Cluster) GrantClusterAdmin(id, principalArn string) *AccessEntry {
	return c.GrantAccess(id, principalArn, AccessPolicyFromAccessPolicyName("AmazonEKSClusterAdminPolicy", AccessScope{Type: AccessScopeTypeCluster}))
}

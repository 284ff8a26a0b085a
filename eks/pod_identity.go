package eks

import (
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
)

// PodIdentityAssociationProps define a PodIdentityAssociation.
type PodIdentityAssociationProps struct {
	// Cluster the service account is in. Required.
	Cluster ICluster
	// ServiceAccount is the name of the Kubernetes service account. It
	// need not exist yet (a Helm chart may create it). Required.
	ServiceAccount string
	// Namespace of the service account.
	// Default: "default".
	Namespace string
	// Role is the IAM role the service account's pods get. It must trust
	// pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession.
	// Default: a new role that does ("Role" under the association).
	Role iam.IRole
	// ManagedPolicies are attached to the new role; only without Role.
	// Default: none.
	ManagedPolicies []iam.IManagedPolicy
	// TargetRole is a role (usually in another account) that EKS assumes
	// with Role's credentials, so the pods get TargetRole's; it must trust
	// Role.
	// Default: none (the pods get Role's credentials).
	TargetRole iam.IRole
	// DisableSessionTags stops EKS from tagging the role session with the
	// cluster, namespace, service account and pod.
	// Default: false: the session tags are added.
	DisableSessionTags bool
	// Tags of the association.
	// Default: none.
	Tags map[string]string
}

// PodIdentityAssociation gives the pods of a service account an IAM role
// through EKS Pod Identity (AWS::EKS::PodIdentityAssociation). The Pod
// Identity Agent add-on is installed once per cluster for it
// ([EnsurePodIdentityAgent]) and created first. It is a grant principal:
// grants go to the role.
type PodIdentityAssociation struct {
	cdk.Base

	// Resource is the AWS::EKS::PodIdentityAssociation resource.
	Resource *cfneks.CfnPodIdentityAssociation

	role iam.IRole
}

// NewPodIdentityAssociation adds a Pod Identity association to scope.
func NewPodIdentityAssociation(scope cdk.Construct, id string, props PodIdentityAssociationProps) *PodIdentityAssociation {
	p := &PodIdentityAssociation{}
	cdk.InitConstruct(p, scope, id)
	requiredCluster(p.Node().Path(), "PodIdentityAssociationProps.Cluster", props.Cluster)
	clearTypedNils(p.Node(), &props, "PodIdentityAssociationProps")
	c := props.Cluster
	ns := props.Namespace
	if ns == "" {
		ns = "default"
	}
	if props.ServiceAccount == "" {
		p.Node().AddError("ServiceAccount is required: set PodIdentityAssociationProps.ServiceAccount to the Kubernetes service account's name")
	} else if !cdk.IsUnresolved(props.ServiceAccount) && (len(props.ServiceAccount) > 253 || !k8sSubdomainName.MatchString(props.ServiceAccount)) {
		p.Node().AddError("service account name %q is not a DNS subdomain name (lower-case letters, digits, '-' and '.', at most 253)", props.ServiceAccount)
	}
	if !cdk.IsUnresolved(ns) && (len(ns) > 63 || !k8sLabelName.MatchString(ns)) {
		p.Node().AddError("namespace %q is not a DNS label (lower-case letters, digits and '-', at most 63)", ns)
	}
	p.role = props.Role
	if p.role == nil {
		p.role = newPodIdentityRole(p, "Role", props.ManagedPolicies)
	} else if len(props.ManagedPolicies) > 0 {
		p.Node().AddError("ManagedPolicies are for the role made when Role is nil; attach them to your role instead")
	}
	p.Resource = newPodIdentityAssociationResource(p, "Resource", c, ns, props.ServiceAccount, p.role.RoleArn())
	if props.TargetRole != nil {
		p.Resource.Props.TargetRoleArn = props.TargetRole.RoleArn()
	}
	if props.DisableSessionTags {
		p.Resource.Props.DisableSessionTags = cdk.Ptr(true)
	}
	p.Resource.Props.Tags = sortedTags(props.Tags)
	p.Node().SetDefaultChild(p.Resource)
	return p
}

// newPodIdentityAssociationResource adds the association resource to scope
// (the service account's or the construct's), records the binding for
// conflict checks, and orders it after the cluster's Pod Identity Agent.
func newPodIdentityAssociationResource(scope cdk.Construct, id string, c ICluster, ns, sa, roleArn string) *cfneks.CfnPodIdentityAssociation {
	assoc := cfneks.NewCfnPodIdentityAssociation(scope, id, cfneks.CfnPodIdentityAssociationProps{
		ClusterName:    c.ClusterName(),
		Namespace:      ns,
		RoleArn:        roleArn,
		ServiceAccount: sa,
	})
	if oc, ok := c.(*Cluster); ok {
		oc.applyRemovalPolicy(&assoc.CfnResource)
	}
	if sa != "" {
		bindIdentity(c, scope, ns, sa, "Pod Identity")
	}
	if agent := EnsurePodIdentityAgent(c); agent != nil {
		assoc.Node().AddDependency(agent.Resource)
	}
	return assoc
}

// AddPodIdentityAssociation gives a service account of the cluster an IAM
// role through EKS Pod Identity (a PodIdentityAssociation with id id under
// the cluster).
func (c *Cluster) AddPodIdentityAssociation(id string, props PodIdentityAssociationProps) *PodIdentityAssociation {
	props.Cluster = c
	return NewPodIdentityAssociation(c, id, props)
}

// Role is the IAM role the service account's pods get.
func (p *PodIdentityAssociation) Role() iam.IRole { return p.role }

// AssociationArn is the association's ARN.
func (p *PodIdentityAssociation) AssociationArn() string { return p.Resource.AttrAssociationArn() }

// AssociationId is the association's ID.
func (p *PodIdentityAssociation) AssociationId() string { return p.Resource.AttrAssociationId() }

// GrantPrincipal is the role: grants to the association go to it.
func (p *PodIdentityAssociation) GrantPrincipal() iam.IPrincipal { return p.role.GrantPrincipal() }

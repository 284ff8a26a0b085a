package eks

import (
	"strings"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
)

// CapabilityType is the kind of an EKS Capability: platform software EKS
// runs and scales for the cluster outside its nodes.
type CapabilityType string

// Capability types.
const (
	// CapabilityTypeArgoCd is Argo CD for GitOps, signed in with IAM
	// Identity Center.
	CapabilityTypeArgoCd CapabilityType = "ARGOCD"
	// CapabilityTypeAck is AWS Controllers for Kubernetes: AWS resources as
	// Kubernetes objects, created with the capability role's permissions.
	CapabilityTypeAck CapabilityType = "ACK"
	// CapabilityTypeKro is kro (Kube Resource Orchestrator): custom
	// resources composed of other resources.
	CapabilityTypeKro CapabilityType = "KRO"
)

// ArgoCdRole is a role in the Argo CD capability.
type ArgoCdRole string

// Argo CD roles.
const (
	ArgoCdRoleAdmin  ArgoCdRole = "ADMIN"
	ArgoCdRoleEditor ArgoCdRole = "EDITOR"
	ArgoCdRoleViewer ArgoCdRole = "VIEWER"
)

// ArgoCdRoleMapping gives IAM Identity Center users and groups an Argo CD
// role.
type ArgoCdRoleMapping struct {
	// Role is the Argo CD role. Required.
	Role ArgoCdRole
	// Users are IAM Identity Center user IDs.
	// Default: none.
	Users []string
	// Groups are IAM Identity Center group IDs.
	// Default: none.
	Groups []string
}

// ArgoCdOptions configure the Argo CD capability.
type ArgoCdOptions struct {
	// IdentityCenterInstanceArn is the IAM Identity Center instance users
	// sign in with. Changing it replaces the capability. Required.
	IdentityCenterInstanceArn string
	// IdentityCenterRegion is the region of that instance.
	// Default: EKS's (the cluster's region).
	IdentityCenterRegion string
	// Namespace is where Argo CD's resources (Applications, ...) live.
	// Changing it replaces the capability.
	// Default: EKS's ("argocd").
	Namespace string
	// RbacRoleMappings give Identity Center users and groups Argo CD roles.
	// Default: none (nobody can sign in until mapped).
	RbacRoleMappings []ArgoCdRoleMapping
	// VpcEndpointIds make the Argo CD server reachable privately through
	// these VPC endpoints.
	// Default: none (a public endpoint).
	VpcEndpointIds []string
}

// CapabilityOptions are the settings of an EKS Capability besides its
// cluster.
type CapabilityOptions struct {
	// Type is the capability's kind. Changing it replaces the capability.
	// Required.
	Type CapabilityType
	// CapabilityName is the capability's name in the cluster. Changing it
	// replaces the capability.
	// Default: the type in lower case ("argocd", "ack", "kro").
	CapabilityName string
	// Role is the IAM role the capability works with; it must trust
	// capabilities.eks.amazonaws.com (sts:AssumeRole, sts:TagSession). Grant
	// ACK the permissions of the AWS resources it should manage.
	// Default: a new role that trusts it, without permissions.
	Role iam.IRole
	// ArgoCd configures Argo CD; required with CapabilityTypeArgoCd and
	// only with it.
	// Default: none.
	ArgoCd *ArgoCdOptions
	// Tags of the capability.
	// Default: none.
	Tags map[string]string
}

// CapabilityProps define a Capability.
type CapabilityProps struct {
	CapabilityOptions
	// Cluster the capability serves. Required.
	Cluster ICluster
}

// Capability is an EKS Capability (AWS::EKS::Capability): Argo CD, ACK or
// kro run by EKS for the cluster, with the IAM role they act with. When the
// capability is deleted the Kubernetes and AWS resources it manages are
// kept (DeletePropagationPolicy RETAIN, the only policy EKS offers). It is
// a grant principal: grants go to its role.
type Capability struct {
	cdk.Base

	// Resource is the AWS::EKS::Capability resource.
	Resource *cfneks.CfnCapability

	role iam.IRole
	name string
}

// NewCapability adds an EKS Capability to scope.
func NewCapability(scope cdk.Construct, id string, props CapabilityProps) *Capability {
	cp := &Capability{}
	cdk.InitConstruct(cp, scope, id)
	requiredCluster(cp.Node().Path(), "CapabilityProps.Cluster", props.Cluster)
	clearTypedNils(cp.Node(), &props, "CapabilityProps")
	c := props.Cluster
	o := props.CapabilityOptions
	switch o.Type {
	case CapabilityTypeArgoCd, CapabilityTypeAck, CapabilityTypeKro:
	case "":
		cp.Node().AddError("Type is required: use eks.CapabilityTypeArgoCd, eks.CapabilityTypeAck or eks.CapabilityTypeKro")
	default:
		cp.Node().AddError("Type %q is not a capability type: use eks.CapabilityTypeArgoCd, eks.CapabilityTypeAck or eks.CapabilityTypeKro", string(o.Type))
	}
	cp.name = o.CapabilityName
	if cp.name == "" {
		cp.name = strings.ToLower(string(o.Type))
	}
	if c.AuthenticationMode() == AuthenticationModeConfigMap {
		cp.Node().AddError("EKS gives a capability's role access through an access entry, but the cluster's AuthenticationMode is CONFIG_MAP: use API or API_AND_CONFIG_MAP")
	}
	in := c.internals()
	if in.capabilities == nil {
		in.capabilities = map[string]*Capability{}
	}
	if prev, ok := in.capabilities[cp.name]; ok && !cdk.IsUnresolved(cp.name) {
		cp.Node().AddError("capability name %q is already used on the cluster by %s: set CapabilityName", cp.name, prev.Node().Path())
	} else {
		in.capabilities[cp.name] = cp
	}

	cp.role = o.Role
	if cp.role == nil {
		svc := iam.NewServicePrincipal("capabilities.eks.amazonaws.com")
		r := iam.NewRole(cp, "Role", iam.RoleProps{AssumedBy: svc})
		r.AssumeRolePolicy().AddStatements(iam.NewPolicyStatement(iam.PolicyStatementProps{
			Actions:    []string{"sts:AssumeRole", "sts:TagSession"},
			Principals: []iam.IPrincipal{svc},
		}))
		cp.role = r
	}

	cfg := cfneks.CfnCapabilityProps{
		CapabilityName:          cp.name,
		ClusterName:             c.ClusterName(),
		Type:                    string(o.Type),
		RoleArn:                 cp.role.RoleArn(),
		DeletePropagationPolicy: "RETAIN",
		Tags:                    sortedTags(o.Tags),
	}
	if o.ArgoCd != nil {
		if o.Type != CapabilityTypeArgoCd {
			cp.Node().AddError("ArgoCd options are only for the Argo CD capability, but Type is %s: remove ArgoCd", string(o.Type))
		}
		cfg.Configuration = &cfneks.CfnCapabilityCapabilityConfiguration{ArgoCd: cp.argoCd(o.ArgoCd)}
	} else if o.Type == CapabilityTypeArgoCd {
		cp.Node().AddError("the Argo CD capability needs ArgoCd options: set ArgoCd.IdentityCenterInstanceArn to the IAM Identity Center instance users sign in with")
	}
	cp.Resource = cfneks.NewCfnCapability(cp, "Resource", cfg)
	cp.Node().SetDefaultChild(cp.Resource)
	if oc, ok := c.(*Cluster); ok {
		oc.applyRemovalPolicy(&cp.Resource.CfnResource)
	}
	return cp
}

func (cp *Capability) argoCd(a *ArgoCdOptions) *cfneks.CfnCapabilityArgoCd {
	if a.IdentityCenterInstanceArn == "" {
		cp.Node().AddError("ArgoCd.IdentityCenterInstanceArn is required: set the ARN of the IAM Identity Center instance (arn:<partition>:sso:::instance/ssoins-...)")
	} else if !cdk.IsUnresolved(a.IdentityCenterInstanceArn) && !strings.Contains(a.IdentityCenterInstanceArn, ":instance/") {
		cp.Node().AddError("ArgoCd.IdentityCenterInstanceArn %q is not an IAM Identity Center instance ARN (arn:<partition>:sso:::instance/ssoins-...)", a.IdentityCenterInstanceArn)
	}
	if a.Namespace != "" && !cdk.IsUnresolved(a.Namespace) && (len(a.Namespace) > 63 || !k8sLabelName.MatchString(a.Namespace)) {
		cp.Node().AddError("ArgoCd.Namespace %q is not a DNS label (lower-case letters, digits and '-', at most 63)", a.Namespace)
	}
	out := &cfneks.CfnCapabilityArgoCd{
		AwsIdc:    &cfneks.CfnCapabilityAwsIdc{IdcInstanceArn: a.IdentityCenterInstanceArn, IdcRegion: a.IdentityCenterRegion},
		Namespace: a.Namespace,
	}
	if len(a.VpcEndpointIds) > 0 {
		out.NetworkAccess = &cfneks.CfnCapabilityNetworkAccess{VpceIds: a.VpcEndpointIds}
	}
	for i, m := range a.RbacRoleMappings {
		switch m.Role {
		case ArgoCdRoleAdmin, ArgoCdRoleEditor, ArgoCdRoleViewer:
		default:
			cp.Node().AddError("ArgoCd.RbacRoleMappings[%d].Role %q is not ADMIN, EDITOR or VIEWER: use eks.ArgoCdRoleAdmin and its siblings", i, string(m.Role))
		}
		if len(m.Users)+len(m.Groups) == 0 {
			cp.Node().AddError("ArgoCd.RbacRoleMappings[%d] names no users or groups: add Identity Center user or group IDs", i)
		}
		rm := cfneks.CfnCapabilityArgoCdRoleMapping{Role: string(m.Role)}
		for _, u := range m.Users {
			rm.Identities = append(rm.Identities, cfneks.CfnCapabilitySsoIdentity{Id: u, Type: "SSO_USER"})
		}
		for _, g := range m.Groups {
			rm.Identities = append(rm.Identities, cfneks.CfnCapabilitySsoIdentity{Id: g, Type: "SSO_GROUP"})
		}
		out.RbacRoleMappings = append(out.RbacRoleMappings, rm)
	}
	return out
}

// AddCapability adds an EKS Capability to the cluster (a Capability with
// id id under the cluster).
func (c *Cluster) AddCapability(id string, opts CapabilityOptions) *Capability {
	return NewCapability(c, id, CapabilityProps{CapabilityOptions: opts, Cluster: c})
}

// CapabilityName is the capability's name in the cluster.
func (cp *Capability) CapabilityName() string { return cp.name }

// CapabilityArn is the capability's ARN.
func (cp *Capability) CapabilityArn() string { return cp.Resource.AttrArn() }

// Role is the IAM role the capability acts with.
func (cp *Capability) Role() iam.IRole { return cp.role }

// ArgoCdServerUrl is the URL of the Argo CD server (Argo CD only).
func (cp *Capability) ArgoCdServerUrl() string { return cp.Resource.AttrConfigurationArgoCdServerUrl() }

// GrantPrincipal is the capability's role.
func (cp *Capability) GrantPrincipal() iam.IPrincipal { return cp.role.GrantPrincipal() }

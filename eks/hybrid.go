package eks

import (
	"strings"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/optarg"
)

// HybridNodesCredentialProvider is how EKS Hybrid Nodes get the temporary
// AWS credentials of their role.
type HybridNodesCredentialProvider int

// Credential providers of hybrid nodes.
const (
	// HybridNodesCredentialProviderSsm uses AWS Systems Manager hybrid
	// activations (the zero value): the role trusts ssm.amazonaws.com.
	HybridNodesCredentialProviderSsm HybridNodesCredentialProvider = iota
	// HybridNodesCredentialProviderRolesAnywhere uses IAM Roles Anywhere
	// with X.509 certificates: the role trusts rolesanywhere.amazonaws.com
	// for a trust anchor, and each node's session is named after its
	// certificate's common name (which must be the node's name).
	HybridNodesCredentialProviderRolesAnywhere
)

// HybridNodesRoleOptions configure the IAM role of EKS Hybrid Nodes.
type HybridNodesRoleOptions struct {
	// CredentialProvider says how the nodes get the role's credentials.
	// Default: Systems Manager hybrid activations.
	CredentialProvider HybridNodesCredentialProvider
	// TrustAnchorArn is the IAM Roles Anywhere trust anchor the nodes'
	// certificates chain to; required with
	// HybridNodesCredentialProviderRolesAnywhere, not allowed otherwise.
	// Default: none.
	TrustAnchorArn string
	// RoleName is the role's physical name.
	// Default: a name CloudFormation generates.
	RoleName string
}

// HybridNodesRole is the IAM role of EKS Hybrid Nodes with what `nodeadm`
// needs (eks:DescribeCluster on the cluster, image pulls from ECR, and with
// Systems Manager the managed-instance policy and the right to deregister
// itself), and the cluster's HYBRID_LINUX access entry that lets nodes with
// it join.
type HybridNodesRole struct {
	cdk.Base
	role  *iam.Role
	entry *AccessEntry
}

// AddHybridNodesRole makes the IAM role of the cluster's hybrid nodes (a
// HybridNodesRole with id id under the cluster) and its HYBRID_LINUX access
// entry. The cluster needs RemoteNodeNetworks and an authentication mode
// with access entries. Pass at most one options value.
func (c *Cluster) AddHybridNodesRole(id string, options ...HybridNodesRoleOptions) *HybridNodesRole {
	opts := optarg.One(c.Node().Path()+": AddHybridNodesRole", options)
	h := &HybridNodesRole{}
	cdk.InitConstruct(h, c, id)
	if len(c.props.RemoteNodeNetworks) == 0 {
		h.Node().AddError("the cluster has no RemoteNodeNetworks, so hybrid nodes cannot join: set ClusterProps.RemoteNodeNetworks to the blocks of the nodes")
	}
	var assumedBy iam.IPrincipal
	stack := cdk.StackOf(h)
	switch opts.CredentialProvider {
	case HybridNodesCredentialProviderSsm:
		if opts.TrustAnchorArn != "" {
			h.Node().AddError("TrustAnchorArn is for IAM Roles Anywhere: set CredentialProvider to eks.HybridNodesCredentialProviderRolesAnywhere or remove it")
		}
		assumedBy = iam.NewServicePrincipal("ssm.amazonaws.com").WithConditions(iam.Conditions{
			"StringEquals": map[string]any{"aws:SourceAccount": stack.Account()},
			"ArnEquals":    map[string]any{"aws:SourceArn": "arn:" + stack.Partition() + ":ssm:" + stack.Region() + ":" + stack.Account() + ":*"},
		})
	case HybridNodesCredentialProviderRolesAnywhere:
		if opts.TrustAnchorArn == "" {
			h.Node().AddError("TrustAnchorArn is required with IAM Roles Anywhere: set the ARN of the trust anchor the nodes' certificates chain to")
		} else if !cdk.IsUnresolved(opts.TrustAnchorArn) && !strings.Contains(opts.TrustAnchorArn, ":rolesanywhere:") {
			h.Node().AddError("TrustAnchorArn %q is not an IAM Roles Anywhere trust anchor ARN (arn:<partition>:rolesanywhere:<region>:<account>:trust-anchor/...)", opts.TrustAnchorArn)
		}
		assumedBy = iam.NewServicePrincipal("rolesanywhere.amazonaws.com").WithConditions(iam.Conditions{
			"ArnEquals": map[string]any{"aws:SourceArn": opts.TrustAnchorArn},
		})
	default:
		h.Node().AddError("CredentialProvider %d is not a provider: use eks.HybridNodesCredentialProviderSsm or eks.HybridNodesCredentialProviderRolesAnywhere", int(opts.CredentialProvider))
		assumedBy = iam.NewServicePrincipal("ssm.amazonaws.com")
	}
	policies := []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEC2ContainerRegistryPullOnly")}
	if opts.CredentialProvider == HybridNodesCredentialProviderSsm {
		policies = append(policies, iam.ManagedPolicyFromAwsManagedPolicyName("AmazonSSMManagedInstanceCore"))
	}
	h.role = iam.NewRole(h, "Role", iam.RoleProps{AssumedBy: assumedBy, ManagedPolicies: policies, RoleName: opts.RoleName})
	if opts.CredentialProvider == HybridNodesCredentialProviderRolesAnywhere {
		// Each node's session must be named after its certificate's common
		// name (EKS maps it to the node name), so sts:AssumeRole carries
		// that condition and may not also be allowed without it: the trust
		// policy is written whole, as AWS documents it.
		anchor := map[string]any{"aws:SourceArn": opts.TrustAnchorArn}
		principal := map[string]any{"Service": "rolesanywhere.amazonaws.com"}
		h.role.Resource().AddPropertyOverride("AssumeRolePolicyDocument", map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{
				map[string]any{"Effect": "Allow", "Principal": principal, "Action": []any{"sts:TagSession", "sts:SetSourceIdentity"},
					"Condition": map[string]any{"ArnEquals": anchor}},
				map[string]any{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole",
					"Condition": map[string]any{"ArnEquals": anchor, "StringEquals": map[string]any{"sts:RoleSessionName": "${aws:PrincipalTag/x509Subject/CN}"}}},
			},
		})
	}
	h.role.AddToPrincipalPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
		Actions:   []string{"eks:DescribeCluster"},
		Resources: []string{c.ClusterArn()},
	}))
	if opts.CredentialProvider == HybridNodesCredentialProviderSsm {
		// nodeadm uninstall deregisters the node from Systems Manager.
		h.role.AddToPrincipalPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
			Actions:   []string{"ssm:DeregisterManagedInstance", "ssm:DescribeInstanceInformation"},
			Resources: []string{"*"},
		}))
	}
	if c.AuthenticationMode() == AuthenticationModeConfigMap {
		h.Node().AddError("hybrid nodes join through a HYBRID_LINUX access entry, but the cluster's AuthenticationMode is CONFIG_MAP: use API or API_AND_CONFIG_MAP")
	} else {
		h.entry = grantAccess(c, id+"AccessEntry", h.role.RoleArn(), AccessEntryTypeHybridLinux, nil)
	}
	return h
}

// Role is the hybrid nodes' IAM role: use it in the Systems Manager
// activation or the IAM Roles Anywhere profile.
func (h *HybridNodesRole) Role() iam.IRole { return h.role }

// AccessEntry is the HYBRID_LINUX access entry of the role (nil in
// CONFIG_MAP mode, which is an error).
func (h *HybridNodesRole) AccessEntry() *AccessEntry { return h.entry }

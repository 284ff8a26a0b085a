package eks

import (
	"strings"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/optarg"
)

// IdentityType says how a service account's pods get AWS credentials.
type IdentityType int

// Identity types.
const (
	// IdentityTypeIRSA is IAM roles for service accounts: the role trusts
	// the cluster's OIDC provider for this service account (the zero value).
	IdentityTypeIRSA IdentityType = iota
	// IdentityTypePodIdentity is EKS Pod Identity: the role trusts
	// pods.eks.amazonaws.com and an AWS::EKS::PodIdentityAssociation binds
	// it to the service account.
	IdentityTypePodIdentity
)

// ServiceAccountOptions are the settings of a service account besides its
// cluster.
type ServiceAccountOptions struct {
	// Name of the service account.
	// Default: the construct's unique ID, lower-cased.
	Name string
	// Namespace of the service account.
	// Default: "default".
	Namespace string
	// Labels added to the service account.
	// Default: app.kubernetes.io/name only.
	Labels map[string]string
	// Annotations added to the service account.
	// Default: eks.amazonaws.com/role-arn only (IRSA).
	Annotations map[string]string
	// IdentityType says how pods get credentials.
	// Default: IRSA.
	IdentityType IdentityType
	// OverwriteServiceAccount takes over an existing service account of
	// the same name.
	// Default: false.
	OverwriteServiceAccount bool
	// RemovalPolicy applies to the Kubernetes object.
	// Default: cdk.RemovalPolicyDestroy.
	RemovalPolicy cdk.RemovalPolicy
}

// ServiceAccountProps define a ServiceAccount.
type ServiceAccountProps struct {
	ServiceAccountOptions
	// Cluster holds the service account. Required.
	Cluster ICluster
}

// ServiceAccount is a Kubernetes service account with an IAM role its pods
// assume. It is a grant principal: bucket.GrantReadWrite(sa) grants the
// role. Pods naming it are ordered after it when they are in manifests of
// the same cluster.
type ServiceAccount struct {
	cdk.Base
	role      *iam.Role
	name, ns  string
	manifest  *KubernetesManifest
	principal iam.IPrincipal
}

// NewServiceAccount adds a service account to scope.
func NewServiceAccount(scope cdk.Construct, id string, props ServiceAccountProps) *ServiceAccount {
	sa := &ServiceAccount{}
	cdk.InitConstruct(sa, scope, id)
	c := props.Cluster
	requiredCluster(sa.Node().Path(), "ServiceAccountProps.Cluster", c)
	o := props.ServiceAccountOptions
	sa.name = o.Name
	if sa.name == "" {
		sa.name = strings.ToLower(cdk.UniqueID(sa))
	}
	sa.ns = o.Namespace
	if sa.ns == "" {
		sa.ns = "default"
	}
	if validateDNSSubdomain("name", sa.name) != "" {
		sa.Node().AddError("service account name %q is not a DNS subdomain name (lower-case letters, digits, '-' and '.', at most 253)", sa.name)
	}
	if validateDNSLabel("namespace", sa.ns) != "" {
		sa.Node().AddError("namespace %q is not a DNS label (lower-case letters, digits and '-', at most 63)", sa.ns)
	}

	annotations := map[string]any{}
	switch o.IdentityType {
	case IdentityTypePodIdentity:
		sa.role = newPodIdentityRole(sa, "Role", nil)
		newPodIdentityAssociationResource(sa, "Association", c, sa.ns, sa.name, sa.role.RoleArn())
	default:
		provider := openIdConnectProviderOf(c)
		sa.role = iam.NewRole(sa, "Role", iam.RoleProps{AssumedBy: iam.NewOpenIDConnectPrincipal(provider, nil)})
		sa.role.Resource().AddPropertyOverride("AssumeRolePolicyDocument", irsaTrustPolicy(provider, sa.ns, sa.name))
		n := sa.role.AssumeRolePolicy().StatementCount()
		sa.Node().AddValidation(func() []string {
			if sa.role.AssumeRolePolicy().StatementCount() != n {
				return []string{"statements were added to the IRSA role's trust policy, which is written whole for the service account: make another role for other principals"}
			}
			return nil
		})
		annotations["eks.amazonaws.com/role-arn"] = sa.role.RoleArn()
		bindIdentity(c, sa, sa.ns, sa.name, "IRSA")
	}
	sa.principal = sa.role.GrantPrincipal()

	labels := map[string]any{"app.kubernetes.io/name": sa.name}
	for k, v := range o.Labels {
		labels[k] = v
	}
	for k, v := range o.Annotations {
		annotations[k] = v
	}
	md := map[string]any{"name": sa.name, "namespace": sa.ns, "labels": labels}
	if len(annotations) > 0 {
		md["annotations"] = annotations
	}
	sa.manifest = NewKubernetesManifest(sa, "manifest-"+id+"ServiceAccountResource", KubernetesManifestProps{
		Cluster: c,
		Manifest: []any{map[string]any{
			"apiVersion": "v1",
			"kind":       "ServiceAccount",
			"metadata":   md,
		}},
		KubernetesManifestOptions: KubernetesManifestOptions{Overwrite: o.OverwriteServiceAccount, RemovalPolicy: o.RemovalPolicy},
	})
	return sa
}

// irsaTrustPolicy is the role's trust policy as a JSON string: its
// StringEquals condition keys ("<issuer>:sub", "<issuer>:aud") contain the
// issuer, known only at deploy time, and CloudFormation cannot make an
// object key from an intrinsic function. AWS::IAM::Role takes the policy
// document as a JSON string too, so the whole document is one Fn::Join: no
// custom resource (the AWS CDK's CfnJson) is needed. The issuer, namespace
// and name need no JSON escaping (a URL and DNS names).
func irsaTrustPolicy(p iam.IOpenIDConnectProvider, ns, name string) string {
	issuer := p.OpenIDConnectProviderIssuer()
	return `{"Statement":[{"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"` +
		issuer + `:aud":"sts.amazonaws.com","` +
		issuer + `:sub":"system:serviceaccount:` + ns + `:` + name + `"}},"Effect":"Allow","Principal":{"Federated":"` +
		p.OpenIDConnectProviderArn() + `"}}],"Version":"2012-10-17"}`
}

// AddServiceAccount adds a service account to the cluster (a
// ServiceAccount with id id under the cluster). Pass at most one options
// value.
func (c *Cluster) AddServiceAccount(id string, opts ...ServiceAccountOptions) *ServiceAccount {
	o := optarg.One(c.Node().Path()+": AddServiceAccount", opts)
	return NewServiceAccount(c, id, ServiceAccountProps{ServiceAccountOptions: o, Cluster: c})
}

// AddServiceAccount adds a service account to any cluster, owned or
// imported (see [Cluster.AddServiceAccount]).
func AddServiceAccount(c ICluster, id string, opts ...ServiceAccountOptions) *ServiceAccount {
	o := optarg.One("eks.AddServiceAccount "+id, opts)
	return NewServiceAccount(c, id, ServiceAccountProps{ServiceAccountOptions: o, Cluster: c})
}

// ServiceAccountName is the service account's name.
func (sa *ServiceAccount) ServiceAccountName() string { return sa.name }

// ServiceAccountNamespace is the service account's namespace.
func (sa *ServiceAccount) ServiceAccountNamespace() string { return sa.ns }

// Role is the IAM role the service account's pods assume. With IRSA its
// trust policy is written as one JSON string, so adding statements to its
// AssumeRolePolicy is a synthesis error; grant permissions to the service
// account or the role instead.
func (sa *ServiceAccount) Role() iam.IRole { return sa.role }

// Manifest is the manifest creating the Kubernetes ServiceAccount.
func (sa *ServiceAccount) Manifest() *KubernetesManifest { return sa.manifest }

// GrantPrincipal is the role: grants to the service account go to it.
func (sa *ServiceAccount) GrantPrincipal() iam.IPrincipal { return sa.principal }

// AddToPrincipalPolicy adds a statement to the role's policy.
func (sa *ServiceAccount) AddToPrincipalPolicy(s *iam.PolicyStatement) iam.AddToPrincipalPolicyResult {
	return sa.role.AddToPrincipalPolicy(s)
}

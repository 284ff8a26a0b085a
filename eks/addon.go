package eks

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
)

// Names of common EKS add-ons, for AddonOptions.AddonName. Any name EKS
// knows works (aws eks describe-addon-versions lists them).
const (
	AddonNameVpcCni              = "vpc-cni"
	AddonNameKubeProxy           = "kube-proxy"
	AddonNameCoreDns             = "coredns"
	AddonNamePodIdentityAgent    = "eks-pod-identity-agent"
	AddonNameEbsCsiDriver        = "aws-ebs-csi-driver"
	AddonNameEfsCsiDriver        = "aws-efs-csi-driver"
	AddonNameMountpointS3Csi     = "aws-mountpoint-s3-csi-driver"
	AddonNameSnapshotController  = "snapshot-controller"
	AddonNameCloudWatchAgent     = "amazon-cloudwatch-observability"
	AddonNameNodeMonitoringAgent = "eks-node-monitoring-agent"
	AddonNameMetricsServer       = "metrics-server"
)

// k8sSubdomainName and k8sLabelName check names of add-ons, service
// accounts and namespaces (RFC 1123 subdomain and label).
var (
	k8sSubdomainName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`)
	k8sLabelName     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
)

// addonServiceAccounts are the service accounts of well-known add-ons that
// take AWS credentials: the one an add-on's ServiceAccountRole (IRSA)
// annotates, which a Pod Identity association of the same add-on must not
// also name.
var addonServiceAccounts = map[string]string{
	AddonNameVpcCni:          "aws-node",
	AddonNameEbsCsiDriver:    "ebs-csi-controller-sa",
	AddonNameEfsCsiDriver:    "efs-csi-controller-sa",
	AddonNameMountpointS3Csi: "s3-csi-driver-sa",
	AddonNameCloudWatchAgent: "cloudwatch-agent",
}

// ResolveConflicts says what EKS does when fields it manages in an add-on's
// Kubernetes objects were changed by someone else (a self-managed install,
// kubectl edits).
type ResolveConflicts string

// Conflict resolutions; the zero value leaves EKS's default (NONE).
const (
	// ResolveConflictsNone keeps the changed fields; creating the add-on
	// may fail.
	ResolveConflictsNone ResolveConflicts = "NONE"
	// ResolveConflictsOverwrite sets the fields to EKS's values (and the
	// add-on's ConfigurationValues).
	ResolveConflictsOverwrite ResolveConflicts = "OVERWRITE"
	// ResolveConflictsPreserve keeps the changed fields on update.
	ResolveConflictsPreserve ResolveConflicts = "PRESERVE"
)

// AddonPodIdentityAssociation gives one of an add-on's service accounts an
// IAM role through EKS Pod Identity (AWS::EKS::Addon
// PodIdentityAssociations). The service account is in the add-on's
// namespace.
type AddonPodIdentityAssociation struct {
	// ServiceAccount is the name of the add-on's service account, such as
	// "aws-node" for vpc-cni or "ebs-csi-controller-sa" for the EBS CSI
	// driver. Required.
	ServiceAccount string
	// Role is the role the service account's pods get. It must trust
	// pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession.
	// Default: a new role that does, named in the tree
	// "<ServiceAccount>Role" under the add-on.
	Role iam.IRole
	// ManagedPolicies are attached to the new role; only without Role.
	// Default: none.
	ManagedPolicies []iam.IManagedPolicy
}

// AddonOptions are the settings of an EKS managed add-on besides its
// cluster.
type AddonOptions struct {
	// AddonName is the add-on's name, such as eks.AddonNameVpcCni.
	// Changing it replaces the add-on. Required.
	AddonName string
	// AddonVersion is the add-on's version, such as "v1.20.4-eksbuild.1".
	// Default: chosen by EKS when the add-on is created: the default
	// version for the cluster's Kubernetes version (later cluster upgrades
	// do not change it; set a version to upgrade).
	AddonVersion string
	// ConfigurationValues configure the add-on, in the schema EKS publishes
	// for it (aws eks describe-addon-configuration). They are written as
	// JSON; values may hold tokens.
	// Default: the add-on's defaults.
	ConfigurationValues map[string]any
	// ResolveConflicts says what EKS does with fields changed outside it.
	// Default: EKS's (NONE).
	ResolveConflicts ResolveConflicts
	// PreserveOnDelete keeps the add-on's software running, unmanaged, when
	// the add-on is deleted.
	// Default: false: deleting the add-on removes its software.
	PreserveOnDelete bool
	// Namespace installs the add-on in another namespace than its own
	// (only add-ons that support it). Changing it replaces the add-on.
	// Default: the add-on's namespace (kube-system for most).
	Namespace string
	// ServiceAccountRole is the IAM role of the add-on's service account
	// through IRSA (the role must trust the cluster's OpenID Connect
	// provider). Prefer PodIdentityAssociations on new clusters.
	// Default: none (the node role's permissions, or Pod Identity).
	ServiceAccountRole iam.IRole
	// PodIdentityAssociations give the add-on's service accounts IAM roles
	// through EKS Pod Identity; the Pod Identity Agent add-on is installed
	// once per cluster for them.
	// Default: none.
	PodIdentityAssociations []AddonPodIdentityAssociation
	// BeforeCompute creates the add-on before the cluster's node groups,
	// self-managed Auto Scaling groups and Fargate profiles (for add-ons
	// the nodes need to become ready: vpc-cni, kube-proxy, the Pod Identity
	// Agent). Otherwise the add-on is created after them, so that its pods
	// have somewhere to run.
	// Default: false: after the cluster's capacity.
	BeforeCompute bool
	// Tags of the add-on.
	// Default: none.
	Tags map[string]string
}

// AddonProps define an Addon.
type AddonProps struct {
	AddonOptions
	// Cluster the add-on is installed on. Required.
	Cluster ICluster
}

// IAddon is an EKS add-on, defined here (Addon) or imported
// (AddonFromAddonAttributes).
type IAddon interface {
	cdk.Construct
	// AddonName is the add-on's name.
	AddonName() string
	// AddonArn is the add-on's ARN.
	AddonArn() string
}

// Addon is an EKS managed add-on (AWS::EKS::Addon): software EKS installs
// and upgrades on the cluster, configured through typed configuration
// values, with IAM roles for its service accounts through IRSA or Pod
// Identity.
type Addon struct {
	cdk.Base

	// Resource is the AWS::EKS::Addon resource.
	Resource *cfneks.CfnAddon

	cluster  ICluster
	name     string
	podRoles map[string]iam.IRole
}

// addonState is the per-cluster registry of add-ons and of what they are
// ordered against: the cluster's compute (node groups, self-managed
// groups, Fargate profiles) and the add-ons before and after it.
type addonState struct {
	byName        map[string]*Addon
	before, after []*Addon
	computes      []cdk.Construct
	agent         *Addon
	// identities maps "<namespace>/<service account>" to the construct
	// that gave it credentials and how ("IRSA" or "Pod Identity").
	identities map[string]identityBinding
}

type identityBinding struct {
	kind string
	by   cdk.Construct
}

func addonsOf(c ICluster) *addonState {
	in := c.internals()
	if in.addons == nil {
		in.addons = &addonState{byName: map[string]*Addon{}, identities: map[string]identityBinding{}}
	}
	return in.addons
}

// registerCompute records capacity of the cluster (the resource of a node
// group, a self-managed Auto Scaling group or a Fargate profile): it is
// created after the add-ons marked BeforeCompute and before the others,
// also those added later. Only the resources themselves are ordered, not
// their roles or launch templates, so that an add-on may use a node role
// without a dependency cycle.
func registerCompute(c ICluster, compute cdk.Construct) {
	st := addonsOf(c)
	st.computes = append(st.computes, compute)
	for _, a := range st.before {
		compute.Node().AddDependency(a.Resource)
	}
	for _, a := range st.after {
		a.Resource.Node().AddDependency(compute)
	}
}

// bindIdentity records that by gives the service account ns/name
// credentials of kind; a second binding of another construct is an error
// on by (EKS allows one Pod Identity association per service account, and
// an IRSA annotation overrides Pod Identity).
func bindIdentity(c ICluster, by cdk.Construct, ns, name, kind string) {
	if cdk.IsUnresolved(ns) || cdk.IsUnresolved(name) {
		return
	}
	st := addonsOf(c)
	key := ns + "/" + name
	if prev, ok := st.identities[key]; ok && (prev.by != by || prev.kind != kind) {
		what := "another " + kind
		if prev.kind != kind {
			what = prev.kind + " and " + kind
		}
		by.Node().AddError("service account %s already gets AWS credentials from %s (%s): %s for one service account conflict; keep one", key, prev.by.Node().Path(), prev.kind, what)
		return
	}
	st.identities[key] = identityBinding{kind: kind, by: by}
}

// NewAddon adds an EKS managed add-on to scope.
func NewAddon(scope cdk.Construct, id string, props AddonProps) *Addon {
	a := &Addon{cluster: props.Cluster, name: props.AddonName, podRoles: map[string]iam.IRole{}}
	cdk.InitConstruct(a, scope, id)
	requiredCluster(a.Node().Path(), "AddonProps.Cluster", props.Cluster)
	clearTypedNils(a.Node(), &props, "AddonProps")
	if pas := props.PodIdentityAssociations; len(pas) > 0 {
		props.PodIdentityAssociations = make([]AddonPodIdentityAssociation, len(pas))
		for i, pa := range pas {
			clearTypedNils(a.Node(), &pa, fmt.Sprintf("AddonProps.PodIdentityAssociations[%d]", i))
			props.PodIdentityAssociations[i] = pa
		}
	}
	c := props.Cluster
	o := props.AddonOptions
	a.validate(o)
	st := addonsOf(c)
	if o.AddonName != "" && !cdk.IsUnresolved(o.AddonName) {
		if prev, ok := st.byName[o.AddonName]; ok {
			a.Node().AddError("add-on %q is already installed on the cluster by %s: EKS installs an add-on once per cluster; configure that one", o.AddonName, prev.Node().Path())
		} else {
			st.byName[o.AddonName] = a
		}
	}

	cfg := cfneks.CfnAddonProps{
		AddonName:        o.AddonName,
		AddonVersion:     o.AddonVersion,
		ClusterName:      c.ClusterName(),
		ResolveConflicts: string(o.ResolveConflicts),
	}
	if len(o.ConfigurationValues) > 0 {
		b, err := json.Marshal(o.ConfigurationValues)
		if err != nil {
			a.Node().AddError("ConfigurationValues cannot be written as JSON: %v; use strings, numbers, booleans, maps and slices", err)
		} else {
			cfg.ConfigurationValues = string(b)
		}
	}
	if o.PreserveOnDelete {
		cfg.PreserveOnDelete = cdk.Ptr(true)
	}
	if o.Namespace != "" {
		cfg.NamespaceConfig = &cfneks.CfnAddonNamespaceConfig{Namespace: o.Namespace}
	}
	if o.ServiceAccountRole != nil {
		cfg.ServiceAccountRoleArn = o.ServiceAccountRole.RoleArn()
		if sa, ok := addonServiceAccounts[o.AddonName]; ok {
			bindIdentity(c, a, a.namespace(o), sa, "IRSA")
		}
	}
	for i, p := range o.PodIdentityAssociations {
		if p.ServiceAccount == "" {
			a.Node().AddError("PodIdentityAssociations[%d] has no ServiceAccount: set the name of the add-on's service account", i)
			continue
		}
		if _, dup := a.podRoles[p.ServiceAccount]; dup {
			a.Node().AddError("PodIdentityAssociations[%d]: service account %q is associated twice; EKS allows one role per service account", i, p.ServiceAccount)
			continue
		}
		role := p.Role
		if role == nil {
			role = newPodIdentityRole(a, p.ServiceAccount+"Role", p.ManagedPolicies)
		} else if len(p.ManagedPolicies) > 0 {
			a.Node().AddError("PodIdentityAssociations[%d]: ManagedPolicies are for the role made when Role is nil; attach them to your role instead", i)
		}
		a.podRoles[p.ServiceAccount] = role
		bindIdentity(c, a, a.namespace(o), p.ServiceAccount, "Pod Identity")
		cfg.PodIdentityAssociations = append(cfg.PodIdentityAssociations, cfneks.CfnAddonPodIdentityAssociation{RoleArn: role.RoleArn(), ServiceAccount: p.ServiceAccount})
	}
	cfg.Tags = sortedTags(o.Tags)

	a.Resource = cfneks.NewCfnAddon(a, "Resource", cfg)
	a.Node().SetDefaultChild(a.Resource)
	if oc, ok := c.(*Cluster); ok {
		oc.applyRemovalPolicy(&a.Resource.CfnResource)
	}
	if o.AddonName == AddonNamePodIdentityAgent {
		if st.agent == nil {
			st.agent = a
		}
	} else if len(o.PodIdentityAssociations) > 0 {
		if agent := EnsurePodIdentityAgent(c); agent != nil {
			a.Resource.Node().AddDependency(agent.Resource)
		}
	}
	a.order(st, o.BeforeCompute)
	orderControllerTeardown(c, a, addonControls(o.AddonName))
	return a
}

func (a *Addon) validate(o AddonOptions) {
	if o.AddonName == "" {
		a.Node().AddError("AddonName is required: set AddonOptions.AddonName, e.g. eks.AddonNameVpcCni")
	} else if !cdk.IsUnresolved(o.AddonName) && (len(o.AddonName) > 100 || !k8sSubdomainName.MatchString(o.AddonName)) {
		a.Node().AddError("AddonName %q is not an add-on name (lower-case letters, digits, '-' and '.'): see aws eks describe-addon-versions", o.AddonName)
	}
	switch o.ResolveConflicts {
	case "", ResolveConflictsNone, ResolveConflictsOverwrite, ResolveConflictsPreserve:
	default:
		a.Node().AddError("ResolveConflicts %q is not NONE, OVERWRITE or PRESERVE: use eks.ResolveConflictsOverwrite and its siblings", string(o.ResolveConflicts))
	}
	if o.Namespace != "" && !cdk.IsUnresolved(o.Namespace) && (len(o.Namespace) > 63 || !k8sLabelName.MatchString(o.Namespace)) {
		a.Node().AddError("Namespace %q is not a DNS label (lower-case letters, digits and '-', at most 63)", o.Namespace)
	}
	if o.AddonName == AddonNamePodIdentityAgent && len(o.PodIdentityAssociations) > 0 {
		a.Node().AddError("the Pod Identity Agent cannot have Pod Identity associations: it is the agent that serves them")
	}
}

// namespace is where the add-on's service accounts are, as far as known at
// synthesis.
func (a *Addon) namespace(o AddonOptions) string {
	if o.Namespace != "" {
		return o.Namespace
	}
	return "kube-system"
}

// order places the add-on before or after the cluster's compute, present
// and future.
func (a *Addon) order(st *addonState, before bool) {
	if before {
		st.before = append(st.before, a)
		for _, c := range st.computes {
			c.Node().AddDependency(a.Resource)
		}
		return
	}
	st.after = append(st.after, a)
	for _, c := range st.computes {
		a.Resource.Node().AddDependency(c)
	}
}

// newPodIdentityRole makes a role that EKS Pod Identity can give pods:
// trusted by pods.eks.amazonaws.com for sts:AssumeRole and sts:TagSession.
func newPodIdentityRole(scope cdk.Construct, id string, policies []iam.IManagedPolicy) *iam.Role {
	pods := iam.NewServicePrincipal("pods.eks.amazonaws.com")
	r := iam.NewRole(scope, id, iam.RoleProps{AssumedBy: pods, ManagedPolicies: policies})
	r.AssumeRolePolicy().AddStatements(iam.NewPolicyStatement(iam.PolicyStatementProps{
		Actions:    []string{"sts:AssumeRole", "sts:TagSession"},
		Principals: []iam.IPrincipal{pods},
	}))
	return r
}

func sortedTags(tags map[string]string) []cdk.CfnTag {
	if len(tags) == 0 {
		return nil
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]cdk.CfnTag, 0, len(keys))
	for _, k := range keys {
		out = append(out, cdk.CfnTag{Key: k, Value: tags[k]})
	}
	return out
}

// AddAddon installs an EKS managed add-on on the cluster (an Addon with id
// id under the cluster).
func (c *Cluster) AddAddon(id string, opts AddonOptions) *Addon {
	return NewAddon(c, id, AddonProps{AddonOptions: opts, Cluster: c})
}

// AddAddon installs an EKS managed add-on on any cluster, owned or
// imported (see [Cluster.AddAddon]).
func AddAddon(c ICluster, id string, opts AddonOptions) *Addon {
	return NewAddon(c, id, AddonProps{AddonOptions: opts, Cluster: c})
}

// EnsurePodIdentityAgent installs the EKS Pod Identity Agent add-on
// (eks-pod-identity-agent, id "EksPodIdentityAgentAddon" under the cluster,
// created before the cluster's compute) once per cluster and returns it;
// later calls, Pod Identity service accounts and add-ons with Pod Identity
// associations share it. An add-on named eks-pod-identity-agent that the
// user added is used instead. It returns nil where the agent is not
// installed by this app: on EKS Auto Mode clusters (the agent is built
// in) and on imported clusters (install it where the cluster is defined).
// Constructs that use Pod Identity depend on the result when it is not nil.
func EnsurePodIdentityAgent(c ICluster) *Addon {
	st := addonsOf(c)
	if st.agent != nil {
		return st.agent
	}
	oc, ok := c.(*Cluster)
	if !ok || oc.props.DefaultCapacityType == DefaultCapacityTypeAutoMode {
		return nil
	}
	return NewAddon(oc, "EksPodIdentityAgentAddon", AddonProps{Cluster: oc, AddonOptions: AddonOptions{
		AddonName:     AddonNamePodIdentityAgent,
		BeforeCompute: true,
	}})
}

// EnsurePodIdentityAgent is [EnsurePodIdentityAgent] for this cluster.
func (c *Cluster) EnsurePodIdentityAgent() *Addon { return EnsurePodIdentityAgent(c) }

// AddonName is the add-on's name.
func (a *Addon) AddonName() string { return a.name }

// AddonArn is the add-on's ARN.
func (a *Addon) AddonArn() string { return a.Resource.AttrArn() }

// Cluster is the add-on's cluster.
func (a *Addon) Cluster() ICluster { return a.cluster }

// PodIdentityRole is the role of the add-on's service account through Pod
// Identity (given or made), or nil when the service account has none.
// Grant it what the add-on needs.
func (a *Addon) PodIdentityRole(serviceAccount string) iam.IRole { return a.podRoles[serviceAccount] }

// String returns the construct path.
func (a *Addon) String() string { return fmt.Sprintf("eks.Addon(%s)", a.Node().Path()) }

// AddonAttributes describe an existing add-on.
type AddonAttributes struct {
	// AddonName is the add-on's name. Required.
	AddonName string
	// ClusterName is the name of its cluster. Required.
	ClusterName string
}

type importedAddon struct {
	cdk.Base
	name, arn string
}

func (a *importedAddon) AddonName() string { return a.name }
func (a *importedAddon) AddonArn() string  { return a.arn }

// AddonFromAddonAttributes refers to an add-on installed elsewhere. Its
// ARN is made from the stack's partition, region and account and ends in
// "/": EKS appends a unique suffix, so IAM policies add "*" to it.
func AddonFromAddonAttributes(scope cdk.Construct, id string, attrs AddonAttributes) IAddon {
	a := &importedAddon{name: attrs.AddonName}
	cdk.InitConstruct(a, scope, id)
	if attrs.AddonName == "" || attrs.ClusterName == "" {
		panic(a.Node().Path() + ": AddonAttributes.AddonName and ClusterName are required")
	}
	a.arn = cdk.StackOf(a).FormatArn(cdk.ArnComponents{Service: "eks", Resource: "addon", ResourceName: attrs.ClusterName + "/" + attrs.AddonName + "/"})
	return a
}

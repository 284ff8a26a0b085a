package karpenter

import (
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
	cfniam "github.com/eksforge/eksforge/cfn/iam"
	cfnsqs "github.com/eksforge/eksforge/cfn/sqs"
	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/internal/nilref"
)

// Chart locations: the controller chart and the chart of its CRDs, both
// published by Karpenter with the same versions.
const (
	// ChartRepository is the OCI registry of Karpenter's charts.
	ChartRepository = "oci://public.ecr.aws/karpenter"
	// DiscoveryTagKey tags the subnets (and security groups) Karpenter
	// discovers, with the cluster's name as value.
	DiscoveryTagKey = "karpenter.sh/discovery"
	// ServiceAccountName is the controller's Kubernetes service account.
	ServiceAccountName = "karpenter"
)

// Props define a Karpenter installation.
type Props struct {
	// Cluster runs Karpenter. Required. An EKS Auto Mode cluster is
	// refused: Auto Mode runs its own Karpenter.
	Cluster eks.ICluster
	// Version is the Karpenter release, pinned exactly ("1.14.1"): the
	// version of both charts and of the controller's IAM policy. Required;
	// 1.12.0 or later.
	Version string
	// Namespace of the controller.
	// Default: "kube-system" (Karpenter's getting-started guide: the API
	// server's kube-system FlowSchemas then give the controller priority).
	Namespace string
	// IRSA grants the controller's role through IAM roles for service
	// accounts (the cluster's OIDC provider) instead of EKS Pod Identity.
	// Default: false (EKS Pod Identity, with the eks-pod-identity-agent
	// add-on installed once per cluster), except that IRSA is used when
	// the controller runs on Fargate, which Pod Identity does not serve.
	IRSA bool
	// Fargate runs the controller on Fargate: a Fargate profile selects
	// its pods (label app.kubernetes.io/name=karpenter in Namespace). On
	// an eks.FargateCluster the controller runs on Fargate whatever this
	// says, and the cluster's default profile already covers kube-system.
	// Default: false (the controller runs on the cluster's nodes, such as
	// a managed node group).
	Fargate bool
	// NodeRole is the IAM role of the nodes Karpenter launches.
	// Default: a role trusted by EC2 with AmazonEKSWorkerNodePolicy,
	// AmazonEKS_CNI_Policy, AmazonEC2ContainerRegistryPullOnly and
	// AmazonSSMManagedInstanceCore (Karpenter's KarpenterNodeRole).
	NodeRole iam.IRole
	// SubnetSelection chooses the subnets tagged karpenter.sh/discovery
	// (see [Karpenter.DiscoveryTagValue]), where the default EC2NodeClass launches
	// nodes. Subnets defined outside this app cannot be tagged here: the
	// default EC2NodeClass then selects them by ID.
	// Default: the private subnets of the cluster's VPC.
	SubnetSelection ec2.SubnetSelection
	// Values are merged over the values this construct gives the chart
	// (maps key by key, anything else replaced), e.g. to set replicas or
	// settings.featureGates.
	// Default: none.
	Values map[string]any
	// Timeout bounds the chart's install or upgrade, which waits until the
	// controller is ready.
	// Default: Helm's (5 minutes).
	Timeout cdk.Duration
}

// Karpenter is Karpenter installed on an EKS cluster: the controller's IAM
// role and policies (granted by EKS Pod Identity or IRSA), the node role
// and its access to the cluster, the interruption queue with its
// EventBridge rules, the karpenter-crd and karpenter charts, and the
// discovery tags. NodePools and EC2NodeClasses are added with AddNodePool
// and AddEC2NodeClass.
type Karpenter struct {
	cdk.Base

	cluster   eks.ICluster
	version   string
	namespace string

	nodeRole       iam.IRole
	nodeAccess     *eks.AccessEntry
	serviceAccount *eks.ServiceAccount
	policies       []*cfniam.CfnManagedPolicy
	queue          *cfnsqs.CfnQueue
	crdChart       *eks.HelmChart
	chart          *eks.HelmChart
	fargateProfile *eks.FargateProfile
	namespaceObj   *eks.KubernetesManifest

	subnetsTagged bool
	discovery     string
	subnets       []ec2.ISubnet
	nodeClasses   []*EC2NodeClass
}

// New installs Karpenter on props.Cluster. Configuration problems (a
// missing or unsupported Version, an Auto Mode cluster, bad NodePools) are
// synthesis errors naming the construct; a missing Cluster panics, as the
// AWS CDK throws.
func New(scope cdk.Construct, id string, props Props) *Karpenter {
	k := &Karpenter{}
	cdk.InitConstruct(k, scope, id)
	if nilref.IsNil(props.Cluster) {
		panic(k.Node().Path() + ": karpenter.Props.Cluster is required (it " + nilref.Describe(props.Cluster) + "): pass a cluster")
	}
	for _, e := range nilref.Clear(&props, "karpenter.Props") {
		k.Node().AddError("%s: pass a value, or leave the field unset for its default", e)
	}
	c := props.Cluster
	k.cluster = c
	k.version = props.Version
	k.namespace = props.Namespace
	if k.namespace == "" {
		k.namespace = "kube-system"
	}
	if eks.AutoModeEnabled(c) {
		k.Node().AddError("the cluster %s runs EKS Auto Mode, which manages nodes with its own Karpenter: use its built-in node pools (eks.ComputeConfig.NodePools) or add NodePools of group karpenter.sh with eks.AddManifest, or make the cluster without Auto Mode", c.Node().Path())
		return k
	}
	if props.Version == "" {
		k.Node().AddError("karpenter.Props.Version is required: pin the Karpenter release (such as \"1.14.1\"), which sets the charts' version and the controller's IAM policy")
	} else if v, err := parseVersion(props.Version); err != nil {
		k.Node().AddError("%s", err.Error())
	} else if newestKnown.less(version{v.major, v.minor, 0}) {
		k.Node().AddWarning("Karpenter %s is newer than %d.%d, the newest release whose controller IAM policy this construct was checked against; the %d.%d policy is used: compare it with the release's getting-started cloudformation.yaml", props.Version, newestKnown.major, newestKnown.minor, newestKnown.major, newestKnown.minor)
	}
	if !validNamespace(k.namespace) {
		k.Node().AddError("Namespace %q is not a DNS label (lower-case letters, digits and '-', at most 63)", k.namespace)
	}

	_, fargateCluster := c.(*eks.FargateCluster)
	onFargate := props.Fargate || fargateCluster
	k.nodeRole = k.makeNodeRole(props.NodeRole)
	k.tagSubnets(props.SubnetSelection)
	k.queue = k.makeInterruptionQueue()
	k.makeNamespace()
	k.makeServiceAccount(props.IRSA || onFargate)
	k.makeControllerPolicies()
	if props.Fargate && !(fargateCluster && (k.namespace == "kube-system" || k.namespace == "default")) {
		k.makeFargateProfile()
	}
	k.installCharts(props)
	return k
}

// clusterResource is the AWS::EKS::Cluster of a cluster defined in this
// app.
func clusterResource(c eks.ICluster) (*cfneks.CfnCluster, bool) {
	switch oc := c.(type) {
	case *eks.Cluster:
		return oc.Resource, oc.Resource != nil
	case *eks.FargateCluster:
		return oc.Resource, oc.Resource != nil
	}
	return nil, false
}

func validNamespace(ns string) bool {
	if cdk.IsUnresolved(ns) {
		return true
	}
	if len(ns) == 0 || len(ns) > 63 {
		return false
	}
	for i, r := range ns {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case r == '-' && i > 0 && i < len(ns)-1:
		default:
			return false
		}
	}
	return true
}

// makeNodeRole returns the node role, made unless given, and lets its
// instances join the cluster (an EC2_LINUX access entry, or an aws-auth
// mapping in CONFIG_MAP mode).
func (k *Karpenter) makeNodeRole(given iam.IRole) iam.IRole {
	role := given
	if role == nil {
		role = iam.NewRole(k, "NodeRole", iam.RoleProps{
			AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com"),
			ManagedPolicies: []iam.IManagedPolicy{
				iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEKS_CNI_Policy"),
				iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEKSWorkerNodePolicy"),
				iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEC2ContainerRegistryPullOnly"),
				iam.ManagedPolicyFromAwsManagedPolicyName("AmazonSSMManagedInstanceCore"),
			},
			Description: "Nodes launched by Karpenter",
		})
	}
	// Under the cluster, as for self-managed capacity.
	id := k.Node().ID() + "NodeAccessEntry"
	if k.cluster.Node().TryFindChild(id) != nil {
		id = "NodeAccessEntry" + cdk.UniqueID(k)
	}
	k.nodeAccess = eks.AuthorizeNodeRole(k.cluster, id, role)
	return role
}

// tagSubnets tags the selected subnets for discovery; imported ones are
// remembered so the default EC2NodeClass selects them by ID.
func (k *Karpenter) tagSubnets(sel ec2.SubnetSelection) {
	var subnets []ec2.ISubnet
	if !sel.IsZero() {
		res, err := ec2.TrySelectSubnets(k.cluster.Vpc(), sel)
		if err != nil {
			k.Node().AddError("SubnetSelection: %v", err)
		}
		subnets = res.Subnets
	} else {
		subnets = k.cluster.Vpc().PrivateSubnets()
	}
	k.subnets = subnets
	// The cluster's name when it is known at synthesis, as Karpenter's
	// guide tags; a generated name cannot be used, since the cluster
	// depends on its subnets.
	k.discovery = k.cluster.ClusterName()
	if oc, ok := clusterResource(k.cluster); ok {
		k.discovery = oc.Props.Name
	}
	if k.discovery == "" || cdk.IsUnresolved(k.discovery) {
		k.discovery = cdk.UniqueID(k.cluster)
	}
	k.subnetsTagged = len(subnets) > 0
	for _, s := range subnets {
		if _, owned := s.(*ec2.Subnet); !owned {
			k.subnetsTagged = false
			continue
		}
		cdk.TagsOf(s).Add(DiscoveryTagKey, k.discovery, cdk.TagProps{IncludeResourceTypes: []string{"AWS::EC2::Subnet"}})
	}
}

// makeNamespace creates Namespace unless it is one every cluster has.
func (k *Karpenter) makeNamespace() {
	if k.namespace == "kube-system" || k.namespace == "default" {
		return
	}
	k.namespaceObj = eks.NewKubernetesManifest(k, "Namespace", eks.KubernetesManifestProps{
		Cluster: k.cluster,
		Manifest: []any{map[string]any{
			"apiVersion": "v1", "kind": "Namespace",
			"metadata": map[string]any{"name": k.namespace},
		}},
	})
}

// makeServiceAccount makes the controller's service account and role,
// bound by a Pod Identity association or trusted through IRSA.
func (k *Karpenter) makeServiceAccount(irsa bool) {
	identity := eks.IdentityTypePodIdentity
	if irsa {
		identity = eks.IdentityTypeIRSA
	}
	k.serviceAccount = eks.NewServiceAccount(k, "ServiceAccount", eks.ServiceAccountProps{
		Cluster: k.cluster,
		ServiceAccountOptions: eks.ServiceAccountOptions{
			Name:         ServiceAccountName,
			Namespace:    k.namespace,
			IdentityType: identity,
			Labels:       map[string]string{"app.kubernetes.io/instance": "karpenter"},
			// The chart would otherwise own it; take over one left by a
			// manual installation.
			OverwriteServiceAccount: true,
		},
	})
}

// makeControllerPolicies attaches the version's policies to the
// controller's role, each a managed policy as in Karpenter's template.
func (k *Karpenter) makeControllerPolicies() {
	stack := cdk.StackOf(k)
	env := policyEnv{
		partition:   stack.Partition(),
		region:      stack.Region(),
		account:     stack.Account(),
		clusterName: k.cluster.ClusterName(),
		clusterArn:  k.cluster.ClusterArn(),
		nodeRoleArn: k.nodeRole.RoleArn(),
		queueArn:    k.queue.AttrArn(),
	}
	for _, p := range controllerPolicies(env) {
		mp := cfniam.NewCfnManagedPolicy(k, "Controller"+p.id, cfniam.CfnManagedPolicyProps{
			Description:    "Karpenter controller: " + p.id,
			Path:           "/",
			PolicyDocument: p.document(),
			Roles:          []string{k.serviceAccount.Role().RoleName()},
		})
		k.policies = append(k.policies, mp)
	}
}

// makeFargateProfile runs the controller's pods on Fargate.
func (k *Karpenter) makeFargateProfile() {
	k.fargateProfile = eks.NewFargateProfile(k, "FargateProfile", eks.FargateProfileProps{
		Cluster: k.cluster,
		FargateProfileOptions: eks.FargateProfileOptions{
			Selectors: []eks.Selector{{Namespace: k.namespace, Labels: map[string]string{"app.kubernetes.io/name": "karpenter"}}},
		},
	})
}

// ControllerRole is the IAM role of the controller's pods.
func (k *Karpenter) ControllerRole() iam.IRole { return k.serviceAccount.Role() }

// ServiceAccount is the controller's service account.
func (k *Karpenter) ServiceAccount() *eks.ServiceAccount { return k.serviceAccount }

// NodeRole is the IAM role of the nodes Karpenter launches.
func (k *Karpenter) NodeRole() iam.IRole { return k.nodeRole }

// InterruptionQueue is the SQS queue of interruption events.
func (k *Karpenter) InterruptionQueue() *cfnsqs.CfnQueue { return k.queue }

// Chart is the karpenter chart's release; CRDChart is the karpenter-crd
// chart's.
func (k *Karpenter) Chart() *eks.HelmChart { return k.chart }

// CRDChart is the release of the karpenter-crd chart, which installs and
// upgrades Karpenter's CRDs (Helm never upgrades a chart's crds/).
func (k *Karpenter) CRDChart() *eks.HelmChart { return k.crdChart }

// DiscoveryTagValue is the value of the karpenter.sh/discovery tag on the
// subnets: the cluster's name when ClusterProps.ClusterName set it, else
// the cluster's unique ID in the app (a generated name cannot be used: the
// cluster depends on its subnets). Tag other subnets or security groups
// with it to select them with a tags term in an EC2NodeClass.
func (k *Karpenter) DiscoveryTagValue() string { return k.discovery }

// Namespace is the controller's namespace.
func (k *Karpenter) Namespace() string { return k.namespace }

// Cluster is the cluster Karpenter runs on.
func (k *Karpenter) Cluster() eks.ICluster { return k.cluster }

package eks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/cdk"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
)

// ICluster is an EKS cluster, defined in this app (Cluster, FargateCluster)
// or imported (ClusterFromClusterAttributes). Everything that works on a
// cluster takes an ICluster.
type ICluster interface {
	cdk.Construct
	ec2.IConnectable
	// ClusterName is the cluster's name.
	ClusterName() string
	// ClusterArn is the cluster's ARN.
	ClusterArn() string
	// ClusterEndpoint is the URL of the Kubernetes API server.
	ClusterEndpoint() string
	// ClusterCertificateAuthorityData is the base64 certificate of the API
	// server's certificate authority.
	ClusterCertificateAuthorityData() string
	// ClusterSecurityGroupId is the security group EKS creates for the
	// control plane and managed nodes.
	ClusterSecurityGroupId() string
	// ClusterSecurityGroup is that security group as a construct.
	ClusterSecurityGroup() ec2.ISecurityGroup
	// ClusterEncryptionConfigKeyArn is the ARN of the KMS key encrypting
	// Kubernetes secrets.
	ClusterEncryptionConfigKeyArn() string
	// ClusterOpenIdConnectIssuerUrl is the cluster's OpenID Connect issuer.
	ClusterOpenIdConnectIssuerUrl() string
	// Vpc is the cluster's VPC.
	Vpc() ec2.IVpc
	// AuthenticationMode says how IAM principals are mapped to Kubernetes.
	AuthenticationMode() AuthenticationMode
	// IpFamily is the cluster's IP family.
	IpFamily() IpFamily
	// KubernetesVersion is the control plane's version ("" when unknown).
	KubernetesVersion() KubernetesVersion

	// AddManifest applies Kubernetes objects to the cluster at deploy time
	// ([Cluster.AddManifest]).
	AddManifest(id string, objects ...any) *KubernetesManifest
	// AddHelmChart installs a Helm chart ([Cluster.AddHelmChart]).
	AddHelmChart(id string, opts HelmChartOptions) *HelmChart
	// AddServiceAccount adds a Kubernetes service account with an IAM role
	// ([Cluster.AddServiceAccount]).
	AddServiceAccount(id string, opts ...ServiceAccountOptions) *ServiceAccount
	// AwsAuth is the cluster's aws-auth ConfigMap, made on first use
	// ([Cluster.AwsAuth]).
	AwsAuth() *AwsAuth
	// AddAutoScalingGroupCapacity adds self-managed nodes
	// ([Cluster.AddAutoScalingGroupCapacity]).
	AddAutoScalingGroupCapacity(id string, opts AutoScalingGroupCapacityOptions) *autoscaling.AutoScalingGroup

	// internals gives package code (and part 2: manifests, charts, aws-auth)
	// the cluster's registry.
	internals() *clusterInternals
}

// AuthenticationMode says where EKS looks up the IAM principals allowed
// into a cluster: access entries (API), the aws-auth ConfigMap
// (CONFIG_MAP), or both. The zero value is API_AND_CONFIG_MAP.
type AuthenticationMode string

// Authentication modes.
const (
	// AuthenticationModeApiAndConfigMap reads access entries and the
	// aws-auth ConfigMap. It is the zero value, so the seed's aws-auth
	// mappings work alongside access entries.
	AuthenticationModeApiAndConfigMap AuthenticationMode = ""
	// AuthenticationModeApi reads access entries only.
	AuthenticationModeApi AuthenticationMode = "API"
	// AuthenticationModeConfigMap reads the aws-auth ConfigMap only (access
	// entries cannot be used).
	AuthenticationModeConfigMap AuthenticationMode = "CONFIG_MAP"
)

func (m AuthenticationMode) cfn() string {
	if m == "" {
		return "API_AND_CONFIG_MAP"
	}
	return string(m)
}

// String returns the mode as EKS writes it.
func (m AuthenticationMode) String() string { return m.cfn() }

// IpFamily is the IP family of pod and service addresses.
type IpFamily string

// IP families; the zero value is IPv4.
const (
	IpFamilyIpV4 IpFamily = ""
	IpFamilyIpV6 IpFamily = "ipv6"
)

func (f IpFamily) cfn() string {
	if f == "" {
		return "ipv4"
	}
	return string(f)
}

// ClusterLoggingType is a control plane log type sent to CloudWatch Logs.
type ClusterLoggingType string

// Control plane log types.
const (
	ClusterLoggingApi               ClusterLoggingType = "api"
	ClusterLoggingAudit             ClusterLoggingType = "audit"
	ClusterLoggingAuthenticator     ClusterLoggingType = "authenticator"
	ClusterLoggingControllerManager ClusterLoggingType = "controllerManager"
	ClusterLoggingScheduler         ClusterLoggingType = "scheduler"
)

// DefaultCapacityType is the kind of capacity a Cluster creates for itself.
type DefaultCapacityType int

// Default capacity types.
const (
	// DefaultCapacityTypeNodegroup is a managed node group (the zero value).
	DefaultCapacityTypeNodegroup DefaultCapacityType = iota
	// DefaultCapacityTypeEC2 is a self-managed Auto Scaling group.
	DefaultCapacityTypeEC2
	// DefaultCapacityTypeAutoMode is EKS Auto Mode: EKS runs the nodes
	// (node pools general-purpose and system), load balancing and block
	// storage.
	DefaultCapacityTypeAutoMode
)

// CoreDnsComputeType says where CoreDNS runs.
type CoreDnsComputeType int

// CoreDNS compute types.
const (
	// CoreDnsComputeTypeEc2 runs CoreDNS on EC2 nodes (the zero value).
	CoreDnsComputeTypeEc2 CoreDnsComputeType = iota
	// CoreDnsComputeTypeFargate runs CoreDNS on Fargate, through the
	// coredns add-on's computeType setting.
	CoreDnsComputeTypeFargate
)

// AutoModeNodePool names a built-in EKS Auto Mode node pool.
type AutoModeNodePool string

// Built-in Auto Mode node pools.
const (
	AutoModeNodePoolGeneralPurpose AutoModeNodePool = "general-purpose"
	AutoModeNodePoolSystem         AutoModeNodePool = "system"
)

// ComputeConfig configures EKS Auto Mode (DefaultCapacityTypeAutoMode).
type ComputeConfig struct {
	// NodePools are the built-in node pools to enable.
	// Default: system and general-purpose.
	NodePools []AutoModeNodePool
	// NodeRole is the IAM role of Auto Mode nodes.
	// Default: a role with AmazonEKSWorkerNodePolicy and
	// AmazonEC2ContainerRegistryReadOnly.
	NodeRole iam.IRole
}

// ClusterProps define a Cluster. Only Version is required.
type ClusterProps struct {
	// Version is the Kubernetes version of the control plane. Required.
	Version KubernetesVersion
	// ClusterName is the cluster's physical name. Changing it replaces the
	// cluster.
	// Default: a name CloudFormation generates.
	ClusterName string
	// Vpc is where the cluster's network interfaces and nodes go.
	// Default: a new VPC with the AWS CDK's defaults (public and private
	// subnets in up to 3 zones, one NAT gateway per zone).
	Vpc ec2.IVpc
	// VpcSubnets select the subnets of the control plane's network
	// interfaces.
	// Default: the VPC's public and private subnets.
	VpcSubnets []ec2.SubnetSelection
	// Role is the cluster's service role.
	// Default: a role EKS assumes, with AmazonEKSClusterPolicy.
	Role iam.IRole
	// SecurityGroup is the control plane's additional security group.
	// Default: a new security group ("EKS Control Plane Security Group").
	SecurityGroup ec2.ISecurityGroup
	// EndpointAccess says from where the API endpoint can be reached.
	// Default: public and private.
	EndpointAccess EndpointAccess
	// DefaultCapacity is how many nodes the cluster's own capacity has;
	// cdk.Ptr(0) for none.
	// Default: 2 (none for DefaultCapacityTypeAutoMode).
	DefaultCapacity *int
	// DefaultCapacityInstance is the instance type of the default capacity.
	// Default: m5.large.
	DefaultCapacityInstance ec2.InstanceType
	// DefaultCapacityType is the kind of the default capacity.
	// Default: a managed node group.
	DefaultCapacityType DefaultCapacityType
	// Compute configures Auto Mode; only with DefaultCapacityTypeAutoMode.
	// Default: node pools system and general-purpose with a new node role.
	Compute *ComputeConfig
	// MastersRole is given cluster-admin: an access entry with
	// AmazonEKSClusterAdminPolicy (and, in modes with the ConfigMap, a
	// system:masters mapping in aws-auth). With it the stack outputs the
	// kubeconfig commands. Unlike the seed (aws-eks v1), no role that
	// anyone in the account may assume is created when this is nil.
	// Default: none.
	MastersRole iam.IRole
	// DisableOutputConfigCommand leaves out the outputs with the `aws eks
	// update-kubeconfig` and `aws eks get-token` commands that a cluster
	// with a MastersRole has (the AWS CDK's outputConfigCommand: false).
	// Default: false, the commands are output when MastersRole is set.
	DisableOutputConfigCommand bool
	// OutputClusterName outputs the cluster's name.
	// Default: false.
	OutputClusterName bool
	// OutputMastersRoleArn outputs the masters role's ARN.
	// Default: false.
	OutputMastersRoleArn bool
	// CoreDnsComputeType says where CoreDNS runs.
	// Default: on EC2 (on Fargate for a FargateCluster).
	CoreDnsComputeType CoreDnsComputeType
	// SecretsEncryptionKey encrypts Kubernetes secrets (envelope
	// encryption). It must be in the cluster's region. Changing it replaces
	// the cluster.
	// Default: secrets are encrypted with an AWS owned key.
	SecretsEncryptionKey kms.IKey
	// ClusterLogging are the control plane logs sent to CloudWatch Logs.
	// Default: none.
	ClusterLogging []ClusterLoggingType
	// IpFamily is the IP family of pods and services.
	// Default: IPv4.
	IpFamily IpFamily
	// ServiceIpv4Cidr is the CIDR block of Kubernetes services.
	// Default: 10.100.0.0/16 or 172.20.0.0/16, chosen by EKS.
	ServiceIpv4Cidr string
	// Tags are tags of the cluster resource.
	// Default: none.
	Tags map[string]string
	// AuthenticationMode says where EKS looks up IAM principals.
	// Default: API_AND_CONFIG_MAP.
	AuthenticationMode AuthenticationMode
	// BootstrapClusterCreatorAdminPermissions gives the identity that creates
	// the cluster (CloudFormation's role) cluster-admin. Changing it replaces
	// the cluster. cdk.Ptr(true) asks for it; access entries
	// (Cluster.GrantAccess, MastersRole) are the way to give people access.
	// Default: false when the AuthenticationMode uses access entries (the
	// kubectl handler has its own), EKS's true in CONFIG_MAP mode.
	BootstrapClusterCreatorAdminPermissions *bool
	// BootstrapSelfManagedAddons installs the default networking add-ons
	// (VPC CNI, CoreDNS, kube-proxy) as self-managed add-ons.
	// Default: EKS's (true; false with Auto Mode).
	BootstrapSelfManagedAddons *bool
	// DeletionProtection stops the cluster from being deleted.
	// Default: false.
	DeletionProtection bool
	// SupportType is the upgrade policy: extended support keeps the
	// version 12 months after standard support ends (billed); standard
	// support upgrades the control plane then.
	// Default: EKS's (EXTENDED; not rendered).
	SupportType SupportType
	// EnableZonalShift lets Amazon Application Recovery Controller shift
	// the cluster's traffic away from an impaired Availability Zone.
	// Default: false (not rendered).
	EnableZonalShift bool
	// ControlPlaneScalingTier provisions the control plane at a size (EKS
	// Provisioned Control Plane, billed per tier).
	// Default: EKS's standard control plane (not rendered).
	ControlPlaneScalingTier ControlPlaneScalingTier
	// ForceVersionUpdate overrides EKS's upgrade readiness checks when
	// Version changes.
	// Default: false: a failing insight blocks the upgrade.
	ForceVersionUpdate bool
	// Outpost places the control plane on an AWS Outpost (a local cluster;
	// EndpointAccess must be private). Changing it replaces the cluster.
	// Default: none: the control plane runs in the AWS Region.
	Outpost *OutpostConfig
	// RemoteNodeNetworks are the private IPv4 blocks of EKS Hybrid Nodes
	// (on-premises or edge machines joined to the cluster); they must not
	// overlap each other, the VPC or the service range.
	// Default: none (no hybrid nodes).
	RemoteNodeNetworks []string
	// RemotePodNetworks are the private IPv4 blocks of pods on hybrid
	// nodes, needed for webhooks running there; only with
	// RemoteNodeNetworks.
	// Default: none.
	RemotePodNetworks []string
	// RemovalPolicy applies to the cluster and the EKS resources it creates
	// (node groups, Fargate profiles, access entries, add-ons).
	// Default: cdk.RemovalPolicyDestroy.
	RemovalPolicy cdk.RemovalPolicy
	// Kubectl configures the kubectl handler that applies Kubernetes
	// manifests, Helm charts, patches and aws-auth entries to the cluster.
	// Default: see [KubectlOptions].
	Kubectl KubectlOptions
}

// Cluster is an Amazon EKS cluster on the native AWS::EKS::Cluster resource,
// with its VPC, roles, security group, default capacity and access entries.
type Cluster struct {
	cdk.Base

	// Resource is the AWS::EKS::Cluster resource, for overrides.
	Resource *cfneks.CfnCluster

	version     KubernetesVersion
	role        iam.IRole
	vpc         ec2.IVpc
	vpcSubnets  []ec2.SubnetSelection
	sg          ec2.ISecurityGroup
	clusterSG   ec2.ISecurityGroup
	connections *ec2.Connections
	authMode    AuthenticationMode
	ipFamily    IpFamily
	endpoint    EndpointAccess
	props       ClusterProps

	defaultCapacity  capacityGroup
	defaultNodegroup *Nodegroup
	autoModeNodeRole iam.IRole

	in *clusterInternals
}

// NewCluster adds an EKS cluster to scope.
func NewCluster(scope cdk.Construct, id string, props ClusterProps) *Cluster {
	return newClusterWith(scope, id, props, nil)
}

// newClusterWith makes a cluster; beforeCapacity, when set, runs once the
// cluster resource exists and before the default capacity and CoreDNS
// placement (FargateCluster adds its default profile there). Each concern
// is one method, in the order the constructs are made.
func newClusterWith(scope cdk.Construct, id string, props ClusterProps, beforeCapacity func(*Cluster)) *Cluster {
	c := &Cluster{props: props, version: props.Version, authMode: props.AuthenticationMode, ipFamily: props.IpFamily, endpoint: props.EndpointAccess}
	cdk.InitConstruct(c, scope, id)
	c.in = newClusterInternals(c)
	props = c.checkClusterProps(props)
	c.props = props
	if props.Version == "" {
		c.Node().AddError("Version is required: set ClusterProps.Version, e.g. eks.V1_34")
	} else if !versionPattern.MatchString(string(props.Version)) {
		c.Node().AddError("Version %q is not a Kubernetes version: use \"1.<minor>\", e.g. eks.V1_34", string(props.Version))
	}
	autoMode := props.DefaultCapacityType == DefaultCapacityTypeAutoMode
	if props.Compute != nil && !autoMode {
		c.Node().AddError("Compute is only for EKS Auto Mode: set DefaultCapacityType to eks.DefaultCapacityTypeAutoMode or remove Compute")
	}

	c.vpc = props.Vpc
	if c.vpc == nil {
		c.vpc = ec2.NewVpc(c, "DefaultVpc", ec2.VpcProps{})
	}
	c.tagSubnets()
	c.makeRole(props, autoMode)
	if props.SecurityGroup != nil {
		c.sg = props.SecurityGroup
	} else {
		c.sg = ec2.NewSecurityGroup(c, "ControlPlaneSecurityGroup", ec2.SecurityGroupProps{Vpc: c.vpc, Description: "EKS Control Plane Security Group"})
	}
	subnetIDs := c.selectClusterSubnets(props)
	privateSubnets := c.selectPrivateSubnets()
	c.checkEndpointAccess(privateSubnets)

	cfg := c.clusterResourceProps(props, subnetIDs)
	if autoMode {
		c.autoModeConfig(cfg, id, props)
	}
	c.makeClusterResource(cfg, props, privateSubnets)

	c.clusterSG = ec2.SecurityGroupFromSecurityGroupId(c, "ClusterSecurityGroup", c.ClusterSecurityGroupId())
	port := ec2.PortTcp(443)
	c.connections = ec2.NewConnections(ec2.ConnectionsProps{SecurityGroups: []ec2.ISecurityGroup{c.clusterSG, c.sg}, DefaultPort: &port})

	var commandOptions []string
	if stack := cdk.StackOf(c); stack != nil {
		commandOptions = append(commandOptions, "--region "+stack.Region())
	}
	if props.MastersRole != nil {
		c.GrantAccess("mastersRoleAccess", props.MastersRole.RoleArn(), AccessPolicyFromAccessPolicyName("AmazonEKSClusterAdminPolicy", AccessScope{Type: AccessScopeTypeCluster}))
		c.in.mastersRoles = append(c.in.mastersRoles, props.MastersRole)
		commandOptions = append(commandOptions, "--role-arn "+props.MastersRole.RoleArn())
	}

	if beforeCapacity != nil {
		beforeCapacity(c)
	}
	c.addDefaultCapacityFor(props, autoMode)
	if props.CoreDnsComputeType == CoreDnsComputeTypeFargate {
		c.defineCoreDnsOnFargate()
	}
	c.addOutputs(props, commandOptions)
	initKubernetes(c)
	return c
}

// makeRole uses ClusterProps.Role or makes the cluster's role, with what
// EKS Auto Mode needs on it.
func (c *Cluster) makeRole(props ClusterProps, autoMode bool) {
	if props.Role != nil {
		c.role = props.Role
	} else {
		c.role = iam.NewRole(c, "Role", iam.RoleProps{
			AssumedBy:       iam.NewServicePrincipal("eks.amazonaws.com"),
			ManagedPolicies: []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEKSClusterPolicy")},
		})
	}
	if autoMode {
		for _, p := range []string{"AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy"} {
			c.role.AddManagedPolicy(iam.ManagedPolicyFromAwsManagedPolicyName(p))
		}
		if r, ok := c.role.(*iam.Role); ok {
			r.AssumeRolePolicy().AddStatements(iam.NewPolicyStatement(iam.PolicyStatementProps{
				Actions:    []string{"sts:TagSession"},
				Principals: []iam.IPrincipal{iam.NewServicePrincipal("eks.amazonaws.com")},
			}))
		}
		if props.BootstrapSelfManagedAddons != nil && *props.BootstrapSelfManagedAddons {
			c.Node().AddError("BootstrapSelfManagedAddons cannot be true with EKS Auto Mode: Auto Mode manages networking itself; remove it")
		}
	}

}

// selectClusterSubnets returns the IDs of the subnets the VpcSubnets
// selections choose (public and private with egress by default), each once.
func (c *Cluster) selectClusterSubnets(props ClusterProps) []string {
	c.vpcSubnets = props.VpcSubnets
	if len(c.vpcSubnets) == 0 {
		c.vpcSubnets = []ec2.SubnetSelection{{SubnetType: ec2.SubnetTypePublic}, {SubnetType: ec2.SubnetTypePrivateWithEgress}}
	}
	var subnetIDs []string
	seen := map[string]bool{}
	for _, sel := range c.vpcSubnets {
		res, err := ec2.TrySelectSubnets(c.vpc, sel)
		if err != nil {
			// A VPC without public subnets, for instance: the default
			// selection keeps what exists.
			if len(props.VpcSubnets) > 0 {
				c.Node().AddError("VpcSubnets: %v", err)
			}
			continue
		}
		for _, s := range res.SubnetIds {
			if !seen[s] {
				seen[s] = true
				subnetIDs = append(subnetIDs, s)
			}
		}
	}
	return subnetIDs
}

// checkEndpointAccess reports endpoint settings the selected subnets cannot
// serve.
func (c *Cluster) checkEndpointAccess(privateSubnets []ec2.ISubnet) {
	ea := c.props.EndpointAccess
	if ea.onlyFromPrivate {
		c.Node().AddError("EndpointAccess: OnlyFrom restricts public access, but eks.EndpointAccessPrivate has none; use eks.EndpointAccessPublicAndPrivate.OnlyFrom(...) or drop OnlyFrom")
	}
	if len(privateSubnets) == 0 && !ea.PublicAccess() {
		c.Node().AddError("EndpointAccess PRIVATE needs private subnets, but the cluster's VpcSubnets select none: add private subnets to the VPC or VpcSubnets, or allow public access")
	}
	if len(privateSubnets) == 0 && ea.PublicAccess() && len(ea.cidrs) > 0 {
		c.Node().AddError("EndpointAccess restricted with OnlyFrom needs private subnets for the nodes to reach the endpoint, but the cluster's VpcSubnets select none: add private subnets")
	}
}

// clusterResourceProps are the AWS::EKS::Cluster's properties, without
// the Auto Mode configuration.
func (c *Cluster) clusterResourceProps(props ClusterProps, subnetIDs []string) *cfneks.CfnClusterProps {
	ea := props.EndpointAccess
	cfg := &cfneks.CfnClusterProps{
		Name:    props.ClusterName,
		RoleArn: c.role.RoleArn(),
		Version: string(props.Version),
		AccessConfig: &cfneks.CfnClusterAccessConfig{
			AuthenticationMode:                      c.authMode.cfn(),
			BootstrapClusterCreatorAdminPermissions: bootstrapCreatorAdmin(props.BootstrapClusterCreatorAdminPermissions, c.authMode),
		},
		KubernetesNetworkConfig: &cfneks.CfnClusterKubernetesNetworkConfig{
			IpFamily:        c.ipFamily.cfn(),
			ServiceIpv4Cidr: props.ServiceIpv4Cidr,
		},
		ResourcesVpcConfig: &cfneks.CfnClusterResourcesVpcConfig{
			SecurityGroupIds:      []string{c.sg.SecurityGroupId()},
			SubnetIds:             subnetIDs,
			EndpointPrivateAccess: cdk.Ptr(ea.PrivateAccess()),
			EndpointPublicAccess:  cdk.Ptr(ea.PublicAccess()),
			PublicAccessCidrs:     ea.PublicCidrs(),
		},
		BootstrapSelfManagedAddons: props.BootstrapSelfManagedAddons,
	}
	if props.ServiceIpv4Cidr != "" && c.ipFamily == IpFamilyIpV6 {
		c.Node().AddError("ServiceIpv4Cidr cannot be set with IpFamily IPv6: remove one")
	}
	if props.DeletionProtection {
		cfg.DeletionProtection = cdk.Ptr(true)
	}
	c.clusterOptions(cfg)
	if len(props.ClusterLogging) > 0 {
		types := make([]cfneks.CfnClusterLoggingTypeConfig, len(props.ClusterLogging))
		for i, t := range props.ClusterLogging {
			types[i] = cfneks.CfnClusterLoggingTypeConfig{Type: string(t)}
		}
		cfg.Logging = &cfneks.CfnClusterLogging{ClusterLogging: &cfneks.CfnClusterClusterLogging{EnabledTypes: types}}
	}
	if props.SecretsEncryptionKey != nil {
		cfg.EncryptionConfig = []cfneks.CfnClusterEncryptionConfig{{
			Provider:  &cfneks.CfnClusterProvider{KeyArn: props.SecretsEncryptionKey.KeyArn()},
			Resources: []string{"secrets"},
		}}
		c.checkKeyRegion(props.SecretsEncryptionKey)
	}
	if len(props.Tags) > 0 {
		keys := make([]string, 0, len(props.Tags))
		for k := range props.Tags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			cfg.Tags = append(cfg.Tags, cdk.CfnTag{Key: k, Value: props.Tags[k]})
		}
	}
	return cfg
}

// autoModeConfig turns EKS Auto Mode on in cfg: compute (built-in node
// pools and their node role), block storage and load balancing.
func (c *Cluster) autoModeConfig(cfg *cfneks.CfnClusterProps, id string, props ClusterProps) {
	pools := []string{string(AutoModeNodePoolSystem), string(AutoModeNodePoolGeneralPurpose)}
	var nodeRole iam.IRole
	if props.Compute != nil {
		if props.Compute.NodePools != nil {
			pools = nil
			for _, p := range props.Compute.NodePools {
				if p != AutoModeNodePoolSystem && p != AutoModeNodePoolGeneralPurpose {
					c.Node().AddError("Compute.NodePools: %q is not a built-in node pool; use eks.AutoModeNodePoolSystem or eks.AutoModeNodePoolGeneralPurpose", string(p))
				}
				pools = append(pools, string(p))
			}
		}
		nodeRole = props.Compute.NodeRole
	}
	cc := &cfneks.CfnClusterComputeConfig{Enabled: cdk.Ptr(true), NodePools: pools}
	if len(pools) > 0 {
		if nodeRole == nil {
			nodeRole = iam.NewRole(c, id+"nodePoolRole", iam.RoleProps{
				AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com"),
				ManagedPolicies: []iam.IManagedPolicy{
					iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEKSWorkerNodePolicy"),
					iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEC2ContainerRegistryReadOnly"),
				},
			})
		}
		cc.NodeRoleArn = nodeRole.RoleArn()
		c.autoModeNodeRole = nodeRole
	}
	cfg.ComputeConfig = cc
	cfg.StorageConfig = &cfneks.CfnClusterStorageConfig{BlockStorage: &cfneks.CfnClusterBlockStorage{Enabled: cdk.Ptr(true)}}
	cfg.KubernetesNetworkConfig.ElasticLoadBalancing = &cfneks.CfnClusterElasticLoadBalancing{Enabled: cdk.Ptr(true)}
}

// makeClusterResource makes the AWS::EKS::Cluster, with the grants and
// dependencies it needs before it is created.
func (c *Cluster) makeClusterResource(cfg *cfneks.CfnClusterProps, props ClusterProps, privateSubnets []ec2.ISubnet) {
	ea := props.EndpointAccess
	c.Resource = cfneks.NewCfnCluster(c, "Resource", *cfg)
	if key := props.SecretsEncryptionKey; key != nil {
		// What EKS documents the cluster role needs on the key to envelope-
		// encrypt secrets (terraform-aws-eks's "cluster encryption" policy);
		// applied before the cluster is created, so the first secret
		// written can be encrypted. The creator's kms:CreateGrant and
		// kms:DescribeKey are the deploying role's (CloudFormation's).
		key.Grant(c.role, "kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey").ApplyBefore(c.Resource)
	}
	c.Node().SetDefaultChild(c.Resource)
	c.applyRemovalPolicy(&c.Resource.CfnResource)
	if vc, ok := c.vpc.(cdk.Construct); ok && ea.PrivateAccess() && len(privateSubnets) > 0 {
		// Nodes reach a private endpoint only once the VPC's routes exist,
		// and deleting the VPC first would strand the cluster's interfaces.
		c.Resource.Node().AddDependency(vc)
	}

}

// addDefaultCapacityFor adds the default capacity: none with EKS Auto
// Mode, else DefaultCapacity nodes (2) of DefaultCapacityInstance
// (m5.large), as a managed node group or an Auto Scaling group.
func (c *Cluster) addDefaultCapacityFor(props ClusterProps, autoMode bool) {
	if autoMode {
		if props.DefaultCapacity != nil || !props.DefaultCapacityInstance.IsZero() {
			c.Node().AddError("DefaultCapacity and DefaultCapacityInstance cannot be set with EKS Auto Mode: Auto Mode chooses the nodes; remove them")
		}
	} else {
		n := 2
		if props.DefaultCapacity != nil {
			n = *props.DefaultCapacity
		}
		if n < 0 {
			c.Node().AddError("DefaultCapacity is %d: use 0 for no default capacity, or a positive count", n)
		}
		if n > 0 {
			it := props.DefaultCapacityInstance
			if it.IsZero() {
				it = ec2.InstanceTypeOf("m5.large")
			}
			if props.DefaultCapacityType == DefaultCapacityTypeEC2 {
				c.defaultCapacity = c.addDefaultAutoScalingGroup(it, n)
			} else {
				c.defaultNodegroup = c.AddNodegroupCapacity("DefaultCapacity", NodegroupOptions{InstanceTypes: []ec2.InstanceType{it}, MinSize: cdk.Ptr(n)})
			}
		}
	}

}

// addOutputs adds the outputs ClusterProps asks for.
func (c *Cluster) addOutputs(props ClusterProps, commandOptions []string) {
	if !props.DisableOutputConfigCommand && props.MastersRole != nil {
		postfix := strings.Join(commandOptions, " ")
		cdk.NewCfnOutput(c, "ConfigCommand", cdk.CfnOutputProps{Value: "aws eks update-kubeconfig --name " + c.ClusterName() + " " + postfix})
		cdk.NewCfnOutput(c, "GetTokenCommand", cdk.CfnOutputProps{Value: "aws eks get-token --cluster-name " + c.ClusterName() + " " + postfix})
	}
	if props.OutputClusterName {
		cdk.NewCfnOutput(c, "ClusterName", cdk.CfnOutputProps{Value: c.ClusterName()})
	}
	if props.OutputMastersRoleArn {
		if props.MastersRole == nil {
			c.Node().AddError("OutputMastersRoleArn needs a MastersRole: set ClusterProps.MastersRole")
		} else {
			cdk.NewCfnOutput(c, "MastersRoleArn", cdk.CfnOutputProps{Value: props.MastersRole.RoleArn()})
		}
	}
}

// checkKeyRegion reports a secrets key in another region than the stack's,
// when both are known at synthesis.
func (c *Cluster) checkKeyRegion(key kms.IKey) {
	arn := key.KeyArn()
	if cdk.IsUnresolved(arn) {
		return
	}
	parts, err := cdk.SplitArn(arn, cdk.ArnFormatSlashResourceName)
	if err != nil || parts.Region == "" || cdk.IsUnresolved(parts.Region) {
		return
	}
	stack := cdk.StackOf(c)
	if stack == nil || cdk.IsUnresolved(stack.Region()) {
		return
	}
	if parts.Region != stack.Region() {
		c.Node().AddError("SecretsEncryptionKey %s is in region %s, but the cluster is in %s: EKS needs a KMS key in the cluster's region", arn, parts.Region, stack.Region())
	}
}

func (c *Cluster) applyRemovalPolicy(r *cdk.CfnResource) {
	if c.props.RemovalPolicy != "" {
		r.ApplyRemovalPolicy(c.props.RemovalPolicy)
	}
}

// tagSubnets tags the VPC's subnets for Kubernetes load balancers, as the
// AWS CDK does: kubernetes.io/role/internal-elb on private subnets and
// kubernetes.io/role/elb on public ones. Imported subnets cannot be tagged.
func (c *Cluster) tagSubnets() {
	tag := func(subnets []ec2.ISubnet, kind, key string) {
		for _, s := range subnets {
			if sn, ok := s.(*ec2.Subnet); ok {
				cdk.TagsOf(sn).Add(key, "1")
				continue
			}
			id := s.SubnetId()
			if cdk.IsUnresolved(id) {
				id = ""
			} else {
				id = " " + id
			}
			c.Node().AddWarning("could not tag the imported %s subnet%s with %s=1 for Kubernetes load balancers: tag it yourself", kind, id, key)
		}
	}
	tag(c.vpc.PrivateSubnets(), "private", "kubernetes.io/role/internal-elb")
	tag(c.vpc.PublicSubnets(), "public", "kubernetes.io/role/elb")
}

// selectPrivateSubnets returns the selected subnets that are not public.
func (c *Cluster) selectPrivateSubnets() []ec2.ISubnet {
	public := map[string]bool{}
	for _, s := range c.vpc.PublicSubnets() {
		public[s.SubnetId()] = true
	}
	var out []ec2.ISubnet
	seen := map[string]bool{}
	for _, sel := range c.vpcSubnets {
		res, err := ec2.TrySelectSubnets(c.vpc, sel)
		if err != nil {
			continue
		}
		for _, s := range res.Subnets {
			if !public[s.SubnetId()] && !seen[s.SubnetId()] {
				seen[s.SubnetId()] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// ClusterName is the cluster's name ({"Ref": ...}).
func (c *Cluster) ClusterName() string { return c.Resource.Ref() }

// ClusterArn is the cluster's ARN.
func (c *Cluster) ClusterArn() string { return c.Resource.AttrArn() }

// ClusterEndpoint is the URL of the Kubernetes API server.
func (c *Cluster) ClusterEndpoint() string { return c.Resource.AttrEndpoint() }

// ClusterCertificateAuthorityData is the API server's CA certificate, base64.
func (c *Cluster) ClusterCertificateAuthorityData() string {
	return c.Resource.AttrCertificateAuthorityData()
}

// ClusterSecurityGroupId is the security group EKS creates for the control
// plane and managed nodes.
func (c *Cluster) ClusterSecurityGroupId() string { return c.Resource.AttrClusterSecurityGroupId() }

// ClusterSecurityGroup is the cluster security group as a construct.
func (c *Cluster) ClusterSecurityGroup() ec2.ISecurityGroup { return c.clusterSG }

// ClusterEncryptionConfigKeyArn is the ARN of the key encrypting secrets.
func (c *Cluster) ClusterEncryptionConfigKeyArn() string {
	return c.Resource.AttrEncryptionConfigKeyArn()
}

// ClusterOpenIdConnectIssuerUrl is the cluster's OpenID Connect issuer URL.
func (c *Cluster) ClusterOpenIdConnectIssuerUrl() string {
	return c.Resource.AttrOpenIdConnectIssuerUrl()
}

// Vpc is the cluster's VPC.
func (c *Cluster) Vpc() ec2.IVpc { return c.vpc }

// Connections are the control plane's security groups (the cluster security
// group and the additional one), default port 443.
func (c *Cluster) Connections() *ec2.Connections { return c.connections }

// Role is the cluster's service role.
func (c *Cluster) Role() iam.IRole { return c.role }

// SecurityGroup is the control plane's additional security group.
func (c *Cluster) SecurityGroup() ec2.ISecurityGroup { return c.sg }

// AuthenticationMode is the cluster's authentication mode.
func (c *Cluster) AuthenticationMode() AuthenticationMode { return c.authMode }

// IpFamily is the cluster's IP family.
func (c *Cluster) IpFamily() IpFamily { return c.ipFamily }

// KubernetesVersion is the control plane's version.
func (c *Cluster) KubernetesVersion() KubernetesVersion { return c.version }

// EndpointAccess is the endpoint access the cluster was defined with.
func (c *Cluster) EndpointAccess() EndpointAccess { return c.endpoint }

// AutoModeNodeRole is the role of EKS Auto Mode nodes, or nil without Auto
// Mode.
func (c *Cluster) AutoModeNodeRole() iam.IRole { return c.autoModeNodeRole }

// DefaultNodegroup is the managed node group of the default capacity. It is
// nil when DefaultCapacity is 0 or DefaultCapacityType is not
// DefaultCapacityTypeNodegroup.
func (c *Cluster) DefaultNodegroup() *Nodegroup { return c.defaultNodegroup }

func (c *Cluster) internals() *clusterInternals { return c.in }

// String returns the construct path.
func (c *Cluster) String() string { return fmt.Sprintf("eks.Cluster(%s)", c.Node().Path()) }

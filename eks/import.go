package eks

import (
	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
)

// ClusterAttributes describe an existing cluster. Only ClusterName is
// required; reading an attribute that was not given panics with the
// construct's path.
type ClusterAttributes struct {
	// ClusterName is the cluster's name. Required.
	ClusterName string
	// ClusterArn is the cluster's ARN.
	// Default: made from the name, the stack's partition, region and account.
	ClusterArn string
	// Vpc is the cluster's VPC.
	// Default: none (node groups and Fargate profiles need it).
	Vpc ec2.IVpc
	// ClusterEndpoint is the API server's URL.
	// Default: none.
	ClusterEndpoint string
	// ClusterCertificateAuthorityData is the API server's CA, base64.
	// Default: none.
	ClusterCertificateAuthorityData string
	// ClusterSecurityGroupId is the cluster security group.
	// Default: none.
	ClusterSecurityGroupId string
	// ClusterEncryptionConfigKeyArn is the secrets key's ARN.
	// Default: none.
	ClusterEncryptionConfigKeyArn string
	// OpenIdConnectIssuerUrl is the OIDC issuer URL.
	// Default: none.
	OpenIdConnectIssuerUrl string
	// SecurityGroupIds are more security groups of the control plane,
	// added to Connections.
	// Default: none.
	SecurityGroupIds []string
	// AuthenticationMode is the cluster's authentication mode.
	// Default: API_AND_CONFIG_MAP.
	AuthenticationMode AuthenticationMode
	// IpFamily is the cluster's IP family.
	// Default: IPv4.
	IpFamily IpFamily
	// KubernetesVersion is the control plane's version, used to choose
	// node AMIs.
	// Default: unknown (self-managed capacity then needs a MachineImage).
	KubernetesVersion KubernetesVersion
	// Kubectl configures the kubectl handler for Kubernetes resources of
	// the imported cluster; Kubectl.Provider reuses an existing one.
	// Default: a new handler, as for an owned cluster.
	Kubectl KubectlOptions
	// KubectlRoleArn is an IAM role that may already administer the
	// cluster (mapped to system:masters in aws-auth, or with a cluster-admin
	// access entry), the AWS CDK's kubectlRoleArn. The kubectl handler made
	// for the imported cluster assumes it to reach the cluster (its own role
	// is granted sts:AssumeRole on it), and no access entry is created, so
	// Kubernetes resources work on a CONFIG_MAP cluster too. The role's
	// trust policy must let the handler's role (or the account) assume it.
	// Not used with Kubectl.Provider, whose RoleArn says the same.
	// Default: none; the handler's own role is given a cluster-admin access
	// entry.
	KubectlRoleArn string
	// OpenIdConnectProvider is the cluster's IAM OIDC provider, for
	// service accounts (IRSA).
	// Default: none (AddServiceAccount with IRSA then fails).
	OpenIdConnectProvider iam.IOpenIDConnectProvider
}

type importedCluster struct {
	cdk.Base
	attrs       ClusterAttributes
	connections *ec2.Connections
	clusterSG   ec2.ISecurityGroup
	in          *clusterInternals
}

// ClusterFromClusterAttributes imports an existing cluster.
func ClusterFromClusterAttributes(scope cdk.Construct, id string, attrs ClusterAttributes) ICluster {
	c := &importedCluster{attrs: attrs}
	cdk.InitConstruct(c, scope, id)
	if attrs.ClusterName == "" {
		panic(c.Node().Path() + ": ClusterAttributes.ClusterName is required")
	}
	c.in = newClusterInternals(c)
	c.attrs = checkClusterAttributes(c.Node(), attrs)
	attrs = c.attrs
	var groups []ec2.ISecurityGroup
	for i, sg := range attrs.SecurityGroupIds {
		groups = append(groups, ec2.SecurityGroupFromSecurityGroupId(c, "SecurityGroup"+itoa(i+1), sg))
	}
	if attrs.ClusterSecurityGroupId != "" {
		c.clusterSG = ec2.SecurityGroupFromSecurityGroupId(c, "ClusterSecurityGroup", attrs.ClusterSecurityGroupId)
		groups = append(groups, c.clusterSG)
	}
	port := ec2.PortTcp(443)
	c.connections = ec2.NewConnections(ec2.ConnectionsProps{SecurityGroups: groups, DefaultPort: &port})
	initKubernetes(c)
	return c
}

func itoa(i int) string {
	const d = "0123456789"
	if i < 10 {
		return d[i : i+1]
	}
	return itoa(i/10) + d[i%10:i%10+1]
}

func (c *importedCluster) need(v, name string) string {
	if v == "" {
		panic(c.Node().Path() + ": the imported cluster has no " + name + ": set ClusterAttributes." + name)
	}
	return v
}

func (c *importedCluster) ClusterName() string { return c.attrs.ClusterName }
func (c *importedCluster) ClusterArn() string {
	if c.attrs.ClusterArn != "" {
		return c.attrs.ClusterArn
	}
	return cdk.StackOf(c).FormatArn(cdk.ArnComponents{Service: "eks", Resource: "cluster", ResourceName: c.attrs.ClusterName})
}
func (c *importedCluster) ClusterEndpoint() string {
	return c.need(c.attrs.ClusterEndpoint, "ClusterEndpoint")
}
func (c *importedCluster) ClusterCertificateAuthorityData() string {
	return c.need(c.attrs.ClusterCertificateAuthorityData, "ClusterCertificateAuthorityData")
}
func (c *importedCluster) ClusterSecurityGroupId() string {
	return c.need(c.attrs.ClusterSecurityGroupId, "ClusterSecurityGroupId")
}
func (c *importedCluster) ClusterSecurityGroup() ec2.ISecurityGroup {
	c.need(c.attrs.ClusterSecurityGroupId, "ClusterSecurityGroupId")
	return c.clusterSG
}
func (c *importedCluster) ClusterEncryptionConfigKeyArn() string {
	return c.need(c.attrs.ClusterEncryptionConfigKeyArn, "ClusterEncryptionConfigKeyArn")
}
func (c *importedCluster) ClusterOpenIdConnectIssuerUrl() string {
	return c.need(c.attrs.OpenIdConnectIssuerUrl, "OpenIdConnectIssuerUrl")
}
func (c *importedCluster) Vpc() ec2.IVpc                          { return c.attrs.Vpc }
func (c *importedCluster) Connections() *ec2.Connections          { return c.connections }
func (c *importedCluster) AuthenticationMode() AuthenticationMode { return c.attrs.AuthenticationMode }
func (c *importedCluster) IpFamily() IpFamily                     { return c.attrs.IpFamily }
func (c *importedCluster) KubernetesVersion() KubernetesVersion   { return c.attrs.KubernetesVersion }
func (c *importedCluster) internals() *clusterInternals           { return c.in }

// AddManifest applies objects to the imported cluster (see
// [Cluster.AddManifest]).
func (c *importedCluster) AddManifest(id string, objects ...any) *KubernetesManifest {
	return AddManifest(c, id, objects...)
}

// AddHelmChart installs a chart in the imported cluster (see
// [Cluster.AddHelmChart]).
func (c *importedCluster) AddHelmChart(id string, opts HelmChartOptions) *HelmChart {
	return AddHelmChart(c, id, opts)
}

// AddServiceAccount adds a service account to the imported cluster (see
// [Cluster.AddServiceAccount]).
func (c *importedCluster) AddServiceAccount(id string, opts ...ServiceAccountOptions) *ServiceAccount {
	return AddServiceAccount(c, id, opts...)
}

// AwsAuth is the imported cluster's aws-auth ConfigMap (see
// [Cluster.AwsAuth]).
func (c *importedCluster) AwsAuth() *AwsAuth { return awsAuthOf(c) }

// AddAutoScalingGroupCapacity adds self-managed nodes to the imported
// cluster (see [Cluster.AddAutoScalingGroupCapacity]).
func (c *importedCluster) AddAutoScalingGroupCapacity(id string, opts AutoScalingGroupCapacityOptions) *autoscaling.AutoScalingGroup {
	return AddAutoScalingGroupCapacityTo(c, id, opts)
}

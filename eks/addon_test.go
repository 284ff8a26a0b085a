package eks_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

func TestAddonProperties(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	a := c.AddAddon("Ebs", eks.AddonOptions{
		AddonName:           eks.AddonNameEbsCsiDriver,
		AddonVersion:        "v1.48.0-eksbuild.1",
		ConfigurationValues: map[string]any{"controller": map[string]any{"replicaCount": 3, "region": stack.Region()}},
		ResolveConflicts:    eks.ResolveConflictsOverwrite,
		PreserveOnDelete:    true,
		Namespace:           "storage",
		Tags:                map[string]string{"team": "b", "app": "a"},
	})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::EKS::Addon", map[string]any{
		"AddonName":    "aws-ebs-csi-driver",
		"AddonVersion": "v1.48.0-eksbuild.1",
		"ClusterName":  map[string]any{"Ref": "ClusterEB0386A7"},
		// Values are JSON with the tokens joined in.
		"ConfigurationValues": map[string]any{"Fn::Join": []any{"", []any{`{"controller":{"region":"`, map[string]any{"Ref": "AWS::Region"}, `","replicaCount":3}}`}}},
		"ResolveConflicts":    "OVERWRITE",
		"PreserveOnDelete":    true,
		"NamespaceConfig":     map[string]any{"Namespace": "storage"},
		"Tags":                []any{map[string]any{"Key": "app", "Value": "a"}, map[string]any{"Key": "team", "Value": "b"}},
	})
	if a.AddonName() != "aws-ebs-csi-driver" || !cdk.IsUnresolved(a.AddonArn()) || a.Cluster() != c {
		t.Error("accessors")
	}
}

func TestAddonDefaultsRenderNothingExtra(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	c.AddAddon("Metrics", eks.AddonOptions{AddonName: eks.AddonNameMetricsServer})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResource("AWS::EKS::Addon", map[string]any{
		"Properties": Match.ObjectEquals(map[string]any{"AddonName": "metrics-server", "ClusterName": map[string]any{"Ref": "ClusterEB0386A7"}}),
	})
}

func TestAddonPodIdentityAssociations(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	own := iam.NewRole(stack, "Own", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("pods.eks.amazonaws.com")})
	a := c.AddAddon("VpcCni", eks.AddonOptions{
		AddonName: eks.AddonNameVpcCni,
		PodIdentityAssociations: []eks.AddonPodIdentityAssociation{
			{ServiceAccount: "aws-node", ManagedPolicies: []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEKS_CNI_Policy")}},
			{ServiceAccount: "other", Role: own},
		},
	})
	tmpl := assertions.FromStack(t, stack)
	roleID := tmpl.ResourceID("AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": []any{"sts:AssumeRole", "sts:TagSession"}, "Principal": map[string]any{"Service": "pods.eks.amazonaws.com"},
		}}},
		"ManagedPolicyArns": []any{partitionArn(":iam::aws:policy/AmazonEKS_CNI_Policy")},
	})
	tmpl.HasResourceProperties("AWS::EKS::Addon", map[string]any{
		"AddonName": "vpc-cni",
		"PodIdentityAssociations": []any{
			map[string]any{"RoleArn": map[string]any{"Fn::GetAtt": []any{roleID, "Arn"}}, "ServiceAccount": "aws-node"},
			map[string]any{"RoleArn": map[string]any{"Fn::GetAtt": []any{"Own30425842", "Arn"}}, "ServiceAccount": "other"},
		},
	})
	// The agent is installed once and the add-on waits for it.
	tmpl.ResourceCountIs("AWS::EKS::Addon", 2)
	agentID := tmpl.ResourceID("AWS::EKS::Addon", map[string]any{"AddonName": "eks-pod-identity-agent"})
	tmpl.HasResource("AWS::EKS::Addon", map[string]any{
		"Properties": map[string]any{"AddonName": "vpc-cni"},
		"DependsOn":  Match.ArrayWith([]any{agentID}),
	})
	if a.PodIdentityRole("aws-node") == nil || a.PodIdentityRole("other") != own || a.PodIdentityRole("none") != nil {
		t.Error("PodIdentityRole")
	}
}

func TestPodIdentityAgentOncePerCluster(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	agent := c.EnsurePodIdentityAgent()
	if agent == nil || c.EnsurePodIdentityAgent() != agent {
		t.Fatal("EnsurePodIdentityAgent did not return one add-on")
	}
	c.AddServiceAccount("A", eks.ServiceAccountOptions{IdentityType: eks.IdentityTypePodIdentity})
	c.AddServiceAccount("B", eks.ServiceAccountOptions{IdentityType: eks.IdentityTypePodIdentity})
	c.AddPodIdentityAssociation("Karpenter", eks.PodIdentityAssociationProps{ServiceAccount: "karpenter", Namespace: "kube-system"})
	c.AddAddon("Ebs", eks.AddonOptions{AddonName: eks.AddonNameEbsCsiDriver, PodIdentityAssociations: []eks.AddonPodIdentityAssociation{{ServiceAccount: "ebs-csi-controller-sa"}}})
	tmpl := assertions.FromStack(t, stack)
	tmpl.ResourcePropertiesCountIs("AWS::EKS::Addon", map[string]any{"AddonName": "eks-pod-identity-agent"}, 1)
	// aws-cdk-lib's id and path: <cluster>/EksPodIdentityAgentAddon/Resource.
	tmpl.HasResource("AWS::EKS::Addon", map[string]any{
		"Properties": map[string]any{"AddonName": "eks-pod-identity-agent"},
		"Metadata":   map[string]any{"aws:cdk:path": "Stack/Cluster/EksPodIdentityAgentAddon/Resource"},
	})
	agentID := tmpl.ResourceID("AWS::EKS::Addon", map[string]any{"AddonName": "eks-pod-identity-agent"})
	tmpl.AllResources("AWS::EKS::PodIdentityAssociation", map[string]any{"DependsOn": Match.ArrayWith([]any{agentID})})
	tmpl.ResourceCountIs("AWS::EKS::PodIdentityAssociation", 3)
}

func TestPodIdentityAgentAddedByUserIsShared(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	mine := c.AddAddon("Agent", eks.AddonOptions{AddonName: eks.AddonNamePodIdentityAgent, AddonVersion: "v1.3.8-eksbuild.2"})
	if c.EnsurePodIdentityAgent() != mine {
		t.Fatal("EnsurePodIdentityAgent made a second agent")
	}
	c.AddServiceAccount("A", eks.ServiceAccountOptions{IdentityType: eks.IdentityTypePodIdentity})
	tmpl := assertions.FromStack(t, stack)
	tmpl.ResourceCountIs("AWS::EKS::Addon", 1)
}

func TestPodIdentityAgentNotOnAutoModeOrImported(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	auto := eks.NewCluster(stack, "Auto", eks.ClusterProps{Version: eks.V1_34, DefaultCapacityType: eks.DefaultCapacityTypeAutoMode})
	if auto.EnsurePodIdentityAgent() != nil {
		t.Error("Auto Mode cluster got an agent add-on")
	}
	imported := eks.ClusterFromClusterAttributes(stack, "Imported", eks.ClusterAttributes{ClusterName: "other"})
	if eks.EnsurePodIdentityAgent(imported) != nil {
		t.Error("imported cluster got an agent add-on")
	}
	eks.NewPodIdentityAssociation(stack, "Assoc", eks.PodIdentityAssociationProps{Cluster: imported, ServiceAccount: "app"})
	tmpl := assertions.FromStack(t, stack)
	tmpl.ResourceCountIs("AWS::EKS::Addon", 0)
	tmpl.HasResourceProperties("AWS::EKS::PodIdentityAssociation", map[string]any{"ClusterName": "other", "Namespace": "default", "ServiceAccount": "app"})
}

func TestAddonOrderingAgainstCompute(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34}) // default node group made first
	cni := c.AddAddon("VpcCni", eks.AddonOptions{AddonName: eks.AddonNameVpcCni, BeforeCompute: true})
	dns := c.AddAddon("CoreDns", eks.AddonOptions{AddonName: eks.AddonNameCoreDns})
	later := c.AddNodegroupCapacity("Later")
	profile := c.AddFargateProfile("Profile", eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "batch"}}})
	tmpl := assertions.FromStack(t, stack)
	id := func(x cdk.Construct) string { return logicalIDOf(t, stack, x) }
	for _, compute := range []cdk.Construct{c.DefaultNodegroup(), later, profile} {
		// Compute waits for vpc-cni, whenever it was added ...
		tmpl.HasResource(typeOf(compute), map[string]any{
			"Metadata":  map[string]any{"aws:cdk:path": compute.Node().DefaultChild().Node().Path()},
			"DependsOn": Match.ArrayWith([]any{id(cni)}),
		})
		// ... and CoreDNS waits for compute.
		tmpl.HasResource("AWS::EKS::Addon", map[string]any{
			"Properties": map[string]any{"AddonName": "coredns"},
			"DependsOn":  Match.ArrayWith([]any{id(compute)}),
		})
	}
	tmpl.HasResource("AWS::EKS::Addon", map[string]any{"Properties": map[string]any{"AddonName": "vpc-cni"}, "DependsOn": Match.Absent()})
	_ = dns
}

// cfnResource is what the L1 resources of every construct have.
type cfnResource interface {
	Type() string
	LogicalID() string
}

func typeOf(x cdk.Construct) string { return x.Node().DefaultChild().(cfnResource).Type() }

// logicalIDOf is the logical ID of x's default child.
func logicalIDOf(t *testing.T, stack *cdk.Stack, x cdk.Construct) string {
	t.Helper()
	v, err := stack.Resolve(x.Node().DefaultChild().(cfnResource).LogicalID())
	if err != nil {
		t.Fatal(err)
	}
	return v.(string)
}

func TestAddonValidation(t *testing.T) {
	t.Parallel()
	role := func(s *cdk.Stack) iam.IRole {
		return iam.RoleFromRoleArn(s, "Irsa", "arn:aws:iam::123456789012:role/irsa")
	}
	cases := []struct {
		name string
		add  func(s *cdk.Stack, c *eks.Cluster)
		want []string
	}{
		{"fails without a name", func(s *cdk.Stack, c *eks.Cluster) { c.AddAddon("A", eks.AddonOptions{}) },
			[]string{"Stack/Cluster/A", "AddonName is required"}},
		{"fails with a name that is not one", func(s *cdk.Stack, c *eks.Cluster) { c.AddAddon("A", eks.AddonOptions{AddonName: "VPC CNI"}) },
			[]string{"Stack/Cluster/A", `AddonName "VPC CNI" is not an add-on name`}},
		{"fails with an unknown conflict resolution", func(s *cdk.Stack, c *eks.Cluster) {
			c.AddAddon("A", eks.AddonOptions{AddonName: "vpc-cni", ResolveConflicts: "overwrite"})
		}, []string{"Stack/Cluster/A", `ResolveConflicts "overwrite" is not NONE, OVERWRITE or PRESERVE`}},
		{"fails when the same add-on is installed twice", func(s *cdk.Stack, c *eks.Cluster) {
			c.AddAddon("A", eks.AddonOptions{AddonName: "vpc-cni"})
			c.AddAddon("B", eks.AddonOptions{AddonName: "vpc-cni"})
		}, []string{"Stack/Cluster/B", `add-on "vpc-cni" is already installed on the cluster by Stack/Cluster/A`}},
		{"fails with IRSA and Pod Identity for the same service account", func(s *cdk.Stack, c *eks.Cluster) {
			c.AddAddon("A", eks.AddonOptions{AddonName: "vpc-cni", ServiceAccountRole: role(s),
				PodIdentityAssociations: []eks.AddonPodIdentityAssociation{{ServiceAccount: "aws-node"}}})
		}, []string{"Stack/Cluster/A", "service account kube-system/aws-node already gets AWS credentials from Stack/Cluster/A (IRSA): IRSA and Pod Identity for one service account conflict"}},
		{"fails when a service account of an add-on is also a Pod Identity service account", func(s *cdk.Stack, c *eks.Cluster) {
			c.AddServiceAccount("Sa", eks.ServiceAccountOptions{Name: "ebs-csi-controller-sa", Namespace: "kube-system"})
			c.AddAddon("A", eks.AddonOptions{AddonName: eks.AddonNameEbsCsiDriver, PodIdentityAssociations: []eks.AddonPodIdentityAssociation{{ServiceAccount: "ebs-csi-controller-sa"}}})
		}, []string{"Stack/Cluster/A", "kube-system/ebs-csi-controller-sa already gets AWS credentials from Stack/Cluster/Sa (IRSA)"}},
		{"fails with two associations for one service account", func(s *cdk.Stack, c *eks.Cluster) {
			c.AddPodIdentityAssociation("One", eks.PodIdentityAssociationProps{ServiceAccount: "app"})
			c.AddPodIdentityAssociation("Two", eks.PodIdentityAssociationProps{ServiceAccount: "app"})
		}, []string{"Stack/Cluster/Two", "default/app already gets AWS credentials from Stack/Cluster/One (Pod Identity): another Pod Identity"}},
		{"fails with a service account listed twice", func(s *cdk.Stack, c *eks.Cluster) {
			c.AddAddon("A", eks.AddonOptions{AddonName: "x", PodIdentityAssociations: []eks.AddonPodIdentityAssociation{{ServiceAccount: "a"}, {ServiceAccount: "a"}}})
		}, []string{"Stack/Cluster/A", `PodIdentityAssociations[1]: service account "a" is associated twice`}},
		{"fails with an association without service account", func(s *cdk.Stack, c *eks.Cluster) {
			c.AddAddon("A", eks.AddonOptions{AddonName: "x", PodIdentityAssociations: []eks.AddonPodIdentityAssociation{{}}})
		}, []string{"Stack/Cluster/A", "PodIdentityAssociations[0] has no ServiceAccount"}},
		{"fails with managed policies for a given role", func(s *cdk.Stack, c *eks.Cluster) {
			c.AddAddon("A", eks.AddonOptions{AddonName: "x", PodIdentityAssociations: []eks.AddonPodIdentityAssociation{{ServiceAccount: "a", Role: role(s),
				ManagedPolicies: []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("ReadOnlyAccess")}}}})
		}, []string{"Stack/Cluster/A", "PodIdentityAssociations[0]: ManagedPolicies are for the role made when Role is nil"}},
		{"fails with associations on the agent", func(s *cdk.Stack, c *eks.Cluster) {
			c.AddAddon("A", eks.AddonOptions{AddonName: eks.AddonNamePodIdentityAgent, PodIdentityAssociations: []eks.AddonPodIdentityAssociation{{ServiceAccount: "a"}}})
		}, []string{"Stack/Cluster/A", "the Pod Identity Agent cannot have Pod Identity associations"}},
		{"fails with a namespace that is not a DNS label", func(s *cdk.Stack, c *eks.Cluster) {
			c.AddAddon("A", eks.AddonOptions{AddonName: "x", Namespace: "Kube_System"})
		}, []string{"Stack/Cluster/A", `Namespace "Kube_System" is not a DNS label`}},
		{"fails with values that are not JSON", func(s *cdk.Stack, c *eks.Cluster) {
			c.AddAddon("A", eks.AddonOptions{AddonName: "x", ConfigurationValues: map[string]any{"f": func() {}}})
		}, []string{"Stack/Cluster/A", "ConfigurationValues cannot be written as JSON"}},
		{"fails without a service account in a Pod Identity association", func(s *cdk.Stack, c *eks.Cluster) {
			c.AddPodIdentityAssociation("P", eks.PodIdentityAssociationProps{})
		}, []string{"Stack/Cluster/P", "ServiceAccount is required"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			tc.add(stack, clusterWithoutCapacity(stack))
			wantError(t, app, tc.want...)
		})
	}
}

func TestPodIdentityAssociationConstruct(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	target := iam.RoleFromRoleArn(stack, "Target", "arn:aws:iam::210987654321:role/target")
	p := c.AddPodIdentityAssociation("App", eks.PodIdentityAssociationProps{
		ServiceAccount: "app", Namespace: "shop", TargetRole: target, DisableSessionTags: true,
		Tags: map[string]string{"team": "shop"},
	})
	if p.Role() == nil || !cdk.IsUnresolved(p.AssociationArn()) || !cdk.IsUnresolved(p.AssociationId()) {
		t.Error("accessors")
	}
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::EKS::PodIdentityAssociation", map[string]any{
		"ClusterName": map[string]any{"Ref": "ClusterEB0386A7"}, "Namespace": "shop", "ServiceAccount": "app",
		"TargetRoleArn":      "arn:aws:iam::210987654321:role/target",
		"DisableSessionTags": true,
		"Tags":               []any{map[string]any{"Key": "team", "Value": "shop"}},
	})
}

func TestAddonFromAddonAttributes(t *testing.T) {
	t.Parallel()
	_, stack := newStack(cdk.Environment{Account: "123456789012", Region: "eu-west-1"})
	a := eks.AddonFromAddonAttributes(stack, "A", eks.AddonAttributes{AddonName: "vpc-cni", ClusterName: "prod"})
	if a.AddonName() != "vpc-cni" {
		t.Error(a.AddonName())
	}
	if got, want := a.AddonArn(), "arn:aws:eks:eu-west-1:123456789012:addon/prod/vpc-cni/"; got != want {
		t.Errorf("AddonArn = %s, want %s", got, want)
	}
}

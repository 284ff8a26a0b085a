package eks_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

func TestCoreDnsOnFargateWaitsForLaterProfiles(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0), CoreDnsComputeType: eks.CoreDnsComputeTypeFargate})
	c.AddFargateProfile("system", eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "kube-system"}}})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResource("AWS::EKS::Addon", map[string]any{
		"Properties": map[string]any{"AddonName": "coredns"},
		"DependsOn":  Match.ArrayWith([]any{"ClusterfargateprofilesystemE3FE0CEC"}),
	})
}

func TestImportedClusterConnections(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := eks.ClusterFromClusterAttributes(stack, "C", eks.ClusterAttributes{ClusterName: "prod", SecurityGroupIds: []string{"sg-1", "sg-2"}, ClusterSecurityGroupId: "sg-3"})
	var ids []string
	for _, g := range c.Connections().SecurityGroups() {
		ids = append(ids, g.SecurityGroupId())
	}
	if strings.Join(ids, ",") != "sg-1,sg-2,sg-3" {
		t.Errorf("connections of an imported cluster: %v", ids)
	}
	if c.ClusterSecurityGroup().SecurityGroupId() != "sg-3" || c.AuthenticationMode() != eks.AuthenticationModeApiAndConfigMap || c.IpFamily() != eks.IpFamilyIpV4 {
		t.Error("imported accessors")
	}
	withArn := eks.ClusterFromClusterAttributes(stack, "D", eks.ClusterAttributes{ClusterName: "x", ClusterArn: "arn:aws:eks:eu-west-1:1:cluster/x"})
	if withArn.ClusterArn() != "arn:aws:eks:eu-west-1:1:cluster/x" {
		t.Error("ClusterArn attribute ignored")
	}
}

func TestImportedClusterPanics(t *testing.T) {
	t.Parallel()
	mustPanic := func(name, want string, f func()) {
		t.Helper()
		defer func() {
			r := recover()
			if r == nil || !strings.Contains(r.(string), want) {
				t.Errorf("%s: panic %v, want one containing %q", name, r, want)
			}
		}()
		f()
	}
	_, stack := newStack()
	mustPanic("no name", "ClusterAttributes.ClusterName is required", func() {
		eks.ClusterFromClusterAttributes(stack, "A", eks.ClusterAttributes{})
	})
	c := eks.ClusterFromClusterAttributes(stack, "B", eks.ClusterAttributes{ClusterName: "b"})
	for name, f := range map[string]func(){
		"ClusterCertificateAuthorityData": func() { c.ClusterCertificateAuthorityData() },
		"ClusterSecurityGroupId":          func() { c.ClusterSecurityGroupId() },
		"ClusterEncryptionConfigKeyArn":   func() { c.ClusterEncryptionConfigKeyArn() },
		"OpenIdConnectIssuerUrl":          func() { c.ClusterOpenIdConnectIssuerUrl() },
	} {
		mustPanic(name, "Stack/B: the imported cluster has no "+name, f)
	}
	mustPanic("no VPC for capacity", "the cluster has no VPC", func() {
		eks.AddAutoScalingGroupCapacityTo(c, "Nodes", asgOptions("t3.large"))
	})
	vpc := ec2.VpcFromVpcAttributes(stack, "Vpc", ec2.VpcAttributes{VpcId: "vpc-1", AvailabilityZones: []string{"a"}, PrivateSubnetIds: []string{"s-1"}})
	noVersion := eks.ClusterFromClusterAttributes(stack, "E", eks.ClusterAttributes{ClusterName: "e", Vpc: vpc})
	mustPanic("no version", "set ClusterAttributes.KubernetesVersion or AutoScalingGroupProps.MachineImage", func() {
		eks.AddAutoScalingGroupCapacityTo(noVersion, "Nodes", asgOptions("t3.large"))
	})
	owned := clusterWithoutCapacity(stack)
	mustPanic("no instance type", "InstanceType is required", func() {
		owned.AddAutoScalingGroupCapacity("Nodes", eks.AutoScalingGroupCapacityOptions{})
	})
	mustPanic("node group without cluster", "NodegroupProps.Cluster is required", func() {
		eks.NewNodegroup(stack, "Ng", eks.NodegroupProps{})
	})
	mustPanic("profile without cluster", "FargateProfileProps.Cluster is required", func() {
		eks.NewFargateProfile(stack, "Fp", eks.FargateProfileProps{})
	})
	mustPanic("entry without cluster", "AccessEntryProps.Cluster is required", func() {
		eks.NewAccessEntry(stack, "Ae", eks.AccessEntryProps{})
	})
}

func TestConnectBottlerocketToAGroupWithCustomUserData(t *testing.T) {
	t.Parallel()
	app, stack := newStack()
	c := clusterWithoutCapacity(stack)
	asg := autoscaling.NewAutoScalingGroup(stack, "Asg", autoscaling.AutoScalingGroupProps{
		Vpc: c.Vpc(), InstanceType: ec2.InstanceTypeOf("t3.large"), MachineImage: ec2.BottlerocketImage("1.34", ec2.InstanceArchitectureX86_64, ec2.BottlerocketVariantStandard),
	})
	c.ConnectAutoScalingGroupCapacity(asg, eks.ConnectOptions{MachineImageType: eks.MachineImageTypeBottlerocket})
	wantError(t, app, "Stack/Asg", "cannot add the Bottlerocket settings to the group's user data")
}

func TestAutoScalingGroupCapacityWithOwnMachineImage(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large", func(o *eks.AutoScalingGroupCapacityOptions) {
		o.MachineImage = ec2.GenericLinuxImage(map[string]string{"us-east-1": "ami-12345678"})
	}))
	tmpl := templateOf(t, stack)
	if params, _ := tmpl["Parameters"].(map[string]any); params != nil {
		for id := range params {
			if strings.Contains(id, "eksoptimizedami") {
				t.Errorf("an EKS AMI parameter although a machine image was given: %s", id)
			}
		}
	}
}

func TestImportedSubnetsCannotBeTagged(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	vpc := ec2.VpcFromVpcAttributes(stack, "Vpc", ec2.VpcAttributes{VpcId: "vpc-1", AvailabilityZones: []string{"a"},
		PrivateSubnetIds: []string{"subnet-p"}, PublicSubnetIds: []string{"subnet-q"}})
	c := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, Vpc: vpc, DefaultCapacity: cdk.Ptr(0)})
	var warnings []string
	for _, m := range c.Node().Metadata() {
		if m.Type == cdk.MetadataWarning {
			warnings = append(warnings, m.Data.(string))
		}
	}
	want := []string{
		"could not tag the imported private subnet subnet-p with kubernetes.io/role/internal-elb=1 for Kubernetes load balancers: tag it yourself",
		"could not tag the imported public subnet subnet-q with kubernetes.io/role/elb=1 for Kubernetes load balancers: tag it yourself",
	}
	if strings.Join(warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), strings.Join(want, "\n"))
	}
}

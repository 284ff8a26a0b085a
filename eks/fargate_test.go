package eks_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

func TestFargateProfile(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	p := c.AddFargateProfile("MyProfile", eks.FargateProfileOptions{
		Selectors:          []eks.Selector{{Namespace: "default"}, {Namespace: "web", Labels: map[string]string{"tier": "front", "app": "shop"}}},
		FargateProfileName: "web",
		Tags:               map[string]string{"team": "web"},
	})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::EKS::FargateProfile", map[string]any{
		"ClusterName":         map[string]any{"Ref": "ClusterEB0386A7"},
		"FargateProfileName":  "web",
		"PodExecutionRoleArn": map[string]any{"Fn::GetAtt": []any{"ClusterfargateprofileMyProfilePodExecutionRole7A119A79", "Arn"}},
		"Selectors": []any{
			map[string]any{"Namespace": "default", "Labels": []any{}},
			map[string]any{"Namespace": "web", "Labels": []any{map[string]any{"Key": "app", "Value": "shop"}, map[string]any{"Key": "tier", "Value": "front"}}},
		},
		"Subnets": []any{map[string]any{"Ref": "ClusterDefaultVpcPrivateSubnet1Subnet03F39409"}, map[string]any{"Ref": "ClusterDefaultVpcPrivateSubnet2SubnetA526AEA7"}},
		"Tags":    []any{map[string]any{"Key": "team", "Value": "web"}},
	})
	tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{"Principal": map[string]any{"Service": "eks-fargate-pods.amazonaws.com"}}}},
		"ManagedPolicyArns":        []any{partitionArn(":iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy")},
	})
	if p.FargateProfileName() != "web" || !cdk.IsUnresolved(p.FargateProfileArn()) || p.PodExecutionRole() == nil {
		t.Error("accessors")
	}
}

func TestFargateProfileOptions(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	other := ec2.NewVpc(stack, "Other", ec2.VpcProps{MaxAzs: 1})
	c.AddFargateProfile("p", eks.FargateProfileOptions{
		Selectors:        []eks.Selector{{Namespace: "a"}},
		PodExecutionRole: iam.RoleFromRoleArn(stack, "R", "arn:aws:iam::123456789012:role/pods"),
		Vpc:              other,
		SubnetSelection:  ec2.SubnetSelection{SubnetType: ec2.SubnetTypePrivateWithEgress},
	})
	assertions.FromStack(t, stack).HasResourceProperties("AWS::EKS::FargateProfile", map[string]any{
		"PodExecutionRoleArn": "arn:aws:iam::123456789012:role/pods",
		"Subnets":             []any{map[string]any{"Ref": "OtherPrivateSubnet1Subnet8B242493"}},
	})
}

func TestFargateProfilesAreCreatedOneAtATime(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	for _, id := range []string{"one", "two", "three"} {
		c.AddFargateProfile(id, eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: id}}})
	}
	tmpl := templateOf(t, stack)
	ids := map[string]string{}
	deps := map[string][]any{}
	for id, r := range resourcesOfType(tmpl, "AWS::EKS::FargateProfile") {
		name := strings.TrimSuffix(strings.TrimPrefix(id[:len(id)-8], "Clusterfargateprofile"), "")
		ids[name] = id
		deps[name], _ = r["DependsOn"].([]any)
	}
	if len(deps["one"]) != 0 {
		t.Errorf("first profile depends on %v", deps["one"])
	}
	for name, prev := range map[string]string{"two": "one", "three": "two"} {
		found := false
		for _, d := range deps[name] {
			found = found || d == ids[prev]
		}
		if !found {
			t.Errorf("profile %s does not depend on %s (%s): %v", name, prev, ids[prev], deps[name])
		}
	}
}

func TestFargateProfileValidation(t *testing.T) {
	t.Parallel()
	many := make([]eks.Selector, 6)
	for i := range many {
		many[i] = eks.Selector{Namespace: "ns"}
	}
	cases := []struct {
		name string
		opts eks.FargateProfileOptions
		want string
	}{
		{"fails without selectors", eks.FargateProfileOptions{}, "a Fargate profile needs at least one selector"},
		{"fails with more than 5 selectors", eks.FargateProfileOptions{Selectors: many}, "a Fargate profile has at most 5 selectors, got 6"},
		{"fails without a namespace", eks.FargateProfileOptions{Selectors: []eks.Selector{{Labels: map[string]string{"a": "b"}}}}, "Selectors[0] has no Namespace"},
		{"fails with an invalid label", eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "a", Labels: map[string]string{"a/b/c": "x"}}}}, "Selectors[0].Labels"},
		{"fails with public subnets", eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "a"}}, SubnetSelection: ec2.SubnetSelection{SubnetType: ec2.SubnetTypePublic}}, "Fargate runs pods in private subnets only"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			c := clusterWithoutCapacity(stack)
			c.AddFargateProfile("p", tc.opts)
			wantError(t, app, "Stack/Cluster/fargate-profile-p", tc.want)
		})
	}
}

func TestFargateCluster(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	fc := eks.NewFargateCluster(stack, "FargateCluster", eks.FargateClusterProps{ClusterProps: eks.ClusterProps{Version: eks.V1_34}})
	tmpl := assertions.FromStack(t, stack)
	tmpl.ResourceCountIs("AWS::EKS::Nodegroup", 0)
	tmpl.ResourceCountIs("AWS::AutoScaling::AutoScalingGroup", 0)
	tmpl.HasResourceProperties("AWS::EKS::FargateProfile", map[string]any{
		"Selectors": []any{map[string]any{"Namespace": "default"}, map[string]any{"Namespace": "kube-system"}},
	})
	profileID := tmpl.ResourceID("AWS::EKS::FargateProfile", map[string]any{})
	tmpl.HasResource("AWS::EKS::Addon", map[string]any{
		"Properties": map[string]any{
			"AddonName":           "coredns",
			"ClusterName":         map[string]any{"Ref": "FargateCluster7CCD5F93"},
			"ConfigurationValues": `{"computeType":"Fargate"}`,
			"ResolveConflicts":    "OVERWRITE",
		},
		"DependsOn": Match.ArrayWith([]any{profileID}),
	})
	if fc.DefaultProfile() == nil || fc.DefaultNodegroup() != nil || fc.DefaultCapacity() != nil {
		t.Error("FargateCluster accessors")
	}
	if profileID != "FargateClusterfargateprofiledefault10E54561" {
		t.Errorf("default profile id %s, want the AWS CDK's FargateClusterfargateprofiledefault10E54561", profileID)
	}
}

func TestFargateClusterCustomProfile(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	eks.NewFargateCluster(stack, "FargateCluster", eks.FargateClusterProps{
		ClusterProps:   eks.ClusterProps{Version: eks.V1_34},
		DefaultProfile: &eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "custom"}}},
	})
	tmpl := templateOf(t, stack)
	if len(resourcesOfType(tmpl, "AWS::EKS::FargateProfile")) != 1 {
		t.Fatal("want one profile")
	}
	for id := range resourcesOfType(tmpl, "AWS::EKS::FargateProfile") {
		if id[:len("FargateClusterfargateprofilecustom")] != "FargateClusterfargateprofilecustom" {
			t.Errorf("custom profile id %s", id)
		}
	}
}

func TestFargateClusterRejectsCapacity(t *testing.T) {
	t.Parallel()
	app, stack := newStack()
	eks.NewFargateCluster(stack, "FargateCluster", eks.FargateClusterProps{ClusterProps: eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(3)}})
	wantError(t, app, "Stack/FargateCluster", "a FargateCluster has no EC2 or Auto Mode capacity")
}

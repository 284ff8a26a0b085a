package cfn_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
	cfnautoscaling "github.com/eksforge/eksforge/cfn/autoscaling"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
	cfnlambda "github.com/eksforge/eksforge/cfn/lambda"
	cfnssm "github.com/eksforge/eksforge/cfn/ssm"
)

func TestSynthesisErrors(t *testing.T) {
	t.Parallel()
	vpc := &cfneks.CfnClusterResourcesVpcConfig{SubnetIds: []string{"subnet-0a1b2c3d"}}
	tests := []struct {
		name  string
		build func(s *cdk.Stack)
		want  []string
	}{
		{
			name: "fails naming the construct path and the missing required property",
			build: func(s *cdk.Stack) {
				cfneks.NewCfnCluster(s, "Cluster", cfneks.CfnClusterProps{ResourcesVpcConfig: vpc})
			},
			want: []string{"[Stack/Cluster] property RoleArn of AWS::EKS::Cluster is required; set CfnClusterProps.RoleArn"},
		},
		{
			name: "fails on a missing required property of a property type, with its path",
			build: func(s *cdk.Stack) {
				cfneks.NewCfnCluster(s, "Cluster", cfneks.CfnClusterProps{
					RoleArn:            "arn:aws:iam::123456789012:role/cluster",
					ResourcesVpcConfig: &cfneks.CfnClusterResourcesVpcConfig{},
					RemoteNetworkConfig: &cfneks.CfnClusterRemoteNetworkConfig{
						RemoteNodeNetworks: []cfneks.CfnClusterRemoteNodeNetwork{{Cidrs: []string{"10.1.0.0/16"}}, {}},
					},
				})
			},
			want: []string{
				"[Stack/Cluster] property ResourcesVpcConfig.SubnetIds of AWS::EKS::Cluster is required; set CfnClusterResourcesVpcConfig.SubnetIds",
				"[Stack/Cluster] property RemoteNetworkConfig.RemoteNodeNetworks.1.Cidrs of AWS::EKS::Cluster is required; set CfnClusterRemoteNodeNetwork.Cidrs",
			},
		},
		{
			name: "fails listing every missing required property",
			build: func(s *cdk.Stack) {
				cfneks.NewCfnNodegroup(s, "Nodegroup", cfneks.CfnNodegroupProps{})
			},
			want: []string{
				"synthesis found 3 problem(s)",
				"property ClusterName of AWS::EKS::Nodegroup is required; set CfnNodegroupProps.ClusterName",
				"property NodeRole of AWS::EKS::Nodegroup is required; set CfnNodegroupProps.NodeRole",
				"property Subnets of AWS::EKS::Nodegroup is required; set CfnNodegroupProps.Subnets",
			},
		},
		{
			name: "fails on an override of a property the type does not have",
			build: func(s *cdk.Stack) {
				c := cfneks.NewCfnCluster(s, "Cluster", cfneks.CfnClusterProps{RoleArn: "arn:aws:iam::123456789012:role/cluster", ResourcesVpcConfig: vpc})
				c.AddPropertyOverride("Nmae", "demo")
			},
			want: []string{`[Stack/Cluster] the override path "Properties.Nmae" names the property "Nmae", which AWS::EKS::Cluster does not have; known properties: AccessConfig, `},
		},
		{
			name: "fails on a token in a map key of a string-map property",
			build: func(s *cdk.Stack) {
				cfnlambda.NewCfnFunction(s, "Function", cfnlambda.CfnFunctionProps{
					Role:        "arn:aws:iam::123456789012:role/fn",
					Code:        &cfnlambda.CfnFunctionCode{ZipFile: "exports.handler = () => {}"},
					Environment: &cfnlambda.CfnFunctionEnvironment{Variables: map[string]string{cdk.Aws.Region: "here"}},
				})
			},
			want: []string{"holds a token: keys of a template object must be known at synthesis time"},
		},
		{
			name: "fails on a token in a tag key of a map-tagged resource",
			build: func(s *cdk.Stack) {
				cfnssm.NewCfnParameter(s, "Parameter", cfnssm.CfnParameterProps{
					Type: "String", Value: "v", Tags: map[string]string{"owner-" + cdk.Aws.AccountID: "me"},
				})
			},
			want: []string{"holds a token: keys of a template object must be known at synthesis time"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := cdk.NewApp(cdk.AppProps{})
			tc.build(cdk.NewStack(app, "Stack", cdk.StackProps{}))
			_, err := app.Synth(cdk.InMemory())
			if err == nil {
				t.Fatal("synth succeeded; want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("the error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestPropsChangedAfterConstructionAndOverridesAreRendered(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "Stack", cdk.StackProps{})
	p := cfnssm.NewCfnParameter(s, "Parameter", cfnssm.CfnParameterProps{Type: "String", Value: "old"})
	p.Props.Value = "new"
	p.Props.Tags = map[string]string{"a": "1"}
	p.AddPropertyOverride("Description", "set by override")
	cdk.TagsOf(s).Add("b", "2")
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	got := asm.Stack("Stack").Template()["Resources"].(map[string]any)["Parameter"].(map[string]any)["Properties"]
	want := map[string]any{"Type": "String", "Value": "new", "Description": "set by override", "Tags": map[string]any{"a": "1", "b": "2"}}
	if !jsonEqualValues(got, want) {
		t.Errorf("properties: got %v, want %v", got, want)
	}
}

func jsonEqualValues(a, b any) bool {
	return strings.TrimSpace(mustJSON(a)) == strings.TrimSpace(mustJSON(b))
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestNumberAndListTokensInTypedFields(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "Stack", cdk.StackProps{})
	target := cdk.NewCfnParameter(s, "Target", cdk.CfnParameterProps{Type: "Number"})
	subnets := cdk.NewCfnParameter(s, "Subnets", cdk.CfnParameterProps{Type: "List<AWS::EC2::Subnet::Id>"})
	size := cfnssm.NewCfnParameter(s, "Size", cfnssm.CfnParameterProps{Type: "String", Value: "256"})
	cfnlambda.NewCfnFunction(s, "Function", cfnlambda.CfnFunctionProps{
		Role:       "arn:aws:iam::123456789012:role/fn",
		Code:       &cfnlambda.CfnFunctionCode{ZipFile: "x"},
		MemorySize: cdk.Ptr(cdk.AsInt(size.GetAtt("Value"))),
		VpcConfig:  &cfnlambda.CfnFunctionVpcConfig{SubnetIds: subnets.ValueAsList()},
	})
	cfnautoscaling.NewCfnScalingPolicy(s, "Policy", cfnautoscaling.CfnScalingPolicyProps{
		AutoScalingGroupName: "asg",
		PolicyType:           "TargetTrackingScaling",
		TargetTrackingConfiguration: &cfnautoscaling.CfnScalingPolicyTargetTrackingConfiguration{
			TargetValue:                   cdk.Ptr(target.ValueAsNumber()),
			PredefinedMetricSpecification: &cfnautoscaling.CfnScalingPolicyPredefinedMetricSpecification{PredefinedMetricType: "ASGAverageCPUUtilization"},
		},
	})
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	res := asm.Stack("Stack").Template()["Resources"].(map[string]any)
	fn := res["Function"].(map[string]any)["Properties"].(map[string]any)
	if got, want := mustJSON(fn["MemorySize"]), `{"Fn::GetAtt":["Size","Value"]}`; got != want {
		t.Errorf("MemorySize = %s, want %s", got, want)
	}
	if got, want := mustJSON(fn["VpcConfig"]), `{"SubnetIds":{"Ref":"Subnets"}}`; got != want {
		t.Errorf("VpcConfig = %s, want %s", got, want)
	}
	policy := res["Policy"].(map[string]any)["Properties"].(map[string]any)
	if got, want := mustJSON(policy["TargetTrackingConfiguration"]), `{"PredefinedMetricSpecification":{"PredefinedMetricType":"ASGAverageCPUUtilization"},"TargetValue":{"Ref":"Target"}}`; got != want {
		t.Errorf("TargetTrackingConfiguration = %s, want %s", got, want)
	}
}

func TestAutoScalingGroupTagsPropagateAtLaunch(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cfnautoscaling.NewCfnAutoScalingGroup(s, "Group", cfnautoscaling.CfnAutoScalingGroupProps{
		MinSize: "0", MaxSize: "2",
		LaunchTemplate: &cfnautoscaling.CfnAutoScalingGroupLaunchTemplateSpecification{LaunchTemplateId: "lt-0123456789abcdef0", Version: "1"},
		Tags:           []cfnautoscaling.CfnAutoScalingGroupTagProperty{{Key: "own", Value: "x", PropagateAtLaunch: cdk.Ptr(false)}},
	})
	cdk.TagsOf(s).Add("env", "dev")
	cdk.TagsOf(s).Add("quiet", "yes", cdk.TagProps{ExcludeFromLaunchedInstances: true})
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	props := asm.Stack("Stack").Template()["Resources"].(map[string]any)["Group"].(map[string]any)["Properties"].(map[string]any)
	want := `[{"Key":"env","PropagateAtLaunch":true,"Value":"dev"},{"Key":"own","PropagateAtLaunch":false,"Value":"x"},{"Key":"quiet","PropagateAtLaunch":false,"Value":"yes"}]`
	if got := mustJSON(props["Tags"]); got != want {
		t.Errorf("Tags = %s\nwant %s", got, want)
	}
}

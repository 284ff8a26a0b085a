package ec2_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
)

func TestEksOptimizedAmi(t *testing.T) {
	t.Parallel()
	tests := []struct {
		hw   ec2.NodeType
		path string
	}{
		{ec2.NodeTypeStandard, "x86_64/standard"},
		{ec2.NodeTypeStandardArm64, "arm64/standard"},
		{ec2.NodeTypeGpu, "x86_64/nvidia"},
		{ec2.NodeTypeGpuArm64, "arm64/nvidia"},
		{ec2.NodeTypeNeuron, "x86_64/neuron"},
	}
	_, s := agnosticStack()
	for _, tc := range tests {
		img := ec2.EksOptimizedAmi("1.33", tc.hw).GetImage(s)
		if img.OsType != ec2.OperatingSystemTypeLinux || img.UserData.Render() != "#!/bin/bash" || !cdk.IsUnresolved(img.ImageId) {
			t.Errorf("%s: %+v", tc.hw, img)
		}
	}
	ec2.EksOptimizedAmi("1.33", ec2.NodeTypeStandard).GetImage(s) // the same parameter again
	tmpl := assertions.FromStack(t, s)
	for _, tc := range tests {
		tmpl.HasParameter("*", map[string]any{
			"Type":    "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
			"Default": "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/" + tc.path + "/recommended/image_id",
		})
	}
	tmpl.HasParameter("SsmParameterValueawsserviceeksoptimizedami133amazonlinux2023x8664standardrecommendedimageidC96584B6F00A464EAD1953AFF4B05118Parameter", map[string]any{})
	if n := len(tmpl.FindParameters("*", map[string]any{"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"})); n != len(tests) {
		t.Errorf("%d image parameters, want %d", n, len(tests))
	}
	mustPanic(t, func() { ec2.EksOptimizedAmi("", ec2.NodeTypeStandard) }, "not a Kubernetes version")
	mustPanic(t, func() { ec2.EksOptimizedAmi("1.33", "arm64/neuron") }, "not one of the NodeType constants")
}

func TestNodeTypeFor(t *testing.T) {
	t.Parallel()
	for id, want := range map[string]ec2.NodeType{
		"m5.large": ec2.NodeTypeStandard, "m7g.large": ec2.NodeTypeStandardArm64, "g5.xlarge": ec2.NodeTypeGpu,
		"g5g.xlarge": ec2.NodeTypeGpuArm64, "inf2.xlarge": ec2.NodeTypeNeuron, "trn1.2xlarge": ec2.NodeTypeNeuron,
	} {
		if got := ec2.NodeTypeFor(ec2.InstanceTypeOf(id)); got != want {
			t.Errorf("%s: %s, want %s", id, got, want)
		}
	}
	if ec2.NodeTypeGpuArm64.Architecture() != ec2.InstanceArchitectureArm64 || ec2.NodeTypeGpuArm64.Variant() != "nvidia" {
		t.Errorf("NodeType parts")
	}
}

func TestBottlerocketAndSsmImages(t *testing.T) {
	t.Parallel()
	_, s := agnosticStack()
	br := ec2.BottlerocketImage("1.33", ec2.InstanceArchitectureArm64, ec2.BottlerocketVariantNvidia).GetImage(s)
	if br.UserData.Render() != "" {
		t.Errorf("Bottlerocket user data %q, want empty custom user data", br.UserData.Render())
	}
	ec2.BottlerocketImage("1.32", "", ec2.BottlerocketVariantStandard).GetImage(s)
	ec2.GenericSsmImage("/my/ami").GetImage(s)
	tmpl := assertions.FromStack(t, s)
	for _, p := range []string{"/aws/service/bottlerocket/aws-k8s-1.33-nvidia/arm64/latest/image_id", "/aws/service/bottlerocket/aws-k8s-1.32/x86_64/latest/image_id", "/my/ami"} {
		tmpl.HasParameter("*", map[string]any{"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", "Default": p})
	}
	mustPanic(t, func() { ec2.BottlerocketImage("1.33", "sparc", "") }, `"sparc" is not x86_64 or arm64`)
}

func TestGenericLinuxImage(t *testing.T) {
	t.Parallel()
	amis := map[string]string{"us-east-1": "ami-1", "eu-west-1": "ami-2"}
	_, known := envStack(nil)
	if id := ec2.GenericLinuxImage(amis).GetImage(known).ImageId; id != "ami-1" {
		t.Errorf("known region: %q", id)
	}
	mustPanic(t, func() { ec2.GenericLinuxImage(map[string]string{"eu-west-1": "ami-2"}).GetImage(known) }, "no AMI for region us-east-1", "eu-west-1")

	_, s := agnosticStack()
	scope := cdk.NewConstruct(s, "Node")
	img := ec2.GenericLinuxImage(amis).GetImage(scope)
	ec2.GenericLinuxImage(amis).GetImage(scope) // the mapping is reused
	cdk.NewCfnOutput(s, "Ami", cdk.CfnOutputProps{Value: img.ImageId})
	tmpl := assertions.FromStack(t, s)
	tmpl.HasMapping("NodeAmiMapB2B25BA1", map[string]any{"us-east-1": map[string]any{"ami": "ami-1"}, "eu-west-1": map[string]any{"ami": "ami-2"}})
	tmpl.HasOutput("Ami", map[string]any{"Value": map[string]any{"Fn::FindInMap": []any{"NodeAmiMapB2B25BA1", map[string]any{"Ref": "AWS::Region"}, "ami"}}})
}

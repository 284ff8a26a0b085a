package ec2_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
)

func TestInstanceTypes(t *testing.T) {
	t.Parallel()
	arm, x86 := ec2.InstanceArchitectureArm64, ec2.InstanceArchitectureX86_64
	tests := []struct {
		id                          string
		arch                        ec2.InstanceArchitecture
		gpu, inferentia, burst, trn bool
	}{
		{"m5.large", x86, false, false, false, false},
		{"t3.micro", x86, false, false, true, false},
		{"t4g.small", arm, false, false, true, false},
		{"a1.medium", arm, false, false, false, false},
		{"c6gn.16xlarge", arm, false, false, false, false},
		{"m7gd.metal", arm, false, false, false, false},
		{"r8g.48xlarge", arm, false, false, false, false},
		{"x2gd.xlarge", arm, false, false, false, false},
		{"im4gn.large", arm, false, false, false, false},
		{"is4gen.medium", arm, false, false, false, false},
		{"hpc7g.4xlarge", arm, false, false, false, false},
		{"g5g.xlarge", arm, true, false, false, false},
		{"g4dn.xlarge", x86, true, false, false, false},
		{"g6e.2xlarge", x86, true, false, false, false},
		{"gr6.4xlarge", x86, true, false, false, false},
		{"p5.48xlarge", x86, true, false, false, false},
		{"p4de.24xlarge", x86, true, false, false, false},
		{"inf2.xlarge", x86, false, true, false, false},
		{"trn1n.32xlarge", x86, false, false, false, true},
		{"c7i-flex.large", x86, false, false, false, false},
		{"c7i.metal-24xl", x86, false, false, false, false},
		{"u-6tb1.metal", x86, false, false, false, false},
		{"mac2-m2pro.metal", arm, false, false, false, false},
	}
	for _, tc := range tests {
		it, err := ec2.ParseInstanceType(tc.id)
		if err != nil {
			t.Errorf("%s: %v", tc.id, err)
			continue
		}
		if it.String() != tc.id || it.Architecture() != tc.arch || it.IsGpu() != tc.gpu || it.IsInferentia() != tc.inferentia ||
			it.IsBurstable() != tc.burst || it.IsTrainium() != tc.trn || it.IsNeuron() != (tc.inferentia || tc.trn) {
			t.Errorf("%s: arch %s gpu %v inf %v burst %v trn %v", tc.id, it.Architecture(), it.IsGpu(), it.IsInferentia(), it.IsBurstable(), it.IsTrainium())
		}
	}
	it := ec2.InstanceTypeOfClassAndSize(ec2.InstanceClassC7g, ec2.InstanceSizeXlarge2)
	if it.String() != "c7g.2xlarge" || it.Class() != "c7g" || it.Size() != "2xlarge" || !it.SameInstanceClassAs(ec2.InstanceTypeOf("c7g.large")) {
		t.Errorf("class and size: %s %s %s", it, it.Class(), it.Size())
	}
	if !(ec2.InstanceType{}).IsZero() || it.IsZero() {
		t.Errorf("IsZero")
	}
	tok, err := ec2.ParseInstanceType(cdk.NewCfnParameter(cdk.NewStack(cdk.NewApp(cdk.AppProps{}), "S", cdk.StackProps{}), "Type", cdk.CfnParameterProps{}).ValueAsString())
	if err != nil || tok.Architecture() != x86 {
		t.Errorf("token: %v %v", err, tok.Architecture())
	}
	for _, bad := range []string{"m5", "M5.large", "m5.huge", "m5 .large", "large", ""} {
		if _, err := ec2.ParseInstanceType(bad); err == nil || !strings.Contains(err.Error(), "is not an instance type") {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
	mustPanic(t, func() { ec2.InstanceTypeOf("m5-large") }, `"m5-large" is not an instance type`, `"m5.large"`)
}

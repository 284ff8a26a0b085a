package ec2_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cfnlint"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/golden/")

// TestGoldenTemplates compares whole templates with testdata/golden/*.json
// (go test ./aws/ec2 -run TestGoldenTemplates -update rewrites them) and
// checks every one with cfn-lint.
func TestGoldenTemplates(t *testing.T) {
	t.Parallel()
	known := cdk.Environment{Account: "123456789012", Region: "eu-west-1"}
	tests := []struct {
		name  string
		env   cdk.Environment
		build func(s *cdk.Stack)
	}{
		// The default VPC in an environment-agnostic stack: 2 zones.
		{"vpc-default", cdk.Environment{}, func(s *cdk.Stack) { ec2.NewVpc(s, "Vpc", ec2.VpcProps{}) }},
		// One NAT gateway for every private subnet.
		{"vpc-one-nat-gateway", cdk.Environment{}, func(s *cdk.Stack) {
			ec2.NewVpc(s, "Vpc", ec2.VpcProps{NatGateways: cdk.Ptr(1)})
		}},
		// The default VPC in a known environment: 3 zones through Fn::GetAZs.
		{"vpc-known-environment", known, func(s *cdk.Stack) { ec2.NewVpc(s, "Vpc", ec2.VpcProps{}) }},
		// Nodes of a cluster: security groups and a launch template.
		{"security-groups-launch-template", cdk.Environment{}, func(s *cdk.Stack) {
			vpc := ec2.NewVpc(s, "Vpc", ec2.VpcProps{NatGateways: cdk.Ptr(1)})
			control := ec2.NewSecurityGroup(s, "ControlPlane", ec2.SecurityGroupProps{Vpc: vpc, Description: "control plane"})
			nodes := ec2.NewSecurityGroup(s, "Nodes", ec2.SecurityGroupProps{Vpc: vpc, Description: "nodes"})
			nodes.Connections().AllowFrom(control, ec2.PortTcpRange(1025, 65535), "kubelet and pods")
			control.Connections().AllowFrom(nodes, ec2.PortTcp(443), "API server")
			nodes.Connections().AllowInternally(ec2.PortAllTraffic(), "node to node")
			nodes.AddIngressRule(ec2.PeerIpv4("10.0.0.0/16"), ec2.PortTcp(22), "SSH from the VPC")
			role := iam.NewRole(s, "NodeRole", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
			ud := ec2.UserDataForLinux()
			ud.AddCommands("echo starting")
			ec2.NewLaunchTemplate(s, "LaunchTemplate", ec2.LaunchTemplateProps{
				InstanceType:            ec2.InstanceTypeOf("m5.large"),
				MachineImage:            ec2.EksOptimizedAmi("1.33", ec2.NodeTypeStandard),
				UserData:                ud,
				SecurityGroup:           nodes,
				Role:                    role,
				RequireImdsv2:           true,
				HttpPutResponseHopLimit: 2,
				BlockDevices: []ec2.BlockDevice{{DeviceName: "/dev/xvda", VolumeSize: 50,
					Ebs: ec2.EbsDeviceOptions{VolumeType: ec2.EbsVolumeTypeGp3, Encrypted: cdk.Ptr(true)}}},
			})
		}},
	}
	dir := t.TempDir()
	var linted []string
	for _, tc := range tests {
		app := cdk.NewApp(cdk.AppProps{})
		stack := cdk.NewStack(app, "Stack", cdk.StackProps{Env: tc.env})
		tc.build(stack)
		asm, err := app.Synth(cdk.InMemory())
		if err != nil {
			t.Fatalf("%s: synth: %v", tc.name, err)
		}
		got, _ := asm.TemplateOf(stack)
		p := filepath.Join(dir, tc.name+".template.json")
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		linted = append(linted, p)
		golden := filepath.Join("testdata", "golden", tc.name+".json")
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%s: %v (run go test ./aws/ec2 -run TestGoldenTemplates -update)", tc.name, err)
		}
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatalf("%s: %v", golden, err)
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: the template differs from %s (run with -update and review the diff)\ngot:\n%s", tc.name, golden, got)
		}
	}
	cfnlint.LintFiles(t, linted...)
}

package ec2_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cdklib"
)

// parityApp builds, with eksforge, the stacks that testdata/parity/vpc.js
// builds with aws-cdk-lib.
func parityApp() (*cdk.App, map[string]*cdk.Stack) {
	app := cdk.NewApp(cdk.AppProps{Context: map[string]any{
		"availability-zones:account=123456789012:region=us-east-1": []any{"us-east-1a", "us-east-1b", "us-east-1c"},
	}})
	stacks := map[string]*cdk.Stack{}
	stack := func(id string, env cdk.Environment) *cdk.Stack {
		s := cdk.NewStack(app, id, cdk.StackProps{Env: env})
		stacks[id] = s
		return s
	}
	ec2.NewVpc(stack("Default", cdk.Environment{}), "Vpc", ec2.VpcProps{})
	ec2.NewVpc(stack("OneNat", cdk.Environment{}), "Vpc", ec2.VpcProps{NatGateways: cdk.Ptr(1)})
	ec2.NewVpc(stack("NoNat", cdk.Environment{}), "Vpc", ec2.VpcProps{NatGateways: cdk.Ptr(0)})
	ec2.NewVpc(stack("Custom", cdk.Environment{Account: "123456789012", Region: "us-east-1"}), "Vpc", ec2.VpcProps{
		Cidr:        "10.20.0.0/16",
		MaxAzs:      3,
		NatGateways: cdk.Ptr(2),
		VpcName:     "my-vpc",
		SubnetConfiguration: []ec2.SubnetConfiguration{
			{Name: "Ingress", SubnetType: ec2.SubnetTypePublic, CidrMask: 24},
			{Name: "App", SubnetType: ec2.SubnetTypePrivateWithEgress},
			{Name: "Db", SubnetType: ec2.SubnetTypePrivateIsolated, CidrMask: 28},
		},
	})

	s := stack("Rules", cdk.Environment{})
	vpc := ec2.VpcFromVpcAttributes(s, "Imported", ec2.VpcAttributes{
		VpcId: "vpc-12345678", AvailabilityZones: []string{"us-east-1a", "us-east-1b"}, PrivateSubnetIds: []string{"subnet-1", "subnet-2"},
	})
	a := ec2.NewSecurityGroup(s, "A", ec2.SecurityGroupProps{Vpc: vpc})
	b := ec2.NewSecurityGroup(s, "B", ec2.SecurityGroupProps{Vpc: vpc, AllowAllOutbound: cdk.Ptr(false), Description: "bee"})
	c := ec2.NewSecurityGroup(s, "C", ec2.SecurityGroupProps{Vpc: vpc, AllowAllOutbound: cdk.Ptr(false)})
	ec2.NewSecurityGroup(s, "Closed", ec2.SecurityGroupProps{Vpc: vpc, AllowAllOutbound: cdk.Ptr(false)})
	a.AddIngressRule(ec2.PeerIpv4("10.0.0.0/8"), ec2.PortTcp(443), "")
	a.AddIngressRule(ec2.PeerAnyIpv6(), ec2.PortTcpRange(1000, 2000), "range")
	a.Connections().AllowFrom(b, ec2.PortTcp(22), "")
	b.Connections().AllowTo(c, ec2.PortAllTraffic(), "b to c")
	c.Connections().AllowInternally(ec2.PortUdp(53), "")
	a.Connections().AllowFrom(ec2.SecurityGroupFromSecurityGroupId(s, "Existing", "sg-12345678"), ec2.PortTcp(80), "")
	a.AddIngressRule(ec2.PeerPrefixList("pl-12345678"), ec2.PortAllIcmp(), "")
	a.AddIngressRule(ec2.PeerSecurityGroupId("sg-87654321"), ec2.PortIcmpType(8), "")
	c.AddEgressRule(ec2.PeerAnyIpv4(), ec2.PortTcp(443), "")

	role := iam.NewRole(s, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	ud := ec2.UserDataForLinux()
	ud.AddCommands("echo hi", "echo there")
	ec2.NewLaunchTemplate(s, "LaunchTemplate", ec2.LaunchTemplateProps{
		InstanceType:  ec2.InstanceTypeOf("m5.large"),
		MachineImage:  ec2.BottlerocketImage("1.33", ec2.InstanceArchitectureX86_64, ec2.BottlerocketVariantStandard),
		UserData:      ud,
		KeyName:       "my-key",
		SecurityGroup: a,
		Role:          role,
		RequireImdsv2: true,
		BlockDevices: []ec2.BlockDevice{{DeviceName: "/dev/xvda", VolumeSize: 50,
			Ebs: ec2.EbsDeviceOptions{VolumeType: ec2.EbsVolumeTypeGp3, Encrypted: cdk.Ptr(true)}}},
	})
	mp := ec2.NewMultipartUserData()
	mp.AddUserDataPart(ud, ec2.MultipartContentTypeShellScript, true)
	mp.AddPart(ec2.MultipartBodyFromRawBody(ec2.MultipartBodyOptions{ContentType: "text/x-foo", Body: "raw body"}))
	ec2.NewLaunchTemplate(s, "Multipart", ec2.LaunchTemplateProps{UserData: mp, HttpPutResponseHopLimit: 2, HttpTokens: ec2.HttpTokensRequired})
	return app, stacks
}

// TestParityWithAwsCdk synthesizes the same stacks with aws-cdk-lib and
// eksforge and compares every resource: logical IDs, types, properties
// (tags compared as sets: the AWS CDK sorts "Name" after lower-case keys)
// and DependsOn; and the SSM parameters and mappings. Intended differences
// are listed in docs/architecture.md ("AWS constructs").
func TestParityWithAwsCdk(t *testing.T) {
	t.Parallel()
	dir := cdklib.Synth(t, "testdata/parity/vpc.js")
	app, stacks := parityApp()
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Default", "OneNat", "NoNat", "Custom", "Rules"} {
		t.Run(name, func(t *testing.T) {
			want := cdklib.Template(t, dir, name)
			body, _ := asm.TemplateOf(stacks[name])
			var got map[string]any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			cdklib.CompareSection(t, "Resources", got, want, []string{"Type", "Properties", "DependsOn"})
			cdklib.CompareSection(t, "Parameters", got, want, []string{"Type", "Default"})
			if !reflect.DeepEqual(got["Mappings"], want["Mappings"]) {
				t.Errorf("Mappings differ:\n ours: %s\n  cdk: %s", cdklib.JSON(got["Mappings"]), cdklib.JSON(want["Mappings"]))
			}
		})
	}
}

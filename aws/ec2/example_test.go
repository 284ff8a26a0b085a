package ec2_test

import (
	"fmt"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
)

// The AWS CDK's default VPC: a public and a private subnet in each zone (2
// zones in an environment-agnostic stack), with the address space split
// evenly.
func ExampleNewVpc() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Network", cdk.StackProps{})
	vpc := ec2.NewVpc(stack, "Vpc", ec2.VpcProps{})
	for _, s := range append(vpc.PublicSubnets(), vpc.PrivateSubnets()...) {
		fmt.Println(s.Node().ID(), s.Ipv4CidrBlock())
	}
	fmt.Println(len(vpc.NatGateways), "NAT gateways")
	// Output:
	// PublicSubnet1 10.0.0.0/18
	// PublicSubnet2 10.0.64.0/18
	// PrivateSubnet1 10.0.128.0/18
	// PrivateSubnet2 10.0.192.0/18
	// 2 NAT gateways
}

// A VPC with one NAT gateway, a public group of /24s, private subnets in
// the rest of the space and small isolated subnets for databases.
func ExampleNewVpc_subnetConfiguration() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Network", cdk.StackProps{})
	vpc := ec2.NewVpc(stack, "Vpc", ec2.VpcProps{
		Cidr:        "10.20.0.0/16",
		NatGateways: cdk.Ptr(1),
		SubnetConfiguration: []ec2.SubnetConfiguration{
			{Name: "Ingress", SubnetType: ec2.SubnetTypePublic, CidrMask: 24},
			{Name: "App", SubnetType: ec2.SubnetTypePrivateWithEgress},
			{Name: "Db", SubnetType: ec2.SubnetTypePrivateIsolated, CidrMask: 28},
		},
	})
	db := vpc.SelectSubnets(ec2.SubnetSelection{SubnetGroupName: "Db"})
	for _, s := range db.Subnets {
		fmt.Println(s.Node().ID(), s.Ipv4CidrBlock())
	}
	fmt.Println(vpc.PrivateSubnets()[0].Ipv4CidrBlock())
	// Output:
	// DbSubnet1 10.20.2.0/28
	// DbSubnet2 10.20.2.16/28
	// 10.20.64.0/18
}

// Rules between security groups: nodes accept traffic from the control
// plane, which accepts HTTPS from the nodes.
func ExampleConnections() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Cluster", cdk.StackProps{})
	vpc := ec2.NewVpc(stack, "Vpc", ec2.VpcProps{})
	control := ec2.NewSecurityGroup(stack, "ControlPlane", ec2.SecurityGroupProps{Vpc: vpc})
	nodes := ec2.NewSecurityGroup(stack, "Nodes", ec2.SecurityGroupProps{Vpc: vpc})
	nodes.Connections().AllowFrom(control, ec2.PortTcpRange(1025, 65535), "")
	control.Connections().AllowFrom(nodes, ec2.PortTcp(443), "")
	nodes.AddIngressRule(ec2.PeerIpv4("10.0.0.0/16"), ec2.PortTcp(22), "SSH")
	for _, c := range stack.Node().FindAll() {
		if r, ok := c.(interface{ Type() string }); ok && r.Type() == "AWS::EC2::SecurityGroupIngress" {
			fmt.Println(c.Node().Path())
		}
	}
	// Output:
	// Cluster/ControlPlane/from ClusterNodesB31FF752:443
	// Cluster/Nodes/from ClusterControlPlane4E7B8677:1025-65535
}

func ExampleInstanceTypeOf() {
	for _, id := range []string{"m5.large", "c7g.xlarge", "g5.2xlarge", "inf2.xlarge"} {
		it := ec2.InstanceTypeOf(id)
		fmt.Println(it, it.Architecture(), ec2.NodeTypeFor(it))
	}
	_, err := ec2.ParseInstanceType("m5large")
	fmt.Println(err)
	// Output:
	// m5.large x86_64 x86_64/standard
	// c7g.xlarge arm64 arm64/standard
	// g5.2xlarge x86_64 x86_64/nvidia
	// inf2.xlarge x86_64 x86_64/neuron
	// "m5large" is not an instance type: write <class>.<size> in lower case, such as "m5.large", "c7g.2xlarge" or "t3.micro"
}

// The latest EKS-optimized Amazon Linux 2023 AMI for Graviton nodes, read
// from its public SSM parameter when the stack deploys.
func ExampleEksOptimizedAmi() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Nodes", cdk.StackProps{})
	img := ec2.EksOptimizedAmi("1.33", ec2.NodeTypeFor(ec2.InstanceTypeOf("m7g.large"))).GetImage(stack)
	id, _ := stack.Resolve(img.ImageId)
	fmt.Println(img.OsType, id)
	// Output:
	// Linux map[Ref:SsmParameterValueawsserviceeksoptimizedami133amazonlinux2023arm64standardrecommendedimageidC96584B6F00A464EAD1953AFF4B05118Parameter]
}

func ExampleUserDataForLinux() {
	ud := ec2.UserDataForLinux()
	ud.AddCommands("set -o errexit", "echo ready")
	fmt.Println(ud.Render())
	// Output:
	// #!/bin/bash
	// set -o errexit
	// echo ready
}

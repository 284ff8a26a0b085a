// Command clusterapp is the eksforge app of the CLI's kubeconfig test and
// of the docs/cli.md transcript: a stack holding a VPC, two subnets and an
// AWS::EKS::Cluster (cfn/eks's L1), which moto deploys into its EKS (see
// internal/testenv/motoserver). STACK_NAME and CLUSTER_NAME set the
// CloudFormation stack name and the cluster's name (tests share one moto
// server). Default: ClusterApp and demo.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/cdk"
	ekscfn "github.com/eksforge/eksforge/cfn/eks"
)

func main() {
	app := cdk.NewApp(cdk.AppProps{})
	st := cdk.NewStack(app, "ClusterApp", cdk.StackProps{StackName: os.Getenv("STACK_NAME")})
	vpc := cdk.NewCfnResource(st, "Vpc", cdk.CfnResourceProps{Type: "AWS::EC2::VPC", Properties: map[string]any{"CidrBlock": "10.3.0.0/16"}})
	var subnets []string
	for i, cidr := range []string{"10.3.1.0/24", "10.3.2.0/24"} {
		subnet := cdk.NewCfnResource(st, fmt.Sprintf("Subnet%d", i+1), cdk.CfnResourceProps{Type: "AWS::EC2::Subnet", Properties: map[string]any{"VpcId": vpc.Ref(), "CidrBlock": cidr}})
		subnets = append(subnets, subnet.Ref())
	}
	name := os.Getenv("CLUSTER_NAME")
	if name == "" {
		name = "demo"
	}
	public := true
	cluster := ekscfn.NewCfnCluster(st, "Cluster", ekscfn.CfnClusterProps{
		Name:               name,
		Version:            "1.33",
		RoleArn:            "arn:aws:iam::123456789012:role/eks-cluster",
		ResourcesVpcConfig: &ekscfn.CfnClusterResourcesVpcConfig{SubnetIds: subnets, EndpointPublicAccess: &public},
	})
	cdk.NewCfnOutput(st, "ClusterName", cdk.CfnOutputProps{Value: cluster.Ref()})
	cdk.NewCfnOutput(st, "Endpoint", cdk.CfnOutputProps{Value: cluster.AttrEndpoint()})
	cdk.NewCfnOutput(st, "CA", cdk.CfnOutputProps{Value: cluster.AttrCertificateAuthorityData()})
	if _, err := app.Synth(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

package cli_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/eksforge/eksforge/cdk"
)

var names atomic.Int64

// unique returns a CloudFormation stack name made of base and a number that
// no other test of this process uses: tests share one moto server, also
// across go test -count runs.
func unique(base string) string {
	return fmt.Sprintf("%s-%d", base, names.Add(1))
}

// synth writes the app that build makes to a new directory and returns it.
func synth(t *testing.T, build func(app *cdk.App)) string {
	t.Helper()
	dir := t.TempDir()
	app := cdk.NewApp(cdk.AppProps{})
	build(app)
	if _, err := app.Synth(cdk.WithOutdir(dir)); err != nil {
		t.Fatalf("synthesis: %v", err)
	}
	return dir
}

// network is what the deploy tests deploy: a VPC, a security group, an IAM
// role, a file asset and outputs. Variants change it.
type network struct {
	stack   string // the construct id (the display name)
	name    string // the CloudFormation stack name. Default: the id
	asset   string // the file asset's content
	subnet  bool   // add a subnet (an update)
	https   bool   // open 443 to the VPC (a broadening change)
	badCIDR bool   // add a subnet outside the VPC (moto refuses it)
	large   bool   // make the template larger than CloudFormation's TemplateBody limit
}

func (n network) build(app *cdk.App) {
	st := cdk.NewStack(app, n.stack, cdk.StackProps{StackName: n.name, Tags: map[string]string{"test": "eksforge-cli"}})
	vpc := cdk.NewCfnResource(st, "Vpc", cdk.CfnResourceProps{Type: "AWS::EC2::VPC", Properties: map[string]any{"CidrBlock": "10.0.0.0/16", "EnableDnsSupport": true}})
	if n.large {
		vpc.AddMetadata("padding", strings.Repeat("eksforge ", 7000))
	}
	sgProps := map[string]any{"GroupDescription": "eksforge cli test", "VpcId": vpc.Ref()}
	if n.https {
		sgProps["SecurityGroupIngress"] = []any{map[string]any{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/16"}}
	}
	sg := cdk.NewCfnResource(st, "SecurityGroup", cdk.CfnResourceProps{Type: "AWS::EC2::SecurityGroup", Properties: sgProps})
	role := cdk.NewCfnResource(st, "Role", cdk.CfnResourceProps{Type: "AWS::IAM::Role", Properties: map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{
			map[string]any{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": map[string]any{"Service": "ec2.amazonaws.com"}},
		}},
	}})
	// The stack name in the content keeps the asset (and so the template)
	// new to a server that ran the test before (go test -count=2).
	loc := st.AddFileAsset(cdk.FileAssetSource{Data: []byte(n.asset + "\n" + n.name), FileName: "data.txt", DisplayName: "test data"})
	if n.subnet {
		cdk.NewCfnResource(st, "Subnet", cdk.CfnResourceProps{Type: "AWS::EC2::Subnet", Properties: map[string]any{"VpcId": vpc.Ref(), "CidrBlock": "10.0.1.0/24"}})
	}
	if n.badCIDR {
		cdk.NewCfnResource(st, "BadSubnet", cdk.CfnResourceProps{Type: "AWS::EC2::Subnet", Properties: map[string]any{"VpcId": vpc.Ref(), "CidrBlock": "192.168.0.0/24"}})
	}
	cdk.NewCfnOutput(st, "VpcId", cdk.CfnOutputProps{Value: vpc.Ref()})
	cdk.NewCfnOutput(st, "SecurityGroupId", cdk.CfnOutputProps{Value: sg.GetAttString("GroupId")})
	cdk.NewCfnOutput(st, "RoleArn", cdk.CfnOutputProps{Value: role.GetAttString("Arn")})
	cdk.NewCfnOutput(st, "DataUrl", cdk.CfnOutputProps{Value: loc.S3ObjectURL})
}

// eksApp is a cluster with a node group and a manifest-like custom
// resource; the variants change create-only properties of the node group.
type eksApp struct {
	nodegroupName string
	subnets       []string // ids of the subnets the node group uses
	ecrReadOnly   bool     // attach the ECR read-only policy to the node role
}

func (e eksApp) build(app *cdk.App) {
	st := cdk.NewStack(app, "EksApp", cdk.StackProps{})
	vpc := cdk.NewCfnResource(st, "Vpc", cdk.CfnResourceProps{Type: "AWS::EC2::VPC", Properties: map[string]any{"CidrBlock": "10.0.0.0/16"}})
	subnets := map[string]*cdk.CfnResource{}
	for i, id := range []string{"SubnetA", "SubnetB", "SubnetC"} {
		subnets[id] = cdk.NewCfnResource(st, id, cdk.CfnResourceProps{Type: "AWS::EC2::Subnet", Properties: map[string]any{"VpcId": vpc.Ref(), "CidrBlock": []string{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"}[i]}})
	}
	trust := func(service string) map[string]any {
		return map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": map[string]any{"Service": service}}}}
	}
	cluster := cdk.NewConstruct(st, "Cluster")
	clusterRole := cdk.NewCfnResource(cluster, "Role", cdk.CfnResourceProps{Type: "AWS::IAM::Role", Properties: map[string]any{
		"AssumeRolePolicyDocument": trust("eks.amazonaws.com"),
		"ManagedPolicyArns":        []any{"arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"},
	}})
	var clusterSubnets []any
	for _, id := range []string{"SubnetA", "SubnetB", "SubnetC"} {
		clusterSubnets = append(clusterSubnets, subnets[id].Ref())
	}
	c := cdk.NewCfnResource(cluster, "Resource", cdk.CfnResourceProps{Type: "AWS::EKS::Cluster", Properties: map[string]any{
		"Name": "demo", "Version": "1.33", "RoleArn": clusterRole.GetAttString("Arn"),
		"ResourcesVpcConfig": map[string]any{"SubnetIds": clusterSubnets},
	}})
	ng := cdk.NewConstruct(cluster, "Nodegroup")
	nodePolicies := []any{"arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"}
	if e.ecrReadOnly {
		nodePolicies = append(nodePolicies, "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly")
	}
	nodeRole := cdk.NewCfnResource(ng, "NodeRole", cdk.CfnResourceProps{Type: "AWS::IAM::Role", Properties: map[string]any{
		"AssumeRolePolicyDocument": trust("ec2.amazonaws.com"),
		"ManagedPolicyArns":        nodePolicies,
	}})
	var ngSubnets []any
	for _, id := range e.subnets {
		ngSubnets = append(ngSubnets, subnets[id].Ref())
	}
	cdk.NewCfnResource(ng, "Resource", cdk.CfnResourceProps{Type: "AWS::EKS::Nodegroup", Properties: map[string]any{
		"ClusterName": c.Ref(), "NodegroupName": e.nodegroupName, "NodeRole": nodeRole.GetAttString("Arn"), "Subnets": ngSubnets,
		"ScalingConfig": map[string]any{"MinSize": 1, "MaxSize": 3, "DesiredSize": 2},
	}})
	manifest := cdk.NewCfnResource(cluster, "Manifest", cdk.CfnResourceProps{Type: "Custom::AWSCDK-EKS-KubernetesResource", Properties: map[string]any{
		"ClusterName": c.Ref(), "Manifest": `[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo"}}]`,
	}})
	chart := cdk.NewCfnResource(cluster, "Chart", cdk.CfnResourceProps{Type: "Custom::AWSCDK-EKS-HelmChart", Properties: map[string]any{
		"ClusterName": c.Ref(), "Chart": "nginx", "Namespace": "demo",
	}})
	chart.AddDependency(manifest)
}

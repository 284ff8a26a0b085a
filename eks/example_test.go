package eks_test

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

// printResources synthesizes the app and prints the stack's EKS resources
// with one property each.
func printResources(app *cdk.App, typ, prop string) {
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		fmt.Println(err)
		return
	}
	var ids []string
	res := asm.Stacks[0].Template()["Resources"].(map[string]any)
	for id, r := range res {
		if r.(map[string]any)["Type"] == typ {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		v, _ := json.Marshal(res[id].(map[string]any)["Properties"].(map[string]any)[prop])
		fmt.Printf("%s %s: %s\n", id, prop, v)
	}
}

// The seed's first example: a cluster with the default capacity, a managed
// node group of 2 m5.large, in a new VPC.
func ExampleNewCluster() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "HelloEks", cdk.StackProps{})
	eks.NewCluster(stack, "hello-eks", eks.ClusterProps{Version: eks.V1_34})
	printResources(app, "AWS::EKS::Nodegroup", "ScalingConfig")
	printResources(app, "AWS::EKS::Cluster", "Version")
	// Output:
	// helloeksNodegroupDefaultCapacity353770F8 ScalingConfig: {"DesiredSize":2,"MaxSize":2,"MinSize":2}
	// helloeksBE273F5A Version: "1.34"
}

// Endpoint access: reachable from the VPC only, or public from one range.
func ExampleEndpointAccess_OnlyFrom() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	eks.NewCluster(stack, "Cluster", eks.ClusterProps{
		Version:         eks.V1_34,
		EndpointAccess:  eks.EndpointAccessPublicAndPrivate.OnlyFrom("203.0.113.0/24"),
		DefaultCapacity: cdk.Ptr(0),
	})
	printResources(app, "AWS::EKS::Cluster", "ResourcesVpcConfig")
	// Output:
	// ClusterEB0386A7 ResourcesVpcConfig: {"EndpointPrivateAccess":true,"EndpointPublicAccess":true,"PublicAccessCidrs":["203.0.113.0/24"],"SecurityGroupIds":[{"Fn::GetAtt":["ClusterControlPlaneSecurityGroupD274242C","GroupId"]}],"SubnetIds":[{"Ref":"ClusterDefaultVpcPublicSubnet1Subnet3BFE1BDA"},{"Ref":"ClusterDefaultVpcPublicSubnet2SubnetC4E9A966"},{"Ref":"ClusterDefaultVpcPrivateSubnet1Subnet03F39409"},{"Ref":"ClusterDefaultVpcPrivateSubnet2SubnetA526AEA7"}]}
}

// The seed's managed node group examples: the defaults, and a customized
// group whose AMI type follows its (arm64) instance types.
func ExampleCluster_AddNodegroupCapacity() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	eks.NewNodegroup(stack, "nodegroup", eks.NodegroupProps{Cluster: cluster})
	cluster.AddNodegroupCapacity("custom-node-group", eks.NodegroupOptions{
		InstanceTypes: []ec2.InstanceType{ec2.InstanceTypeOf("m6g.large")},
		MinSize:       cdk.Ptr(4),
		DiskSize:      100,
	})
	printResources(app, "AWS::EKS::Nodegroup", "AmiType")
	// Output:
	// ClusterNodegroupcustomnodegroupF798ADA7 AmiType: "AL2023_ARM_64_STANDARD"
	// nodegroup6670ACA7 AmiType: null
}

// The seed's Fargate example: a profile for every pod of the default
// namespace.
func ExampleCluster_AddFargateProfile() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	cluster.AddFargateProfile("MyProfile", eks.FargateProfileOptions{
		Selectors: []eks.Selector{{Namespace: "default"}},
	})
	printResources(app, "AWS::EKS::FargateProfile", "Selectors")
	// Output:
	// ClusterfargateprofileMyProfile9675D55D Selectors: [{"Labels":[],"Namespace":"default"}]
}

// The seed's FargateCluster: no EC2 capacity, a default profile for
// kube-system and default, CoreDNS on Fargate.
func ExampleNewFargateCluster() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	eks.NewFargateCluster(stack, "MyCluster", eks.FargateClusterProps{ClusterProps: eks.ClusterProps{Version: eks.V1_34}})
	printResources(app, "AWS::EKS::FargateProfile", "Selectors")
	printResources(app, "AWS::EKS::Addon", "ConfigurationValues")
	// Output:
	// MyClusterfargateprofiledefault7ADDCB43 Selectors: [{"Labels":[],"Namespace":"default"},{"Labels":[],"Namespace":"kube-system"}]
	// MyClusterCoreDnsAddon40056EB1 ConfigurationValues: "{\"computeType\":\"Fargate\"}"
}

// The seed's spot capacity and bootstrap options: self-managed spot nodes
// whose kubelet gets extra labels through nodeadm's NodeConfig.
func ExampleCluster_AddAutoScalingGroupCapacity() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	cluster.AddAutoScalingGroupCapacity("spot", eks.AutoScalingGroupCapacityOptions{
		AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{
			InstanceType: ec2.InstanceTypeOf("t3.large"),
			MinCapacity:  cdk.Ptr(2),
			SpotPrice:    "0.0832",
		},
		ConnectOptions: eks.ConnectOptions{
			BootstrapOptions: eks.BootstrapOptions{KubeletExtraArgs: "--node-labels foo=bar,goo=far"},
		},
	})
	// Spot capacity installs the AWS Node Termination Handler chart.
	if chart, ok := cluster.Node().TryFindChild("chart-spot-interrupt-handler").(*eks.HelmChart); ok {
		fmt.Println("chart:", chart.Resource.Properties["Chart"], chart.Resource.Properties["Version"])
	}
	_, err := app.Synth(cdk.InMemory())
	fmt.Println("synthesized:", err == nil)
	// Output:
	// chart: aws-node-termination-handler 0.27.0
	// synthesized: true
}

// Access entries: a masters role with cluster-admin and the kubeconfig
// outputs, and a role that may view two namespaces.
func ExampleCluster_GrantAccess() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	admin := iam.NewRole(stack, "Admin", iam.RoleProps{AssumedBy: iam.NewAccountRootPrincipal()})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, MastersRole: admin, DefaultCapacity: cdk.Ptr(0)})
	cluster.GrantAccess("Viewer", "arn:aws:iam::123456789012:role/viewer",
		eks.AccessPolicyFromAccessPolicyName("AmazonEKSViewPolicy", eks.AccessScope{Type: eks.AccessScopeTypeNamespace, Namespaces: []string{"a", "b"}}))
	printResources(app, "AWS::EKS::AccessEntry", "PrincipalArn")
	// Output:
	// ClusterViewer36C37CD5 PrincipalArn: "arn:aws:iam::123456789012:role/viewer"
	// ClustermastersRoleAccess698EBA51 PrincipalArn: {"Fn::GetAtt":["AdminC75D2A91","Arn"]}
}

// The seed's secrets encryption example.
func ExampleClusterProps_secretsEncryptionKey() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	key := kms.NewKey(stack, "SecretsKey", kms.KeyProps{})
	eks.NewCluster(stack, "MyCluster", eks.ClusterProps{Version: eks.V1_34, SecretsEncryptionKey: key, DefaultCapacity: cdk.Ptr(0)})
	printResources(app, "AWS::EKS::Cluster", "EncryptionConfig")
	// Output:
	// MyCluster4C1BA579 EncryptionConfig: [{"Provider":{"KeyArn":{"Fn::GetAtt":["SecretsKey317DCF94","Arn"]}},"Resources":["secrets"]}]
}

// Problems are collected and reported together with their construct paths.
func Example_validation() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{DefaultCapacity: cdk.Ptr(0)})
	cluster.AddNodegroupCapacity("ng", eks.NodegroupOptions{DesiredSize: cdk.Ptr(5), MaxSize: cdk.Ptr(3)})
	_, err := app.Synth(cdk.InMemory())
	fmt.Println(err)
	// Output:
	// synthesis found 2 problem(s):
	//   [Stack/Cluster] Version is required: set ClusterProps.Version, e.g. eks.V1_34
	//   [Stack/Cluster/Nodegroupng] desired size 5 is greater than max size 3: raise MaxSize or lower DesiredSize
}

package eks_test

import (
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

// A cluster made elsewhere (by eksctl, Terraform or another stack), imported
// by name: node groups, Kubernetes resources, Helm charts and service
// accounts are added as to an owned cluster. Its kubectl handler assumes a
// role the cluster already maps to system:masters (the AWS CDK's
// kubectlRoleArn), so no access entry is needed and a CONFIG_MAP cluster
// works too.
func ExampleClusterFromClusterAttributes() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Workloads", cdk.StackProps{Env: cdk.Environment{Account: "123456789012", Region: "us-east-1"}})

	vpc := ec2.VpcFromVpcAttributes(stack, "Vpc", ec2.VpcAttributes{
		VpcId:             "vpc-0123456789abcdef0",
		AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
		PrivateSubnetIds:  []string{"subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"},
	})
	cluster := eks.ClusterFromClusterAttributes(stack, "Cluster", eks.ClusterAttributes{
		ClusterName:            "prod",
		Vpc:                    vpc,
		KubernetesVersion:      eks.V1_34,
		AuthenticationMode:     eks.AuthenticationModeConfigMap,
		KubectlRoleArn:         "arn:aws:iam::123456789012:role/prod-cluster-admin",
		OpenIdConnectIssuerUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
		OpenIdConnectProvider: iam.OpenIDConnectProviderFromArn(stack, "Oidc",
			"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"),
	})

	eks.NewNodegroup(stack, "Workers", eks.NodegroupProps{Cluster: cluster})
	cluster.AddManifest("settings", map[string]any{
		"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": "settings", "namespace": "default"},
		"data":     map[string]any{"tier": "prod"},
	})
	cluster.AddServiceAccount("app", eks.ServiceAccountOptions{Name: "app"})

	printResources(app, eks.KubernetesManifestResourceType, "RoleArn")
	// Output:
	// ClusterappmanifestappServiceAccountResourceB993E90A RoleArn: "arn:aws:iam::123456789012:role/prod-cluster-admin"
	// Clustermanifestsettings00034B3E RoleArn: "arn:aws:iam::123456789012:role/prod-cluster-admin"
}

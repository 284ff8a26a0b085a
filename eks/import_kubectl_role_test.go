package eks_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

// An imported CONFIG_MAP cluster with the AWS CDK's kubectlRoleArn: the
// handler assumes the role, which aws-auth already maps to system:masters,
// so no access entry is made and Kubernetes resources work.
func TestImportedClusterKubectlRoleArn(t *testing.T) {
	t.Parallel()
	const role = "arn:aws:iam::123456789012:role/cluster-admin"
	_, stack := newStack(cdk.Environment{Account: "123456789012", Region: "us-east-1"})
	c := eks.ClusterFromClusterAttributes(stack, "Imported", eks.ClusterAttributes{
		ClusterName:        "prod",
		AuthenticationMode: eks.AuthenticationModeConfigMap,
		KubectlRoleArn:     role,
	})
	c.AddManifest("cm", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
	c.AddHelmChart("chart", eks.HelmChartOptions{Chart: "nginx", Repository: "https://charts.example.com"})

	tmpl := assertions.FromStack(t, stack)
	tmpl.ResourceCountIs("AWS::EKS::AccessEntry", 0)
	tmpl.HasResourceProperties(eks.KubernetesManifestResourceType, map[string]any{"ClusterName": "prod", "RoleArn": role})
	tmpl.HasResourceProperties(eks.HelmChartResourceType, map[string]any{"ClusterName": "prod", "RoleArn": role})
	tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match.ArrayWith([]any{
			map[string]any{"Action": "sts:AssumeRole", "Effect": "Allow", "Resource": role},
		})},
	})
	// The handler is pinned to the cluster with the role it assumes.
	tmpl.HasResourceProperties("AWS::Lambda::Function", map[string]any{
		"Environment": map[string]any{"Variables": assertions.Match.ObjectLike(map[string]any{
			eks.KubectlClustersEnvironmentVariable: assertions.Match.StringLikeRegexp(`"roleArn":"` + role + `"`),
		})},
	})
}

func TestImportedClusterKubectlRoleArnErrors(t *testing.T) {
	t.Parallel()
	t.Run("fails on a value that is not a role ARN", func(t *testing.T) {
		t.Parallel()
		app, stack := newStack()
		eks.ClusterFromClusterAttributes(stack, "Imported", eks.ClusterAttributes{ClusterName: "prod", KubectlRoleArn: "cluster-admin"})
		wantError(t, app, "[Stack/Imported]", `KubectlRoleArn "cluster-admin" is not an IAM role ARN`)
	})
	t.Run("fails next to Kubectl.Provider", func(t *testing.T) {
		t.Parallel()
		app, stack := newStack()
		p := eks.KubectlProviderFromArn(stack, "P", eks.KubectlProviderAttributes{FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:kubectl"})
		eks.ClusterFromClusterAttributes(stack, "Imported", eks.ClusterAttributes{
			ClusterName: "prod", KubectlRoleArn: "arn:aws:iam::123456789012:role/a", Kubectl: eks.KubectlOptions{Provider: p},
		})
		wantError(t, app, "[Stack/Imported]", "KubectlRoleArn and Kubectl.Provider are both set")
	})
	t.Run("a CONFIG_MAP import without it still fails, naming it", func(t *testing.T) {
		t.Parallel()
		app, stack := newStack()
		c := eks.ClusterFromClusterAttributes(stack, "Imported", eks.ClusterAttributes{ClusterName: "prod", AuthenticationMode: eks.AuthenticationModeConfigMap, Vpc: nil})
		c.AddManifest("cm", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
		wantError(t, app, "CONFIG_MAP", "ClusterAttributes.KubectlRoleArn")
	})
}

// An imported cluster offers the methods of an owned one, so a user never
// switches to the package functions.
func TestImportedClusterMethods(t *testing.T) {
	t.Parallel()
	_, stack := newStack(cdk.Environment{Account: "123456789012", Region: "us-east-1"})
	c := eks.ClusterFromClusterAttributes(stack, "Imported", eks.ClusterAttributes{
		ClusterName: "prod", OpenIdConnectIssuerUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
	})
	c.AddManifest("cm", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
	c.AddHelmChart("chart", eks.HelmChartOptions{Chart: "nginx", Repository: "https://charts.example.com"})
	c.AddServiceAccount("sa", eks.ServiceAccountOptions{IdentityType: eks.IdentityTypePodIdentity})
	c.AwsAuth().AddRoleMapping(iam.RoleFromRoleArn(stack, "Dev", "arn:aws:iam::123456789012:role/dev"), eks.AwsAuthMapping{Groups: []string{"dev"}})
	tp := assertions.FromStack(t, stack)
	tp.ResourceCountIs(eks.KubernetesManifestResourceType, 2) // the ConfigMap and the service account
	tp.ResourceCountIs(eks.HelmChartResourceType, 1)
	tp.ResourceCountIs("AWS::EKS::PodIdentityAssociation", 1)
	tp.HasResourceProperties(eks.AwsAuthResourceType, map[string]any{"ClusterName": "prod"})
}

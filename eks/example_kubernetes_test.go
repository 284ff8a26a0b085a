package eks_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

// printKubernetesResources synthesizes the app and prints the custom resources and
// IAM/EKS resources of interest in the stack, sorted by logical ID.
func printKubernetesResources(app *cdk.App, stack *cdk.Stack, types ...string) {
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := asm.TemplateOf(stack)
	var tmpl map[string]any
	if err := json.Unmarshal(b, &tmpl); err != nil {
		fmt.Println(err)
		return
	}
	var lines []string
	for id, r := range tmpl["Resources"].(map[string]any) {
		typ := r.(map[string]any)["Type"].(string)
		for _, t := range types {
			if typ == t {
				lines = append(lines, id+" "+typ)
			}
		}
	}
	sort.Strings(lines)
	fmt.Println(strings.Join(lines, "\n"))
}

// The seed's hello-kubernetes example: a Deployment and a Service applied
// as one manifest.
func ExampleCluster_AddManifest() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "hello-eks", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})

	appLabel := map[string]any{"app": "hello-kubernetes"}
	deployment := map[string]any{
		"apiVersion": "apps/v1",
		"kind":       "Deployment",
		"metadata":   map[string]any{"name": "hello-kubernetes"},
		"spec": map[string]any{
			"replicas": 3,
			"selector": map[string]any{"matchLabels": appLabel},
			"template": map[string]any{
				"metadata": map[string]any{"labels": appLabel},
				"spec": map[string]any{"containers": []any{map[string]any{
					"name": "hello-kubernetes", "image": "paulbouwer/hello-kubernetes:1.5",
					"ports": []any{map[string]any{"containerPort": 8080}},
				}}},
			},
		},
	}
	service := map[string]any{
		"apiVersion": "v1",
		"kind":       "Service",
		"metadata":   map[string]any{"name": "hello-kubernetes"},
		"spec": map[string]any{
			"type":     "LoadBalancer",
			"ports":    []any{map[string]any{"port": 80, "targetPort": 8080}},
			"selector": appLabel,
		},
	}
	m := cluster.AddManifest("hello-kub", service, deployment)
	for _, o := range m.Objects() {
		fmt.Println(o["apiVersion"], o["kind"])
	}
	printKubernetesResources(app, stack, eks.KubernetesManifestResourceType, "AWS::Lambda::Function", "AWS::EKS::AccessEntry")
	// Output:
	// v1 Service
	// apps/v1 Deployment
	// helloeksClusterAdminRoleAccess3B9D74AE AWS::EKS::AccessEntry
	// helloeksKubectlProviderHandler788A3C17 AWS::Lambda::Function
	// helloeksmanifesthellokubC0EBC737 Custom::AWSCDK-EKS-KubernetesResource
}

// The seed's patch example: scale the deployment to 5 replicas, back to 3
// when the patch is removed.
func ExampleNewKubernetesPatch() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	p := eks.NewKubernetesPatch(stack, "hello-kub-deployment-label", eks.KubernetesPatchProps{
		Cluster:      cluster,
		ResourceName: "deployment/hello-kubernetes",
		ApplyPatch:   map[string]any{"spec": map[string]any{"replicas": 5}},
		RestorePatch: map[string]any{"spec": map[string]any{"replicas": 3}},
	})
	fmt.Println(p.Resource.Properties["PatchType"], p.Resource.Properties["ResourceName"])
	// Output:
	// strategic deployment/hello-kubernetes
}

// The seed's Helm example: the NGINX Ingress Controller.
func ExampleCluster_AddHelmChart() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	chart := cluster.AddHelmChart("NginxIngress", eks.HelmChartOptions{
		Chart:      "nginx-ingress",
		Repository: "https://helm.nginx.com/stable",
		Namespace:  "kube-system",
	})
	fmt.Println("release:", chart.Release())
	// Output:
	// release: stackclusterchartnginxingress1fb757f2
}

// The seed's IAM mapping example: an IAM user with system:masters.
func ExampleCluster_AwsAuth() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	adminUser := iam.NewUser(stack, "Admin", iam.UserProps{})
	cluster.AwsAuth().AddUserMapping(adminUser, eks.AwsAuthMapping{Groups: []string{"system:masters"}})
	printKubernetesResources(app, stack, eks.AwsAuthResourceType)
	// Output:
	// ClusterAwsAuth1E3E7BB0 Custom::EksForge-AwsAuth
}

// The seed's service account example: pods of the service account may
// read and write the bucket; the pod waits for the service account.
func ExampleCluster_AddServiceAccount() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})

	sa := cluster.AddServiceAccount("MyServiceAccount", eks.ServiceAccountOptions{Name: "my-service-account"})
	bucket := s3.NewBucket(stack, "Bucket", s3.BucketProps{})
	bucket.GrantReadWrite(sa)

	mypod := cluster.AddManifest("mypod", map[string]any{
		"apiVersion": "v1",
		"kind":       "Pod",
		"metadata":   map[string]any{"name": "mypod"},
		"spec": map[string]any{
			"serviceAccountName": sa.ServiceAccountName(),
			"containers": []any{map[string]any{
				"name": "hello", "image": "paulbouwer/hello-kubernetes:1.5",
				"ports": []any{map[string]any{"containerPort": 8080}},
			}},
		},
	})
	mypod.Node().AddDependency(sa)
	cdk.NewCfnOutput(stack, "ServiceAccountIamRole", cdk.CfnOutputProps{Value: sa.Role().RoleArn()})
	printKubernetesResources(app, stack, "AWS::IAM::OIDCProvider", eks.KubernetesManifestResourceType)
	// Output:
	// ClusterMyServiceAccountmanifestMyServiceAccountServiceAccountResource67018F11 Custom::AWSCDK-EKS-KubernetesResource
	// ClusterOpenIdConnectProviderE7EB0530 AWS::IAM::OIDCProvider
	// Clustermanifestmypod63D1C2E4 Custom::AWSCDK-EKS-KubernetesResource
}

// The seed's object value example, shortened: the address of a
// LoadBalancer service, read at deploy time.
func ExampleCluster_GetServiceLoadBalancerAddress() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	address := cluster.GetServiceLoadBalancerAddress("my-service")
	fmt.Println(cdk.IsUnresolved(address))
	// Output:
	// true
}

// The seed's "from a URL" example: objects read from YAML (any io.Reader,
// such as an HTTP response body).
func ExampleManifestsFromYAML() {
	objects, err := eks.ManifestsFromYAML(strings.NewReader(`
apiVersion: v1
kind: Namespace
metadata:
  name: my-app
---
apiVersion: v1
kind: Service
metadata:
  name: myservice
  namespace: my-app
spec:
  ports:
    - port: 80
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range objects {
		fmt.Println(o.(map[string]any)["kind"])
	}
	// Output:
	// Namespace
	// Service
}

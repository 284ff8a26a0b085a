// Command service-account synthesizes the seed's service account example: a
// service account whose pods assume an IAM role (IRSA, through the cluster's
// OIDC provider), read-write access to a bucket granted to it, a pod using
// it (ordered after it), and the role's ARN as an output.
//
//	go run ./examples/service-account
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

func main() {
	app := cdk.NewApp(cdk.AppProps{})
	build(app)
	asm, err := app.Synth()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, s := range asm.Stacks {
		fmt.Printf("%s: %s/%s\n", s.StackName, asm.Directory, s.TemplateFile)
	}
}

// build adds the example's stack to app.
func build(app *cdk.App) {
	stack := cdk.NewStack(app, "ServiceAccount", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})

	// add service account
	sa := cluster.AddServiceAccount("MyServiceAccount")

	bucket := s3.NewBucket(stack, "Bucket", s3.BucketProps{})
	bucket.GrantReadWrite(sa)

	mypod := cluster.AddManifest("mypod", map[string]any{
		"apiVersion": "v1",
		"kind":       "Pod",
		"metadata":   map[string]any{"name": "mypod"},
		"spec": map[string]any{
			"serviceAccountName": sa.ServiceAccountName(),
			"containers": []any{map[string]any{
				"name":  "hello",
				"image": "paulbouwer/hello-kubernetes:1.5",
				"ports": []any{map[string]any{"containerPort": 8080}},
			}},
		},
	})

	// create the resource after the service account
	mypod.Node().AddDependency(sa)

	// print the IAM role arn for this service account
	cdk.NewCfnOutput(stack, "ServiceAccountIamRole", cdk.CfnOutputProps{Value: sa.Role().RoleArn()})

	// EKS Pod Identity instead of IRSA
	cluster.AddServiceAccount("PodIdentityAccount", eks.ServiceAccountOptions{
		Name:         "pod-identity",
		IdentityType: eks.IdentityTypePodIdentity,
	})
}

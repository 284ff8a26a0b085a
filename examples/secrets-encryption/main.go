// Command secrets-encryption synthesizes the seed's "Cluster Encryption Configuration" example: Kubernetes
// secrets encrypted with a customer managed KMS key, whose ARN the cluster
// reports.
//
//	go run ./examples/secrets-encryption
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/aws/kms"
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
	stack := cdk.NewStack(app, "SecretsEncryption", cdk.StackProps{})
	secretsKey := kms.NewKey(stack, "SecretsKey", kms.KeyProps{})
	cluster := eks.NewCluster(stack, "MyCluster", eks.ClusterProps{
		Version:              eks.V1_34,
		SecretsEncryptionKey: secretsKey,
	})
	cdk.NewCfnOutput(stack, "ClusterEncryptionConfigKeyArn", cdk.CfnOutputProps{Value: cluster.ClusterEncryptionConfigKeyArn()})
}

// Command aws-auth synthesizes the seed's IAM mapping examples: an IAM user
// with system:masters, a masters role, a mapped account, and the node role
// of self-managed capacity mapped automatically, all entries of one
// Custom::EksForge-AwsAuth resource that merges them into the aws-auth
// ConfigMap.
//
//	go run ./examples/aws-auth
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
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
	stack := cdk.NewStack(app, "AwsAuth", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	cluster.AddAutoScalingGroupCapacity("Nodes", eks.AutoScalingGroupCapacityOptions{
		AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{InstanceType: ec2.InstanceTypeOf("t3.medium"), MinCapacity: cdk.Ptr(1)},
	})

	adminUser := iam.NewUser(stack, "Admin", iam.UserProps{})
	cluster.AwsAuth().AddUserMapping(adminUser, eks.AwsAuthMapping{Groups: []string{"system:masters"}})

	role := iam.NewRole(stack, "Role", iam.RoleProps{AssumedBy: iam.NewAccountRootPrincipal()})
	cluster.AwsAuth().AddMastersRole(role)

	cluster.AwsAuth().AddAccount("123456789012")
}

package cfneks_test

import (
	"encoding/json"
	"fmt"

	"github.com/eksforge/eksforge/cdk"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
)

// A cluster as a plain CloudFormation resource: numbers and booleans are
// set with cdk.Ptr, attributes are tokens, and tags applied with
// cdk.TagsOf are merged into the resource's own.
func ExampleNewCfnCluster() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cluster := cfneks.NewCfnCluster(stack, "Cluster", cfneks.CfnClusterProps{
		Name:    "demo",
		RoleArn: "arn:aws:iam::123456789012:role/eks-cluster",
		ResourcesVpcConfig: &cfneks.CfnClusterResourcesVpcConfig{
			SubnetIds:            []string{"subnet-0a1b2c3d", "subnet-4e5f6a7b"},
			EndpointPublicAccess: cdk.Ptr(false),
		},
		AccessConfig: &cfneks.CfnClusterAccessConfig{AuthenticationMode: "API"},
		Tags:         []cdk.CfnTag{{Key: "team", Value: "platform"}},
	})
	cdk.TagsOf(stack).Add("env", "dev")
	cdk.NewCfnOutput(stack, "Endpoint", cdk.CfnOutputProps{Value: cluster.AttrEndpoint()})

	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		fmt.Println(err)
		return
	}
	tmpl := asm.Stack("Stack").Template()
	props := tmpl["Resources"].(map[string]any)["Cluster"].(map[string]any)["Properties"]
	b, _ := json.MarshalIndent(props, "", "  ")
	fmt.Println(string(b))
	b, _ = json.Marshal(tmpl["Outputs"])
	fmt.Println(string(b))
	// Output:
	// {
	//   "AccessConfig": {
	//     "AuthenticationMode": "API"
	//   },
	//   "Name": "demo",
	//   "ResourcesVpcConfig": {
	//     "EndpointPublicAccess": false,
	//     "SubnetIds": [
	//       "subnet-0a1b2c3d",
	//       "subnet-4e5f6a7b"
	//     ]
	//   },
	//   "RoleArn": "arn:aws:iam::123456789012:role/eks-cluster",
	//   "Tags": [
	//     {
	//       "Key": "env",
	//       "Value": "dev"
	//     },
	//     {
	//       "Key": "team",
	//       "Value": "platform"
	//     }
	//   ]
	// }
	// {"Endpoint":{"Value":{"Fn::GetAtt":["Cluster","Endpoint"]}}}
}

// A required property left unset is reported by app.Synth with the
// construct path and the field to set.
func ExampleNewCfnCluster_missingRequiredProperty() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cfneks.NewCfnCluster(stack, "Cluster", cfneks.CfnClusterProps{
		ResourcesVpcConfig: &cfneks.CfnClusterResourcesVpcConfig{SubnetIds: []string{"subnet-0a1b2c3d"}},
	})
	_, err := app.Synth(cdk.InMemory())
	fmt.Println(err)
	// Output:
	// synthesis found 1 problem(s):
	//   [Stack/Cluster] property RoleArn of AWS::EKS::Cluster is required; set CfnClusterProps.RoleArn
}

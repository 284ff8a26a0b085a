package ssm_test

import (
	"fmt"

	"github.com/eksforge/eksforge/aws/ssm"
	"github.com/eksforge/eksforge/cdk"
)

// The latest Amazon Linux 2023 AMI, read by CloudFormation from a public SSM
// parameter at deploy time.
func ExampleStringParameterValueForTypedStringParameter() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	ami := ssm.StringParameterValueForTypedStringParameter(stack,
		"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", ssm.ParameterValueTypeAwsEc2ImageId)
	resolved, _ := stack.Resolve(ami)
	fmt.Println(resolved)
	// Output: map[Ref:SsmParameterValueawsserviceamiamazonlinuxlatestal2023amikerneldefaultx8664C96584B6F00A464EAD1953AFF4B05118Parameter]
}

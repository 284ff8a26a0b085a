package kms_test

import (
	"encoding/json"
	"fmt"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/cdk"
)

// A key for EKS secrets encryption, with rotation and an alias; the node
// role may use it.
func ExampleNewKey() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	role := iam.NewRole(stack, "NodeRole", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	key := kms.NewKey(stack, "SecretsKey", kms.KeyProps{Alias: "eks/secrets", EnableKeyRotation: true})
	key.GrantEncryptDecrypt(role)

	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		fmt.Println(err)
		return
	}
	var tmpl struct{ Resources map[string]map[string]any }
	body, _ := asm.TemplateOf(stack)
	_ = json.Unmarshal(body, &tmpl)
	for _, id := range []string{"SecretsKey317DCF94", "SecretsKeyAliasF590BEF1", "NodeRoleDefaultPolicy84FA57C9"} {
		props, _ := json.Marshal(tmpl.Resources[id]["Properties"])
		fmt.Println(tmpl.Resources[id]["Type"], string(props))
	}
	// Output:
	// AWS::KMS::Key {"EnableKeyRotation":true,"KeyPolicy":{"Statement":[{"Action":"kms:*","Effect":"Allow","Principal":{"AWS":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::",{"Ref":"AWS::AccountId"},":root"]]}},"Resource":"*"}],"Version":"2012-10-17"}}
	// AWS::KMS::Alias {"AliasName":"alias/eks/secrets","TargetKeyId":{"Fn::GetAtt":["SecretsKey317DCF94","Arn"]}}
	// AWS::IAM::Policy {"PolicyDocument":{"Statement":[{"Action":["kms:Decrypt","kms:Encrypt","kms:GenerateDataKey*","kms:ReEncrypt*"],"Effect":"Allow","Resource":{"Fn::GetAtt":["SecretsKey317DCF94","Arn"]}}],"Version":"2012-10-17"},"PolicyName":"NodeRoleDefaultPolicy84FA57C9","Roles":[{"Ref":"NodeRoleB5643E21"}]}
}

// An imported key knows its region from its ARN, so a construct can refuse
// a key from another region.
func ExampleKeyFromKeyArn() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{Env: cdk.Environment{Account: "111122223333", Region: "us-east-1"}})
	key := kms.KeyFromKeyArn(stack, "Key", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
	fmt.Println(key.KeyId(), key.Env().Region, key.Env().Region == stack.Region())
	// Output:
	// 1234abcd-12ab-34cd-56ef-1234567890ab eu-west-1 false
}

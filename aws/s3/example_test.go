package s3_test

import (
	"encoding/json"
	"fmt"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/cdk"
)

// A KMS-encrypted bucket a handler role may read: the grant covers the
// bucket, its objects and its key.
func ExampleBucket_GrantRead() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	role := iam.NewRole(stack, "HandlerRole", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("lambda.amazonaws.com")})
	bucket := s3.NewBucket(stack, "Manifests", s3.BucketProps{Encryption: s3.BucketEncryptionKMS})
	bucket.GrantRead(role)

	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		fmt.Println(err)
		return
	}
	var tmpl struct{ Resources map[string]map[string]any }
	body, _ := asm.TemplateOf(stack)
	_ = json.Unmarshal(body, &tmpl)
	doc, _ := json.Marshal(tmpl.Resources["HandlerRoleDefaultPolicy0112C0A8"]["Properties"].(map[string]any)["PolicyDocument"])
	fmt.Println(string(doc))
	// Output:
	// {"Statement":[{"Action":["s3:GetBucket*","s3:GetObject*","s3:List*"],"Effect":"Allow","Resource":[{"Fn::GetAtt":["Manifests6831C0C3","Arn"]},{"Fn::Join":["",[{"Fn::GetAtt":["Manifests6831C0C3","Arn"]},"/*"]]}]},{"Action":["kms:Decrypt","kms:DescribeKey"],"Effect":"Allow","Resource":{"Fn::GetAtt":["ManifestsKey41196CBA","Arn"]}}],"Version":"2012-10-17"}
}

// With no props a bucket is secure by default: encrypted with SSE-S3,
// every kind of public access blocked, requests over plain HTTP denied by
// its bucket policy, and retained when removed from the stack.
func ExampleNewBucket() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	b := s3.NewBucket(stack, "Bucket", s3.BucketProps{})
	props, _ := json.Marshal(b.Resource().CfnProperties())
	fmt.Println(b.Resource().CfnOptions().DeletionPolicy)
	fmt.Println(string(props))
	fmt.Println(b.Policy().Node().Path())
	// Output:
	// Retain
	// {"BucketEncryption":{"ServerSideEncryptionConfiguration":[{"ServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]},"PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"BlockPublicPolicy":true,"IgnorePublicAcls":true,"RestrictPublicBuckets":true}}
	// Stack/Bucket/Policy
}

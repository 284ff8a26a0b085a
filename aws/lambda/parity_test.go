package lambda_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cdklib"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// buildParity builds, with eksforge, what testdata/parity/lambda.js builds
// with aws-cdk-lib.
func buildParity(stack *cdk.Stack) {
	lambda.NewFunction(stack, "Inline", lambda.FunctionProps{
		Runtime: lambda.RuntimeNodejs22X, Handler: "index.handler",
		Code: lambda.CodeFromInline("exports.handler = async () => {}"),
	})
	vpc := ec2.VpcFromVpcAttributes(stack, "Vpc", ec2.VpcAttributes{
		VpcId: "vpc-12345678", AvailabilityZones: []string{"us-east-1a", "us-east-1b"}, PrivateSubnetIds: []string{"subnet-11111111", "subnet-22222222"},
	})
	layer := lambda.NewLayerVersion(stack, "Layer", lambda.LayerVersionProps{
		Code:                    lambda.CodeFromAsset("testdata/code"),
		CompatibleRuntimes:      []lambda.Runtime{lambda.RuntimeProvidedAl2023},
		CompatibleArchitectures: []lambda.Architecture{lambda.ArchitectureArm64},
		Description:             "shared",
		License:                 "MIT",
	})
	fn := lambda.NewFunction(stack, "InVpc", lambda.FunctionProps{
		Runtime: lambda.RuntimeProvidedAl2023, Handler: "bootstrap", Architecture: lambda.ArchitectureArm64,
		Code:                         lambda.CodeFromAsset("testdata/code"),
		Vpc:                          vpc,
		Environment:                  map[string]string{"MODE": "fast"},
		MemorySize:                   cdk.Mebibytes(512),
		Timeout:                      cdk.Minutes(2),
		ReservedConcurrentExecutions: cdk.Ptr(3),
		Description:                  "in a VPC",
		Layers:                       []lambda.ILayerVersion{layer},
	})
	role := iam.NewRole(stack, "Caller", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	fn.GrantInvoke(role)
	fn.GrantInvoke(iam.NewServicePrincipal("events.amazonaws.com"))
	fn.GrantInvoke(iam.NewServicePrincipal("s3.amazonaws.com").WithConditions(iam.Conditions{
		"ArnLike":      map[string]any{"aws:SourceArn": "arn:aws:s3:::bucket"},
		"StringEquals": map[string]any{"aws:SourceAccount": "123456789012"},
	}))
	fn.AddPermission("FromAccount", lambda.Permission{Principal: iam.NewArnPrincipal("arn:aws:iam::210987654321:root"), Action: "lambda:GetFunction"})
	fn.AddToRolePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::b/*"}}))
	fn.AddPermission("FromOtherAccount", lambda.Permission{Principal: iam.NewAccountPrincipal("210987654321")})
	lambda.NewFunction(stack, "FromBucket", lambda.FunctionProps{
		Runtime: lambda.RuntimePython313, Handler: "index.handler",
		Code: lambda.CodeFromBucket(s3.BucketFromBucketName(stack, "Bucket", "my-bucket"), "code.zip", "v1"),
	})
}

// TestParityWithAwsCdk compares our template with aws-cdk-lib 2.276's for
// the same functions: the recorded template always, a live synthesis with
// Node.js unless -short. Asset metadata is left out (aws-cdk-lib stages
// directories as directories, we as zips); nothing else is normalized.
func TestParityWithAwsCdk(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	buildParity(stack)
	app := stack.Node().Root().(*cdk.App)
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := asm.TemplateOf(stack)
	cdklib.CheckParity(t, "lambda", body, func(t testing.TB, want, got map[string]any) {
		t.Helper()
		if diff := cmp.Diff(cdklib.Resources(want), cdklib.Resources(got)); diff != "" {
			t.Errorf("resources (-aws-cdk-lib +eksforge):\n%s", diff)
		}
	})
}

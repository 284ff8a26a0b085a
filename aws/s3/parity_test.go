package s3_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/cdk"
)

// TestParityWithAwsCdk builds the app of testdata/parity/bucket.js in Go
// and compares the template with what aws-cdk-lib 2.276.0 synthesized for
// it: the same resources (types, counts, logical IDs, properties, removal
// policies) and outputs.
func TestParityWithAwsCdk(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	buildParityBucket(stack)
	var got, want map[string]any
	if err := json.Unmarshal(templateJSON(t, stack), &got); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "parity", "bucket.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(resources(want), resources(got)); diff != "" {
		t.Errorf("resources (-aws-cdk-lib +eksforge):\n%s", diff)
	}
	if diff := cmp.Diff(want["Outputs"], got["Outputs"]); diff != "" {
		t.Errorf("outputs (-aws-cdk-lib +eksforge):\n%s", diff)
	}
}

func resources(tmpl map[string]any) map[string]any {
	out := map[string]any{}
	for id, r := range tmpl["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] == "AWS::CDK::Metadata" {
			continue
		}
		delete(res, "Metadata")
		out[id] = res
	}
	return out
}

func buildParityBucket(stack *cdk.Stack) {
	role := iam.NewRole(stack, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	writer := iam.NewRole(stack, "Writer", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("lambda.amazonaws.com")})
	plain := s3.NewBucket(stack, "Plain", s3.BucketProps{})
	plain.GrantRead(role)
	key := kms.NewKey(stack, "Key", kms.KeyProps{})
	secure := s3.NewBucket(stack, "Secure", s3.BucketProps{
		Encryption:        s3.BucketEncryptionKMS,
		EncryptionKey:     key,
		BucketKeyEnabled:  true,
		Versioned:         true,
		EnforceSSL:        true,
		BlockPublicAccess: s3.BlockPublicAccessBlockAll,
	})
	secure.GrantReadWrite(role)
	own := s3.NewBucket(stack, "OwnKey", s3.BucketProps{Encryption: s3.BucketEncryptionKMS})
	own.GrantRead(role)
	own.GrantWrite(writer, "uploads/*")
	named := s3.NewBucket(stack, "Named", s3.BucketProps{
		BucketName:        "eksforge-named-bucket",
		Encryption:        s3.BucketEncryptionS3Managed,
		RemovalPolicy:     cdk.RemovalPolicyDestroy,
		BlockPublicAccess: s3.BlockPublicAccessBlockAcls,
	})
	named.GrantPut(writer)
	named.GrantDelete(writer)
	named.GrantPutACL(writer)
	managed := s3.NewBucket(stack, "KmsManaged", s3.BucketProps{Encryption: s3.BucketEncryptionKMSManaged})
	managed.AddToResourcePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
		Actions:    []string{"s3:GetObject"},
		Resources:  []string{managed.ArnForObjects("public/*")},
		Principals: []iam.IPrincipal{iam.NewAccountRootPrincipal()},
	}))
	byName := s3.BucketFromBucketName(stack, "ByName", "other-bucket")
	byName.GrantRead(role)
	byArn := s3.BucketFromBucketArn(stack, "ByArn", "arn:aws:s3:::third-bucket")
	byArn.GrantReadWrite(writer)
	cdk.NewCfnOutput(stack, "ByNameArn", cdk.CfnOutputProps{Value: byName.BucketArn()})
	cdk.NewCfnOutput(stack, "ByArnName", cdk.CfnOutputProps{Value: byArn.BucketName()})
	cdk.NewCfnOutput(stack, "SecureName", cdk.CfnOutputProps{Value: secure.BucketName()})
}

package cli_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// storage is a stack with a bucket and a table: a new bucket name replaces
// the bucket, dropping the table deletes it.
type storage struct {
	stack, name, bucket string
	table               bool
}

func (s storage) build(app *cdk.App) {
	st := cdk.NewStack(app, s.stack, cdk.StackProps{StackName: s.name})
	data := cdk.NewConstruct(st, "Data")
	cdk.NewCfnResource(data, "Bucket", cdk.CfnResourceProps{Type: "AWS::S3::Bucket", Properties: map[string]any{"BucketName": s.bucket}})
	if s.table {
		cdk.NewCfnResource(data, "Table", cdk.CfnResourceProps{Type: "AWS::DynamoDB::Table", Properties: map[string]any{
			"KeySchema":            []any{map[string]any{"AttributeName": "id", "KeyType": "HASH"}},
			"AttributeDefinitions": []any{map[string]any{"AttributeName": "id", "AttributeType": "S"}},
			"BillingMode":          "PAY_PER_REQUEST",
		}})
	}
}

// resourceIDs returns the physical IDs of the deployed stack's resources,
// by logical ID without its hash ("DataBucket").
func resourceIDs(t *testing.T, srv *motoserver.Server, name string) map[string]string {
	t.Helper()
	cfg, err := srv.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	out, err := cloudformation.NewFromConfig(cfg).DescribeStackResources(t.Context(), &cloudformation.DescribeStackResourcesInput{StackName: &name})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range out.StackResources {
		id := *r.LogicalResourceId
		ids[id[:len(id)-8]] = *r.PhysicalResourceId // without the hash
	}
	return ids
}

// TestDeployReplacementGate deploys a bucket and a table to moto, then an
// update that replaces the bucket and deletes the table: refused even with
// --require-approval never, refused when a person says no, and deployed
// once --allow-replace names both (by construct path and by a path above).
func TestDeployReplacementGate(t *testing.T) {
	t.Parallel()
	srv, _, newRunner := bootstrapped(t, motoserver.Region)
	ep := "--endpoint-url=" + srv.Endpoint()
	name := unique("CliGate")
	bucket := strings.ToLower(name)
	v1 := storage{stack: "CliGate", name: name, bucket: bucket + "-a", table: true}
	res := run(t, newRunner(), "deploy", "--app", synth(t, v1.build), ep, "--require-approval", "never")
	res.expect(t, 0, "stderr", "CREATE_COMPLETE")
	before := resourceIDs(t, srv, name)

	v2 := v1
	v2.bucket, v2.table = bucket+"-b", false
	asm2 := synth(t, v2.build)
	res = run(t, newRunner(), "deploy", "--app", asm2, ep, "--require-approval", "never")
	res.expect(t, 1, "stderr",
		"CliGate: refusing to deploy: it would destroy:",
		"replace bucket DataBucket",
		"(AWS::S3::Bucket, CliGate/Data/Bucket): BucketName changes",
		"delete table DataTable",
		"Nothing was changed. If that is intended, pass --allow-replace CliGate/Data/Bucket --allow-replace CliGate/Data/Table (--require-approval never does not waive this)")
	if after := resourceIDs(t, srv, name); after["DataBucket"] != before["DataBucket"] || after["DataTable"] == "" {
		t.Fatalf("a refused deployment changed the stack: %v, was %v", after, before)
	}

	// Naming one of the two is not enough.
	res = run(t, newRunner(), "deploy", "--app", asm2, ep, "--require-approval", "never", "--allow-replace", "CliGate/Data/Bucket")
	res.expect(t, 1, "stderr", "--allow-replace: replace bucket DataBucket", "refusing to deploy: it would destroy:\n  delete table DataTable")

	// A person at the prompt says no to the table.
	r := newRunner()
	r.Interactive, r.Stdin = true, strings.NewReader("y\nn\n")
	res = run(t, r, "deploy", "--app", asm2, ep, "--require-approval", "never")
	res.expect(t, 1, "stderr", "CliGate: replace bucket CliGate/Data/Bucket? (y/n)", "CliGate: delete table CliGate/Data/Table? (y/n)", "delete CliGate/Data/Table was not approved; nothing was changed")
	if after := resourceIDs(t, srv, name); after["DataTable"] == "" {
		t.Fatalf("a refused deployment deleted the table: %v", after)
	}

	res = run(t, newRunner(), "deploy", "--app", asm2, ep, "--require-approval", "never", "--allow-replace", "DataBucket", "--allow-replace", "CliGate/Data")
	res.expect(t, 0, "stderr", "UPDATE_COMPLETE")
	after := resourceIDs(t, srv, name)
	if _, ok := after["DataTable"]; ok || after["DataBucket"] != bucket+"-b" {
		t.Errorf("after the allowed deployment the stack holds %v, want the bucket %s-b and no table", after, bucket)
	}
}

package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go/middleware"

	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// terminationProtection records the UpdateTerminationProtection calls the
// CLI makes (in the SDK's middleware, as "STACK-ID=true"), and passes them
// on to moto, which implements the call (internal/testenv/motoserver's
// launcher adds it): the test checks both that the call is made only when
// the stack's setting differs and what CloudFormation then reports.
type terminationProtection struct {
	mu    sync.Mutex
	calls []string
}

func (tp *terminationProtection) option() func(*config.LoadOptions) error {
	return config.WithAPIOptions([]func(*middleware.Stack) error{func(st *middleware.Stack) error {
		return st.Initialize.Add(middleware.InitializeMiddlewareFunc("terminationProtection", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if p, ok := in.Parameters.(*cloudformation.UpdateTerminationProtectionInput); ok {
				tp.mu.Lock()
				tp.calls = append(tp.calls, fmt.Sprintf("%s=%t", aws.ToString(p.StackName), aws.ToBool(p.EnableTerminationProtection)))
				tp.mu.Unlock()
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
	}})
}

func (tp *terminationProtection) recorded() []string {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return append([]string(nil), tp.calls...)
}

// TestBootstrapFlagsOfTheCdkCli runs the bootstrap flags the AWS CDK CLI
// has against moto: --no-execute leaves a change set in review; the
// bucket's key (--bootstrap-customer-key, --bootstrap-kms-key-id), the
// execution role's permissions boundary (--custom-permissions-boundary,
// --example-permissions-boundary, which creates the AWS CDK's example
// policy) reach the template's parameters and the resources;
// --termination-protection and --no-termination-protection call
// UpdateTerminationProtection only when the stack's setting differs.
func TestBootstrapFlagsOfTheCdkCli(t *testing.T) {
	t.Parallel()
	srv := motoserver.Shared(t)
	const region = "sa-east-1"
	cfg, err := srv.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Region = region
	cfn := cloudformation.NewFromConfig(cfg)
	tp := &terminationProtection{}
	r := runner(srv, region)
	r.AWSOptions = append(r.AWSOptions, tp.option())
	stack := unique("FlagsToolkit")
	const q = "flagsq"
	bootstrap := func(code int, args ...string) result {
		t.Helper()
		res := run(t, r, append([]string{"bootstrap", "--toolkit-stack-name", stack, "--qualifier", q, "--endpoint-url=" + srv.Endpoint()}, args...)...)
		if res.code != code {
			t.Fatalf("eksforge bootstrap %s: exit %d, want %d", strings.Join(args, " "), res.code, code)
		}
		return res
	}
	describe := func() cfntypes.Stack {
		t.Helper()
		out, err := cfn.DescribeStacks(t.Context(), &cloudformation.DescribeStacksInput{StackName: aws.String(stack)})
		if err != nil {
			t.Fatal(err)
		}
		return out.Stacks[0]
	}
	param := func(st cfntypes.Stack, key string) string {
		for _, p := range st.Parameters {
			if aws.ToString(p.ParameterKey) == key {
				return aws.ToString(p.ParameterValue)
			}
		}
		return "(absent)"
	}
	resources := func() map[string]cfntypes.StackResource {
		t.Helper()
		out, err := cfn.DescribeStackResources(t.Context(), &cloudformation.DescribeStackResourcesInput{StackName: aws.String(stack)})
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]cfntypes.StackResource{}
		for _, r := range out.StackResources {
			m[aws.ToString(r.LogicalResourceId)] = r
		}
		return m
	}
	bucketKey := func() string {
		t.Helper()
		out, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).GetBucketEncryption(t.Context(), &s3.GetBucketEncryptionInput{Bucket: aws.String("cdk-" + q + "-assets-123456789012-" + region)})
		if err != nil {
			t.Fatal(err)
		}
		d := out.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault
		return string(d.SSEAlgorithm) + " " + aws.ToString(d.KMSMasterKeyID)
	}

	// --no-execute: a change set in review, nothing deployed.
	res := bootstrap(0, "--no-execute")
	res.expect(t, 0, "stderr", "created and waiting in review for manual execution (--no-execute)", "change set created, not executed")
	_, csID, _ := strings.Cut(strings.TrimSpace(res.stdout), "change-set=")
	cs, err := cfn.DescribeChangeSet(t.Context(), &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(csID)})
	if err != nil {
		t.Fatalf("the change set %q: %v", csID, err)
	}
	if cs.Status != cfntypes.ChangeSetStatusCreateComplete || cs.ExecutionStatus != cfntypes.ExecutionStatusAvailable {
		t.Errorf("change set %s is %s/%s, want CREATE_COMPLETE and AVAILABLE (not executed)", csID, cs.Status, cs.ExecutionStatus)
	}
	if st := describe(); st.StackStatus != cfntypes.StackStatusReviewInProgress {
		t.Errorf("stack is %s, want REVIEW_IN_PROGRESS", st.StackStatus)
	}
	if _, err := ssm.NewFromConfig(cfg).GetParameter(t.Context(), &ssm.GetParameterInput{Name: aws.String("/cdk-bootstrap/" + q + "/version")}); err == nil {
		t.Error("the version parameter exists after --no-execute")
	}

	// --bootstrap-customer-key --termination-protection: the stack makes
	// its own key; protection is turned on once.
	res = bootstrap(0, "--bootstrap-customer-key", "--termination-protection")
	res.expect(t, 0, "stderr", "Asset bucket encryption: a new customer managed KMS key", "Termination protection of "+stack+": enabled", "bootstrapped (version 33)")
	st := describe()
	if st.StackStatus != cfntypes.StackStatusCreateComplete || param(st, "FileAssetsBucketKmsKeyId") != "" {
		t.Errorf("stack %s, FileAssetsBucketKmsKeyId %q: want CREATE_COMPLETE and \"\" (CreateNewKey)", st.StackStatus, param(st, "FileAssetsBucketKmsKeyId"))
	}
	key, ok := resources()["FileAssetsBucketEncryptionKey"]
	if !ok || aws.ToString(key.ResourceType) != "AWS::KMS::Key" {
		t.Fatalf("no FileAssetsBucketEncryptionKey (AWS::KMS::Key) in the stack: %v", resources())
	}
	if got := bucketKey(); !strings.HasPrefix(got, "aws:kms ") || !strings.Contains(got, aws.ToString(key.PhysicalResourceId)) {
		t.Errorf("bucket encryption %q, want aws:kms with the stack's key %s", got, aws.ToString(key.PhysicalResourceId))
	}
	stackID := aws.ToString(st.StackId)
	if got := tp.recorded(); len(got) != 1 || got[0] != stackID+"=true" {
		t.Errorf("UpdateTerminationProtection calls %q, want one turning %s on", got, stackID)
	}
	if !aws.ToBool(st.EnableTerminationProtection) {
		t.Error("DescribeStacks reports termination protection off after --termination-protection")
	}

	// --bootstrap-kms-key-id: the named key; protection (not given) is
	// left as it is. (moto does not re-evaluate the template's conditions
	// on update, so the stack's own key stays and the bucket keeps it: the
	// key on a new stack is checked below.)
	res = bootstrap(0, "--bootstrap-kms-key-id", "1234abcd-12ab-34cd-56ef-1234567890ab")
	res.expect(t, 0, "stderr", "Asset bucket encryption: KMS key 1234abcd-12ab-34cd-56ef-1234567890ab")
	if got := param(describe(), "FileAssetsBucketKmsKeyId"); got != "1234abcd-12ab-34cd-56ef-1234567890ab" {
		t.Errorf("FileAssetsBucketKmsKeyId = %q", got)
	}
	if got := tp.recorded(); len(got) != 1 || !aws.ToBool(describe().EnableTerminationProtection) {
		t.Errorf("UpdateTerminationProtection called without the flag (%q), or protection changed", got)
	}

	// --custom-permissions-boundary: the template's parameter.
	res = bootstrap(0, "--custom-permissions-boundary", "team-boundary")
	res.expect(t, 0, "stderr", "Adding new permissions boundary team-boundary")
	if got := param(describe(), "InputPermissionsBoundary"); got != "team-boundary" {
		t.Errorf("InputPermissionsBoundary = %q", got)
	}
	// (moto does not update the role's boundary on a stack update: the
	// role of a new stack is checked below.)

	// --example-permissions-boundary: the AWS CDK's policy, created.
	res = bootstrap(0, "--example-permissions-boundary", "--no-termination-protection")
	boundary := "cdk-" + q + "-permissions-boundary"
	res.expect(t, 0, "stderr", "Changing permissions boundary from team-boundary to "+boundary, "Termination protection of "+stack+": disabled")
	if got := param(describe(), "InputPermissionsBoundary"); got != boundary {
		t.Errorf("InputPermissionsBoundary = %q, want %s", got, boundary)
	}
	iamc := iam.NewFromConfig(cfg)
	arn := "arn:aws:iam::123456789012:policy/" + boundary
	pol, err := iamc.GetPolicy(t.Context(), &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("the example boundary %s was not created: %v", arn, err)
	}
	ver, err := iamc.GetPolicyVersion(t.Context(), &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: pol.Policy.DefaultVersionId})
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := url.QueryUnescape(aws.ToString(ver.PolicyVersion.Document))
	var pd struct {
		Statement []struct{ Sid, Effect string }
	}
	if err := json.Unmarshal([]byte(doc), &pd); err != nil {
		t.Fatalf("policy document %q: %v", doc, err)
	}
	var sids []string
	for _, s := range pd.Statement {
		sids = append(sids, s.Effect+":"+s.Sid)
	}
	if strings.Join(sids, ",") != "Allow:ExplicitAllowAll,Deny:DenyAccessIfRequiredPermBoundaryIsNotBeingApplied,Deny:DenyPermBoundaryIAMPolicyAlteration,Deny:DenyRemovalOfPermBoundaryFromAnyUserOrRole" {
		t.Errorf("example boundary statements %v", sids)
	}
	if got := tp.recorded(); len(got) != 2 || got[1] != stackID+"=false" || aws.ToBool(describe().EnableTerminationProtection) {
		t.Errorf("UpdateTerminationProtection calls %q, want the second turning it off (and DescribeStacks saying so)", got)
	}
	// Again: the policy exists and is reused; nothing changes.
	res = bootstrap(0, "--example-permissions-boundary")
	res.expect(t, 0, "stderr", "bootstrapped (no changes; version 33)")

	// A new stack with --bootstrap-kms-key-id encrypts its bucket with
	// that key and makes none; with --custom-permissions-boundary its
	// execution role has the boundary.
	stack = unique("KeyToolkit")
	res = run(t, r, "bootstrap", "--toolkit-stack-name", stack, "--qualifier", "flagsk", "--bootstrap-kms-key-id", "1234abcd-12ab-34cd-56ef-1234567890ab", "--custom-permissions-boundary", "team-boundary", "--endpoint-url="+srv.Endpoint())
	res.expect(t, 0, "stderr", "bootstrapped (version 33)")
	out, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).GetBucketEncryption(t.Context(), &s3.GetBucketEncryptionInput{Bucket: aws.String("cdk-flagsk-assets-123456789012-" + region)})
	if err != nil {
		t.Fatal(err)
	}
	if d := out.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault; d.SSEAlgorithm != "aws:kms" || aws.ToString(d.KMSMasterKeyID) != "1234abcd-12ab-34cd-56ef-1234567890ab" {
		t.Errorf("bucket encryption %s %q, want aws:kms with the named key", d.SSEAlgorithm, aws.ToString(d.KMSMasterKeyID))
	}
	if _, ok := resources()["FileAssetsBucketEncryptionKey"]; ok {
		t.Error("a stack given --bootstrap-kms-key-id made its own key")
	}
	roleBoundary := func() string {
		t.Helper()
		role := aws.ToString(resources()["CloudFormationExecutionRole"].PhysicalResourceId)
		out, err := iamc.GetRole(t.Context(), &iam.GetRoleInput{RoleName: aws.String(role)})
		if err != nil {
			t.Fatalf("execution role %q: %v", role, err)
		}
		if out.Role.PermissionsBoundary == nil {
			return ""
		}
		return aws.ToString(out.Role.PermissionsBoundary.PermissionsBoundaryArn)
	}
	if got := roleBoundary(); got != "arn:aws:iam::123456789012:policy/team-boundary" {
		t.Errorf("execution role boundary %q, want team-boundary's ARN", got)
	}

	// Refused before any call.
	res = bootstrap(2, "--custom-permissions-boundary", "a", "--example-permissions-boundary")
	res.expect(t, 2, "stderr", "not both")
	res = bootstrap(2, "--bootstrap-kms-key-id", "k", "--bootstrap-customer-key")
	res.expect(t, 2, "stderr", "not both")
	res = bootstrap(1, "--custom-permissions-boundary", "arn:aws:iam::123456789012:policy/x")
	res.expect(t, 1, "stderr", "is not an IAM policy name", "not its ARN")
}

package cli_test

import (
	"bytes"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"go.yaml.in/yaml/v3"

	"github.com/eksforge/eksforge/internal/bootstrap"
	"github.com/eksforge/eksforge/internal/testenv/cdkcli"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// buildBinary builds cmd/eksforge into a new directory and returns its path.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "eksforge")
	build := exec.Command("go", "build", "-o", bin, "./cmd/eksforge")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/eksforge: %v\n%s", err, out)
	}
	return bin
}

// nodeFreePath returns a PATH that holds the eksforge binary, go and sh,
// and nothing else: no node, npm, npx or cdk.
func nodeFreePath(t *testing.T, bin string) string {
	t.Helper()
	dir := t.TempDir()
	for name, target := range map[string]string{"eksforge": bin, "go": lookPath(t, "go"), "sh": lookPath(t, "sh")} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"node", "npm", "npx", "cdk"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Fatalf("%s is on the Node-free PATH", name)
		}
	}
	return dir
}

func lookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not on PATH: %v (the test runs go and sh, which every machine that runs go test has)", name, err)
	}
	p, err = filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// goEnv returns the Go settings the app's `go run` needs (caches, module
// cache, toolchain) as KEY=VALUE.
func goEnv(t *testing.T) []string {
	t.Helper()
	var env []string
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS", "GOPROXY", "GONOSUMDB", "GOPRIVATE"} {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Fatal(err)
		}
		if v := strings.TrimSpace(string(out)); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return append(env, "GOTOOLCHAIN=local")
}

// TestBootstrapThenDeployWithoutNode goes from a region of moto that was
// never bootstrapped to deployed and destroyed apps with only the eksforge
// binary and Go on PATH (no node, npm, npx or cdk), as a user does:
// eksforge bootstrap; deploy and destroy a Go app with a file asset (run
// by "go run ." from its cdk.json); deploy and destroy examples/minimal,
// whose two stacks are joined by an export and Fn::ImportValue. What the
// CLI prints is checked against the stacks, exports and resources moto
// then holds.
func TestBootstrapThenDeployWithoutNode(t *testing.T) {
	t.Parallel()
	srv := motoserver.Shared(t)
	const region = "eu-north-1"
	bin := buildBinary(t)
	path := nodeFreePath(t, bin)
	home := t.TempDir()
	stack := unique("GoAppNodeFree")
	out := filepath.Join(t.TempDir(), "cdk.out")
	appDir, err := filepath.Abs(filepath.Join("testdata", "goapp"))
	if err != nil {
		t.Fatal(err)
	}
	env := append(goEnv(t),
		"PATH="+path,
		"HOME="+home,
		"AWS_CONFIG_FILE="+filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_ACCESS_KEY_ID="+motoserver.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY="+motoserver.SecretAccessKey,
		"AWS_REGION="+region,
		"STACK_NAME="+stack,
	)
	eksforgeIn := func(dir string, wantCode int, args ...string) (string, string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(path, "eksforge"), append(args, "--endpoint-url", srv.Endpoint())...)
		cmd.Dir, cmd.Env = dir, env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		t.Logf("eksforge %s: exit %d\n--- stdout\n%s--- stderr\n%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
		if code != wantCode {
			t.Fatalf("exit code = %d, want %d", code, wantCode)
		}
		return stdout.String(), stderr.String()
	}
	eksforge := func(wantCode int, args ...string) (string, string) {
		t.Helper()
		return eksforgeIn(appDir, wantCode, args...)
	}
	contains := func(text string, wants ...string) {
		t.Helper()
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("output does not contain %q", w)
			}
		}
	}

	// Not bootstrapped: deploy says what to run.
	_, stderr := eksforge(1, "deploy", "--out", out, "--require-approval", "never")
	contains(stderr, "not bootstrapped", "eksforge bootstrap aws://123456789012/"+region)

	stdout, stderr := eksforge(0, "bootstrap", "aws://123456789012/"+region)
	contains(stderr, "Bootstrapping environment aws://123456789012/"+region, "Using default execution policy", "CREATE_COMPLETE", "Environment aws://123456789012/"+region+" bootstrapped (version 33)")
	contains(stdout, "aws://123456789012/"+region+"\tstack=CDKToolkit\tqualifier=hnb659fds\tversion=33\tbucket=cdk-hnb659fds-assets-123456789012-"+region)

	// Again: nothing to change.
	_, stderr = eksforge(0, "bootstrap")
	contains(stderr, "Environment aws://123456789012/"+region+" bootstrapped (no changes; version 33)")

	stdout, stderr = eksforge(0, "deploy", "--out", out, "--require-approval", "never")
	contains(stderr, "GoApp: deploying to aws://123456789012/"+region, "GoApp: assets: 2 uploaded", "CREATE_COMPLETE", "GoApp: deployed")
	contains(stdout, "Stack ARN:")
	// The file asset is in the bucket the bootstrap stack made.
	cfg, err := srv.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Region = region
	objs, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("cdk-hnb659fds-assets-123456789012-" + region)})
	if err != nil {
		t.Fatalf("the bootstrap bucket: %v", err)
	}
	var keys []string
	for _, o := range objs.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	if !slices.ContainsFunc(keys, func(k string) bool { return strings.HasSuffix(k, ".txt") }) {
		t.Errorf("the bootstrap bucket holds %v, want the app's .txt asset", keys)
	}

	_, stderr = eksforge(0, "destroy", "--out", out, "--force")
	contains(stderr, "GoApp: destroyed")

	deployMinimalWithoutNode(t, cfg, func(wantCode int, args ...string) (string, string) {
		t.Helper()
		return eksforgeIn(repoRoot, wantCode, args...)
	})
}

// deployMinimalWithoutNode deploys examples/minimal with eksforge (run by
// the caller with a PATH that has no Node.js) to the bootstrapped region of
// cfg, checks its stacks, outputs, export and import and resources in moto,
// destroys it and checks what is left: only the bucket, whose removal
// policy is Retain.
func deployMinimalWithoutNode(t *testing.T, cfg aws.Config, eksforge func(wantCode int, args ...string) (string, string)) {
	t.Helper()
	ctx := t.Context()
	cfn := cloudformation.NewFromConfig(cfg)
	app := []string{"--app", "go run ./examples/minimal", "--out", filepath.Join(t.TempDir(), "cdk.out")}
	stdout, stderr := eksforge(0, append([]string{"deploy", "--all", "--require-approval", "never"}, app...)...)
	for _, want := range []string{"MinimalNetwork: deployed", "MinimalApp: deployed"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("deploy: stderr does not contain %q", want)
		}
	}
	if strings.Index(stderr, "MinimalApp: deploying") < strings.Index(stderr, "MinimalNetwork: deployed") {
		t.Error("MinimalApp was deployed before the stack whose export it imports")
	}

	physical := func(stack, logical string) string {
		t.Helper()
		out, err := cfn.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(stack), LogicalResourceId: aws.String(logical)})
		if err != nil || len(out.StackResources) != 1 {
			t.Fatalf("resource %s of %s: %v %v", logical, stack, out, err)
		}
		return aws.ToString(out.StackResources[0].PhysicalResourceId)
	}
	vpc, bucket, topic := physical("MinimalNetwork", "Vpc"), physical("MinimalApp", "Bucket"), physical("MinimalApp", "Topic")
	if !strings.HasPrefix(vpc, "vpc-") || !strings.HasPrefix(topic, "arn:aws:sns:"+cfg.Region+":123456789012:") || bucket == "" {
		t.Fatalf("physical IDs: VPC %q, topic %q, bucket %q", vpc, topic, bucket)
	}

	// The network's export, read by the app's Fn::ImportValue, and the
	// app's own export.
	ex, err := cfn.ListExports(ctx, &cloudformation.ListExportsInput{})
	if err != nil {
		t.Fatal(err)
	}
	exports := map[string]string{}
	for _, e := range ex.Exports {
		exports[aws.ToString(e.Name)] = aws.ToString(e.Value)
	}
	var vpcExport string
	for name, value := range exports {
		if strings.HasPrefix(name, "MinimalNetwork:ExportsOutputRefVpc") && value == vpc {
			vpcExport = name
		}
	}
	if vpcExport == "" || exports["minimal-bucket-arn"] != "arn:aws:s3:::"+bucket {
		t.Errorf("exports %v: want MinimalNetwork's VPC (%s) and minimal-bucket-arn (arn:aws:s3:::%s)", exports, vpc, bucket)
	}
	desc, err := cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("MinimalApp")})
	if err != nil {
		t.Fatal(err)
	}
	st := desc.Stacks[0]
	outputs := map[string]string{}
	for _, o := range st.Outputs {
		outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue) + "|" + aws.ToString(o.ExportName)
	}
	want := map[string]string{"TopicArn": topic + "|", "VpcId": vpc + "|", "BucketArn": "arn:aws:s3:::" + bucket + "|minimal-bucket-arn"}
	if st.StackStatus != cfntypes.StackStatusCreateComplete || aws.ToString(st.Description) != "eksforge minimal example: a bucket and a topic" || !maps.Equal(outputs, want) {
		t.Errorf("MinimalApp: %s %q, outputs %v; want CREATE_COMPLETE, its description and outputs %v", st.StackStatus, aws.ToString(st.Description), outputs, want)
	}
	for _, line := range []string{"MinimalApp.TopicArn = " + topic, "MinimalApp.VpcId = " + vpc, "MinimalApp.BucketArn = arn:aws:s3:::" + bucket} {
		if !strings.Contains(stdout, line) {
			t.Errorf("deploy: stdout does not contain %q", line)
		}
	}
	// The resources exist: the topic's display name joins the bucket's
	// name, the VPC has the template's CIDR.
	if body := motoserver.Query(t, cfg, "sns", url.Values{"Action": {"GetTopicAttributes"}, "Version": {"2010-03-31"}, "TopicArn": {topic}}); !strings.Contains(body, "<value>events-of-"+bucket+"</value>") {
		t.Errorf("SNS GetTopicAttributes of %s: want DisplayName events-of-%s; got\n%s", topic, bucket, body)
	}
	if body := motoserver.Query(t, cfg, "ec2", url.Values{"Action": {"DescribeVpcs"}, "Version": {"2016-11-15"}, "VpcId.1": {vpc}}); !strings.Contains(body, "<cidrBlock>10.0.0.0/16</cidrBlock>") {
		t.Errorf("EC2 DescribeVpcs of %s: want CIDR 10.0.0.0/16; got\n%s", vpc, body)
	}
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Errorf("the bucket %s: %v", bucket, err)
	}

	_, stderr = eksforge(0, append([]string{"destroy", "--all", "--force"}, app...)...)
	for _, want := range []string{"MinimalApp: destroyed", "MinimalNetwork: destroyed"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("destroy: stderr does not contain %q", want)
		}
	}
	if strings.Index(stderr, "MinimalNetwork: destroying") < strings.Index(stderr, "MinimalApp: destroyed") {
		t.Error("MinimalNetwork was destroyed before the stack that imports its export")
	}
	for _, name := range []string{"MinimalNetwork", "MinimalApp"} {
		if got := stackStatus(t, cfg, name); got != "none" {
			t.Errorf("after destroy, %s is %s, want gone", name, got)
		}
	}
	ex, err = cfn.ListExports(ctx, &cloudformation.ListExportsInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ex.Exports {
		if n := aws.ToString(e.Name); strings.HasPrefix(n, "MinimalNetwork:") || n == "minimal-bucket-arn" {
			t.Errorf("after destroy, export %s is still listed", n)
		}
	}
	if body := motoserver.Query(t, cfg, "sns", url.Values{"Action": {"GetTopicAttributes"}, "Version": {"2010-03-31"}, "TopicArn": {topic}}); !strings.Contains(body, "<Code>NotFound</Code>") {
		t.Errorf("after destroy, SNS GetTopicAttributes of %s: want NotFound; got\n%s", topic, body)
	}
	if body := motoserver.Query(t, cfg, "ec2", url.Values{"Action": {"DescribeVpcs"}, "Version": {"2016-11-15"}, "VpcId.1": {vpc}}); !strings.Contains(body, "InvalidVpcID.NotFound") {
		t.Errorf("after destroy, EC2 DescribeVpcs of %s: want InvalidVpcID.NotFound; got\n%s", vpc, body)
	}
	// RemovalPolicyRetain: the bucket outlives its stack, as in
	// CloudFormation.
	if _, err := s3c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Errorf("the retained bucket %s is gone after destroy: %v", bucket, err)
	}
}

// TestBootstrapUpgradesInPlace deploys an older bootstrap stack (version
// 20, a qualifier, a trusted account and a policy of its own), then
// bootstraps: the stack is updated to the current version, keeping its
// qualifier, trust and policy. A stack of a newer version is left alone.
func TestBootstrapUpgradesInPlace(t *testing.T) {
	t.Parallel()
	srv := motoserver.Shared(t)
	const region = "ca-central-1"
	cfg, err := srv.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Region = region
	cfn := cloudformation.NewFromConfig(cfg)
	ep := "--endpoint-url=" + srv.Endpoint()
	withVersion := func(v string) string {
		return strings.ReplaceAll(string(bootstrap.Template), "Value: '33'", "Value: '"+v+"'")
	}
	create := func(name, body string, params map[string]string) {
		t.Helper()
		in := &cloudformation.CreateStackInput{StackName: &name, TemplateBody: &body, Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityNamedIam}}
		for k, v := range params {
			in.Parameters = append(in.Parameters, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
		}
		if _, err := cfn.CreateStack(t.Context(), in); err != nil {
			t.Fatal(err)
		}
	}
	old := unique("OldToolkit")
	create(old, withVersion("20"), map[string]string{
		"Qualifier": "oldq", "TrustedAccounts": "111111111111", "CloudFormationExecutionPolicies": "arn:aws:iam::aws:policy/PowerUserAccess", "FileAssetsBucketKmsKeyId": "AWS_MANAGED_KEY",
	})
	version := func(q string) string {
		t.Helper()
		out, err := ssm.NewFromConfig(cfg).GetParameter(t.Context(), &ssm.GetParameterInput{Name: aws.String("/cdk-bootstrap/" + q + "/version")})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.Parameter.Value)
	}
	if v := version("oldq"); v != "20" {
		t.Fatalf("the old stack's version parameter is %s, want 20", v)
	}

	res := run(t, runner(srv, region), "bootstrap", "--toolkit-stack-name", old, ep)
	res.expect(t, 0, "stderr", "Trusted accounts for deployment: 111111111111", "Execution policies: arn:aws:iam::aws:policy/PowerUserAccess", "UPDATE_COMPLETE", "bootstrapped (version 33, upgraded from 20)")
	res.expect(t, 0, "stdout", "qualifier=oldq\tversion=33\tbucket=cdk-oldq-assets-123456789012-"+region)
	if v := version("oldq"); v != "33" {
		t.Errorf("after the upgrade the version parameter is %s, want 33", v)
	}
	desc, err := cfn.DescribeStacks(t.Context(), &cloudformation.DescribeStacksInput{StackName: &old})
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]string{}
	for _, p := range desc.Stacks[0].Parameters {
		// moto renders CommaDelimitedList values as Python lists.
		params[aws.ToString(p.ParameterKey)] = strings.Trim(aws.ToString(p.ParameterValue), "[']")
	}
	for k, want := range map[string]string{"Qualifier": "oldq", "TrustedAccounts": "111111111111", "CloudFormationExecutionPolicies": "arn:aws:iam::aws:policy/PowerUserAccess", "FileAssetsBucketKmsKeyId": "AWS_MANAGED_KEY"} {
		if params[k] != want {
			t.Errorf("after the upgrade parameter %s = %q, want %q (kept)", k, params[k], want)
		}
	}

	// A newer stack is not downgraded.
	newer := unique("NewerToolkit")
	create(newer, withVersion("99"), map[string]string{"Qualifier": "newq", "FileAssetsBucketKmsKeyId": "AWS_MANAGED_KEY"})
	res = run(t, runner(srv, region), "bootstrap", "--toolkit-stack-name", newer, ep)
	res.expect(t, 0, "stderr", "already at version 99. Not downgrading it to version 33", "bootstrapped (no changes; version 99)")
	if v := version("newq"); v != "99" {
		t.Errorf("the newer stack's version parameter is %s, want 99", v)
	}

	// --trust needs the execution policies; a bad qualifier is refused
	// before CloudFormation is asked.
	res = run(t, runner(srv, region), "bootstrap", "--toolkit-stack-name", unique("Refused"), "--qualifier", "refusedq", "--trust", "222222222222", ep)
	res.expect(t, 1, "stderr", "pass --cloudformation-execution-policies when using --trust")
	res = run(t, runner(srv, region), "bootstrap", "--qualifier", "has space", ep)
	res.expect(t, 1, "stderr", `--qualifier "has space" is not valid`)
}

func TestBootstrapShowTemplate(t *testing.T) {
	t.Parallel()
	res := run(t, nil, "bootstrap", "--show-template")
	if res.code != 0 || res.stdout != string(bootstrap.Template) {
		t.Errorf("--show-template: exit %d, want 0 and the embedded template", res.code)
	}
	res.expect(t, 0, "stdout", "Fn::Sub: '/cdk-bootstrap/${Qualifier}/version'", "Default: hnb659fds", "cdk-${Qualifier}-assets-${AWS::AccountId}-${AWS::Region}")
	if bootstrap.Version() != 33 || bootstrap.Variant() != "AWS CDK: Default Resources" {
		t.Errorf("template version %d variant %q, want 33 and the default variant", bootstrap.Version(), bootstrap.Variant())
	}
	// The output the AWS CDK CLI reads the version from says the same.
	if !strings.Contains(string(bootstrap.Template), "    Value: '33'\n") || strings.Count(string(bootstrap.Template), "Value: '33'") != 2 {
		t.Error("the template's SSM parameter and BootstrapVersion output do not both say 33")
	}
}

// TestBootstrapTemplateIsTheAWSCDKs compares the template eksforge
// bootstrap deploys with the one the installed AWS CDK CLI deploys
// (`cdk bootstrap --show-template`, which prints it re-serialized): the
// same document, so both CLIs and cdk-assets find the same bucket,
// repository, roles and version parameter.
func TestBootstrapTemplateIsTheAWSCDKs(t *testing.T) {
	t.Parallel()
	stdout, stderr, err := cdkcli.Run(t, "bootstrap", "--show-template")
	if err != nil {
		t.Fatalf("cdk bootstrap --show-template: %v\n%s", err, stderr)
	}
	var theirs, ours any
	if err := yaml.Unmarshal([]byte(stdout), &theirs); err != nil {
		t.Fatalf("the AWS CDK's template: %v", err)
	}
	res := run(t, nil, "bootstrap", "--show-template")
	if err := yaml.Unmarshal([]byte(res.stdout), &ours); err != nil {
		t.Fatalf("eksforge's template: %v", err)
	}
	if !reflect.DeepEqual(theirs, ours) {
		t.Errorf("eksforge bootstrap --show-template differs from the installed AWS CDK CLI's; update internal/bootstrap/bootstrap-template.yaml from aws-cdk's lib/api/bootstrap/bootstrap-template.yaml")
	}
	if theirs == nil {
		t.Error("cdk bootstrap --show-template printed nothing")
	}
}

// TestBootstrapTrust bootstraps a new environment with --trust,
// --trust-for-lookup and --cloudformation-execution-policies: the stack's
// parameters hold them, the deploy role trusts the accounts and the lookup
// role the lookup account.
func TestBootstrapTrust(t *testing.T) {
	t.Parallel()
	srv := motoserver.Shared(t)
	const region = "ap-south-1"
	cfg, err := srv.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Region = region
	stack := unique("TrustToolkit")
	res := run(t, runner(srv, region), "bootstrap", "--toolkit-stack-name", stack, "--qualifier", "trustq",
		"--trust", "111111111111", "--trust", "222222222222", "--trust-for-lookup", "333333333333",
		"--cloudformation-execution-policies", "arn:aws:iam::aws:policy/PowerUserAccess", "--endpoint-url="+srv.Endpoint())
	res.expect(t, 0, "stderr", "Trusted accounts for deployment: 111111111111, 222222222222", "Trusted accounts for lookup: 333333333333", "Execution policies: arn:aws:iam::aws:policy/PowerUserAccess", "bootstrapped (version 33)")

	cfn := cloudformation.NewFromConfig(cfg)
	desc, err := cfn.DescribeStacks(t.Context(), &cloudformation.DescribeStacksInput{StackName: aws.String(stack)})
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]string{}
	for _, p := range desc.Stacks[0].Parameters {
		// moto renders CommaDelimitedList values as Python lists.
		v := strings.NewReplacer("[", "", "]", "", "'", "", " ", "").Replace(aws.ToString(p.ParameterValue))
		params[aws.ToString(p.ParameterKey)] = v
	}
	for k, want := range map[string]string{"Qualifier": "trustq", "TrustedAccounts": "111111111111,222222222222", "TrustedAccountsForLookup": "333333333333", "CloudFormationExecutionPolicies": "arn:aws:iam::aws:policy/PowerUserAccess"} {
		if params[k] != want {
			t.Errorf("parameter %s = %q, want %q", k, params[k], want)
		}
	}
	roles, err := cfn.DescribeStackResources(t.Context(), &cloudformation.DescribeStackResourcesInput{StackName: aws.String(stack)})
	if err != nil {
		t.Fatal(err)
	}
	role := map[string]string{}
	for _, r := range roles.StackResources {
		role[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.PhysicalResourceId)
	}
	iamc := iam.NewFromConfig(cfg)
	trust := func(logical string) string {
		t.Helper()
		out, err := iamc.GetRole(t.Context(), &iam.GetRoleInput{RoleName: aws.String(role[logical])})
		if err != nil {
			t.Fatalf("%s (%q): %v", logical, role[logical], err)
		}
		doc, err := url.QueryUnescape(aws.ToString(out.Role.AssumeRolePolicyDocument))
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	if doc := trust("DeploymentActionRole"); !strings.Contains(doc, "111111111111") || !strings.Contains(doc, "222222222222") {
		t.Errorf("the deploy role's trust policy does not name the trusted accounts: %s", doc)
	}
	if doc := trust("LookupRole"); !strings.Contains(doc, "333333333333") {
		t.Errorf("the lookup role's trust policy does not name the lookup account: %s", doc)
	}
	// (moto's CloudFormation ignores an AWS::IAM::Role's
	// ManagedPolicyArns, so the execution policies are checked as the
	// stack's parameter, above.)
}

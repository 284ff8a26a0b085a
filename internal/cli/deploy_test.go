package cli_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/cli"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// bootstrapped returns moto's server with the bootstrap bucket and version
// parameter of the region in place (as `cdk bootstrap` leaves them), and a
// runner factory whose commands reach it.
func bootstrapped(t *testing.T, region string) (*motoserver.Server, aws.Config, func() *cli.Runner) {
	t.Helper()
	srv := motoserver.Shared(t)
	cfg, err := srv.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Region = region
	bucket := "cdk-hnb659fds-assets-" + motoserver.AccountID + "-" + region
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	in := &s3.CreateBucketInput{Bucket: &bucket}
	if region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}
	}
	if _, err := s3c.CreateBucket(t.Context(), in); err != nil && !alreadyExists(err) {
		t.Fatalf("create the bootstrap bucket: %v", err)
	}
	_, err = ssm.NewFromConfig(cfg).PutParameter(t.Context(), &ssm.PutParameterInput{
		Name: aws.String("/cdk-bootstrap/hnb659fds/version"), Value: aws.String("30"), Type: types.ParameterTypeString, Overwrite: aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("put the bootstrap version: %v", err)
	}
	return srv, cfg, func() *cli.Runner { return runner(srv, region) }
}

func alreadyExists(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && strings.HasPrefix(ae.ErrorCode(), "BucketAlready")
}

// runner returns a non-interactive runner whose AWS calls go to srv with
// moto's static credentials, whatever the environment holds.
func runner(srv *motoserver.Server, region string) *cli.Runner {
	return &cli.Runner{
		PollInterval: 50_000_000, // 50ms: moto answers at once
		AWSOptions: []func(*config.LoadOptions) error{
			config.WithSharedConfigFiles([]string{}),
			config.WithSharedCredentialsFiles([]string{}),
			config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(motoserver.AccessKeyID, motoserver.SecretAccessKey, "")),
			config.WithRegion(region),
		},
	}
}

func stackStatus(t *testing.T, cfg aws.Config, name string) string {
	t.Helper()
	out, err := cloudformation.NewFromConfig(cfg).DescribeStacks(t.Context(), &cloudformation.DescribeStacksInput{StackName: &name})
	if err != nil {
		if strings.Contains(err.Error(), "does not exist") {
			return "none"
		}
		t.Fatal(err)
	}
	return string(out.Stacks[0].StackStatus)
}

// TestDeployDiffUpdateDestroy walks a stack through its life against
// moto: a first deploy (refused without approval, then approved), a diff
// with no changes, a redeploy that changes nothing, an update approved at a
// prompt, and a destroy.
func TestDeployDiffUpdateDestroy(t *testing.T) {
	t.Parallel()
	srv, cfg, newRunner := bootstrapped(t, motoserver.Region)
	ep := "--endpoint-url=" + srv.Endpoint()
	name := unique("CliLifecycle")
	v1 := network{stack: "CliLifecycle", name: name, asset: "hello from eksforge", https: true}
	asm1 := synth(t, v1.build)

	// The first deployment broadens IAM and security groups: refused
	// without a terminal, after the assets are published (they are
	// addressed by content: publishing changes nothing deployed).
	res := run(t, newRunner(), "deploy", "--app", asm1, ep)
	res.expect(t, 1, "stderr", "CliLifecycle: assets: 2 uploaded, 0 already published", "needs approval (--require-approval broadening)", "IAM or security group permissions are broadened", "--require-approval never")
	if got := stackStatus(t, cfg, name); got != "none" {
		t.Errorf("after a refused deployment the stack is %s, want none", got)
	}

	res = run(t, newRunner(), "deploy", "--app", asm1, ep, "--require-approval", "never")
	res.expect(t, 0, "stderr",
		"CliLifecycle: deploying to aws://123456789012/us-east-1",
		"CliLifecycle: assets: 0 uploaded, 2 already published",
		"CREATE_COMPLETE",
		name+" [##############################] 3/3 resources")
	res.expect(t, 0, "stdout", "Change set eksforge-deploy (CREATE), 3 change(s):", "Add    AWS::EC2::VPC Vpc", "[+] AWS::IAM::Role Role", "Stack ARN:")
	if got := stackStatus(t, cfg, name); got != "CREATE_COMPLETE" {
		t.Errorf("stack status = %s, want CREATE_COMPLETE", got)
	}
	// The file asset is in the bucket under its hash.
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	key := regexp.MustCompile(`[0-9a-f]{64}\.txt`).FindString(string(mustRead(t, asm1, "CliLifecycle.assets.json")))
	obj, err := s3c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bootstrapBucket), Key: &key})
	if err != nil {
		t.Fatalf("the asset %s was not uploaded: %v", key, err)
	}
	obj.Body.Close()

	res = run(t, newRunner(), "diff", "--app", asm1, ep, "--fail")
	res.expect(t, 0, "stdout", "Stack CliLifecycle\nThere were no differences", "Number of stacks with differences: 0")

	res = run(t, newRunner(), "deploy", "--app", asm1, ep)
	res.expect(t, 0, "stderr", "CliLifecycle: assets: 0 uploaded, 2 already published", "CliLifecycle: no changes")

	// An update: a subnet more, and the ingress rule gone.
	v2 := v1
	v2.subnet, v2.https = true, false
	asm2 := synth(t, v2.build)
	res = run(t, newRunner(), "diff", "--app", asm2, ep)
	res.expect(t, 0, "stdout", "[+] AWS::EC2::Subnet Subnet (CliLifecycle/Subnet)", "[-] SecurityGroup ingress: protocol=tcp ports=443 CidrIp=10.0.0.0/16", "[~] AWS::EC2::SecurityGroup SecurityGroup (CliLifecycle/SecurityGroup) update in place", "Number of stacks with differences: 1")

	// --require-approval any-change asks about the security group change;
	// a person answers yes.
	r := newRunner()
	r.Interactive, r.Stdin = true, strings.NewReader("y\n")
	res = run(t, r, "deploy", "--app", asm2, ep, "--require-approval", "any-change")
	res.expect(t, 0, "stderr", "IAM or security group permissions change. Do you wish to deploy these changes? (y/n)",
		"CliLifecycle: assets: 1 uploaded, 1 already published", "UPDATE_COMPLETE")
	res.expect(t, 0, "stdout", "Change set eksforge-deploy (UPDATE)", "Add    AWS::EC2::Subnet Subnet")
	res = run(t, newRunner(), "diff", "--app", asm2, ep)
	res.expect(t, 0, "stdout", "There were no differences")

	// A person who answers no changes nothing.
	r = newRunner()
	r.Interactive, r.Stdin = true, strings.NewReader("n\n")
	res = run(t, r, "deploy", "--app", asm1, ep)
	res.expect(t, 1, "stderr", "deployment cancelled; nothing was changed")
	res = run(t, newRunner(), "diff", "--app", asm2, ep)
	res.expect(t, 0, "stdout", "There were no differences")

	res = run(t, newRunner(), "destroy", "--app", asm2, ep, "--force")
	res.expect(t, 0, "stderr", "CliLifecycle: destroying in aws://123456789012/us-east-1", "DELETE_COMPLETE", "CliLifecycle: destroyed")
	if got := stackStatus(t, cfg, name); got != "none" {
		t.Errorf("after destroy the stack is %s, want none", got)
	}
	res = run(t, newRunner(), "diff", "--app", asm2, ep)
	res.expect(t, 0, "stdout", "Stack CliLifecycle (not deployed)", "[+] AWS::EC2::VPC Vpc")
}

// TestDeployFailureShowsTheResource deploys a subnet whose CIDR lies outside
// its VPC: the deployment fails, naming the resource and moto's reason.
func TestDeployFailureShowsTheResource(t *testing.T) {
	t.Parallel()
	srv, _, newRunner := bootstrapped(t, motoserver.Region)
	ep := "--endpoint-url=" + srv.Endpoint()
	good := network{stack: "CliFailing", name: unique("CliFailing"), asset: "failing"}
	res := run(t, newRunner(), "deploy", "--app", synth(t, good.build), ep, "--require-approval", "never")
	res.expect(t, 0, "stderr", "CREATE_COMPLETE")

	bad := good
	bad.badCIDR = true
	res = run(t, newRunner(), "deploy", "--app", synth(t, bad.build), ep, "--require-approval", "never")
	res.expect(t, 1, "stderr", "stack "+good.name+" failed", "The CIDR '192.168.0.0/24' is invalid", "not deployed: BadSubnet (AWS::EC2::Subnet)")
}

func TestDeployRefusesAnEnvironmentNotBootstrapped(t *testing.T) {
	t.Parallel()
	srv := motoserver.Shared(t)
	asm := synth(t, network{stack: "CliNotBootstrapped"}.build)
	res := run(t, runner(srv, "ap-southeast-4"), "deploy", "--app", asm, "--endpoint-url", srv.Endpoint(), "--require-approval", "never")
	res.expect(t, 1, "stderr", "not bootstrapped", "/cdk-bootstrap/hnb659fds/version", "eksforge bootstrap aws://123456789012/ap-southeast-4")
}

func mustRead(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDeployPrintsOutputs deploys over a stack that CreateStack made from
// the same template (outside eksforge): nothing changes, and the outputs
// are printed and written. (The outputs of stacks deployed through change
// sets are checked by TestBootstrapThenDeployWithoutNode and
// TestKubeconfigOfAStackWithACluster.)
func TestDeployPrintsOutputs(t *testing.T) {
	t.Parallel()
	srv, cfg, newRunner := bootstrapped(t, motoserver.Region)
	name := unique("CliOutputs")
	asm := synth(t, network{stack: "CliOutputs", name: name, asset: "outputs"}.build)
	body := string(mustRead(t, asm, "CliOutputs.template.json"))
	_, err := cloudformation.NewFromConfig(cfg).CreateStack(t.Context(), &cloudformation.CreateStackInput{
		StackName: &name, TemplateBody: &body,
		Tags: []cfntypes.Tag{{Key: aws.String("test"), Value: aws.String("eksforge-cli")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	outFile := filepath.Join(t.TempDir(), "outputs.json")
	res := run(t, newRunner(), "deploy", "--app", asm, "--endpoint-url", srv.Endpoint(), "--outputs-file", outFile)
	res.expect(t, 0, "stderr", "CliOutputs: no changes")
	var outputs map[string]map[string]string
	if err := json.Unmarshal(mustRead(t, filepath.Dir(outFile), "outputs.json"), &outputs); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(outputs["CliOutputs"]["VpcId"], "vpc-") || len(outputs["CliOutputs"]) != 4 {
		t.Errorf("--outputs-file holds %v, want the 4 outputs of CliOutputs", outputs)
	}
	res.expect(t, 0, "stdout", "Outputs:\nCliOutputs.DataUrl = s3://cdk-hnb659fds-assets-123456789012-us-east-1/", "CliOutputs.RoleArn = arn:aws:iam::123456789012:role/", "CliOutputs.VpcId = vpc-", "Stack ARN:\narn:aws:cloudformation:us-east-1:123456789012:stack/"+name+"/")
}

// TestDeployLargeTemplate deploys a template above the 51,200 bytes that
// TemplateBody takes: it goes by its S3 URL, from the template asset.
func TestDeployLargeTemplate(t *testing.T) {
	t.Parallel()
	srv, cfg, newRunner := bootstrapped(t, motoserver.Region)
	name := unique("CliLarge")
	asm := synth(t, network{stack: "CliLarge", name: name, asset: "large", large: true}.build)
	if n := len(mustRead(t, asm, "CliLarge.template.json")); n <= 51200 {
		t.Fatalf("the template has %d bytes; the test needs more than 51200", n)
	}
	res := run(t, newRunner(), "deploy", "--app", asm, "--endpoint-url", srv.Endpoint(), "--require-approval", "never")
	res.expect(t, 0, "stderr", "CliLarge: assets: 2 uploaded", "CREATE_COMPLETE")
	if got := stackStatus(t, cfg, name); got != "CREATE_COMPLETE" {
		t.Errorf("stack status = %s, want CREATE_COMPLETE", got)
	}
	res = run(t, newRunner(), "diff", "--app", asm, "--endpoint-url", srv.Endpoint())
	res.expect(t, 0, "stdout", "There were no differences")
}

// TestStacksInDependencyOrder deploys a stack that depends on another:
// naming the consumer deploys the producer first; destroying the producer
// destroys the consumer first. (The dependency is explicit here; a
// dependency from an export and Fn::ImportValue is deployed and destroyed
// in order by TestBootstrapThenDeployWithoutNode, with examples/minimal.)
func TestStacksInDependencyOrder(t *testing.T) {
	t.Parallel()
	srv, cfg, newRunner := bootstrapped(t, motoserver.Region)
	ep := "--endpoint-url=" + srv.Endpoint()
	netName, appName := unique("CliOrderNet"), unique("CliOrderApp")
	asm := synth(t, func(app *cdk.App) {
		net := cdk.NewStack(app, "CliOrderNet", cdk.StackProps{StackName: netName})
		cdk.NewCfnResource(net, "Vpc", cdk.CfnResourceProps{Type: "AWS::EC2::VPC", Properties: map[string]any{"CidrBlock": "10.1.0.0/16"}})
		consumer := cdk.NewStack(app, "CliOrderApp", cdk.StackProps{StackName: appName})
		cdk.NewCfnResource(consumer, "Vpc", cdk.CfnResourceProps{Type: "AWS::EC2::VPC", Properties: map[string]any{"CidrBlock": "10.2.0.0/16"}})
		consumer.AddDependency(net, "the network comes first")
	})
	res := run(t, newRunner(), "deploy", "CliOrderApp", "--app", asm, ep, "--require-approval", "never")
	res.expect(t, 0, "stderr", "CliOrderNet: deployed", "CliOrderApp: deployed")
	if strings.Index(res.stderr, "CliOrderNet: deploying") > strings.Index(res.stderr, "CliOrderApp: deploying") {
		t.Error("the consumer was deployed before the stack it depends on")
	}
	for _, name := range []string{netName, appName} {
		if got := stackStatus(t, cfg, name); got != "CREATE_COMPLETE" {
			t.Errorf("%s is %s, want CREATE_COMPLETE", name, got)
		}
	}
	res = run(t, newRunner(), "destroy", "CliOrderNet", "--app", asm, ep, "--force")
	res.expect(t, 0, "stderr", "CliOrderApp: destroyed", "CliOrderNet: destroyed")
	if strings.Index(res.stderr, "CliOrderApp: destroying") > strings.Index(res.stderr, "CliOrderNet: destroying") {
		t.Error("the producer was destroyed before the stack that depends on it")
	}
}

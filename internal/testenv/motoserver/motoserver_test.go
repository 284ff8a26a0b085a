package motoserver_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// TestMain stops the server that the tests share through
// motoserver.Shared: the pattern for every test package that uses moto.
func TestMain(m *testing.M) {
	code := m.Run()
	if err := motoserver.StopShared(); err != nil {
		println("motoserver: stop shared server:", err.Error())
	}
	os.Exit(code)
}

func awsConfig(t *testing.T) aws.Config {
	t.Helper()
	srv := motoserver.Shared(t)
	cfg, err := srv.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestS3PutAndGetObject(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	client := s3.NewFromConfig(awsConfig(t), func(o *s3.Options) { o.UsePathStyle = true })
	bucket := "eksforge-motoserver-s3"
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	body := "apiVersion: v1\nkind: ConfigMap\n"
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket),
		Key:    aws.String("manifests/cm.yaml"),
		Body:   strings.NewReader(body),
	}); err != nil {
		t.Fatalf("PutObject: %v", err)
	}
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("manifests/cm.yaml")})
	if err != nil {
		t.Fatalf("GetObject: %v", err)
	}
	defer out.Body.Close()
	got, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != body {
		t.Errorf("GetObject returned %q, want %q", got, body)
	}
}

func TestSTSGetCallerIdentity(t *testing.T) {
	t.Parallel()
	out, err := sts.NewFromConfig(awsConfig(t)).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	if got := aws.ToString(out.Account); got != motoserver.AccountID {
		t.Errorf("Account = %q, want %q", got, motoserver.AccountID)
	}
	if arn := aws.ToString(out.Arn); !strings.HasPrefix(arn, "arn:aws:") {
		t.Errorf("Arn = %q, want an arn:aws: ARN", arn)
	}
}

func TestEKSCreateClusterHasEndpoint(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	client := eks.NewFromConfig(awsConfig(t))
	name := "eksforge-motoserver"
	if _, err := client.CreateCluster(ctx, &eks.CreateClusterInput{
		Name:    aws.String(name),
		RoleArn: aws.String("arn:aws:iam::" + motoserver.AccountID + ":role/eks"),
		ResourcesVpcConfig: &ekstypes.VpcConfigRequest{
			SubnetIds: []string{"subnet-11111111", "subnet-22222222"},
		},
	}); err != nil {
		t.Fatalf("CreateCluster: %v", err)
	}
	out, err := client.DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("DescribeCluster: %v", err)
	}
	c := out.Cluster
	if c.Status != ekstypes.ClusterStatusActive {
		t.Errorf("Status = %q, want %q", c.Status, ekstypes.ClusterStatusActive)
	}
	if ep := aws.ToString(c.Endpoint); !strings.HasPrefix(ep, "https://") {
		t.Errorf("Endpoint = %q, want an https:// URL", ep)
	}
	if c.CertificateAuthority == nil || aws.ToString(c.CertificateAuthority.Data) == "" {
		t.Errorf("CertificateAuthority.Data is empty")
	}
}

func TestCloudFormationCreateStack(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	client := cloudformation.NewFromConfig(awsConfig(t))
	const template = `{
  "Resources": {
    "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "eksforge-motoserver"}},
    "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "eksforge-motoserver-cfn"}}
  },
  "Outputs": {"TopicArn": {"Value": {"Ref": "Topic"}}}
}`
	stack := "eksforge-motoserver"
	if _, err := client.CreateStack(ctx, &cloudformation.CreateStackInput{
		StackName:    aws.String(stack),
		TemplateBody: aws.String(template),
	}); err != nil {
		t.Fatalf("CreateStack: %v", err)
	}
	waiter := cloudformation.NewStackCreateCompleteWaiter(client, func(o *cloudformation.StackCreateCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	})
	out, err := waiter.WaitForOutput(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stack)}, time.Minute)
	if err != nil {
		t.Fatalf("waiting for CREATE_COMPLETE: %v", err)
	}
	s := out.Stacks[0]
	if s.StackStatus != cfntypes.StackStatusCreateComplete {
		t.Errorf("StackStatus = %q, want %q", s.StackStatus, cfntypes.StackStatusCreateComplete)
	}
	if len(s.Outputs) != 1 || !strings.Contains(aws.ToString(s.Outputs[0].OutputValue), ":eksforge-motoserver") {
		t.Errorf("Outputs = %+v, want TopicArn ending in :eksforge-motoserver", s.Outputs)
	}
}

// TestStartAndReset uses a server of its own, because Reset would empty the
// shared one under the parallel tests.
func TestStartAndReset(t *testing.T) {
	t.Parallel()
	srv := motoserver.Start(t)
	if !strings.HasPrefix(srv.Endpoint(), "http://127.0.0.1:") {
		t.Errorf("Endpoint() = %q, want http://127.0.0.1:PORT", srv.Endpoint())
	}
	t.Logf("moto answered %s after start", srv.StartupTime())
	ctx := t.Context()
	cfg, err := srv.AWSConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("eksforge-reset")}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	if err := srv.Reset(); err != nil {
		t.Fatal(err)
	}
	out, err := client.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatalf("ListBuckets: %v", err)
	}
	if len(out.Buckets) != 0 {
		t.Errorf("after Reset, ListBuckets = %d buckets, want 0", len(out.Buckets))
	}
}

func TestStopTwice(t *testing.T) {
	t.Parallel()
	srv := motoserver.Start(t)
	if err := srv.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := srv.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if err := srv.Reset(); err == nil {
		t.Errorf("Reset after Stop succeeded, want an error")
	}
}

// TestStartSkipsWithoutMoto checks that a machine without moto skips the
// tests that need it, loudly (outside CI).
func TestStartSkipsWithoutMoto(t *testing.T) {
	t.Setenv("CI", "")
	t.Setenv(motoserver.PythonEnvVar, filepath.Join(t.TempDir(), "no-python"))
	if _, err := motoserver.New(); !errors.Is(err, motoserver.ErrUnavailable) {
		t.Errorf("New() error = %v, want one wrapping ErrUnavailable", err)
	}
	var inner *testing.T
	t.Run("needs moto", func(t *testing.T) {
		inner = t
		motoserver.Start(t)
		t.Error("Start returned without moto")
	})
	if !inner.Skipped() {
		t.Errorf("Start did not skip the test")
	}
}

// TestAWSConfigIgnoresEnvironment checks that a developer's AWS settings
// cannot send a test elsewhere than moto.
func TestAWSConfigIgnoresEnvironment(t *testing.T) {
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":     "http://127.0.0.1:1",
		"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1",
		"AWS_PROFILE":          "eksforge-does-not-exist",
		"AWS_REGION":           "eu-west-3",
		"AWS_ACCESS_KEY_ID":    "AKIAREALLOOKING",
	} {
		t.Setenv(k, v)
	}
	cfg := awsConfig(t)
	if cfg.Region != motoserver.Region {
		t.Errorf("Region = %q, want %q", cfg.Region, motoserver.Region)
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	if got := aws.ToString(out.Account); got != motoserver.AccountID {
		t.Errorf("Account = %q, want moto's %q", got, motoserver.AccountID)
	}
}

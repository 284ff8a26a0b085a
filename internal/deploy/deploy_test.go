package deploy

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/internal/assembly"
)

// fakeCFN plays a scripted stack operation: each DescribeStacks call
// reveals the next step's events and status, as CloudFormation reveals
// them over time. Only what Execute and Destroy use is implemented.
type fakeCFN struct {
	CloudFormationAPI
	steps  []step
	at     int
	events []types.StackEvent // newest first, as the API returns them
	status types.StackStatus
	n      int
}

type step struct {
	events [][3]string // logical id, type, status[:reason]
	status types.StackStatus
}

const stackID = "arn:aws:cloudformation:us-east-1:123456789012:stack/Demo/1"

func (f *fakeCFN) reveal() {
	if f.at >= len(f.steps) {
		return
	}
	s := f.steps[f.at]
	f.at++
	for _, e := range s.events {
		f.n++
		status, reason, _ := strings.Cut(e[2], ":")
		phys := e[0]
		if e[1] == "AWS::CloudFormation::Stack" {
			phys = stackID
		}
		ev := types.StackEvent{
			EventId: aws.String(string(rune('a' + f.n))), LogicalResourceId: aws.String(e[0]), ResourceType: aws.String(e[1]),
			PhysicalResourceId: aws.String(phys), ResourceStatus: types.ResourceStatus(status), ResourceStatusReason: aws.String(strings.TrimSpace(reason)),
			Timestamp: aws.Time(time.Date(2026, 11, 25, 12, 0, f.n, 0, time.UTC)),
		}
		f.events = append([]types.StackEvent{ev}, f.events...)
	}
	f.status = s.status
}

func (f *fakeCFN) DescribeStackEvents(context.Context, *cloudformation.DescribeStackEventsInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error) {
	return &cloudformation.DescribeStackEventsOutput{StackEvents: f.events}, nil
}

func (f *fakeCFN) DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	f.reveal()
	return &cloudformation.DescribeStacksOutput{Stacks: []types.Stack{{StackName: aws.String("Demo"), StackId: aws.String(stackID), StackStatus: f.status}}}, nil
}

func (f *fakeCFN) ExecuteChangeSet(context.Context, *cloudformation.ExecuteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.ExecuteChangeSetOutput, error) {
	return &cloudformation.ExecuteChangeSetOutput{}, nil
}

func TestExecuteReportsTheFirstFailingResource(t *testing.T) {
	t.Parallel()
	const stack = "AWS::CloudFormation::Stack"
	f := &fakeCFN{steps: []step{
		{events: [][3]string{{"Demo", stack, "CREATE_IN_PROGRESS:User Initiated"}, {"Vpc", "AWS::EC2::VPC", "CREATE_IN_PROGRESS"}}, status: types.StackStatusCreateInProgress},
		{events: [][3]string{{"Vpc", "AWS::EC2::VPC", "CREATE_COMPLETE"}, {"Ng", "AWS::EKS::Nodegroup", "CREATE_IN_PROGRESS"}, {"Sg", "AWS::EC2::SecurityGroup", "CREATE_IN_PROGRESS"}}, status: types.StackStatusCreateInProgress},
		{events: [][3]string{
			{"Ng", "AWS::EKS::Nodegroup", "CREATE_FAILED:Resource handler returned message: \"Subnets are required\""},
			{"Sg", "AWS::EC2::SecurityGroup", "CREATE_FAILED:Resource creation cancelled"},
			{"Demo", stack, "ROLLBACK_IN_PROGRESS:The following resource(s) failed to create: [Ng, Sg]."},
		}, status: types.StackStatusRollbackInProgress},
		{events: [][3]string{{"Vpc", "AWS::EC2::VPC", "DELETE_COMPLETE"}, {"Demo", stack, "ROLLBACK_COMPLETE"}}, status: types.StackStatusRollbackComplete},
	}}
	var out bytes.Buffer
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	d := &Deployer{CFN: f, Out: &out, PollInterval: time.Millisecond, Now: func() time.Time { now = now.Add(time.Second); return now }}
	cs := &ChangeSet{StackName: "Demo", StackID: stackID, ID: "cs", Type: types.ChangeSetTypeCreate}
	_, err := d.Execute(t.Context(), cs, 3, map[string]string{"Ng": "Demo/Cluster/Nodegroup"})
	var se *StackError
	if !errors.As(err, &se) {
		t.Fatalf("Execute() error = %v, want a *StackError", err)
	}
	want := `stack Demo failed (ROLLBACK_COMPLETE): the first failure is Ng CREATE_FAILED (AWS::EKS::Nodegroup): Resource handler returned message: "Subnets are required"`
	if err.Error() != want {
		t.Errorf("error =\n%s\nwant\n%s", err, want)
	}
	for _, w := range []string{
		"[1/3 ",
		"CREATE_COMPLETE              | AWS::EC2::VPC",
		`| Ng (Demo/Cluster/Nodegroup): Resource handler returned message: "Subnets are required"`,
		"Sg: Resource creation cancelled",
		"Demo [##############################] 3/3 resources, 14s", // the clock moves 1s per reading: 10 events, 3 polls, the bar
	} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output does not contain %q:\n%s", w, out.String())
		}
	}
}

func TestExecuteDrawsALiveProgressBar(t *testing.T) {
	t.Parallel()
	f := &fakeCFN{steps: []step{
		{events: [][3]string{{"A", "AWS::SNS::Topic", "UPDATE_IN_PROGRESS"}}, status: types.StackStatusUpdateInProgress},
		{events: [][3]string{{"A", "AWS::SNS::Topic", "UPDATE_COMPLETE"}, {"Demo", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE"}}, status: types.StackStatusUpdateComplete},
	}}
	var out bytes.Buffer
	// A clock that stands still: the bar's elapsed time reads 0s however
	// slow the machine (the race detector under load took over a second).
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	d := &Deployer{CFN: f, Out: &out, Live: true, PollInterval: time.Millisecond, Now: func() time.Time { return start }}
	st, err := d.Execute(t.Context(), &ChangeSet{StackName: "Demo", StackID: stackID, ID: "cs", Type: types.ChangeSetTypeUpdate}, 1, nil)
	if err != nil || st.StackStatus != types.StackStatusUpdateComplete {
		t.Fatalf("Execute() = %v, %v; want UPDATE_COMPLETE", st, err)
	}
	got := out.String()
	if !strings.Contains(got, "\r\033[K") || !strings.Contains(got, "Demo [------------------------------] 0/1 resources") || !strings.HasSuffix(got, "Demo [##############################] 1/1 resources, 0s\n") {
		t.Errorf("live output lacks the redrawn bar:\n%q", got)
	}
}

// fakeS3 holds objects in memory; a bucket is missing unless listed.
type fakeS3 struct {
	buckets map[string]bool
	objects map[string][]byte
}

var errNotFound = &smithy.GenericAPIError{Code: "NotFound", Message: "Not Found"}

func (f *fakeS3) HeadBucket(_ context.Context, in *s3.HeadBucketInput, _ ...func(*s3.Options)) (*s3.HeadBucketOutput, error) {
	if !f.buckets[*in.Bucket] {
		return nil, errNotFound
	}
	return &s3.HeadBucketOutput{}, nil
}

func (f *fakeS3) HeadObject(_ context.Context, in *s3.HeadObjectInput, _ ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	if _, ok := f.objects[*in.Bucket+"/"+*in.Key]; !ok {
		return nil, errNotFound
	}
	return &s3.HeadObjectOutput{}, nil
}

func (f *fakeS3) PutObject(_ context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	b, err := io.ReadAll(in.Body)
	if err != nil {
		return nil, err
	}
	f.objects[*in.Bucket+"/"+*in.Key] = b
	return &s3.PutObjectOutput{}, nil
}

func TestPublishAssets(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "file.json"), []byte(`{"a":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "src", "main.txt"), []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	dest := func(key string) []assembly.Destination {
		return []assembly.Destination{{BucketName: "cdk-x-assets-${AWS::AccountId}-${AWS::Region}", ObjectKey: key}}
	}
	am := &assembly.AssetManifest{Files: []assembly.FileAsset{
		{ID: "f", DisplayName: "file", Path: filepath.Join(dir, "file.json"), Packaging: "file", Destinations: dest("f.json")},
		{ID: "z", DisplayName: "dir", Path: filepath.Join(dir, "src"), Packaging: "zip", Destinations: dest("z.zip")},
	}}
	env := Env{Account: "111122223333", Region: "eu-west-1", Partition: "aws"}
	const bucket = "cdk-x-assets-111122223333-eu-west-1"

	_, err := PublishAssets(t.Context(), &fakeS3{objects: map[string][]byte{}}, env, am, "", nil)
	if !errors.Is(err, ErrNotBootstrapped) || !strings.Contains(err.Error(), "eksforge bootstrap aws://111122223333/eu-west-1") {
		t.Errorf("without the bucket: error = %v, want ErrNotBootstrapped naming eksforge bootstrap", err)
	}

	s := &fakeS3{buckets: map[string]bool{bucket: true}, objects: map[string][]byte{bucket + "/f.json": []byte(`{"a":1}`)}}
	res, err := PublishAssets(t.Context(), s, env, am, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(PublishResult{Uploaded: []string{"s3://" + bucket + "/z.zip"}, Skipped: []string{"s3://" + bucket + "/f.json"}}, res); diff != "" {
		t.Errorf("PublishAssets() (-want +got):\n%s", diff)
	}
	zr, err := zip.NewReader(bytes.NewReader(s.objects[bucket+"/z.zip"]), int64(len(s.objects[bucket+"/z.zip"])))
	if err != nil || len(zr.File) != 1 || zr.File[0].Name != "main.txt" {
		t.Errorf("the directory asset was not uploaded as a zip of main.txt: %v", err)
	}

	_, err = PublishAssets(t.Context(), s, env, &assembly.AssetManifest{Path: "x.assets.json", DockerImages: 1}, "", nil)
	if err == nil || !strings.Contains(err.Error(), "container image") {
		t.Errorf("docker images: error = %v, want a clear refusal", err)
	}
}

func TestParseTemplateReadsYAMLShortForms(t *testing.T) {
	t.Parallel()
	got, err := ParseTemplate([]byte(`
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Sub "${AWS::StackName}-topic"
      KmsMasterKeyId: !GetAtt Key.Arn
      Tags:
        - Key: n
          Value: !Ref Name
      Count: 3
`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"Resources": map[string]any{"Topic": map[string]any{"Type": "AWS::SNS::Topic", "Properties": map[string]any{
		"DisplayName":    map[string]any{"Fn::Sub": "${AWS::StackName}-topic"},
		"KmsMasterKeyId": map[string]any{"Fn::GetAtt": []any{"Key", "Arn"}},
		"Tags":           []any{map[string]any{"Key": "n", "Value": map[string]any{"Ref": "Name"}}},
		"Count":          float64(3),
	}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseTemplate() (-want +got):\n%s", diff)
	}
}

func TestEnvSubstitute(t *testing.T) {
	t.Parallel()
	e := Env{Account: "1", Region: "cn-north-1", Partition: "aws-cn"}
	got := e.Substitute("arn:${AWS::Partition}:s3:::b-${AWS::AccountId}-${AWS::Region}")
	if got != "arn:aws-cn:s3:::b-1-cn-north-1" {
		t.Errorf("Substitute() = %q", got)
	}
}

// clockCFN is a fakeCFN whose every DescribeStacks call (one poll) moves
// the clock on by tick.
type clockCFN struct {
	*fakeCFN
	now  time.Time
	tick time.Duration
}

func (c *clockCFN) DescribeStacks(ctx context.Context, in *cloudformation.DescribeStacksInput, opts ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	c.now = c.now.Add(c.tick)
	return c.fakeCFN.DescribeStacks(ctx, in, opts...)
}

// TestExecuteSaysItIsStillWaiting: a long wait without events (an EKS
// cluster being created) gets one line per WaitNotice with the elapsed
// time and the resources in progress, on an injected clock.
func TestExecuteSaysItIsStillWaiting(t *testing.T) {
	t.Parallel()
	const stack = "AWS::CloudFormation::Stack"
	inProgress := step{status: types.StackStatusCreateInProgress}
	f := &clockCFN{tick: 20 * time.Second, now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), fakeCFN: &fakeCFN{steps: []step{
		{events: [][3]string{{"Demo", stack, "CREATE_IN_PROGRESS"}, {"Cluster", "AWS::EKS::Cluster", "CREATE_IN_PROGRESS"}}, status: types.StackStatusCreateInProgress},
		inProgress, inProgress, inProgress,
		{events: [][3]string{{"Cluster", "AWS::EKS::Cluster", "CREATE_COMPLETE"}, {"Demo", stack, "CREATE_COMPLETE"}}, status: types.StackStatusCreateComplete},
	}}}
	var out bytes.Buffer
	d := &Deployer{CFN: f, Out: &out, PollInterval: time.Millisecond, Now: func() time.Time { return f.now }}
	if _, err := d.Execute(t.Context(), &ChangeSet{StackName: "Demo", StackID: stackID, ID: "cs", Type: types.ChangeSetTypeCreate}, 1, map[string]string{"Cluster": "Demo/Cluster"}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	want := "[0/1 1m00s] Demo: still CREATE_IN_PROGRESS after 1m00s; in progress: Cluster (Demo/Cluster, AWS::EKS::Cluster) for 40s\n"
	if !strings.Contains(got, want) || strings.Count(got, "still CREATE_IN_PROGRESS") != 1 {
		t.Errorf("output does not say once that it is still waiting (want %q):\n%s", want, got)
	}
	if !strings.HasSuffix(got, "Demo [##############################] 1/1 resources, 1m40s\n") {
		t.Errorf("output does not end with the final bar:\n%s", got)
	}
}

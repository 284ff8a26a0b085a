// Package motoserver runs moto's AWS server on 127.0.0.1 for tests, so
// code that calls AWS through aws-sdk-go-v2 (the deploy-time handlers: STS,
// EKS DescribeCluster, S3 manifest assets, IAM, CloudFormation; the
// eksforge CLI) is exercised against a real HTTP implementation of the AWS
// APIs instead of hand-written mocks.
//
// It is test tooling only: nothing in the library or the handlers imports
// it. It is not a replacement for deploying to AWS: moto implements a
// subset of each API, its EKS clusters are records with an endpoint that
// nothing serves (pair it with internal/testenv/kubeenv for a real API
// server), and its CloudFormation knows no AWS::EKS::* resource type but
// AWS::EKS::Cluster (below); it does deploy AWS::S3::Bucket,
// AWS::SNS::Topic, IAM and VPC resources.
//
// # The launcher: moto's gaps closed
//
// The server is not started with `python3 -m moto.server` but with
// launcher.py (embedded, written next to the log), which starts the same
// server after patching gaps of moto 5.2.1's CloudFormation that the tests
// meet, each patch small, commented with why, and skipped when moto no
// longer has the gap:
//
//   - ExecuteChangeSet computes the stack's outputs from the new template
//     and registers (and drops) its exports, as CreateStack, UpdateStack
//     and DeleteStack do; Fn::ImportValue sees the region's exports.
//   - UpdateTerminationProtection, with CloudFormation's wire shape; a
//     protected stack refuses DeleteStack.
//   - AWS::EKS::Cluster, a CloudFormation model backed by moto's own EKS
//     (DescribeCluster sees the cluster; Ref, Fn::GetAtt and
//     DescribeStackResources work; EKS's cluster security group is made in
//     the VPC of the subnets).
//
// The log's first line names the moto version and the patches applied.
// docs/cli.md ("Testing against moto") lists these and the gaps left.
//
// # Getting a server
//
// One server per test package is the rule: moto takes about 1 s to start
// and a few tens of MB of memory. Share it with [Shared] and stop it in
// TestMain:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		motoserver.StopShared()
//		os.Exit(code)
//	}
//
//	func TestUploadsManifest(t *testing.T) {
//		t.Parallel()
//		srv := motoserver.Shared(t)
//		cfg, err := srv.AWSConfig(t.Context())
//		...
//		client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
//	}
//
// Tests sharing a server see each other's resources: give them unique names
// (a bucket, cluster or stack name per test) and never call [Server.Reset]
// on the shared server. A test that needs an empty account starts its own
// with [Start], which stops it when the test ends. [New] and [Server.Stop]
// are the same without a testing.TB.
//
// Every server listens on a free port of 127.0.0.1 (tried again on another
// port if taken in the meantime), writes its output to a log file in a
// temporary directory, and is printed (the last 50 lines) when a test that
// used it fails. On Linux the server gets SIGKILL when the test process
// dies, so a test binary killed by its timeout leaves no server behind.
//
// # Talking to it
//
// [Server.AWSConfig] returns an aws.Config with static credentials
// ([AccessKeyID]/[SecretAccessKey]), region [Region] and BaseEndpoint set to
// [Server.Endpoint]; it is made by hand, not by config.LoadDefaultConfig, so
// nothing comes from the environment or ~/.aws. moto reports account
// [AccountID] for any credentials. S3 clients need UsePathStyle, as above.
// The server itself runs without the test process's AWS_* variables (moto
// runs boto3 inside, which an AWS_PROFILE it cannot find would break).
//
// # When moto is missing
//
// moto is installed on the project's machines (`pip install 'moto[server]'`;
// the server also needs flask). If `python3 -c 'import moto, moto.server'`
// fails, [Start] and [Shared] skip the test with a loud message, or fail it
// when CI=true, and [New] returns an error wrapping [ErrUnavailable].
//
// # Environment
//
//   - EKSFORGE_MOTO_PYTHON ([PythonEnvVar]): the Python interpreter that runs
//     moto. Default: python3 on PATH.
//   - CI=true: a missing moto fails the test instead of skipping it.
package motoserver

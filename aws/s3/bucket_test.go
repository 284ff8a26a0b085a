package s3_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/internal/testenv/cfnlint"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

var Match = assertions.Match

var (
	bucketArn  = map[string]any{"Fn::GetAtt": []any{"Bucket83908E77", "Arn"}}
	objectsArn = map[string]any{"Fn::Join": []any{"", []any{bucketArn, "/*"}}}
	sseS3      = map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}}
	blockAll   = map[string]any{"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}
)

func TestBucketProps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		props    func(stack *cdk.Stack) s3.BucketProps
		want     map[string]any
		keys     int
		deletion string
	}{
		{"defaults encrypt with SSE-S3 and block public access, retained", func(*cdk.Stack) s3.BucketProps { return s3.BucketProps{} },
			map[string]any{"BucketEncryption": sseS3, "PublicAccessBlockConfiguration": blockAll}, 0, "Retain"},
		{"public access allowed when asked", func(*cdk.Stack) s3.BucketProps { return s3.BucketProps{BlockPublicAccess: &s3.BlockPublicAccess{}} },
			map[string]any{"PublicAccessBlockConfiguration": map[string]any{"BlockPublicAcls": false, "BlockPublicPolicy": false, "IgnorePublicAcls": false, "RestrictPublicBuckets": false}}, 0, "Retain"},
		{"S3 managed encryption", func(*cdk.Stack) s3.BucketProps { return s3.BucketProps{Encryption: s3.BucketEncryptionS3Managed} },
			map[string]any{"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}}}, 0, "Retain"},
		{"KMS managed encryption", func(*cdk.Stack) s3.BucketProps {
			return s3.BucketProps{Encryption: s3.BucketEncryptionKMSManaged, BucketKeyEnabled: true}
		},
			map[string]any{"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{"BucketKeyEnabled": true, "ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "aws:kms"}}}}}, 0, "Retain"},
		{"KMS encryption creates a key", func(*cdk.Stack) s3.BucketProps { return s3.BucketProps{Encryption: s3.BucketEncryptionKMS} },
			map[string]any{"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{"ServerSideEncryptionByDefault": map[string]any{
				"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": map[string]any{"Fn::GetAtt": []any{"BucketKey7E4AEAB8", "Arn"}}}}}}}, 1, "Retain"},
		{"an encryption key implies KMS encryption", func(s *cdk.Stack) s3.BucketProps {
			return s3.BucketProps{EncryptionKey: kms.NewKey(s, "MyKey", kms.KeyProps{})}
		}, map[string]any{"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{"ServerSideEncryptionByDefault": map[string]any{
			"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": map[string]any{"Fn::GetAtt": []any{"MyKey6AB29FA6", "Arn"}}}}}}}, 1, "Retain"},
		{"block all public access", func(*cdk.Stack) s3.BucketProps {
			return s3.BucketProps{BlockPublicAccess: s3.BlockPublicAccessBlockAll}
		},
			map[string]any{"PublicAccessBlockConfiguration": map[string]any{"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}}, 0, "Retain"},
		{"block ACLs only", func(*cdk.Stack) s3.BucketProps {
			return s3.BucketProps{BlockPublicAccess: s3.BlockPublicAccessBlockAclsOnly}
		},
			map[string]any{"PublicAccessBlockConfiguration": map[string]any{"BlockPublicAcls": true, "BlockPublicPolicy": false, "IgnorePublicAcls": true, "RestrictPublicBuckets": false}}, 0, "Retain"},
		{"versioned", func(*cdk.Stack) s3.BucketProps { return s3.BucketProps{Versioned: true} },
			map[string]any{"VersioningConfiguration": map[string]any{"Status": "Enabled"}}, 0, "Retain"},
		{"name and removal policy", func(*cdk.Stack) s3.BucketProps {
			return s3.BucketProps{BucketName: "my.bucket-1", RemovalPolicy: cdk.RemovalPolicyDestroy}
		}, map[string]any{"BucketName": "my.bucket-1"}, 0, "Delete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			s3.NewBucket(stack, "Bucket", tc.props(stack))
			tmpl := assertions.FromStack(t, stack)
			tmpl.ResourceCountIs("AWS::S3::Bucket", 1)
			tmpl.ResourceCountIs("AWS::KMS::Key", tc.keys)
			tmpl.HasResourceProperties("AWS::S3::Bucket", tc.want)
			tmpl.HasResource("AWS::S3::Bucket", map[string]any{"DeletionPolicy": tc.deletion, "UpdateReplacePolicy": tc.deletion})
		})
	}
}

// tlsOnly is the statement of the TLS-only bucket policy every bucket gets
// unless AllowInsecureTransport is set.
var tlsOnly = map[string]any{
	"Action": "s3:*", "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
	"Effect": "Deny", "Principal": map[string]any{"AWS": "*"}, "Resource": []any{bucketArn, objectsArn},
}

func TestTLSOnlyByDefault(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	b := s3.NewBucket(stack, "Bucket", s3.BucketProps{})
	if b.Policy() == nil {
		t.Fatal("a bucket should have a TLS-only bucket policy by default")
	}
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::S3::BucketPolicy", map[string]any{
		"Bucket":         map[string]any{"Ref": "Bucket83908E77"},
		"PolicyDocument": map[string]any{"Statement": []any{tlsOnly}, "Version": "2012-10-17"},
	})
	if id := tmpl.ResourceID("AWS::S3::BucketPolicy", nil); id != "BucketPolicyE9A3008A" {
		t.Errorf("bucket policy logical ID = %s", id)
	}

	_, open := synthtest.NewStack()
	if b := s3.NewBucket(open, "Bucket", s3.BucketProps{AllowInsecureTransport: true}); b.Policy() != nil {
		t.Error("AllowInsecureTransport should leave the bucket without a policy")
	}
	assertions.FromStack(t, open).ResourceCountIs("AWS::S3::BucketPolicy", 0)
}

func TestBucketGrants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		grant      func(b s3.IBucket, g iam.IGrantable) *iam.Grant
		actions    []any
		resources  any
		keyActions any
	}{
		{"read", func(b s3.IBucket, g iam.IGrantable) *iam.Grant { return b.GrantRead(g) },
			[]any{"s3:GetBucket*", "s3:GetObject*", "s3:List*"}, []any{bucketArn, objectsArn}, []any{"kms:Decrypt", "kms:DescribeKey"}},
		{"read with a key pattern", func(b s3.IBucket, g iam.IGrantable) *iam.Grant { return b.GrantRead(g, "logs/*") },
			[]any{"s3:GetBucket*", "s3:GetObject*", "s3:List*"}, []any{bucketArn, map[string]any{"Fn::Join": []any{"", []any{bucketArn, "/logs/*"}}}}, []any{"kms:Decrypt", "kms:DescribeKey"}},
		{"write", func(b s3.IBucket, g iam.IGrantable) *iam.Grant { return b.GrantWrite(g) },
			[]any{"s3:Abort*", "s3:DeleteObject*", "s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"},
			[]any{bucketArn, objectsArn}, []any{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"}},
		{"put", func(b s3.IBucket, g iam.IGrantable) *iam.Grant { return b.GrantPut(g) },
			[]any{"s3:Abort*", "s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"},
			objectsArn, []any{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"}},
		{"delete", func(b s3.IBucket, g iam.IGrantable) *iam.Grant { return b.GrantDelete(g) },
			[]any{"s3:DeleteObject*"}, objectsArn, nil},
		{"read and write", func(b s3.IBucket, g iam.IGrantable) *iam.Grant { return b.GrantReadWrite(g) },
			[]any{"s3:Abort*", "s3:DeleteObject*", "s3:GetBucket*", "s3:GetObject*", "s3:List*", "s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"},
			[]any{bucketArn, objectsArn}, []any{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"}},
	}
	for _, tc := range tests {
		for _, encrypted := range []bool{false, true} {
			name := tc.name
			if encrypted {
				name += " of a KMS-encrypted bucket"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				_, stack := synthtest.NewStack()
				role := iam.NewRole(stack, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
				props := s3.BucketProps{}
				if encrypted {
					props.Encryption = s3.BucketEncryptionKMS
				}
				g := tc.grant(s3.NewBucket(stack, "Bucket", props), role)
				if !g.Success() {
					t.Fatal("grant failed")
				}
				actions := tc.actions
				var want any = actions
				if len(actions) == 1 {
					want = actions[0]
				}
				stmts := []any{map[string]any{"Action": want, "Effect": "Allow", "Resource": tc.resources}}
				if encrypted && tc.keyActions != nil {
					stmts = append(stmts, map[string]any{"Action": tc.keyActions, "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{"BucketKey7E4AEAB8", "Arn"}}})
				}
				tmpl := assertions.FromStack(t, stack)
				tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": Match.Exact(stmts)}})
				// A grant within the account adds nothing to the bucket
				// policy, which holds only the TLS-only statement.
				tmpl.HasResourceProperties("AWS::S3::BucketPolicy", map[string]any{"PolicyDocument": map[string]any{"Statement": Match.Exact([]any{tlsOnly})}})
			})
		}
	}
}

func TestImportedBuckets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		bucket   func(s *cdk.Stack) s3.IBucket
		arn      any
		wantName any
	}{
		{"by name", func(s *cdk.Stack) s3.IBucket { return s3.BucketFromBucketName(s, "B", "other") },
			map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":s3:::other"}}}, "other"},
		{"by ARN", func(s *cdk.Stack) s3.IBucket { return s3.BucketFromBucketArn(s, "B", "arn:aws:s3:::third/prefix") },
			"arn:aws:s3:::third/prefix", "third"},
		{"by token ARN", func(s *cdk.Stack) s3.IBucket {
			return s3.BucketFromBucketArn(s, "B", cdk.NewCfnParameter(s, "ArnParam", cdk.CfnParameterProps{Type: "String"}).ValueAsString())
		}, map[string]any{"Ref": "ArnParam"}, map[string]any{"Fn::Select": []any{0, map[string]any{"Fn::Split": []any{"/", map[string]any{"Fn::Select": []any{5, map[string]any{"Fn::Split": []any{":", map[string]any{"Ref": "ArnParam"}}}}}}}}}},
		{"with a key", func(s *cdk.Stack) s3.IBucket {
			return s3.BucketFromBucketAttributes(s, "B", s3.BucketAttributes{BucketName: "enc", EncryptionKey: kms.KeyFromKeyArn(s, "K", "arn:aws:kms:us-east-1:123456789012:key/k")})
		}, map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":s3:::enc"}}}, "enc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			b := tc.bucket(stack)
			if r := b.AddToResourcePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{})); r.StatementAdded {
				t.Error("an imported bucket's policy cannot change")
			}
			role := iam.NewRole(stack, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
			b.GrantRead(role)
			cdk.NewCfnOutput(stack, "Arn", cdk.CfnOutputProps{Value: b.BucketArn()})
			cdk.NewCfnOutput(stack, "Name", cdk.CfnOutputProps{Value: b.BucketName()})
			tmpl := assertions.FromStack(t, stack)
			tmpl.HasOutput("Arn", map[string]any{"Value": tc.arn})
			tmpl.HasOutput("Name", map[string]any{"Value": tc.wantName})
			tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": Match.ArrayWith([]any{
				Match.ObjectLike(map[string]any{"Action": []any{"s3:GetBucket*", "s3:GetObject*", "s3:List*"}}),
			})}})
			if b.EncryptionKey() != nil {
				tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": Match.ArrayWith([]any{
					Match.ObjectLike(map[string]any{"Action": []any{"kms:Decrypt", "kms:DescribeKey"}, "Resource": "arn:aws:kms:us-east-1:123456789012:key/k"}),
				})}})
			}
		})
	}
}

func TestCrossAccountGrantUsesBucketPolicy(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack(cdk.Environment{Account: "111111111111", Region: "us-east-1"})
	b := s3.NewBucket(stack, "Bucket", s3.BucketProps{})
	other := iam.NewAccountPrincipal("222222222222")
	g := b.GrantRead(other)
	if !g.Success() || len(g.ResourceStatements()) != 1 {
		t.Fatalf("grant to another account: success %v, %d resource statements", g.Success(), len(g.ResourceStatements()))
	}
	assertions.FromStack(t, stack).HasResourceProperties("AWS::S3::BucketPolicy", map[string]any{"PolicyDocument": map[string]any{"Statement": []any{tlsOnly, map[string]any{
		"Action": []any{"s3:GetBucket*", "s3:GetObject*", "s3:List*"}, "Principal": map[string]any{"AWS": "arn:aws:iam::222222222222:root"},
		"Resource": []any{bucketArn, objectsArn},
	}}}})
}

func TestBucketErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		build func(stack *cdk.Stack)
		want  []string
	}{
		{"fails on a key with another encryption", func(s *cdk.Stack) {
			s3.NewBucket(s, "Bucket", s3.BucketProps{Encryption: s3.BucketEncryptionS3Managed, EncryptionKey: kms.NewKey(s, "Key", kms.KeyProps{})})
		}, []string{"Stack/Bucket", "EncryptionKey is set, so Encryption must be BucketEncryptionKMS"}},
		{"fails on a bucket key without KMS", func(s *cdk.Stack) {
			s3.NewBucket(s, "Bucket", s3.BucketProps{BucketKeyEnabled: true})
		}, []string{"Stack/Bucket", `BucketKeyEnabled needs KMS encryption, got Encryption ""`}},
		{"fails on a bucket key with S3 managed keys", func(s *cdk.Stack) {
			s3.NewBucket(s, "Bucket", s3.BucketProps{Encryption: s3.BucketEncryptionS3Managed, BucketKeyEnabled: true})
		}, []string{"Stack/Bucket", `got Encryption "S3_MANAGED"`, "s3.BucketEncryptionKMSManaged"}},
		{"fails on an unknown encryption", func(s *cdk.Stack) {
			s3.NewBucket(s, "Bucket", s3.BucketProps{Encryption: "DSSE"})
		}, []string{`unknown Encryption "DSSE"`}},
		{"fails on an invalid bucket name", func(s *cdk.Stack) {
			s3.NewBucket(s, "Bucket", s3.BucketProps{BucketName: "My_Bucket"})
		}, []string{"Stack/Bucket", `invalid BucketName "My_Bucket"`, "lowercase letters"}},
		{"fails on a bucket name like an IP address", func(s *cdk.Stack) {
			s3.NewBucket(s, "Bucket", s3.BucketProps{BucketName: "192.168.5.4"})
		}, []string{"IP address"}},
		{"fails on a bucket policy statement without principal", func(s *cdk.Stack) {
			b := s3.NewBucket(s, "Bucket", s3.BucketProps{})
			b.AddToResourcePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"s3:GetObject"}, Resources: []string{b.ArnForObjects("*")}}))
		}, []string{"Stack/Bucket/Policy", "must name at least one principal"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := synthtest.NewStack()
			tc.build(stack)
			synthtest.WantErrors(t, synthtest.SynthError(t, app), tc.want...)
		})
	}
}

func TestBucketConstructionPanics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    func(s *cdk.Stack)
		want string
	}{
		{"fails on an import without name or ARN", func(s *cdk.Stack) { s3.BucketFromBucketAttributes(s, "B", s3.BucketAttributes{}) }, "Stack/B: an imported bucket needs a BucketName or a BucketArn"},
		{"fails on a malformed bucket ARN", func(s *cdk.Stack) { s3.BucketFromBucketArn(s, "B", "arn:aws:sqs:us-east-1:1:q") }, "is not a bucket ARN"},
		{"fails on two key patterns", func(s *cdk.Stack) {
			s3.NewBucket(s, "B", s3.BucketProps{}).GrantRead(iam.NewAccountRootPrincipal(), "a/*", "b/*")
		}, "at most one objects key pattern"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			if msg := synthtest.MustPanic(t, func() { tc.f(stack) }); !strings.Contains(msg, tc.want) {
				t.Errorf("panic %q does not mention %q", msg, tc.want)
			}
		})
	}
}

// TestGoldenTemplates compares a KMS-encrypted bucket granted to a role
// with testdata (go test -update rewrites it) and checks it with cfn-lint.
func TestGoldenTemplates(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	role := iam.NewRole(stack, "HandlerRole", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("lambda.amazonaws.com")})
	b := s3.NewBucket(stack, "Manifests", s3.BucketProps{
		Encryption: s3.BucketEncryptionKMS,
		Versioned:  true,
	})
	b.GrantRead(role, "manifests/*")
	b.GrantPut(role, "status/*")
	path := synthtest.CheckGolden(t, "bucket-grant.template.json", stack)
	cfnlint.LintFiles(t, path)
}

package s3

import (
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/cdk"
	cfns3 "github.com/eksforge/eksforge/cfn/s3"
	"github.com/eksforge/eksforge/internal/nilref"
)

// Actions granted by the Grant methods, as in the AWS CDK (aws-s3 perms).
var (
	// BucketReadActions read objects and list the bucket.
	BucketReadActions = []string{"s3:GetObject*", "s3:GetBucket*", "s3:List*"}
	// BucketPutActions write objects (without changing their ACLs).
	BucketPutActions = []string{"s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:PutObjectTagging", "s3:PutObjectVersionTagging", "s3:Abort*"}
	// BucketPutACLActions change object ACLs.
	BucketPutACLActions = []string{"s3:PutObjectAcl", "s3:PutObjectVersionAcl"}
	// BucketDeleteActions delete objects.
	BucketDeleteActions = []string{"s3:DeleteObject*"}
	// KeyReadActions are granted on the bucket's KMS key with read access.
	KeyReadActions = []string{"kms:Decrypt", "kms:DescribeKey"}
	// KeyWriteActions are granted on the bucket's KMS key with write access.
	KeyWriteActions = []string{"kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Decrypt"}
)

// IBucket is an S3 bucket, defined in this app ([Bucket]) or imported
// ([BucketFromBucketName], [BucketFromBucketArn]).
type IBucket interface {
	iam.IResourceWithPolicy
	// BucketArn is the bucket's ARN.
	BucketArn() string
	// BucketName is the bucket's name.
	BucketName() string
	// EncryptionKey is the bucket's KMS key, nil when it has none.
	EncryptionKey() kms.IKey
	// ArnForObjects is the ARN of the objects matching a key pattern,
	// "<bucketArn>/<pattern>".
	ArnForObjects(keyPattern string) string
	// GrantRead allows reading objects (matching the optional key pattern,
	// "*" by default) and listing the bucket.
	GrantRead(grantee iam.IGrantable, objectsKeyPattern ...string) *iam.Grant
	// GrantWrite allows writing and deleting objects.
	GrantWrite(grantee iam.IGrantable, objectsKeyPattern ...string) *iam.Grant
	// GrantPut allows writing objects.
	GrantPut(grantee iam.IGrantable, objectsKeyPattern ...string) *iam.Grant
	// GrantDelete allows deleting objects.
	GrantDelete(grantee iam.IGrantable, objectsKeyPattern ...string) *iam.Grant
	// GrantReadWrite allows reading, writing and deleting objects.
	GrantReadWrite(grantee iam.IGrantable, objectsKeyPattern ...string) *iam.Grant
}

// BucketEncryption is how objects are encrypted at rest.
type BucketEncryption string

// Bucket encryptions.
const (
	// BucketEncryptionDefault is SSE-S3 (AES256), written into the template
	// as BucketEncryptionS3Managed is, so that a reader or a scanner of the
	// template sees how objects are encrypted (aws-cdk-lib writes nothing
	// and leaves it to S3's default, the same SSE-S3). With an
	// EncryptionKey it means BucketEncryptionKMS.
	BucketEncryptionDefault BucketEncryption = ""
	// BucketEncryptionS3Managed is SSE-S3, written explicitly (AES256).
	BucketEncryptionS3Managed BucketEncryption = "S3_MANAGED"
	// BucketEncryptionKMSManaged is SSE-KMS with the AWS managed key
	// aws/s3.
	BucketEncryptionKMSManaged BucketEncryption = "KMS_MANAGED"
	// BucketEncryptionKMS is SSE-KMS with EncryptionKey, or a new key
	// created for the bucket (child "Key", rotation enabled).
	BucketEncryptionKMS BucketEncryption = "KMS"
)

// BlockPublicAccess is the bucket's public access block configuration.
type BlockPublicAccess struct {
	// BlockPublicAcls rejects requests that add public ACLs.
	BlockPublicAcls bool
	// BlockPublicPolicy rejects bucket policies that allow public access.
	BlockPublicPolicy bool
	// IgnorePublicAcls ignores public ACLs.
	IgnorePublicAcls bool
	// RestrictPublicBuckets restricts access under a public policy to AWS
	// services and the bucket owner's account.
	RestrictPublicBuckets bool
}

// Predefined public access blocks, as in the AWS CDK.
var (
	// BlockPublicAccessBlockAll blocks every kind of public access.
	BlockPublicAccessBlockAll = &BlockPublicAccess{true, true, true, true}
	// BlockPublicAccessBlockAcls blocks public ACLs and leaves the other
	// two settings at S3's default, blocked: it renders as
	// BlockPublicAccessBlockAll does, as in the AWS CDK with the
	// @aws-cdk/aws-s3:publicAccessBlockedByDefault flag of new projects.
	BlockPublicAccessBlockAcls = &BlockPublicAccess{true, true, true, true}
	// BlockPublicAccessBlockAclsOnly blocks public ACLs and allows public
	// bucket policies.
	BlockPublicAccessBlockAclsOnly = &BlockPublicAccess{BlockPublicAcls: true, IgnorePublicAcls: true}
)

// BucketProps define a [Bucket].
type BucketProps struct {
	// BucketName is the bucket's physical name, globally unique.
	// Default: a name CloudFormation generates.
	BucketName string
	// Encryption of objects at rest.
	// Default: BucketEncryptionDefault (SSE-S3, AES256, written into the
	// template), or KMS when EncryptionKey is set.
	Encryption BucketEncryption
	// EncryptionKey is the KMS key for BucketEncryptionKMS.
	// Default: a new key when Encryption is BucketEncryptionKMS.
	EncryptionKey kms.IKey
	// BucketKeyEnabled uses an S3 Bucket Key to cut KMS requests.
	// Default: false.
	BucketKeyEnabled bool
	// BlockPublicAccess is the public access block configuration. Pass
	// &s3.BlockPublicAccess{} (every setting false) to allow public access,
	// or BlockPublicAccessBlockAclsOnly to allow public bucket policies.
	// Default: BlockPublicAccessBlockAll, written into the template (so that
	// nothing, not even a later bucket policy or ACL, can make the bucket
	// public without a change to this stack).
	BlockPublicAccess *BlockPublicAccess
	// Versioned keeps every version of every object.
	// Default: false.
	Versioned bool
	// AllowInsecureTransport leaves out the bucket policy statement that
	// denies every request not made over TLS (aws:SecureTransport false).
	// Default: false (the bucket has a policy, child "Policy", that denies
	// requests over plain HTTP, as aws-cdk-lib's enforceSSL: true does).
	AllowInsecureTransport bool
	// RemovalPolicy applies when the bucket leaves the stack.
	// Default: cdk.RemovalPolicyRetain.
	RemovalPolicy cdk.RemovalPolicy
}

// Bucket is an S3 bucket (AWS::S3::Bucket) with an optional bucket policy
// (child "Policy", AWS::S3::BucketPolicy, created on first use).
type Bucket struct {
	cdk.Base
	resource *cfns3.CfnBucket
	key      kms.IKey
	policy   *BucketPolicy
}

// NewBucket adds a bucket to scope.
func NewBucket(scope cdk.Construct, id string, props BucketProps) *Bucket {
	b := &Bucket{}
	cdk.InitConstruct(b, scope, id)
	p := cfns3.CfnBucketProps{BucketName: props.BucketName}
	for _, e := range validateBucketName(props.BucketName) {
		b.Node().AddError("%s", e)
	}
	enc := props.Encryption
	if enc == BucketEncryptionDefault && props.EncryptionKey != nil {
		enc = BucketEncryptionKMS
	}
	if props.EncryptionKey != nil && enc != BucketEncryptionKMS {
		b.Node().AddError("EncryptionKey is set, so Encryption must be BucketEncryptionKMS (got %q)", enc)
	}
	var sse *cfns3.CfnBucketServerSideEncryptionByDefault
	switch enc {
	case BucketEncryptionDefault, BucketEncryptionS3Managed:
		sse = &cfns3.CfnBucketServerSideEncryptionByDefault{SSEAlgorithm: "AES256"}
	case BucketEncryptionKMSManaged:
		sse = &cfns3.CfnBucketServerSideEncryptionByDefault{SSEAlgorithm: "aws:kms"}
	case BucketEncryptionKMS:
		b.key = props.EncryptionKey
		if b.key == nil {
			b.key = kms.NewKey(b, "Key", kms.KeyProps{Description: "Created by " + b.Node().Path(), EnableKeyRotation: true})
		}
		sse = &cfns3.CfnBucketServerSideEncryptionByDefault{SSEAlgorithm: "aws:kms", KMSMasterKeyID: b.key.KeyArn()}
	default:
		b.Node().AddError("unknown Encryption %q: use one of the s3.BucketEncryption constants", enc)
	}
	if sse != nil {
		rule := cfns3.CfnBucketServerSideEncryptionRule{ServerSideEncryptionByDefault: sse}
		if props.BucketKeyEnabled && sse.SSEAlgorithm == "aws:kms" {
			rule.BucketKeyEnabled = cdk.Ptr(true)
		}
		p.BucketEncryption = &cfns3.CfnBucketBucketEncryption{ServerSideEncryptionConfiguration: []cfns3.CfnBucketServerSideEncryptionRule{rule}}
	}
	if props.BucketKeyEnabled && (sse == nil || sse.SSEAlgorithm != "aws:kms") {
		b.Node().AddError("BucketKeyEnabled needs KMS encryption, got Encryption %q: set Encryption to s3.BucketEncryptionKMS or s3.BucketEncryptionKMSManaged, or leave BucketKeyEnabled false", enc)
	}
	bpa := props.BlockPublicAccess
	if bpa == nil {
		bpa = BlockPublicAccessBlockAll
	}
	p.PublicAccessBlockConfiguration = &cfns3.CfnBucketPublicAccessBlockConfiguration{
		BlockPublicAcls:       cdk.Ptr(bpa.BlockPublicAcls),
		BlockPublicPolicy:     cdk.Ptr(bpa.BlockPublicPolicy),
		IgnorePublicAcls:      cdk.Ptr(bpa.IgnorePublicAcls),
		RestrictPublicBuckets: cdk.Ptr(bpa.RestrictPublicBuckets),
	}
	if props.Versioned {
		p.VersioningConfiguration = &cfns3.CfnBucketVersioningConfiguration{Status: "Enabled"}
	}
	b.resource = cfns3.NewCfnBucket(b, "Resource", p)
	rp := props.RemovalPolicy
	if rp == "" {
		rp = cdk.RemovalPolicyRetain
	}
	b.resource.ApplyRemovalPolicy(rp)
	if !props.AllowInsecureTransport {
		b.AddToResourcePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
			Actions:    []string{"s3:*"},
			Conditions: iam.Conditions{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			Effect:     iam.EffectDeny,
			Resources:  []string{b.BucketArn(), b.ArnForObjects("*")},
			Principals: []iam.IPrincipal{iam.NewAnyPrincipal()},
		}))
	}
	return b
}

var (
	bucketNameChars = regexp.MustCompile(`^[a-z0-9.-]+$`)
	bucketNameEnds  = regexp.MustCompile(`^[a-z0-9].*[a-z0-9]$`)
)

// validateBucketName returns the problems of a literal bucket name.
func validateBucketName(name string) []string {
	if name == "" || cdk.IsUnresolved(name) {
		return nil
	}
	var errs []string
	bad := func(why string) {
		errs = append(errs, fmt.Sprintf("invalid BucketName %q: %s (see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)", name, why))
	}
	if len(name) < 3 || len(name) > 63 {
		bad(fmt.Sprintf("it must be 3 to 63 characters long, not %d", len(name)))
	}
	if !bucketNameChars.MatchString(name) {
		bad("it may only hold lowercase letters, digits, periods and hyphens")
	}
	if !bucketNameEnds.MatchString(name) {
		bad("it must start and end with a lowercase letter or a digit")
	}
	if strings.Contains(name, "..") || strings.Contains(name, ".-") || strings.Contains(name, "-.") {
		bad("it must not hold \"..\", \".-\" or \"-.\"")
	}
	if net.ParseIP(name) != nil {
		bad("it must not look like an IP address")
	}
	return errs
}

// Resource is the AWS::S3::Bucket resource.
func (b *Bucket) Resource() *cfns3.CfnBucket { return b.resource }

// ApplyRemovalPolicy sets what happens to the bucket when it leaves the
// stack (BucketProps.RemovalPolicy, retain by default). CloudFormation
// cannot delete a bucket that still holds objects.
func (b *Bucket) ApplyRemovalPolicy(p cdk.RemovalPolicy) { b.resource.ApplyRemovalPolicy(p) }

// BucketArn is the bucket's ARN ({"Fn::GetAtt": [bucket, "Arn"]}).
func (b *Bucket) BucketArn() string { return b.resource.AttrArn() }

// BucketName is the bucket's name ({"Ref": bucket}).
func (b *Bucket) BucketName() string { return b.resource.Ref() }

// BucketDomainName is the bucket's domain name.
func (b *Bucket) BucketDomainName() string { return b.resource.AttrDomainName() }

// BucketRegionalDomainName is the bucket's regional domain name.
func (b *Bucket) BucketRegionalDomainName() string { return b.resource.AttrRegionalDomainName() }

// EncryptionKey is the bucket's KMS key (nil unless BucketEncryptionKMS).
func (b *Bucket) EncryptionKey() kms.IKey { return b.key }

// Policy is the bucket policy, nil until a statement is added.
func (b *Bucket) Policy() *BucketPolicy { return b.policy }

// Env is the account and region of the bucket's stack.
func (b *Bucket) Env() iam.ResourceEnvironment { return iam.EnvOf(b) }

// String describes the bucket.
func (b *Bucket) String() string { return b.Node().Path() }

// ArnForObjects returns "<bucketArn>/<keyPattern>".
func (b *Bucket) ArnForObjects(keyPattern string) string { return b.BucketArn() + "/" + keyPattern }

// AddToResourcePolicy adds a statement to the bucket policy, creating it
// (child "Policy") on first use.
func (b *Bucket) AddToResourcePolicy(statement *iam.PolicyStatement) iam.AddToResourcePolicyResult {
	if b.policy == nil {
		b.policy = NewBucketPolicy(b, "Policy", BucketPolicyProps{Bucket: b})
	}
	b.policy.Document().AddStatements(statement)
	return iam.AddToResourcePolicyResult{StatementAdded: true, PolicyDependable: b.policy}
}

// GrantRead allows reading objects and listing the bucket (and decrypting
// with its KMS key).
func (b *Bucket) GrantRead(grantee iam.IGrantable, objectsKeyPattern ...string) *iam.Grant {
	return grantRead(b, grantee, objectsKeyPattern)
}

// GrantWrite allows writing and deleting objects (and encrypting with the
// bucket's KMS key).
func (b *Bucket) GrantWrite(grantee iam.IGrantable, objectsKeyPattern ...string) *iam.Grant {
	return grantWrite(b, grantee, objectsKeyPattern)
}

// GrantPut allows writing objects.
func (b *Bucket) GrantPut(grantee iam.IGrantable, objectsKeyPattern ...string) *iam.Grant {
	return grantPut(b, grantee, objectsKeyPattern)
}

// GrantPutACL allows changing the ACLs of objects.
func (b *Bucket) GrantPutACL(grantee iam.IGrantable, objectsKeyPattern ...string) *iam.Grant {
	return grantActions(b, grantee, BucketPutACLActions, nil, b.ArnForObjects(pattern(objectsKeyPattern)))
}

// GrantDelete allows deleting objects.
func (b *Bucket) GrantDelete(grantee iam.IGrantable, objectsKeyPattern ...string) *iam.Grant {
	return grantDelete(b, grantee, objectsKeyPattern)
}

// GrantReadWrite allows reading, writing and deleting objects.
func (b *Bucket) GrantReadWrite(grantee iam.IGrantable, objectsKeyPattern ...string) *iam.Grant {
	return grantReadWrite(b, grantee, objectsKeyPattern)
}

func pattern(p []string) string {
	switch len(p) {
	case 0:
		return "*"
	case 1:
		return p[0]
	}
	panic(fmt.Sprintf("s3: a grant takes at most one objects key pattern, got %q", p))
}

func grantRead(b IBucket, g iam.IGrantable, p []string) *iam.Grant {
	return grantActions(b, g, BucketReadActions, KeyReadActions, b.BucketArn(), b.ArnForObjects(pattern(p)))
}

func writeActions() []string {
	return append(append([]string(nil), BucketDeleteActions...), BucketPutActions...)
}

func grantWrite(b IBucket, g iam.IGrantable, p []string) *iam.Grant {
	return grantActions(b, g, writeActions(), KeyWriteActions, b.BucketArn(), b.ArnForObjects(pattern(p)))
}

func grantPut(b IBucket, g iam.IGrantable, p []string) *iam.Grant {
	return grantActions(b, g, BucketPutActions, KeyWriteActions, b.ArnForObjects(pattern(p)))
}

func grantDelete(b IBucket, g iam.IGrantable, p []string) *iam.Grant {
	return grantActions(b, g, BucketDeleteActions, nil, b.ArnForObjects(pattern(p)))
}

func grantReadWrite(b IBucket, g iam.IGrantable, p []string) *iam.Grant {
	actions := append(append([]string(nil), BucketReadActions...), writeActions()...)
	var keyActions []string
	for _, a := range append(append([]string(nil), KeyReadActions...), KeyWriteActions...) {
		dup := false
		for _, x := range keyActions {
			dup = dup || x == a
		}
		if !dup {
			keyActions = append(keyActions, a)
		}
	}
	return grantActions(b, g, actions, keyActions, b.BucketArn(), b.ArnForObjects(pattern(p)))
}

// grantActions grants bucket actions on the resources (in the grantee's
// policy, or the bucket policy across accounts) and key actions on the
// bucket's KMS key, as the AWS CDK's BucketGrants does.
func grantActions(b IBucket, grantee iam.IGrantable, bucketActions, keyActions []string, resources ...string) *iam.Grant {
	g := iam.GrantAddToPrincipalOrResource(iam.GrantWithResourceOptions{
		Grantee:      grantee,
		Actions:      bucketActions,
		ResourceArns: resources,
		Resource:     b,
	})
	if nilref.IsNil(grantee) || nilref.IsNil(grantee.GrantPrincipal()) {
		return g // reported on the bucket
	}
	if len(keyActions) > 0 && b.EncryptionKey() != nil {
		b.EncryptionKey().Grant(grantee, keyActions...)
	}
	return g
}

// BucketAttributes describe an existing bucket for [BucketFromBucketAttributes].
type BucketAttributes struct {
	// BucketName is the bucket's name; required unless BucketArn is set.
	BucketName string
	// BucketArn is the bucket's ARN.
	// Default: arn:<partition>:s3:::<name>.
	BucketArn string
	// EncryptionKey is the bucket's KMS key, granted along with the bucket.
	// Default: none.
	EncryptionKey kms.IKey
	// Account of the bucket.
	// Default: the stack's.
	Account string
	// Region of the bucket.
	// Default: the stack's.
	Region string
}

// importedBucket is a bucket defined outside the app; its policy cannot be
// changed.
type importedBucket struct {
	cdk.Base
	attrs BucketAttributes
}

// BucketFromBucketName imports an existing bucket by name.
func BucketFromBucketName(scope cdk.Construct, id string, name string) IBucket {
	return BucketFromBucketAttributes(scope, id, BucketAttributes{BucketName: name})
}

// BucketFromBucketArn imports an existing bucket by ARN
// (arn:<partition>:s3:::<name>).
func BucketFromBucketArn(scope cdk.Construct, id string, arn string) IBucket {
	return BucketFromBucketAttributes(scope, id, BucketAttributes{BucketArn: arn})
}

// BucketFromBucketAttributes imports an existing bucket. It panics when
// neither a name nor an ARN is given, or the ARN is not an S3 bucket's.
func BucketFromBucketAttributes(scope cdk.Construct, id string, attrs BucketAttributes) IBucket {
	b := &importedBucket{attrs: attrs}
	cdk.InitConstruct(b, scope, id)
	s := cdk.StackOf(b)
	switch {
	case attrs.BucketName == "" && attrs.BucketArn == "":
		panic(fmt.Sprintf("s3: %s: an imported bucket needs a BucketName or a BucketArn", b.Node().Path()))
	case attrs.BucketName == "" && cdk.IsUnresolved(attrs.BucketArn):
		b.attrs.BucketName = cdk.Fn.Select(0, cdk.Fn.Split("/", cdk.Fn.Select(5, cdk.Fn.Split(":", attrs.BucketArn))))
	case attrs.BucketName == "":
		parts := strings.SplitN(attrs.BucketArn, ":", 6)
		if len(parts) != 6 || parts[0] != "arn" || parts[2] != "s3" || parts[5] == "" {
			panic(fmt.Sprintf("s3: %s: %q is not a bucket ARN; expected arn:<partition>:s3:::<bucket-name>", b.Node().Path(), attrs.BucketArn))
		}
		b.attrs.BucketName = strings.SplitN(parts[5], "/", 2)[0]
	}
	if b.attrs.BucketArn == "" {
		b.attrs.BucketArn = "arn:" + s.Partition() + ":s3:::" + b.attrs.BucketName
	}
	if b.attrs.Account == "" {
		b.attrs.Account = s.Account()
	}
	if b.attrs.Region == "" {
		b.attrs.Region = s.Region()
	}
	return b
}

func (b *importedBucket) BucketArn() string       { return b.attrs.BucketArn }
func (b *importedBucket) BucketName() string      { return b.attrs.BucketName }
func (b *importedBucket) EncryptionKey() kms.IKey { return b.attrs.EncryptionKey }
func (b *importedBucket) String() string          { return b.Node().Path() }
func (b *importedBucket) Env() iam.ResourceEnvironment {
	return iam.ResourceEnvironment{Account: b.attrs.Account, Region: b.attrs.Region}
}
func (b *importedBucket) ArnForObjects(keyPattern string) string {
	return b.attrs.BucketArn + "/" + keyPattern
}
func (b *importedBucket) AddToResourcePolicy(*iam.PolicyStatement) iam.AddToResourcePolicyResult {
	return iam.AddToResourcePolicyResult{}
}
func (b *importedBucket) GrantRead(g iam.IGrantable, p ...string) *iam.Grant {
	return grantRead(b, g, p)
}
func (b *importedBucket) GrantWrite(g iam.IGrantable, p ...string) *iam.Grant {
	return grantWrite(b, g, p)
}
func (b *importedBucket) GrantPut(g iam.IGrantable, p ...string) *iam.Grant { return grantPut(b, g, p) }
func (b *importedBucket) GrantDelete(g iam.IGrantable, p ...string) *iam.Grant {
	return grantDelete(b, g, p)
}
func (b *importedBucket) GrantReadWrite(g iam.IGrantable, p ...string) *iam.Grant {
	return grantReadWrite(b, g, p)
}

// BucketPolicyProps define a [BucketPolicy].
type BucketPolicyProps struct {
	// Bucket the policy applies to. Required.
	Bucket IBucket
	// Document is the policy's document.
	// Default: an empty document.
	Document *iam.PolicyDocument
	// RemovalPolicy applies when the policy leaves the stack.
	// Default: CloudFormation's (delete).
	RemovalPolicy cdk.RemovalPolicy
}

// BucketPolicy is a bucket's resource policy (AWS::S3::BucketPolicy).
type BucketPolicy struct {
	cdk.Base
	resource *cfns3.CfnBucketPolicy
	document *iam.PolicyDocument
}

// NewBucketPolicy adds a bucket policy to scope. A bucket creates its own
// on first AddToResourcePolicy; use this for an imported bucket.
func NewBucketPolicy(scope cdk.Construct, id string, props BucketPolicyProps) *BucketPolicy {
	p := &BucketPolicy{document: props.Document}
	cdk.InitConstruct(p, scope, id)
	if props.Bucket == nil {
		panic(fmt.Sprintf("s3: bucket policy %q needs BucketPolicyProps.Bucket", p.Node().Path()))
	}
	if p.document == nil {
		p.document = iam.NewPolicyDocument(iam.PolicyDocumentProps{})
	}
	p.resource = cfns3.NewCfnBucketPolicy(p, "Resource", cfns3.CfnBucketPolicyProps{Bucket: props.Bucket.BucketName(), PolicyDocument: p.document})
	if props.RemovalPolicy != "" {
		p.resource.ApplyRemovalPolicy(props.RemovalPolicy)
	}
	p.Node().AddValidation(func() []string {
		var out []string
		if p.document.IsEmpty() {
			out = append(out, "the bucket policy has no statement")
		}
		for _, e := range p.document.ValidateForResourcePolicy() {
			out = append(out, "bucket policy: "+e)
		}
		return out
	})
	return p
}

// Resource is the AWS::S3::BucketPolicy resource.
func (p *BucketPolicy) Resource() *cfns3.CfnBucketPolicy { return p.resource }

// Document is the policy's document.
func (p *BucketPolicy) Document() *iam.PolicyDocument { return p.document }

// The AWS CDK side of TestParityWithAwsCdk (parity_test.go): buckets with
// the defaults and with every option, bucket policies, and every grant,
// including the KMS key grants of encrypted buckets. Synthesized by
// aws-cdk-lib with the feature flags every new AWS CDK project sets.
//
// eksforge's s3.NewBucket is secure by default where aws-cdk-lib is not
// (docs/parity.md, "Intended differences" of aws/s3): every bucket here
// that the Go side leaves at its defaults is given `secure` below, which
// is what those defaults render; `Open` opts out as the Go side does.
//
// Regenerate bucket.template.json (DIR: the node_modules `scripts/install-npm.sh bench/cdk`
// installs, or any with aws-cdk-lib 2.276.0):
//
//	NODE_PATH=DIR CDK_OUTDIR=/tmp/bucket node bucket.js
//	cp /tmp/bucket/Stack.template.json bucket.template.json
const cdk = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const kms = require('aws-cdk-lib/aws-kms');
const s3 = require('aws-cdk-lib/aws-s3');
const cxapi = require('aws-cdk-lib/cx-api');

const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'Stack');

const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
// eksforge's defaults: SSE-S3 written out, every public access blocked,
// a bucket policy denying plain HTTP.
const secure = { encryption: s3.BucketEncryption.S3_MANAGED, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, enforceSSL: true };
const plain = new s3.Bucket(stack, 'Plain', secure);
plain.grantRead(role);
const key = new kms.Key(stack, 'Key');
const secureBucket = new s3.Bucket(stack, 'Secure', {
  encryption: s3.BucketEncryption.KMS,
  encryptionKey: key,
  bucketKeyEnabled: true,
  versioned: true,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
});
secureBucket.grantReadWrite(role);
const own = new s3.Bucket(stack, 'OwnKey', { ...secure, encryption: s3.BucketEncryption.KMS });
own.grantRead(role);
own.grantWrite(writer, 'uploads/*');
const named = new s3.Bucket(stack, 'Named', {
  bucketName: 'eksforge-named-bucket',
  encryption: s3.BucketEncryption.S3_MANAGED,
  removalPolicy: cdk.RemovalPolicy.DESTROY,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS,
  enforceSSL: true,
});
named.grantPut(writer);
named.grantDelete(writer);
named.grantPutAcl(writer);
const managed = new s3.Bucket(stack, 'KmsManaged', { ...secure, encryption: s3.BucketEncryption.KMS_MANAGED });
managed.addToResourcePolicy(new iam.PolicyStatement({
  actions: ['s3:GetObject'],
  resources: [managed.arnForObjects('public/*')],
  principals: [new iam.AccountRootPrincipal()],
}));
// The opt-outs: public access allowed, plain HTTP allowed.
new s3.Bucket(stack, 'Open', {
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: new s3.BlockPublicAccess({ blockPublicAcls: false, blockPublicPolicy: false, ignorePublicAcls: false, restrictPublicBuckets: false }),
});
const byName = s3.Bucket.fromBucketName(stack, 'ByName', 'other-bucket');
byName.grantRead(role);
const byArn = s3.Bucket.fromBucketArn(stack, 'ByArn', 'arn:aws:s3:::third-bucket');
byArn.grantReadWrite(writer);
new cdk.CfnOutput(stack, 'ByNameArn', { value: byName.bucketArn });
new cdk.CfnOutput(stack, 'ByArnName', { value: byArn.bucketName });
new cdk.CfnOutput(stack, 'SecureName', { value: secureBucket.bucketName });

app.synth();

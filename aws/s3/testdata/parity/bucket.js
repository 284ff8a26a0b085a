// The AWS CDK side of TestParityWithAwsCdk (parity_test.go): buckets with
// the defaults and with every option, bucket policies, and every grant,
// including the KMS key grants of encrypted buckets. Synthesized by
// aws-cdk-lib with the feature flags every new AWS CDK project sets.
//
// Regenerate bucket.template.json (DIR: the node_modules scripts/install-cdk-lib.sh
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
const plain = new s3.Bucket(stack, 'Plain');
plain.grantRead(role);
const key = new kms.Key(stack, 'Key');
const secure = new s3.Bucket(stack, 'Secure', {
  encryption: s3.BucketEncryption.KMS,
  encryptionKey: key,
  bucketKeyEnabled: true,
  versioned: true,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
});
secure.grantReadWrite(role);
const own = new s3.Bucket(stack, 'OwnKey', { encryption: s3.BucketEncryption.KMS });
own.grantRead(role);
own.grantWrite(writer, 'uploads/*');
const named = new s3.Bucket(stack, 'Named', {
  bucketName: 'eksforge-named-bucket',
  encryption: s3.BucketEncryption.S3_MANAGED,
  removalPolicy: cdk.RemovalPolicy.DESTROY,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS,
});
named.grantPut(writer);
named.grantDelete(writer);
named.grantPutAcl(writer);
const managed = new s3.Bucket(stack, 'KmsManaged', { encryption: s3.BucketEncryption.KMS_MANAGED });
managed.addToResourcePolicy(new iam.PolicyStatement({
  actions: ['s3:GetObject'],
  resources: [managed.arnForObjects('public/*')],
  principals: [new iam.AccountRootPrincipal()],
}));
const byName = s3.Bucket.fromBucketName(stack, 'ByName', 'other-bucket');
byName.grantRead(role);
const byArn = s3.Bucket.fromBucketArn(stack, 'ByArn', 'arn:aws:s3:::third-bucket');
byArn.grantReadWrite(writer);
new cdk.CfnOutput(stack, 'ByNameArn', { value: byName.bucketArn });
new cdk.CfnOutput(stack, 'ByArnName', { value: byArn.bucketName });
new cdk.CfnOutput(stack, 'SecureName', { value: secure.bucketName });

app.synth();

// The AWS CDK side of TestParityWithAwsCdk (parity_test.go): functions with
// inline, asset and S3 code, a layer, VPC placement, grants and permissions,
// an imported function; synthesized by aws-cdk-lib with the feature flags
// every new AWS CDK project sets (CURRENTLY_RECOMMENDED_FLAGS), except
// @aws-cdk/aws-lambda:useCdkManagedLogGroup, which would give every function
// a log group named /aws/lambda/<name>: eksforge makes a log group only for
// LogRetention, named by CloudFormation (see the package doc).
//
// Regenerate lambda.template.json (DIR: the node_modules
// `scripts/install-npm.sh bench/cdk` installs, or any with aws-cdk-lib 2.276.0):
//
//	NODE_PATH=DIR CDK_OUTDIR=/tmp/lambda node lambda.js
//	cp /tmp/lambda/Stack.template.json lambda.template.json
const path = require('path');
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const iam = require('aws-cdk-lib/aws-iam');
const lambda = require('aws-cdk-lib/aws-lambda');
const s3 = require('aws-cdk-lib/aws-s3');
const cxapi = require('aws-cdk-lib/cx-api');

const app = new cdk.App({ context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS, '@aws-cdk/aws-lambda:useCdkManagedLogGroup': false } });
const stack = new cdk.Stack(app, 'Stack');
const code = path.join(__dirname, '..', 'code');

new lambda.Function(stack, 'Inline', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => {}'),
});

const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
  vpcId: 'vpc-12345678', availabilityZones: ['us-east-1a', 'us-east-1b'], privateSubnetIds: ['subnet-11111111', 'subnet-22222222'],
});
const layer = new lambda.LayerVersion(stack, 'Layer', {
  code: lambda.Code.fromAsset(code),
  compatibleRuntimes: [lambda.Runtime.PROVIDED_AL2023],
  compatibleArchitectures: [lambda.Architecture.ARM_64],
  description: 'shared',
  license: 'MIT',
});
const fn = new lambda.Function(stack, 'InVpc', {
  runtime: lambda.Runtime.PROVIDED_AL2023,
  handler: 'bootstrap',
  architecture: lambda.Architecture.ARM_64,
  code: lambda.Code.fromAsset(code),
  vpc,
  environment: { MODE: 'fast' },
  memorySize: 512,
  timeout: cdk.Duration.minutes(2),
  reservedConcurrentExecutions: 3,
  description: 'in a VPC',
  layers: [layer],
});
const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
fn.grantInvoke(role);
fn.grantInvoke(new iam.ServicePrincipal('events.amazonaws.com'));
fn.grantInvoke(new iam.ServicePrincipal('s3.amazonaws.com', {
  conditions: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::bucket' }, StringEquals: { 'aws:SourceAccount': '123456789012' } },
}));
fn.addPermission('FromAccount', { principal: new iam.ArnPrincipal('arn:aws:iam::210987654321:root'), action: 'lambda:GetFunction' });
fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }));

new lambda.Function(stack, 'FromBucket', {
  runtime: lambda.Runtime.PYTHON_3_13,
  handler: 'index.handler',
  code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Bucket', 'my-bucket'), 'code.zip', 'v1'),
});
fn.addPermission('FromOtherAccount', { principal: new iam.AccountPrincipal('210987654321') });

app.synth();

// examples/minimal with aws-cdk-lib core only: a VPC in one stack, a bucket and
// a topic in another, with a cross-stack output (L1 CfnResource, as in Go).
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const network = new cdk.Stack(app, 'MinimalNetwork', {
  description: 'eksforge minimal example: a VPC',
  tags: { project: 'eksforge-minimal' },
});
const vpc = new cdk.CfnResource(network, 'Vpc', {
  type: 'AWS::EC2::VPC',
  properties: { CidrBlock: '10.0.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true },
});
const app2 = new cdk.Stack(app, 'MinimalApp', {
  description: 'eksforge minimal example: a bucket and a topic',
  tags: { project: 'eksforge-minimal' },
});
const bucket = new cdk.CfnResource(app2, 'Bucket', {
  type: 'AWS::S3::Bucket',
  properties: {
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
  },
});
bucket.applyRemovalPolicy(cdk.RemovalPolicy.RETAIN);
const topic = new cdk.CfnResource(app2, 'Topic', {
  type: 'AWS::SNS::Topic',
  properties: { DisplayName: 'events-of-' + bucket.ref },
});
new cdk.CfnOutput(app2, 'TopicArn', { value: topic.ref, description: "The topic's ARN" });
new cdk.CfnOutput(app2, 'VpcId', { value: vpc.ref, description: 'The VPC of the network stack' });
new cdk.CfnOutput(app2, 'BucketArn', { value: bucket.getAtt('Arn').toString(), exportName: 'minimal-bucket-arn' });
app.synth();

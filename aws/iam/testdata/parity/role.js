// The AWS CDK side of TestParityWithAwsCdk (parity_test.go): a Role with a
// service principal, an AWS managed policy and statements added with
// addToPolicy, synthesized by aws-cdk-lib with the feature flags every new
// AWS CDK project sets (CURRENTLY_RECOMMENDED_FLAGS).
//
// Regenerate role.template.json (DIR: the node_modules `scripts/install-npm.sh bench/cdk`
// installs, or any with aws-cdk-lib 2.276.0):
//
//	NODE_PATH=DIR CDK_OUTDIR=/tmp/role node role.js
//	cp /tmp/role/Stack.template.json role.template.json
const cdk = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const cxapi = require('aws-cdk-lib/cx-api');

const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'Stack');

const role = new iam.Role(stack, 'NodeRole', {
  assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
  managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSWorkerNodePolicy')],
});
role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::assets/*'] }));
role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::assets/*'] }));
role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: ['arn:aws:s3:::logs', 'arn:aws:s3:::assets'] }));
role.addToPolicy(new iam.PolicyStatement({
  actions: ['ec2:DescribeInstances'],
  resources: ['*'],
  conditions: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
}));

app.synth();

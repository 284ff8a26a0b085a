// An AWS CDK app (aws-cdk-lib, Node.js) for the eksforge CLI's
// compatibility test: a network stack with a VPC, and an app stack that
// depends on it with an IAM role, a file asset, a directory asset (zipped at
// publish time: "zip" packaging) and outputs.
const path = require('path');
const cdk = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const assets = require('aws-cdk-lib/aws-s3-assets');

const app = new cdk.App();
// STACK_SUFFIX keeps CloudFormation stack names unique on a shared server.
const suffix = process.env.STACK_SUFFIX || '';
const net = new cdk.Stack(app, 'CdkNet', { stackName: 'CdkNet' + suffix });
new cdk.CfnResource(net, 'Vpc', { type: 'AWS::EC2::VPC', properties: { CidrBlock: '10.3.0.0/16' } });

const stack = new cdk.Stack(app, 'CdkApp', { stackName: 'CdkApp' + suffix });
stack.addDependency(net);
const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
const file = new assets.Asset(stack, 'File', { path: path.join(__dirname, 'app.js') });
const dir = new assets.Asset(stack, 'Site', { path: path.join(__dirname, 'site') });
new cdk.CfnOutput(stack, 'RoleArn', { value: role.roleArn });
new cdk.CfnOutput(stack, 'FileUrl', { value: file.s3ObjectUrl });
new cdk.CfnOutput(stack, 'SiteUrl', { value: dir.s3ObjectUrl });
app.synth();

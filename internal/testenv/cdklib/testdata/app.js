// A minimal AWS CDK app for the cdklib tests.
const cdk = require('aws-cdk-lib');
const sns = require('aws-cdk-lib/aws-sns');

const app = new cdk.App();
const stack = new cdk.Stack(app, 'Stack');
new sns.Topic(stack, 'Topic', { displayName: process.env.TOPIC_NAME || 'default' });
app.synth();

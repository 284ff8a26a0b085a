// The AWS CDK side of TestParityWithAwsCdk (parity_test.go): a Provider with
// isComplete and custom resources, synthesized by aws-cdk-lib with
// CURRENTLY_RECOMMENDED_FLAGS except @aws-cdk/aws-lambda:useCdkManagedLogGroup
// (see aws/lambda's parity test).
//
// Regenerate customresources.template.json (DIR: the node_modules
// `scripts/install-npm.sh bench/cdk` installs, or any with aws-cdk-lib 2.276.0):
//
//	NODE_PATH=DIR CDK_OUTDIR=/tmp/cr node customresources.js
//	cp /tmp/cr/Stack.template.json customresources.template.json
const cdk = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const cr = require('aws-cdk-lib/custom-resources');
const cxapi = require('aws-cdk-lib/cx-api');

const app = new cdk.App({ context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS, '@aws-cdk/aws-lambda:useCdkManagedLogGroup': false } });
const stack = new cdk.Stack(app, 'Stack');
const handler = (id) => new lambda.Function(stack, id, {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({})'),
});
const provider = new cr.Provider(stack, 'Provider', {
  onEventHandler: handler('OnEvent'),
  isCompleteHandler: handler('IsComplete'),
});
const thing = new cdk.CustomResource(stack, 'Thing', {
  serviceToken: provider.serviceToken,
  resourceType: 'Custom::Thing',
  properties: { Name: 'thing', Size: 3 },
});
new cdk.CustomResource(stack, 'Generic', {
  serviceToken: provider.serviceToken,
  properties: { bucketName: thing.getAttString('Bucket'), id: thing.ref },
  pascalCaseProperties: true,
  removalPolicy: cdk.RemovalPolicy.RETAIN,
  serviceTimeout: cdk.Duration.minutes(5),
});
app.synth();

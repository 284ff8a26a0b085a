// The AWS CDK side of aws/ssm's parity test (parity_test.go builds the same
// stack with eksforge). Run by internal/testenv/cdklib.
const cdk = require('aws-cdk-lib');
const ssm = require('aws-cdk-lib/aws-ssm');

const app = new cdk.App();
const s = new cdk.Stack(app, 'Stack');
const out = (id, value) => new cdk.CfnOutput(s, id, { value });
out('Plain', ssm.StringParameter.valueForStringParameter(s, '/my/param'));
out('Again', ssm.StringParameter.valueForStringParameter(s, '/my/param'));
out('Ami', ssm.StringParameter.valueForTypedStringParameterV2(s, '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id', ssm.ParameterValueType.AWS_EC2_IMAGE_ID));
const p = new ssm.StringParameter(s, 'Named', { stringValue: 'hello', parameterName: '/app/greeting', description: 'a greeting', tier: ssm.ParameterTier.STANDARD });
new ssm.StringParameter(s, 'Generated', { stringValue: 'v', allowedPattern: '^v$' });
out('NamedArn', p.parameterArn);
out('NamedValue', p.stringValue);
const imported = ssm.StringParameter.fromStringParameterName(s, 'Imported', '/shared/value');
out('ImportedValue', imported.stringValue);
out('ImportedArn', imported.parameterArn);
app.synth();

// The AWS CDK side of TestParityWithAwsCdk (parity_test.go): keys with the
// defaults and with every option, aliases, and grants to roles of the same
// account and to a role of another account. Synthesized by aws-cdk-lib with
// the feature flags every new AWS CDK project sets.
//
// Regenerate key.template.json (DIR: the node_modules `scripts/install-npm.sh bench/cdk`
// installs, or any with aws-cdk-lib 2.276.0):
//
//	NODE_PATH=DIR CDK_OUTDIR=/tmp/key node key.js
//	cp /tmp/key/Stack.template.json key.template.json
const cdk = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const kms = require('aws-cdk-lib/aws-kms');
const cxapi = require('aws-cdk-lib/cx-api');

const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'Stack');

const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
const plain = new kms.Key(stack, 'Plain');
plain.grantDecrypt(role);
const key = new kms.Key(stack, 'SecretsKey', {
  alias: 'eks/secrets',
  description: 'EKS secrets encryption',
  enableKeyRotation: true,
  pendingWindow: cdk.Duration.days(7),
  removalPolicy: cdk.RemovalPolicy.DESTROY,
});
key.addAlias('alias/eks/other');
key.grantEncryptDecrypt(role);
const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
key.grantAdmin(admin);
const other = iam.Role.fromRoleArn(stack, 'OtherAccountRole', 'arn:aws:iam::999999999999:role/consumer');
key.grantDecrypt(other);
const imported = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
imported.grantEncrypt(role);
new cdk.CfnOutput(stack, 'KeyId', { value: key.keyId });
new cdk.CfnOutput(stack, 'KeyArn', { value: key.keyArn });

app.synth();

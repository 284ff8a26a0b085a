// examples/secrets-encryption with aws-cdk-lib aws-eks-v2: envelope encryption
// of Kubernetes secrets with a KMS key.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const kms = require('aws-cdk-lib/aws-kms');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'SecretsEncryption');
const secretsKey = new kms.Key(stack, 'SecretsKey');
const cluster = new eks.Cluster(stack, 'MyCluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  secretsEncryptionKey: secretsKey,
});
new cdk.CfnOutput(stack, 'ClusterEncryptionConfigKeyArn', { value: cluster.clusterEncryptionConfigKeyArn });
app.synth();

// examples/spot-capacity with aws-cdk-lib aws-eks (v1): only aws-eks installs
// the AWS Node Termination Handler for self-managed spot capacity
// (aws-eks-v2 has no spotInterruptHandler). aws-eks needs a kubectl layer.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks');
const ec2 = require('aws-cdk-lib/aws-ec2');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'SpotCapacity');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacity: 0,
  kubectlLayer: new KubectlV33Layer(stack, 'KubectlLayer'),
});
cluster.addAutoScalingGroupCapacity('spot', {
  spotPrice: '0.1094',
  instanceType: new ec2.InstanceType('t3.large'),
  maxCapacity: 10,
});
app.synth();

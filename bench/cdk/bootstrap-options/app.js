// examples/bootstrap-options with aws-cdk-lib aws-eks (v1, the one that installs
// the spot termination handler, as eksforge does): spot self-managed
// capacity with bootstrap options, and a group with its own user data.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks');
const { KubectlV33Layer } = require('@aws-cdk/lambda-layer-kubectl-v33');
const ec2 = require('aws-cdk-lib/aws-ec2');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'BootstrapOptions');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacity: 0,
  kubectlLayer: new KubectlV33Layer(stack, 'KubectlLayer'),
});
cluster.addAutoScalingGroupCapacity('spot', {
  instanceType: new ec2.InstanceType('t3.large'),
  minCapacity: 2,
  maxCapacity: 10,
  spotPrice: '0.0832',
  bootstrapOptions: {
    kubeletExtraArgs: '--node-labels foo=bar,goo=far',
    useMaxPods: false,
    dnsClusterIp: '172.20.0.10',
  },
});
const custom = ec2.UserData.forLinux();
custom.addCommands('echo my own bootstrap');
cluster.addAutoScalingGroupCapacity('custom', {
  instanceType: new ec2.InstanceType('t3.large'),
  userData: custom,
  bootstrapEnabled: false,
});
app.synth();

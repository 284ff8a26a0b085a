// examples/add-capacity with aws-cdk-lib aws-eks-v2: self-managed capacity
// added with addAutoScalingGroupCapacity, and an Auto Scaling group of
// Graviton nodes connected with connectAutoScalingGroupCapacity.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const ec2 = require('aws-cdk-lib/aws-ec2');
const autoscaling = require('aws-cdk-lib/aws-autoscaling');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'AddCapacity');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  defaultCapacity: 0,
});
cluster.addAutoScalingGroupCapacity('frontend-nodes', {
  instanceType: new ec2.InstanceType('t3.medium'),
  minCapacity: 3,
  vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
});
// aws-cdk-lib's MultipartUserData needs a default part before the cluster
// can add its bootstrap commands; eksforge's starts empty.
const userData = new ec2.MultipartUserData();
userData.addUserDataPart(ec2.UserData.forLinux(), ec2.MultipartBody.SHELL_SCRIPT, true);
const asg = new autoscaling.AutoScalingGroup(stack, 'BackendNodes', {
  vpc: cluster.vpc,
  instanceType: new ec2.InstanceType('m6g.large'),
  machineImage: new eks.EksOptimizedImage({
    kubernetesVersion: '1.34',
    cpuArch: eks.CpuArch.ARM_64,
  }),
  userData,
  minCapacity: 2,
});
cluster.connectAutoScalingGroupCapacity(asg, {});
app.synth();

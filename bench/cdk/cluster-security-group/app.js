// examples/cluster-security-group with aws-cdk-lib aws-eks-v2: the cluster
// security group EKS creates, as an output.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');

// The flags 'cdk init' writes into every new project's cdk.json.
const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'ClusterSecurityGroup');
const cluster = new eks.Cluster(stack, 'Cluster', {
  version: eks.KubernetesVersion.V1_34,
  defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
});
new cdk.CfnOutput(stack, 'ClusterSecurityGroupId', { value: cluster.clusterSecurityGroupId });
app.synth();

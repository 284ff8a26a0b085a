// bench/scale/clusters-3x20 with aws-cdk-lib aws-eks-v2: three clusters with
// 20 managed node groups each.
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const eks = require('aws-cdk-lib/aws-eks-v2');
const ec2 = require('aws-cdk-lib/aws-ec2');

const app = new cdk.App({ context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const stack = new cdk.Stack(app, 'Clusters3x20');
for (let c = 0; c < 3; c++) {
  const cluster = new eks.Cluster(stack, `Cluster${c}`, {
    version: eks.KubernetesVersion.V1_34,
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    defaultCapacity: 0,
  });
  for (let n = 0; n < 20; n++) {
    cluster.addNodegroupCapacity(`ng${n}`, {
      instanceTypes: [new ec2.InstanceType('m5.large')],
      minSize: 1,
      maxSize: 3,
      labels: { group: String(n) },
    });
  }
}
app.synth();

// The aws-cdk-lib (aws-eks-v2) counterpart of buildManyClusters in
// eks/bench_test.go, for the synthesis comparison in docs/benchmarks.md:
//   CDK_OUTDIR=/tmp/out NODE_PATH=<node_modules> /usr/bin/time -v node many.js
const cdk = require('aws-cdk-lib');
const eks = require('aws-cdk-lib/aws-eks-v2');
const ec2 = require('aws-cdk-lib/aws-ec2');
const app = new cdk.App();
const stack = new cdk.Stack(app, 'ManyClusters');
for (let c = 0; c < 3; c++) {
  const cluster = new eks.Cluster(stack, `Cluster${c}`, {
    version: eks.KubernetesVersion.V1_34,
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    defaultCapacity: 0,
  });
  for (let n = 0; n < 20; n++) {
    cluster.addNodegroupCapacity(`ng${n}`, {
      instanceTypes: [new ec2.InstanceType('m5.large')],
      minSize: 1, maxSize: 3, labels: { group: `${n}` },
    });
  }
}
app.synth();

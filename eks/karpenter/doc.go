// Package karpenter installs Karpenter (https://karpenter.sh) on an EKS
// cluster in one construct, and describes its NodePools and
// EC2NodeClasses as typed Go values.
//
// [New] makes everything Karpenter's getting-started guide sets up by
// hand, bound to the cluster:
//
//   - the controller's IAM role with the release's six managed policies,
//     scoped by the cluster's tags, the node role, the interruption queue
//     and the cluster's ARN (never an unscoped write);
//   - the role granted to the controller's service account by EKS Pod
//     Identity (the eks-pod-identity-agent add-on installed once per
//     cluster), or by IRSA ([Props].IRSA, and always on Fargate);
//   - the node role with AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy,
//     AmazonEC2ContainerRegistryPullOnly and AmazonSSMManagedInstanceCore,
//     admitted by an EC2_LINUX access entry (or aws-auth in CONFIG_MAP
//     mode);
//   - the SQS interruption queue (SSE, TLS only, sent to by EventBridge and
//     SQS only) and the EventBridge rules for spot interruptions, rebalance
//     recommendations, instance state changes, AWS Health scheduled events
//     and capacity reservation interruptions;
//   - the karpenter-crd and karpenter charts from
//     oci://public.ecr.aws/karpenter at the pinned [Props].Version, with the
//     cluster's name and endpoint, the queue and the service account in the
//     values;
//   - the karpenter.sh/discovery tag on the cluster's private subnets;
//   - optionally a Fargate profile for the controller ([Props].Fargate).
//
// [Karpenter.AddEC2NodeClass] and [Karpenter.AddNodePool] apply typed
// objects after the CRDs and the controller, with the getting-started
// defaults (the AL2023 alias, amd64 Linux c/m/r instances, on-demand and
// spot, consolidation when empty or underutilized, a 1000-CPU limit).
// Mistakes — negative limits, unknown capacity types, selector terms that
// select nothing, invalid taints — are synthesis errors naming the
// construct and the field.
//
// It is not for EKS Auto Mode clusters, which run their own Karpenter
// (New refuses them), and it does not install other add-ons.
package karpenter

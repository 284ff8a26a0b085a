// Package eks defines Amazon EKS clusters and their capacity as constructs:
// the Go counterpart of the AWS CDK's aws-eks module, on native
// CloudFormation resources (AWS::EKS::Cluster, Nodegroup, FargateProfile,
// AccessEntry, Addon) with no custom resource for the cluster itself.
//
// # Clusters
//
// [NewCluster] defines a cluster. Only the Kubernetes version is required;
// by default the cluster gets a new VPC, a service role, a control plane
// security group, public and private endpoint access and a managed node
// group of 2 m5.large nodes:
//
//	cluster := eks.NewCluster(stack, "hello-eks", eks.ClusterProps{Version: eks.V1_34})
//
// Endpoint access ([EndpointAccess]), the default capacity
// (DefaultCapacity, DefaultCapacityInstance, DefaultCapacityType — a managed
// node group, a self-managed Auto Scaling group, or EKS Auto Mode), secrets
// encryption with a KMS key, control plane logging, the IP family and tags
// are props of [ClusterProps]. Several clusters may share a stack.
//
// [ClusterFromClusterAttributes] imports an existing cluster; everything
// that works on a cluster takes an [ICluster].
//
// # Access
//
// Clusters authenticate with access entries and the aws-auth ConfigMap
// (API_AND_CONFIG_MAP) unless [ClusterProps].AuthenticationMode says
// otherwise. [Cluster.GrantAccess] and [NewAccessEntry] give IAM principals
// access policies ([AccessPolicyFromAccessPolicyName]) for the cluster or
// namespaces. A MastersRole gets cluster-admin and makes the stack output
// the `aws eks update-kubeconfig` command; unlike aws-eks v1, no masters role
// is created when none is given.
//
// # Capacity
//
// Managed node groups: [NewNodegroup] and [Cluster.AddNodegroupCapacity],
// with the AWS CDK's defaults and an AMI type chosen from the instance
// types. Self-managed capacity: [Cluster.AddAutoScalingGroupCapacity] and
// [Cluster.ConnectAutoScalingGroupCapacity], with EKS-optimized Amazon Linux
// 2023 (nodeadm) or Bottlerocket AMIs and bootstrap user data (see
// docs/eks-bootstrap.md for how each bootstrap option maps to nodeadm).
// Fargate: [Cluster.AddFargateProfile], [NewFargateProfile] and
// [NewFargateCluster].
//
// # What this package does not do (yet)
//
// Kubernetes manifests, Helm charts, the aws-auth ConfigMap and service
// accounts come with the kubectl provider. The cluster already records what
// they will need: the aws-auth role mappings of self-managed capacity
// ([AwsAuthRoleMappings]) and the AWS Node Termination Handler chart of spot
// capacity ([PendingHelmCharts]).
package eks

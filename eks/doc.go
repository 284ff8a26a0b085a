// Package eks defines Amazon EKS clusters and their capacity as constructs:
// the Go counterpart of the AWS CDK's aws-eks module, on native
// CloudFormation resources (AWS::EKS::Cluster, Nodegroup, FargateProfile,
// AccessEntry, Addon) with no custom resource for the cluster itself.
//
// It is for defining clusters, their capacity and who may use them. It is
// not a Kubernetes client: nothing here talks to a cluster at synthesis.
//
// # Clusters
//
// [NewCluster] defines a cluster. Only the Kubernetes version is required;
// by default the cluster gets a new VPC, a service role, a control plane
// security group, public and private endpoint access and a managed node
// group of 2 m5.large nodes (the seed's first example):
//
//	cluster := eks.NewCluster(stack, "hello-eks", eks.ClusterProps{Version: eks.V1_34})
//
// Several clusters may share a stack. [ClusterFromClusterAttributes] imports
// an existing cluster; everything that works on a cluster takes an
// [ICluster].
//
// # Endpoint access
//
// [EndpointAccess]'s zero value is public and private access:
//
//	eks.NewCluster(stack, "hello-eks", eks.ClusterProps{
//		Version:        eks.V1_34,
//		EndpointAccess: eks.EndpointAccessPrivate,
//	})
//	// or public from some ranges only:
//	//	EndpointAccess: eks.EndpointAccessPublicAndPrivate.OnlyFrom("203.0.113.0/24")
//
// # Default capacity
//
//	eks.NewCluster(stack, "cluster", eks.ClusterProps{
//		Version:                 eks.V1_34,
//		DefaultCapacity:         cdk.Ptr(10),                          // cdk.Ptr(0) for none
//		DefaultCapacityInstance: ec2.InstanceTypeOf("m5.xlarge"),
//		DefaultCapacityType:     eks.DefaultCapacityTypeEC2,           // self-managed; or AutoMode
//	})
//
// [Cluster.DefaultNodegroup] is the default managed node group and
// [Cluster.DefaultCapacity] the default Auto Scaling group; each is nil when
// the cluster has none of that kind.
//
// # Managed node groups
//
// [NewNodegroup] and [Cluster.AddNodegroupCapacity], with the AWS CDK's
// defaults (desired 2 or MinSize, min 1, max = desired) and the AMI type
// chosen from the instance types (Amazon Linux 2023 for x86_64, arm64, NVIDIA
// and Neuron instances):
//
//	eks.NewNodegroup(stack, "nodegroup", eks.NodegroupProps{Cluster: cluster})
//	cluster.AddNodegroupCapacity("custom-node-group", eks.NodegroupOptions{
//		InstanceTypes: []ec2.InstanceType{ec2.InstanceTypeOf("m5.large")},
//		MinSize:       cdk.Ptr(4),
//		DiskSize:      100,
//		Taints:        []eks.TaintSpec{{Key: "dedicated", Value: "web", Effect: eks.TaintEffectNoSchedule}},
//	})
//
// # Self-managed capacity
//
// [Cluster.AddAutoScalingGroupCapacity] (the seed's addCapacity) and
// [Cluster.ConnectAutoScalingGroupCapacity] (addAutoScalingGroup) join Auto
// Scaling groups with the EKS-optimized Amazon Linux 2023 AMI (nodeadm) or
// Bottlerocket. Spot instances are labelled lifecycle=Ec2Spot and tainted
// spotInstance=true:PreferNoSchedule, and the cluster asks once for the AWS
// Node Termination Handler chart. [BootstrapOptions] map to nodeadm's
// NodeConfig where it has an equivalent and are errors where it has none
// (docs/eks-bootstrap.md):
//
//	asg := cluster.AddAutoScalingGroupCapacity("spot", eks.AutoScalingGroupCapacityOptions{
//		AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{
//			InstanceType: ec2.InstanceTypeOf("t3.large"),
//			MaxCapacity:  cdk.Ptr(10),
//			SpotPrice:    "0.1094",
//			KeyName:      "my-key-name",
//		},
//		ConnectOptions: eks.ConnectOptions{
//			BootstrapOptions: eks.BootstrapOptions{KubeletExtraArgs: "--node-labels foo=bar,goo=far"},
//			// MachineImageType: eks.MachineImageTypeBottlerocket, DisableBootstrap: true, ...
//		},
//	})
//	asg.Connections().AllowFrom(ec2.PeerIpv4("203.0.113.0/24"), ec2.PortTcp(22), "SSH")
//
// # Fargate
//
// [Cluster.AddFargateProfile] and [NewFargateProfile] select pods by
// namespace and labels (at most five selectors); profiles of a cluster are
// created one after another. [NewFargateCluster] has no EC2 capacity, a
// default profile for kube-system and default, and CoreDNS on Fargate:
//
//	cluster.AddFargateProfile("MyProfile", eks.FargateProfileOptions{
//		Selectors: []eks.Selector{{Namespace: "default"}},
//	})
//	eks.NewFargateCluster(stack, "MyCluster", eks.FargateClusterProps{
//		ClusterProps: eks.ClusterProps{Version: eks.V1_34},
//	})
//
// # Access
//
// Clusters authenticate with access entries and the aws-auth ConfigMap
// (API_AND_CONFIG_MAP) unless [ClusterProps].AuthenticationMode says
// otherwise. [Cluster.GrantAccess] and [NewAccessEntry] give IAM principals
// access policies ([AccessPolicyFromAccessPolicyName]) for the cluster or
// some namespaces. A MastersRole gets cluster-admin and makes the stack
// output the `aws eks update-kubeconfig` and `aws eks get-token` commands;
// unlike aws-eks v1, no masters role is created when none is given:
//
//	cluster.GrantAccess("Viewer", viewer.RoleArn(),
//		eks.AccessPolicyFromAccessPolicyName("AmazonEKSViewPolicy", eks.AccessScope{
//			Type: eks.AccessScopeTypeNamespace, Namespaces: []string{"frontend"},
//		}))
//
// # The current EKS API
//
// Beyond the seed: managed add-ons with Pod Identity ([Cluster.AddAddon],
// [Cluster.AddPodIdentityAssociation]), OpenID Connect identity providers
// for users ([Cluster.AddOidcIdentityProvider]), the upgrade policy, zonal
// shift, provisioned control plane, forced version updates and local
// clusters on Outposts ([ClusterProps].SupportType, EnableZonalShift,
// ControlPlaneScalingTier, ForceVersionUpdate, Outpost), EKS Hybrid Nodes
// ([ClusterProps].RemoteNodeNetworks, [Cluster.AddHybridNodesRole]), EKS
// Capabilities ([Cluster.AddCapability]: Argo CD, ACK, kro) and the node
// group update strategy, node repair and launch template version tracking
// ([NodegroupOptions].UpdateStrategy, NodeRepair, [LaunchTemplateSpecOf]).
//
// # Security groups and encryption
//
// [Cluster.ClusterSecurityGroupId] is the security group EKS creates for the
// control plane and managed nodes. Self-managed nodes stay out of it: they
// are members of their own group, with only the rules nodes and control
// plane need between the two, and all traffic with it only while pods also
// run in it (managed node groups, Fargate, Auto Mode, Karpenter;
// [AllowPodTrafficWithClusterSecurityGroup] for nodes made otherwise).
// [ClusterProps].SecretsEncryptionKey
// encrypts Kubernetes secrets with a KMS key of the cluster's region, whose
// ARN [Cluster.ClusterEncryptionConfigKeyArn] reports.
//
// # Errors
//
// Configuration problems (sizes outside [min, max], invalid label or taint
// keys, more than five Fargate selectors, spot instance types of different
// architectures, bootstrap options on Bottlerocket, a key in another region,
// a private endpoint without private subnets, ...) are collected and
// returned by app.Synth() with their construct paths. The rule is "if it
// synthesizes, it deploys": names, enumerations, ranges, CIDRs, ARNs, tags,
// Kubernetes object metadata, duplicate objects, releases, access entries
// and aws-auth mappings, JSON patches and JSONPaths are checked as AWS, EKS,
// Kubernetes and Helm would check them (docs/guide lists the rules). A
// typed-nil reference in props (a *iam.Role variable never assigned) is such
// a problem too, never a nil-pointer crash, and a value that contains
// itself is reported, never a stack overflow.
//
// Only programming errors panic, with the construct path in the message: a
// duplicate construct id, and a missing (nil or typed-nil) Cluster in the
// props of a node group, Fargate profile, access entry, manifest, chart,
// patch, object value or service account.
//
// Kubernetes manifests, Helm charts, patches, object values, the aws-auth
// ConfigMap and service accounts are described below, under "Kubernetes
// resources".
package eks

package karpenter

// EC2NodeClass API (karpenter.k8s.aws/v1), mirrored as Go structs with
// Karpenter's field and JSON names
// (github.com/aws/karpenter-provider-aws/pkg/apis/v1).

// EC2NodeClassSpec is an EC2NodeClass's spec. Zero fields take the values
// of Karpenter's getting-started EC2NodeClass, bound to this app's cluster
// and node role.
type EC2NodeClassSpec struct {
	// SubnetSelectorTerms choose the subnets of the nodes; a subnet
	// matching any term is used.
	// Default: the subnets the Karpenter construct tagged
	// karpenter.sh/discovery (Karpenter.DiscoveryTagValue), or the subnets
	// by ID when they are imported.
	SubnetSelectorTerms []SubnetSelectorTerm `json:"subnetSelectorTerms"`
	// SecurityGroupSelectorTerms choose the nodes' security groups.
	// Default: the cluster security group, by ID.
	SecurityGroupSelectorTerms []SecurityGroupSelectorTerm `json:"securityGroupSelectorTerms"`
	// CapacityReservationSelectorTerms choose EC2 capacity reservations
	// for "reserved" capacity.
	// Default: none.
	CapacityReservationSelectorTerms []CapacityReservationSelectorTerm `json:"capacityReservationSelectorTerms,omitempty"`
	// AssociatePublicIPAddress overrides the subnet's public address
	// setting.
	// Default: the subnet's.
	AssociatePublicIPAddress *bool `json:"associatePublicIPAddress,omitempty"`
	// AMISelectorTerms choose the AMIs.
	// Default: the alias "al2023@latest" (pin an alias version such as
	// "al2023@v20250117" in production, as Karpenter advises).
	AMISelectorTerms []AMISelectorTerm `json:"amiSelectorTerms"`
	// AMIFamily is required when no term is an alias.
	// Default: the alias's family.
	AMIFamily string `json:"amiFamily,omitempty"`
	// UserData is merged with Karpenter's own user data.
	// Default: none.
	UserData string `json:"userData,omitempty"`
	// Role is the name of the nodes' IAM role, for which Karpenter makes
	// an instance profile. Set Role or InstanceProfile, not both.
	// Default: the Karpenter construct's node role (when InstanceProfile
	// is empty).
	Role string `json:"role,omitempty"`
	// InstanceProfile is an existing instance profile's name.
	// Default: none.
	InstanceProfile string `json:"instanceProfile,omitempty"`
	// Tags are put on the instances, volumes and launch templates.
	// Default: none.
	Tags map[string]string `json:"tags,omitempty"`
	// Kubelet configures the nodes' kubelet.
	// Default: Karpenter's.
	Kubelet *KubeletConfiguration `json:"kubelet,omitempty"`
	// BlockDeviceMappings are the nodes' volumes.
	// Default: the AMI family's (a 20 GiB gp3 root volume for AL2023).
	BlockDeviceMappings []BlockDeviceMapping `json:"blockDeviceMappings,omitempty"`
	// InstanceStorePolicy is "RAID0" to use local NVMe disks for ephemeral
	// storage.
	// Default: none.
	InstanceStorePolicy string `json:"instanceStorePolicy,omitempty"`
	// DetailedMonitoring enables EC2 detailed monitoring.
	// Default: false.
	DetailedMonitoring *bool `json:"detailedMonitoring,omitempty"`
	// MetadataOptions configure the instance metadata service.
	// Default: Karpenter's (IMDSv2 required, hop limit 1).
	MetadataOptions *MetadataOptions `json:"metadataOptions,omitempty"`
	// Context is the EC2 launch context (reserved capacity pools).
	// Default: none.
	Context string `json:"context,omitempty"`
}

// SubnetSelectorTerm selects subnets by tags or by ID (not both).
type SubnetSelectorTerm struct {
	// Tags the subnets must have ("*" matches any value).
	// Default: none.
	Tags map[string]string `json:"tags,omitempty"`
	// ID of a subnet.
	// Default: none.
	ID string `json:"id,omitempty"`
}

// SecurityGroupSelectorTerm selects security groups by tags, ID or name
// (one of them).
type SecurityGroupSelectorTerm struct {
	// Tags the groups must have.
	// Default: none.
	Tags map[string]string `json:"tags,omitempty"`
	// ID of a group.
	// Default: none.
	ID string `json:"id,omitempty"`
	// Name of a group.
	// Default: none.
	Name string `json:"name,omitempty"`
}

// CapacityReservationSelectorTerm selects capacity reservations.
type CapacityReservationSelectorTerm struct {
	// Tags the reservations must have.
	// Default: none.
	Tags map[string]string `json:"tags,omitempty"`
	// ID of a reservation.
	// Default: none.
	ID string `json:"id,omitempty"`
	// OwnerID is the account owning the reservations.
	// Default: any.
	OwnerID string `json:"ownerID,omitempty"`
	// InstanceMatchCriteria is "open" or "targeted".
	// Default: any.
	InstanceMatchCriteria string `json:"instanceMatchCriteria,omitempty"`
}

// AMISelectorTerm selects AMIs: by alias alone ("al2023@latest"), or by
// tags, ID, name, owner or SSM parameter.
type AMISelectorTerm struct {
	// Alias is family@version: al2, al2023, bottlerocket, windows2019,
	// windows2022 or windows2025, and "latest" or a release.
	// Default: none.
	Alias string `json:"alias,omitempty"`
	// Tags the AMIs must have.
	// Default: none.
	Tags map[string]string `json:"tags,omitempty"`
	// ID of an AMI.
	// Default: none.
	ID string `json:"id,omitempty"`
	// Name of the AMIs (wildcards allowed).
	// Default: none.
	Name string `json:"name,omitempty"`
	// Owner of the AMIs (an account ID or an alias such as "amazon").
	// Default: none.
	Owner string `json:"owner,omitempty"`
	// SSMParameter names a parameter holding an AMI ID.
	// Default: none.
	SSMParameter string `json:"ssmParameter,omitempty"`
}

// KubeletConfiguration configures the nodes' kubelet.
type KubeletConfiguration struct {
	// ClusterDNS are the cluster DNS servers.
	// Default: the cluster's.
	ClusterDNS []string `json:"clusterDNS,omitempty"`
	// MaxPods bounds the pods per node.
	// Default: the AMI family's (from the instance type's ENIs for AL2023).
	MaxPods *int32 `json:"maxPods,omitempty"`
	// PodsPerCore bounds the pods per core.
	// Default: none.
	PodsPerCore *int32 `json:"podsPerCore,omitempty"`
	// SystemReserved reserves resources for the OS.
	// Default: none.
	SystemReserved map[string]string `json:"systemReserved,omitempty"`
	// KubeReserved reserves resources for Kubernetes daemons.
	// Default: Karpenter's, from the instance type.
	KubeReserved map[string]string `json:"kubeReserved,omitempty"`
	// EvictionHard are hard eviction thresholds.
	// Default: Karpenter's.
	EvictionHard map[string]string `json:"evictionHard,omitempty"`
	// EvictionSoft are soft eviction thresholds.
	// Default: none.
	EvictionSoft map[string]string `json:"evictionSoft,omitempty"`
	// EvictionSoftGracePeriod are the soft thresholds' grace periods.
	// Default: none.
	EvictionSoftGracePeriod map[string]string `json:"evictionSoftGracePeriod,omitempty"`
	// EvictionMaxPodGracePeriod bounds a soft eviction's grace period, in
	// seconds.
	// Default: none.
	EvictionMaxPodGracePeriod *int32 `json:"evictionMaxPodGracePeriod,omitempty"`
	// ImageGCHighThresholdPercent starts image garbage collection.
	// Default: the kubelet's (85).
	ImageGCHighThresholdPercent *int32 `json:"imageGCHighThresholdPercent,omitempty"`
	// ImageGCLowThresholdPercent is where image garbage collection stops.
	// Default: the kubelet's (80).
	ImageGCLowThresholdPercent *int32 `json:"imageGCLowThresholdPercent,omitempty"`
	// CPUCFSQuota enforces CPU limits with CFS quotas.
	// Default: true.
	CPUCFSQuota *bool `json:"cpuCFSQuota,omitempty"`
}

// BlockDeviceMapping is a volume of the nodes.
type BlockDeviceMapping struct {
	// DeviceName is the device ("/dev/xvda"). Required.
	DeviceName string `json:"deviceName,omitempty"`
	// EBS configures the volume.
	// Default: none.
	EBS *BlockDevice `json:"ebs,omitempty"`
	// RootVolume marks the root volume (at most one).
	// Default: false.
	RootVolume bool `json:"rootVolume,omitempty"`
}

// BlockDevice is an EBS volume.
type BlockDevice struct {
	// DeleteOnTermination deletes the volume with the instance.
	// Default: true.
	DeleteOnTermination *bool `json:"deleteOnTermination,omitempty"`
	// Encrypted encrypts the volume.
	// Default: true.
	Encrypted *bool `json:"encrypted,omitempty"`
	// IOPS of io1, io2 and gp3 volumes.
	// Default: the volume type's.
	IOPS *int64 `json:"iops,omitempty"`
	// KMSKeyID is the key encrypting the volume.
	// Default: the account's EBS key.
	KMSKeyID string `json:"kmsKeyID,omitempty"`
	// SnapshotID is the snapshot the volume starts from.
	// Default: none.
	SnapshotID string `json:"snapshotID,omitempty"`
	// Throughput of gp3 volumes, MiB/s.
	// Default: 125.
	Throughput *int64 `json:"throughput,omitempty"`
	// VolumeSize is a quantity ("100Gi").
	// Default: the snapshot's size (required without SnapshotID).
	VolumeSize string `json:"volumeSize,omitempty"`
	// VolumeType is standard, io1, io2, gp2, sc1, st1 or gp3.
	// Default: gp3.
	VolumeType string `json:"volumeType,omitempty"`
}

// MetadataOptions configure the instance metadata service.
type MetadataOptions struct {
	// HTTPEndpoint is "enabled" or "disabled".
	// Default: "enabled".
	HTTPEndpoint string `json:"httpEndpoint,omitempty"`
	// HTTPProtocolIPv6 is "enabled" or "disabled".
	// Default: "disabled".
	HTTPProtocolIPv6 string `json:"httpProtocolIPv6,omitempty"`
	// HTTPPutResponseHopLimit is the hop limit of metadata responses.
	// Default: 1.
	HTTPPutResponseHopLimit *int64 `json:"httpPutResponseHopLimit,omitempty"`
	// HTTPTokens is "required" (IMDSv2) or "optional".
	// Default: "required".
	HTTPTokens string `json:"httpTokens,omitempty"`
}

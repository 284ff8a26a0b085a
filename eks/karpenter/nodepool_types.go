package karpenter

import (
	corev1 "k8s.io/api/core/v1"
)

// NodePool API (karpenter.sh/v1), mirrored as Go structs: field names and
// JSON names are Karpenter's (sigs.k8s.io/karpenter/pkg/apis/v1), so a
// NodePool written in YAML from Karpenter's documentation maps field by
// field. docs/architecture.md says why these are structs of our own rather
// than Karpenter's module.

// Well-known requirement keys and values.
const (
	// LabelCapacityType is the requirement key of the capacity type.
	LabelCapacityType = "karpenter.sh/capacity-type"
	// CapacityTypeOnDemand, CapacityTypeSpot and CapacityTypeReserved are
	// the values of LabelCapacityType.
	CapacityTypeOnDemand = "on-demand"
	// CapacityTypeSpot is spot capacity.
	CapacityTypeSpot = "spot"
	// CapacityTypeReserved is capacity from EC2 capacity reservations.
	CapacityTypeReserved = "reserved"
	// LabelInstanceCategory is the requirement key of the instance
	// category ("c", "m", "r", ...).
	LabelInstanceCategory = "karpenter.k8s.aws/instance-category"
	// LabelInstanceGeneration is the requirement key of the instance
	// generation.
	LabelInstanceGeneration = "karpenter.k8s.aws/instance-generation"
)

// ConsolidationPolicy says which nodes Karpenter may consolidate.
type ConsolidationPolicy string

// Consolidation policies.
const (
	// ConsolidationPolicyWhenEmptyOrUnderutilized consolidates empty and
	// underutilized nodes (the zero value's default).
	ConsolidationPolicyWhenEmptyOrUnderutilized ConsolidationPolicy = "WhenEmptyOrUnderutilized"
	// ConsolidationPolicyWhenEmpty consolidates only empty nodes.
	ConsolidationPolicyWhenEmpty ConsolidationPolicy = "WhenEmpty"
	// ConsolidationPolicyBalanced weighs savings against disruption.
	ConsolidationPolicyBalanced ConsolidationPolicy = "Balanced"
)

// NodePoolSpec is a NodePool's spec. Zero fields take the values of
// Karpenter's getting-started NodePool, except that both on-demand and
// spot capacity are allowed.
type NodePoolSpec struct {
	// Template describes the nodes (NodeClaims) the pool creates.
	Template NodeClaimTemplate `json:"template"`
	// Disruption says how Karpenter may disrupt the pool's nodes.
	Disruption Disruption `json:"disruption"`
	// Limits bound the pool's total capacity (cpu, memory, nodes, ...);
	// values cannot be negative.
	// Default: cpu 1000 (Karpenter's getting-started pool).
	Limits corev1.ResourceList `json:"limits,omitempty"`
	// Weight orders pools: higher weights are tried first (0 to 100).
	// Default: none (Karpenter's 0).
	Weight *int32 `json:"weight,omitempty"`
}

// NodeClaimTemplate is the template of a pool's nodes.
type NodeClaimTemplate struct {
	// Metadata holds the labels and annotations of the nodes.
	// Default: none.
	Metadata NodeClaimTemplateMetadata `json:"metadata,omitempty"`
	// Spec describes the nodes.
	Spec NodeClaimTemplateSpec `json:"spec"`
}

// NodeClaimTemplateMetadata are the labels and annotations given to the
// pool's nodes.
type NodeClaimTemplateMetadata struct {
	// Labels of the nodes.
	// Default: none.
	Labels map[string]string `json:"labels,omitempty"`
	// Annotations of the nodes.
	// Default: none.
	Annotations map[string]string `json:"annotations,omitempty"`
}

// NodeClaimTemplateSpec describes the pool's nodes.
type NodeClaimTemplateSpec struct {
	// Taints are put on every node of the pool.
	// Default: none.
	Taints []corev1.Taint `json:"taints,omitempty"`
	// StartupTaints are taints a daemon removes once the node is ready.
	// Default: none.
	StartupTaints []corev1.Taint `json:"startupTaints,omitempty"`
	// Requirements constrain the nodes' labels (instance types, zones,
	// capacity types, architectures).
	// Default: amd64 Linux instances of categories c, m and r, generation
	// above 2, on-demand or spot.
	Requirements []NodeSelectorRequirementWithMinValues `json:"requirements"`
	// NodeClassRef names the EC2NodeClass of the nodes.
	// Default: the first EC2NodeClass added to the Karpenter construct (one
	// named "default" with its defaults if none was).
	NodeClassRef *NodeClassReference `json:"nodeClassRef"`
	// ExpireAfter is how long a node lives before it is replaced, a Go
	// duration such as "720h", or "Never".
	// Default: "720h" (30 days).
	ExpireAfter string `json:"expireAfter,omitempty"`
	// TerminationGracePeriod bounds how long a node may drain before it is
	// forcibly deleted, a Go duration.
	// Default: none (no bound).
	TerminationGracePeriod string `json:"terminationGracePeriod,omitempty"`
}

// NodeSelectorRequirementWithMinValues is a requirement on a node label,
// with an optional minimum number of distinct values.
type NodeSelectorRequirementWithMinValues struct {
	// Key is the label. Required.
	Key string `json:"key"`
	// Operator is In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte or Lte.
	// Required.
	Operator corev1.NodeSelectorOperator `json:"operator"`
	// Values of the label.
	// Default: none (required for In; one integer for Gt, Lt, Gte, Lte).
	Values []string `json:"values,omitempty"`
	// MinValues is the least number of distinct values the scheduler must
	// keep available (1 to 50).
	// Default: none.
	MinValues *int `json:"minValues,omitempty"`
}

// NodeClassReference names a node class.
type NodeClassReference struct {
	// Group of the node class.
	// Default: "karpenter.k8s.aws".
	Group string `json:"group"`
	// Kind of the node class.
	// Default: "EC2NodeClass".
	Kind string `json:"kind"`
	// Name of the node class. Required.
	Name string `json:"name"`
}

// Disruption says how Karpenter may disrupt a pool's nodes.
type Disruption struct {
	// ConsolidationPolicy says which nodes may be consolidated.
	// Default: ConsolidationPolicyWhenEmptyOrUnderutilized.
	ConsolidationPolicy ConsolidationPolicy `json:"consolidationPolicy,omitempty"`
	// ConsolidateAfter is how long a node must be consolidatable before
	// Karpenter acts, a Go duration ("1m") or "Never".
	// Default: "1m".
	ConsolidateAfter string `json:"consolidateAfter"`
	// Budgets bound how many nodes may be disrupted at once.
	// Default: Karpenter's (10% of the nodes).
	Budgets []Budget `json:"budgets,omitempty"`
}

// Budget bounds the nodes disrupted at once, optionally during a schedule.
type Budget struct {
	// Nodes is a count ("5") or a percentage ("20%"). Required.
	Nodes string `json:"nodes"`
	// Schedule is a cron expression for when the budget applies; set it
	// with Duration.
	// Default: always.
	Schedule string `json:"schedule,omitempty"`
	// Duration is how long the budget applies from each Schedule time
	// ("10m", "1h30m").
	// Default: none (required with Schedule).
	Duration string `json:"duration,omitempty"`
	// Reasons are the disruption reasons the budget applies to
	// (Underutilized, Empty, Drifted).
	// Default: all.
	Reasons []string `json:"reasons,omitempty"`
}

package karpenter

import (
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

// API groups and versions of the objects this package writes.
const (
	// NodePoolAPIVersion is the apiVersion of NodePools.
	NodePoolAPIVersion = "karpenter.sh/v1"
	// EC2NodeClassAPIVersion is the apiVersion of EC2NodeClasses.
	EC2NodeClassAPIVersion = "karpenter.k8s.aws/v1"
	// EC2NodeClassGroup is the API group of EC2NodeClasses.
	EC2NodeClassGroup = "karpenter.k8s.aws"
)

// NodePool is a Karpenter NodePool applied to the cluster after
// Karpenter's CRDs.
type NodePool struct {
	cdk.Base
	name     string
	spec     NodePoolSpec
	manifest *eks.KubernetesManifest
}

// EC2NodeClass is a Karpenter EC2NodeClass applied to the cluster after
// Karpenter's CRDs.
type EC2NodeClass struct {
	cdk.Base
	name     string
	spec     EC2NodeClassSpec
	manifest *eks.KubernetesManifest
}

// Name is the NodePool's name.
func (p *NodePool) Name() string { return p.name }

// Spec is the NodePool's spec with the defaults filled in.
func (p *NodePool) Spec() NodePoolSpec { return p.spec }

// Manifest is the manifest applying the NodePool.
func (p *NodePool) Manifest() *eks.KubernetesManifest { return p.manifest }

// Name is the EC2NodeClass's name.
func (n *EC2NodeClass) Name() string { return n.name }

// Spec is the EC2NodeClass's spec with the defaults filled in.
func (n *EC2NodeClass) Spec() EC2NodeClassSpec { return n.spec }

// Manifest is the manifest applying the EC2NodeClass.
func (n *EC2NodeClass) Manifest() *eks.KubernetesManifest { return n.manifest }

// AddEC2NodeClass adds an EC2NodeClass named name (also its construct id,
// "EC2NodeClass-<name>"); zero fields of spec take the defaults documented
// on EC2NodeClassSpec. Mistakes in spec are synthesis errors naming the
// construct and the field.
func (k *Karpenter) AddEC2NodeClass(name string, spec EC2NodeClassSpec) *EC2NodeClass {
	n := &EC2NodeClass{name: name}
	cdk.InitConstruct(n, k, "EC2NodeClass-"+name)
	if spec.SubnetSelectorTerms == nil {
		spec.SubnetSelectorTerms = k.defaultSubnetTerms()
	}
	if spec.SecurityGroupSelectorTerms == nil {
		spec.SecurityGroupSelectorTerms = []SecurityGroupSelectorTerm{{ID: k.cluster.ClusterSecurityGroupId()}}
		// Its nodes' pods share the cluster security group with managed
		// nodes: self-managed capacity opens pod traffic with it.
		eks.AllowPodTrafficWithClusterSecurityGroup(k.cluster)
	}
	if spec.AMISelectorTerms == nil {
		spec.AMISelectorTerms = []AMISelectorTerm{{Alias: "al2023@latest"}}
	}
	if spec.Role == "" && spec.InstanceProfile == "" {
		spec.Role = k.nodeRole.RoleName()
	}
	n.spec = spec
	for _, e := range validateEC2NodeClass(name, spec) {
		n.Node().AddError("%s", e)
	}
	n.manifest = k.apply(n, "EC2NodeClass", EC2NodeClassAPIVersion, name, spec)
	k.nodeClasses = append(k.nodeClasses, n)
	return n
}

// AddNodePool adds a NodePool named name (also its construct id,
// "NodePool-<name>"); zero fields of spec take the defaults documented on
// NodePoolSpec and its fields. Mistakes in spec (negative limits, unknown
// capacity types or operators, invalid taints) are synthesis errors naming
// the construct and the field.
func (k *Karpenter) AddNodePool(name string, spec NodePoolSpec) *NodePool {
	p := &NodePool{name: name}
	cdk.InitConstruct(p, k, "NodePool-"+name)
	t := &spec.Template.Spec
	var class *EC2NodeClass
	if t.NodeClassRef == nil {
		if len(k.nodeClasses) == 0 {
			k.AddEC2NodeClass("default", EC2NodeClassSpec{})
		}
		class = k.nodeClasses[0]
		t.NodeClassRef = &NodeClassReference{Name: class.name}
	} else {
		ref := *t.NodeClassRef
		t.NodeClassRef = &ref
		for _, c := range k.nodeClasses {
			if c.name == ref.Name {
				class = c
			}
		}
	}
	if t.NodeClassRef.Group == "" {
		t.NodeClassRef.Group = EC2NodeClassGroup
	}
	if t.NodeClassRef.Kind == "" {
		t.NodeClassRef.Kind = "EC2NodeClass"
	}
	if t.Requirements == nil {
		t.Requirements = []NodeSelectorRequirementWithMinValues{
			{Key: corev1.LabelArchStable, Operator: corev1.NodeSelectorOpIn, Values: []string{"amd64"}},
			{Key: corev1.LabelOSStable, Operator: corev1.NodeSelectorOpIn, Values: []string{"linux"}},
			{Key: LabelCapacityType, Operator: corev1.NodeSelectorOpIn, Values: []string{CapacityTypeOnDemand, CapacityTypeSpot}},
			{Key: LabelInstanceCategory, Operator: corev1.NodeSelectorOpIn, Values: []string{"c", "m", "r"}},
			{Key: LabelInstanceGeneration, Operator: corev1.NodeSelectorOpGt, Values: []string{"2"}},
		}
	}
	if t.ExpireAfter == "" {
		t.ExpireAfter = "720h"
	}
	if spec.Disruption.ConsolidationPolicy == "" {
		spec.Disruption.ConsolidationPolicy = ConsolidationPolicyWhenEmptyOrUnderutilized
	}
	if spec.Disruption.ConsolidateAfter == "" {
		spec.Disruption.ConsolidateAfter = "1m"
	}
	if spec.Limits == nil {
		spec.Limits = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1000")}
	}
	p.spec = spec
	for _, e := range validateNodePool(name, spec) {
		p.Node().AddError("%s", e)
	}
	p.manifest = k.apply(p, "NodePool", NodePoolAPIVersion, name, spec)
	if class != nil {
		p.manifest.Node().AddDependency(class.manifest)
	}
	return p
}

// defaultSubnetTerms selects the discovery-tagged subnets, or the
// subnets by ID when some could not be tagged.
func (k *Karpenter) defaultSubnetTerms() []SubnetSelectorTerm {
	if k.subnetsTagged {
		return []SubnetSelectorTerm{{Tags: map[string]string{DiscoveryTagKey: k.discovery}}}
	}
	terms := make([]SubnetSelectorTerm, 0, len(k.subnets))
	for _, s := range k.subnets {
		terms = append(terms, SubnetSelectorTerm{ID: s.SubnetId()})
	}
	return terms
}

// apply adds the manifest of one object under scope, after the charts
// (whose CRDs it needs).
func (k *Karpenter) apply(scope cdk.Construct, kind, apiVersion, name string, spec any) *eks.KubernetesManifest {
	b, err := json.Marshal(spec)
	var specMap map[string]any
	if err == nil {
		err = json.Unmarshal(b, &specMap)
	}
	if err != nil {
		// Every field is a string, number, bool, map or Quantity.
		panic(fmt.Sprintf("%s: cannot encode the %s spec: %v", scope.Node().Path(), kind, err))
	}
	m := eks.NewKubernetesManifest(scope, "Resource", eks.KubernetesManifestProps{
		Cluster: k.cluster,
		Manifest: []any{map[string]any{
			"apiVersion": apiVersion,
			"kind":       kind,
			"metadata":   map[string]any{"name": name},
			"spec":       specMap,
		}},
	})
	if k.crdChart != nil {
		m.Node().AddDependency(k.crdChart)
	}
	// After the controller and the node role's access, so that on delete
	// the objects go first, while the controller still runs to drain and
	// terminate the nodes and remove its instance profiles (finalizers).
	if k.chart != nil {
		m.Node().AddDependency(k.chart)
	}
	if k.nodeAccess != nil {
		m.Node().AddDependency(k.nodeAccess)
	}
	return m
}

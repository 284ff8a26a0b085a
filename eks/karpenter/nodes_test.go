package karpenter_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/eks/karpenter"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

func TestGettingStartedDefaults(t *testing.T) {
	t.Parallel()
	_, stack, k := newKarpenter(t, karpenter.Props{})
	pool := k.AddNodePool("default", karpenter.NodePoolSpec{})
	tmpl := synthtest.Template(t, stack)

	objs := manifestObjects(t, tmpl, "KarpenterNodePooldefault67091F25")
	delete(objs[0]["metadata"].(map[string]any), "labels") // the prune label
	want := map[string]any{
		"apiVersion": "karpenter.sh/v1",
		"kind":       "NodePool",
		"metadata":   map[string]any{"name": "default"},
		"spec": map[string]any{
			"template": map[string]any{
				"metadata": map[string]any{},
				"spec": map[string]any{
					"requirements": []any{
						map[string]any{"key": "kubernetes.io/arch", "operator": "In", "values": []any{"amd64"}},
						map[string]any{"key": "kubernetes.io/os", "operator": "In", "values": []any{"linux"}},
						map[string]any{"key": "karpenter.sh/capacity-type", "operator": "In", "values": []any{"on-demand", "spot"}},
						map[string]any{"key": "karpenter.k8s.aws/instance-category", "operator": "In", "values": []any{"c", "m", "r"}},
						map[string]any{"key": "karpenter.k8s.aws/instance-generation", "operator": "Gt", "values": []any{"2"}},
					},
					"nodeClassRef": map[string]any{"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
					"expireAfter":  "720h",
				},
			},
			"limits":     map[string]any{"cpu": "1k"},
			"disruption": map[string]any{"consolidationPolicy": "WhenEmptyOrUnderutilized", "consolidateAfter": "1m"},
		},
	}
	if diff := cmp.Diff(want, objs[0]); diff != "" {
		t.Errorf("NodePool (-want +got):\n%s", diff)
	}

	// The node class was added for the pool, bound to this app's cluster
	// and node role.
	objs = manifestObjects(t, tmpl, "KarpenterEC2NodeClassdefault808EEB38")
	delete(objs[0]["metadata"].(map[string]any), "labels")
	wantClass := map[string]any{
		"apiVersion": "karpenter.k8s.aws/v1",
		"kind":       "EC2NodeClass",
		"metadata":   map[string]any{"name": "default"},
		"spec": map[string]any{
			"role":                       "<Ref:KarpenterNodeRoleEDDDDC23>",
			"amiSelectorTerms":           []any{map[string]any{"alias": "al2023@latest"}},
			"subnetSelectorTerms":        []any{map[string]any{"tags": map[string]any{"karpenter.sh/discovery": k.DiscoveryTagValue()}}},
			"securityGroupSelectorTerms": []any{map[string]any{"id": "<ClusterEB0386A7.ClusterSecurityGroupId>"}},
		},
	}
	if diff := cmp.Diff(wantClass, objs[0]); diff != "" {
		t.Errorf("EC2NodeClass (-want +got):\n%s", diff)
	}

	// Both come after the charts (CRDs, controller) and the nodes' access;
	// the pool after its class.
	for id, want := range map[string][]string{
		"KarpenterNodePooldefault67091F25":     {"KarpenterCrdChart", "KarpenterChart", "ClusterKarpenterNodeAccessEntry", "KarpenterEC2NodeClassdefault"},
		"KarpenterEC2NodeClassdefault808EEB38": {"KarpenterCrdChart", "KarpenterChart", "ClusterKarpenterNodeAccessEntry"},
	} {
		deps := tmpl["Resources"].(map[string]any)[id].(map[string]any)["DependsOn"].([]any)
		for _, w := range want {
			if !containsPrefix(deps, w) {
				t.Errorf("%s does not depend on %s*: %v", id, w, deps)
			}
		}
	}
	if pool.Spec().Template.Spec.NodeClassRef.Name != "default" {
		t.Errorf("Spec() does not show the defaults: %+v", pool.Spec())
	}
}

func TestCustomNodePoolAndClass(t *testing.T) {
	t.Parallel()
	_, stack, k := newKarpenter(t, karpenter.Props{})
	k.AddEC2NodeClass("gpu", karpenter.EC2NodeClassSpec{
		AMISelectorTerms: []karpenter.AMISelectorTerm{{Alias: "bottlerocket@latest"}},
		BlockDeviceMappings: []karpenter.BlockDeviceMapping{{
			DeviceName: "/dev/xvdb", EBS: &karpenter.BlockDevice{VolumeSize: "200Gi", VolumeType: "gp3"},
		}},
		Tags: map[string]string{"team": "ml"},
	})
	weight := int32(10)
	k.AddNodePool("gpu", karpenter.NodePoolSpec{
		Template: karpenter.NodeClaimTemplate{
			Metadata: karpenter.NodeClaimTemplateMetadata{Labels: map[string]string{"workload": "gpu"}},
			Spec: karpenter.NodeClaimTemplateSpec{
				Requirements: []karpenter.NodeSelectorRequirementWithMinValues{
					{Key: karpenter.LabelCapacityType, Operator: corev1.NodeSelectorOpIn, Values: []string{karpenter.CapacityTypeSpot}},
					{Key: "node.kubernetes.io/instance-type", Operator: corev1.NodeSelectorOpIn, Values: []string{"g5.xlarge", "g5.2xlarge"}},
				},
				Taints:      []corev1.Taint{{Key: "nvidia.com/gpu", Value: "true", Effect: corev1.TaintEffectNoSchedule}},
				ExpireAfter: "Never",
			},
		},
		Disruption: karpenter.Disruption{
			ConsolidationPolicy: karpenter.ConsolidationPolicyWhenEmpty,
			ConsolidateAfter:    "5m",
			Budgets:             []karpenter.Budget{{Nodes: "20%"}, {Nodes: "0", Schedule: "0 9 * * mon-fri", Duration: "8h"}},
		},
		Limits: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("64"), "nvidia.com/gpu": resource.MustParse("8")},
		Weight: &weight,
	})
	tmpl := synthtest.Template(t, stack)
	pool := manifestObjects(t, tmpl, "KarpenterNodePoolgpu5DB05306")[0]["spec"].(map[string]any)
	tpl := pool["template"].(map[string]any)
	if ref := tpl["spec"].(map[string]any)["nodeClassRef"].(map[string]any); ref["name"] != "gpu" {
		t.Errorf("nodeClassRef %v, want the first class added (gpu)", ref)
	}
	if diff := cmp.Diff(map[string]any{"cpu": "64", "nvidia.com/gpu": "8"}, pool["limits"]); diff != "" {
		t.Errorf("limits (-want +got):\n%s", diff)
	}
	if pool["weight"] != float64(10) || tpl["spec"].(map[string]any)["expireAfter"] != "Never" {
		t.Errorf("pool spec %v", pool)
	}
	class := manifestObjects(t, tmpl, "KarpenterEC2NodeClassgpuB603FEB7")[0]["spec"].(map[string]any)
	if diff := cmp.Diff([]any{map[string]any{"deviceName": "/dev/xvdb", "ebs": map[string]any{"volumeSize": "200Gi", "volumeType": "gp3"}}}, class["blockDeviceMappings"]); diff != "" {
		t.Errorf("block devices (-want +got):\n%s", diff)
	}
	if len(ofType(tmpl, "Custom::AWSCDK-EKS-KubernetesResource")) != 3 {
		t.Errorf("manifests %v, want the service account, the class and the pool only", logicalIDs(ofType(tmpl, "Custom::AWSCDK-EKS-KubernetesResource")))
	}
}

func TestBadNodePoolsAndClassesAreSynthesisErrors(t *testing.T) {
	t.Parallel()
	app, _, k := newKarpenter(t, karpenter.Props{})
	k.AddEC2NodeClass("noselectors", karpenter.EC2NodeClassSpec{
		SubnetSelectorTerms:        []karpenter.SubnetSelectorTerm{{}},
		SecurityGroupSelectorTerms: []karpenter.SecurityGroupSelectorTerm{},
		AMISelectorTerms:           []karpenter.AMISelectorTerm{{Alias: "ubuntu@22"}},
		Tags:                       map[string]string{"karpenter.sh/nodepool": "x"},
	})
	k.AddNodePool("bad", karpenter.NodePoolSpec{
		Template: karpenter.NodeClaimTemplate{Spec: karpenter.NodeClaimTemplateSpec{
			Requirements: []karpenter.NodeSelectorRequirementWithMinValues{
				{Key: karpenter.LabelCapacityType, Operator: corev1.NodeSelectorOpIn, Values: []string{"on-demand", "preemptible"}},
				{Key: "karpenter.k8s.aws/instance-cpu", Operator: "Above", Values: []string{"4"}},
			},
			Taints: []corev1.Taint{
				{Key: "bad key!", Effect: corev1.TaintEffectNoSchedule},
				{Key: "dedicated", Value: "ml", Effect: "NoRun"},
			},
			ExpireAfter: "30d",
		}},
		Disruption: karpenter.Disruption{ConsolidationPolicy: "Aggressive"},
		Limits:     corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("-4")},
	})
	synthtest.WantErrors(t, synthtest.SynthError(t, app),
		"Stack/Karpenter/NodePool-bad",
		`spec.limits.cpu is -4: limits cannot be negative`,
		`spec.template.spec.requirements[0]: capacity type "preemptible" is unknown: use "on-demand", "spot" or "reserved"`,
		`spec.template.spec.requirements[1].operator is "Above"`,
		`spec.template.spec.taints[0].key "bad key!" is not a valid taint key`,
		`spec.template.spec.taints[1].effect is "NoRun": use NoSchedule, PreferNoSchedule or NoExecute`,
		`spec.template.spec.expireAfter is "30d"`,
		`spec.disruption.consolidationPolicy is "Aggressive"`,
		"Stack/Karpenter/EC2NodeClass-noselectors",
		"spec.subnetSelectorTerms[0] selects nothing: set Tags or ID",
		"spec.securityGroupSelectorTerms is empty",
		`spec.amiSelectorTerms[0].alias is "ubuntu@22"`,
		`spec.tags has "karpenter.sh/nodepool": Karpenter sets that tag itself`,
	)
}

func TestRefusesAutoMode(t *testing.T) {
	t.Parallel()
	app, stack, _ := newKarpenter(t, karpenter.Props{}, eks.ClusterProps{Version: eks.V1_34, DefaultCapacityType: eks.DefaultCapacityTypeAutoMode})
	synthtest.WantErrors(t, synthtest.SynthError(t, app), "Stack/Karpenter", "runs EKS Auto Mode, which manages nodes with its own Karpenter")
	_ = stack
}

func TestVersion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, version, err string }{
		{"fails when missing", "-", "karpenter.Props.Version is required"},
		{"fails with a v", "v1.14.1", `Version "v1.14.1" is not an exact release MAJOR.MINOR.PATCH`},
		{"fails with a range", "1.14", `Version "1.14" is not an exact release`},
		{"fails before 1.12", "1.11.3", `Version "1.11.3" is older than 1.12.0`},
		{"accepts 1.12.0", "1.12.0", ""},
		{"accepts a prerelease", "1.14.0-rc.1", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := tc.version
			if v == "-" {
				v = ""
			}
			app, stack := synthtest.NewStack()
			cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})
			karpenter.New(stack, "Karpenter", karpenter.Props{Cluster: cluster, Version: v})
			got := synthtest.SynthError(t, app)
			if tc.err == "" {
				if got != "" {
					t.Fatal(got)
				}
				return
			}
			synthtest.WantErrors(t, got, "Stack/Karpenter", tc.err)
		})
	}
}

func TestNewerVersionWarns(t *testing.T) {
	t.Parallel()
	_, stack, k := newKarpenter(t, karpenter.Props{Version: "1.15.0"})
	synthtest.Template(t, stack)
	var warned bool
	for _, m := range k.Node().Metadata() {
		if s, ok := m.Data.(string); ok && strings.Contains(s, "newer than 1.14") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning for a release newer than the policy known: %+v", k.Node().Metadata())
	}
}

// TestDefaultNodeClassOpensPodTrafficWithSelfManagedNodes checks that an
// EC2NodeClass selecting the cluster security group (the default) makes
// self-managed capacity of the cluster exchange all traffic with that
// group, and that one selecting groups of its own does not.
func TestDefaultNodeClassOpensPodTrafficWithSelfManagedNodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		terms []karpenter.SecurityGroupSelectorTerm
		want  int
	}{
		{"cluster security group", nil, 1},
		{"own security groups", []karpenter.SecurityGroupSelectorTerm{{ID: "sg-0123456789abcdef0"}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
			k := karpenter.New(stack, "Karpenter", karpenter.Props{Cluster: cluster, Version: "1.14.1"})
			cluster.AddAutoScalingGroupCapacity("Nodes", eks.AutoScalingGroupCapacityOptions{
				AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{InstanceType: ec2.InstanceTypeOf("t3.large")},
			})
			k.AddEC2NodeClass("default", karpenter.EC2NodeClassSpec{SecurityGroupSelectorTerms: tc.terms})
			clusterSG := map[string]any{"Fn::GetAtt": []any{"ClusterEB0386A7", "ClusterSecurityGroupId"}}
			nodes := map[string]any{"Fn::GetAtt": []any{"ClusterNodesInstanceSecurityGroup899246BD", "GroupId"}}
			tp := assertions.FromStack(t, stack)
			tp.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": clusterSG, "SourceSecurityGroupId": nodes, "IpProtocol": "-1"}, tc.want)
			tp.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": nodes, "SourceSecurityGroupId": clusterSG, "IpProtocol": "-1"}, tc.want)
		})
	}
}

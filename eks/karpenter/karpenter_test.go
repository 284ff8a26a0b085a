package karpenter_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/eks/karpenter"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

const clusterRef = "<Ref:ClusterEB0386A7>"

// policyDocs returns the controller's managed policies, each parsed back
// from its JSON string, by construct id suffix ("NodeLifecyclePolicy").
func policyDocs(t *testing.T, tmpl map[string]any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for id, r := range ofType(tmpl, "AWS::IAM::ManagedPolicy") {
		props := r["Properties"].(map[string]any)
		text := flatten(t, props["PolicyDocument"])
		var doc map[string]any
		if err := json.Unmarshal([]byte(text), &doc); err != nil {
			t.Fatalf("%s: the policy is not JSON: %v\n%s", id, err, text)
		}
		name := strings.TrimPrefix(id, "KarpenterController")
		out[name[:len(name)-8]] = doc
	}
	return out
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

func TestControllerPolicyIsScopedToTheCluster(t *testing.T) {
	t.Parallel()
	_, stack, _ := newKarpenter(t, karpenter.Props{})
	tmpl := synthtest.Template(t, stack)
	docs := policyDocs(t, tmpl)
	var names []string
	for n := range docs {
		names = append(names, n)
	}
	want := []string{"EKSIntegrationPolicy", "IAMIntegrationPolicy", "InterruptionPolicy", "NodeLifecyclePolicy", "ResourceDiscoveryPolicy", "ZonalShiftPolicy"}
	if diff := cmp.Diff(want, sortedCopy(names)); diff != "" {
		t.Fatalf("policies (-want +got):\n%s", diff)
	}
	// Every policy is attached to the controller's role only.
	for id, r := range ofType(tmpl, "AWS::IAM::ManagedPolicy") {
		roles := r["Properties"].(map[string]any)["Roles"].([]any)
		if len(roles) != 1 || flatten(t, roles[0]) != "<Ref:KarpenterServiceAccountRole05E957B5>" {
			t.Errorf("%s is attached to %v, want the controller's role", id, roles)
		}
	}

	readOnly := func(a string) bool {
		_, verb, _ := strings.Cut(a, ":")
		return strings.HasPrefix(verb, "Describe") || strings.HasPrefix(verb, "Get") || strings.HasPrefix(verb, "List")
	}
	sids := map[string]map[string]any{}
	for name, doc := range docs {
		for _, s := range doc["Statement"].([]any) {
			st := s.(map[string]any)
			sids[st["Sid"].(string)] = st
			if st["Effect"] != "Allow" {
				t.Errorf("%s %s: effect %v", name, st["Sid"], st["Effect"])
			}
			text := marshalRaw(t, st)
			for _, res := range asList(st["Resource"]) {
				if res != "*" {
					continue
				}
				for _, a := range asList(st["Action"]) {
					if !readOnly(a.(string)) && a != "pricing:GetProducts" {
						t.Errorf("%s %s: %v on * is not read-only", name, st["Sid"], a)
					}
				}
				if st["Sid"] == "AllowRegionalReadActions" && !strings.Contains(string(text), `"aws:RequestedRegion":"<AWS::Region>"`) {
					t.Errorf("regional reads are not limited to the region: %s", text)
				}
			}
			// Writes to EC2 and instance profiles are conditioned on the
			// cluster's tag.
			for _, a := range asList(st["Action"]) {
				a := a.(string)
				if readOnly(a) || a == "iam:PassRole" || strings.HasPrefix(a, "sqs:") || a == "pricing:GetProducts" {
					continue
				}
				if st["Sid"] == "AllowScopedEC2InstanceAccessActions" {
					continue // AMIs, snapshots, subnets and security groups the instances use
				}
				if !strings.Contains(string(text), "/kubernetes.io/cluster/"+clusterRef+`":"owned"`) {
					t.Errorf("%s %s: %s is not scoped by the cluster's tag: %s", name, st["Sid"], a, text)
				}
			}
		}
	}
	if len(sids) != 18 {
		t.Errorf("%d statements, want the 18 of Karpenter 1.14's template", len(sids))
	}
	pass := sids["AllowPassingInstanceRole"]
	if pass["Resource"] != "<KarpenterNodeRoleEDDDDC23.Arn>" {
		t.Errorf("iam:PassRole on %v, want the node role only", pass["Resource"])
	}
	if q := sids["AllowInterruptionQueueActions"]; q["Resource"] != "<KarpenterInterruptionQueueD68B7CB0.Arn>" {
		t.Errorf("queue actions on %v, want the queue only", q["Resource"])
	}
	if d := sids["AllowAPIServerEndpointDiscovery"]; d["Resource"] != "<ClusterEB0386A7.Arn>" {
		t.Errorf("eks:DescribeCluster on %v, want the cluster only", d["Resource"])
	}
	tagging := sids["AllowScopedResourceCreationTagging"]["Condition"].(map[string]any)["StringEquals"].(map[string]any)
	if tagging["aws:RequestTag/eks:eks-cluster-name"] != clusterRef {
		t.Errorf("creation tagging not bound to the cluster's name: %v", tagging)
	}
}

// marshalRaw is json.Marshal without escaping '<' and '>'.
func marshalRaw(t *testing.T, v any) string {
	var b strings.Builder
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			if c[j] < c[i] {
				c[i], c[j] = c[j], c[i]
			}
		}
	}
	return c
}

func TestInterruptionQueueAndRules(t *testing.T) {
	t.Parallel()
	_, stack, _ := newKarpenter(t, karpenter.Props{})
	tpl := assertions.FromStack(t, stack)
	tpl.ResourceCountIs("AWS::SQS::Queue", 1)
	tpl.HasResourceProperties("AWS::SQS::Queue", map[string]any{
		"MessageRetentionPeriod": 300,
		"SqsManagedSseEnabled":   true,
	})
	queueArn := map[string]any{"Fn::GetAtt": []any{"KarpenterInterruptionQueueD68B7CB0", "Arn"}}
	tpl.HasResourceProperties("AWS::SQS::QueuePolicy", map[string]any{
		"Queues": []any{map[string]any{"Ref": "KarpenterInterruptionQueueD68B7CB0"}},
		"PolicyDocument": Match.ObjectEquals(map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{
				map[string]any{
					"Sid": "AllowEventBridgeAndSQS", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queueArn,
					"Principal": map[string]any{"Service": []any{"events.amazonaws.com", "sqs.amazonaws.com"}},
				},
				map[string]any{
					"Sid": "DenyHTTP", "Effect": "Deny", "Action": "sqs:*", "Resource": queueArn,
					"Principal": map[string]any{"AWS": "*"},
					"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
				},
			},
		}),
	})
	tpl.ResourceCountIs("AWS::Events::Rule", 5)
	for _, r := range []struct{ source, detail string }{
		{"aws.health", "AWS Health Event"},
		{"aws.ec2", "EC2 Spot Instance Interruption Warning"},
		{"aws.ec2", "EC2 Instance Rebalance Recommendation"},
		{"aws.ec2", "EC2 Instance State-change Notification"},
		{"aws.ec2", "EC2 Capacity Reservation Instance Interruption Warning"},
	} {
		tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{
			"EventPattern": Match.ObjectEquals(map[string]any{"source": []any{r.source}, "detail-type": []any{r.detail}}),
			"Targets":      []any{map[string]any{"Id": "KarpenterInterruptionQueueTarget", "Arn": queueArn}},
		})
	}
}

func TestNodeRoleAndAccess(t *testing.T) {
	t.Parallel()
	_, stack, _ := newKarpenter(t, karpenter.Props{})
	tpl := assertions.FromStack(t, stack)
	policy := func(n string) any {
		return map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::aws:policy/" + n}}}
	}
	tpl.HasResourceProperties("AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{"Action": "sts:AssumeRole", "Principal": map[string]any{"Service": "ec2.amazonaws.com"}}}},
		"ManagedPolicyArns": Match.Exact([]any{
			policy("AmazonEKS_CNI_Policy"), policy("AmazonEKSWorkerNodePolicy"),
			policy("AmazonEC2ContainerRegistryPullOnly"), policy("AmazonSSMManagedInstanceCore"),
		}),
	})
	tpl.HasResourceProperties("AWS::EKS::AccessEntry", map[string]any{
		"ClusterName":  map[string]any{"Ref": "ClusterEB0386A7"},
		"PrincipalArn": map[string]any{"Fn::GetAtt": []any{"KarpenterNodeRoleEDDDDC23", "Arn"}},
		"Type":         "EC2_LINUX",
	})
}

func TestConfigMapModeMapsTheNodeRoleInAwsAuth(t *testing.T) {
	t.Parallel()
	_, _, k := newKarpenter(t, karpenter.Props{}, eks.ClusterProps{Version: eks.V1_34, AuthenticationMode: eks.AuthenticationModeConfigMap})
	var found bool
	for _, m := range eks.AwsAuthRoleMappings(k.Cluster()) {
		if m.Role == k.NodeRole() {
			found = true
			if diff := cmp.Diff([]string{"system:bootstrappers", "system:nodes"}, m.Groups); diff != "" || m.Username != "system:node:{{EC2PrivateDNSName}}" {
				t.Errorf("node role mapping %+v", m)
			}
		}
	}
	if !found {
		t.Errorf("the node role has no aws-auth mapping in CONFIG_MAP mode")
	}
}

func TestPodIdentityIsTheDefault(t *testing.T) {
	t.Parallel()
	_, stack, _ := newKarpenter(t, karpenter.Props{})
	tpl := assertions.FromStack(t, stack)
	tpl.ResourceCountIs("AWS::EKS::Addon", 1)
	tpl.HasResourceProperties("AWS::EKS::Addon", map[string]any{"AddonName": "eks-pod-identity-agent"})
	tpl.HasResourceProperties("AWS::EKS::PodIdentityAssociation", map[string]any{
		"ClusterName":    map[string]any{"Ref": "ClusterEB0386A7"},
		"Namespace":      "kube-system",
		"ServiceAccount": "karpenter",
		"RoleArn":        map[string]any{"Fn::GetAtt": []any{"KarpenterServiceAccountRole05E957B5", "Arn"}},
	})
	tpl.HasResourceProperties("AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": Match.ArrayWith([]any{Match.ObjectLike(map[string]any{
			"Action":    []any{"sts:AssumeRole", "sts:TagSession"},
			"Principal": map[string]any{"Service": "pods.eks.amazonaws.com"},
		})})},
	})
	tpl.ResourceCountIs("AWS::IAM::OIDCProvider", 0)
}

func TestIRSA(t *testing.T) {
	t.Parallel()
	_, stack, _ := newKarpenter(t, karpenter.Props{IRSA: true})
	tpl := assertions.FromStack(t, stack)
	tpl.ResourceCountIs("AWS::EKS::PodIdentityAssociation", 0)
	tpl.ResourceCountIs("AWS::IAM::OIDCProvider", 1)
	sa := manifestObjects(t, synthtest.Template(t, stack), "KarpenterServiceAccountmanifestServiceAccountServiceAccountResource0F9D8AD4")
	ann := sa[0]["metadata"].(map[string]any)["annotations"].(map[string]any)
	if ann["eks.amazonaws.com/role-arn"] != "<KarpenterServiceAccountRole05E957B5.Arn>" {
		t.Errorf("service account annotations %v, want the controller role's ARN", ann)
	}
}

func TestFargateProfileUsesIRSA(t *testing.T) {
	t.Parallel()
	_, stack, _ := newKarpenter(t, karpenter.Props{Fargate: true, Namespace: "karpenter"})
	tpl := assertions.FromStack(t, stack)
	tpl.HasResourceProperties("AWS::EKS::FargateProfile", map[string]any{
		"Selectors": Match.Exact([]any{map[string]any{
			"Namespace": "karpenter",
			"Labels":    []any{map[string]any{"Key": "app.kubernetes.io/name", "Value": "karpenter"}},
		}}),
	})
	tpl.ResourceCountIs("AWS::EKS::PodIdentityAssociation", 0)
	tpl.ResourceCountIs("AWS::IAM::OIDCProvider", 1)
	tmpl := synthtest.Template(t, stack)
	chart := ofType(tmpl, "Custom::AWSCDK-EKS-HelmChart")["KarpenterChartE18CC5FC"]
	deps := chart["DependsOn"].([]any)
	if !containsPrefix(deps, "KarpenterFargateProfile") || !containsPrefix(deps, "KarpenterNamespace") && !containsPrefix(deps, "KarpenterCrdChart") {
		t.Errorf("the chart does not wait for the Fargate profile: %v", deps)
	}
	ns := manifestObjects(t, tmpl, "KarpenterNamespaceD76A11E2")
	if ns[0]["kind"] != "Namespace" || ns[0]["metadata"].(map[string]any)["name"] != "karpenter" {
		t.Errorf("namespace manifest %v", ns)
	}
	if chart["Properties"].(map[string]any)["Namespace"] != "karpenter" {
		t.Errorf("chart namespace %v", chart["Properties"])
	}
}

func TestFargateClusterNeedsNoExtraProfile(t *testing.T) {
	t.Parallel()
	app, stack := synthtest.NewStack()
	fc := eks.NewFargateCluster(stack, "Cluster", eks.FargateClusterProps{ClusterProps: eks.ClusterProps{Version: eks.V1_34}})
	karpenter.New(stack, "Karpenter", karpenter.Props{Cluster: fc, Version: "1.14.1", Fargate: true})
	_ = app
	tpl := assertions.FromStack(t, stack)
	tpl.ResourceCountIs("AWS::EKS::FargateProfile", 1) // the cluster's default profile
	tpl.ResourceCountIs("AWS::EKS::PodIdentityAssociation", 0)
}

func containsPrefix(l []any, p string) bool {
	for _, x := range l {
		if strings.HasPrefix(x.(string), p) {
			return true
		}
	}
	return false
}

// manifestObjects parses a manifest resource's objects back.
func manifestObjects(t *testing.T, tmpl map[string]any, logicalID string) []map[string]any {
	t.Helper()
	r, ok := tmpl["Resources"].(map[string]any)[logicalID].(map[string]any)
	if !ok {
		t.Fatalf("no resource %s; manifests: %v", logicalID, logicalIDs(ofType(tmpl, "Custom::AWSCDK-EKS-KubernetesResource")))
	}
	var objs []map[string]any
	if err := json.Unmarshal([]byte(flatten(t, r["Properties"].(map[string]any)["Manifest"])), &objs); err != nil {
		t.Fatal(err)
	}
	return objs
}

func TestChartsAndValues(t *testing.T) {
	t.Parallel()
	_, stack, _ := newKarpenter(t, karpenter.Props{
		Values:  map[string]any{"replicas": 1, "settings": map[string]any{"featureGates": map[string]any{"spotToSpotConsolidation": true}}},
		Timeout: cdk.Minutes(10),
	})
	tmpl := synthtest.Template(t, stack)
	charts := ofType(tmpl, "Custom::AWSCDK-EKS-HelmChart")
	crd := charts["KarpenterCrdChart70DB6642"]["Properties"].(map[string]any)
	if crd["Chart"] != "oci://public.ecr.aws/karpenter/karpenter-crd" || crd["Version"] != "1.14.1" || crd["Release"] != "karpenter-crd" {
		t.Errorf("CRD chart %v", crd)
	}
	chart := charts["KarpenterChartE18CC5FC"]
	p := chart["Properties"].(map[string]any)
	for k, want := range map[string]any{
		"Chart": "oci://public.ecr.aws/karpenter/karpenter", "Version": "1.14.1", "Release": "karpenter",
		"Namespace": "kube-system", "SkipCrds": "true", "Wait": "true", "Timeout": "10m0s",
	} {
		if p[k] != want {
			t.Errorf("chart %s = %v, want %v", k, p[k], want)
		}
	}
	var values map[string]any
	if err := json.Unmarshal([]byte(flatten(t, p["Values"])), &values); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"replicas": float64(1),
		"settings": map[string]any{
			"clusterName":       clusterRef,
			"clusterEndpoint":   "<ClusterEB0386A7.Endpoint>",
			"interruptionQueue": "<KarpenterInterruptionQueueD68B7CB0.QueueName>",
			"featureGates":      map[string]any{"spotToSpotConsolidation": true},
		},
		"serviceAccount": map[string]any{"create": false, "name": "karpenter"},
		"controller": map[string]any{"resources": map[string]any{
			"requests": map[string]any{"cpu": "1", "memory": "1Gi"},
			"limits":   map[string]any{"cpu": "1", "memory": "1Gi"},
		}},
	}
	if diff := cmp.Diff(want, values); diff != "" {
		t.Errorf("chart values (-want +got):\n%s", diff)
	}
	deps := chart["DependsOn"].([]any)
	for _, d := range []string{"KarpenterCrdChart", "KarpenterServiceAccountAssociation", "KarpenterServiceAccountmanifest", "KarpenterControllerNodeLifecyclePolicy", "ClusterNodegroupDefaultCapacity"} {
		if !containsPrefix(deps, d) {
			t.Errorf("the chart does not depend on %s*: %v", d, deps)
		}
	}
}

func TestSubnetsTaggedForDiscovery(t *testing.T) {
	t.Parallel()
	_, stack, k := newKarpenter(t, karpenter.Props{}, eks.ClusterProps{Version: eks.V1_34, ClusterName: "prod"})
	if k.DiscoveryTagValue() != "prod" {
		t.Errorf("discovery value %q, want the cluster's name", k.DiscoveryTagValue())
	}
	tmpl := synthtest.Template(t, stack)
	tagged := 0
	for id, r := range ofType(tmpl, "AWS::EC2::Subnet") {
		tags, _ := r["Properties"].(map[string]any)["Tags"].([]any)
		has := false
		for _, tg := range tags {
			if tm := tg.(map[string]any); tm["Key"] == "karpenter.sh/discovery" && tm["Value"] == "prod" {
				has = true
			}
		}
		private := strings.Contains(id, "Private")
		if has != private {
			t.Errorf("%s: discovery tag %v, want %v (private subnets only)", id, has, private)
		}
		if has {
			tagged++
		}
	}
	if tagged != 2 {
		t.Errorf("%d subnets tagged, want the 2 private ones", tagged)
	}
}

func TestImportedSubnetsAreSelectedByID(t *testing.T) {
	t.Parallel()
	app, stack := synthtest.NewStack()
	vpc := ec2.VpcFromVpcAttributes(stack, "Vpc", ec2.VpcAttributes{
		VpcId: "vpc-1", AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
		PrivateSubnetIds: []string{"subnet-a", "subnet-b"},
	})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, Vpc: vpc})
	k := karpenter.New(stack, "Karpenter", karpenter.Props{Cluster: cluster, Version: "1.14.1"})
	nc := k.AddEC2NodeClass("default", karpenter.EC2NodeClassSpec{})
	want := []karpenter.SubnetSelectorTerm{{ID: "subnet-a"}, {ID: "subnet-b"}}
	if diff := cmp.Diff(want, nc.Spec().SubnetSelectorTerms); diff != "" {
		t.Errorf("subnet terms (-want +got):\n%s", diff)
	}
	if msg := synthtest.SynthError(t, app); msg != "" {
		t.Fatal(msg)
	}
}

func TestOwnNamespaceIsCreatedFirst(t *testing.T) {
	t.Parallel()
	_, stack, _ := newKarpenter(t, karpenter.Props{Namespace: "karpenter"})
	tmpl := synthtest.Template(t, stack)
	res := tmpl["Resources"].(map[string]any)
	for _, id := range []string{"KarpenterServiceAccountmanifestServiceAccountServiceAccountResource0F9D8AD4", "KarpenterCrdChart70DB6642"} {
		deps, _ := res[id].(map[string]any)["DependsOn"].([]any)
		if !containsPrefix(deps, "KarpenterNamespace") {
			t.Errorf("%s does not wait for the namespace: %v", id, deps)
		}
	}
	tpl := assertions.FromStack(t, stack)
	tpl.HasResourceProperties("AWS::EKS::PodIdentityAssociation", map[string]any{"Namespace": "karpenter", "ServiceAccount": "karpenter"})
	tpl.HasResourceProperties("Custom::AWSCDK-EKS-HelmChart", map[string]any{"Release": "karpenter", "Namespace": "karpenter"})
}

func TestSubnetSelection(t *testing.T) {
	t.Parallel()
	_, stack, _ := newKarpenter(t, karpenter.Props{SubnetSelection: ec2.SubnetSelection{SubnetType: ec2.SubnetTypePublic}})
	tmpl := synthtest.Template(t, stack)
	for id, r := range ofType(tmpl, "AWS::EC2::Subnet") {
		tags, _ := r["Properties"].(map[string]any)["Tags"].([]any)
		has := false
		for _, tg := range tags {
			if tg.(map[string]any)["Key"] == "karpenter.sh/discovery" {
				has = true
			}
		}
		if public := strings.Contains(id, "Public"); has != public {
			t.Errorf("%s: discovery tag %v, want it on the selected (public) subnets only", id, has)
		}
	}
}

// TestBadSubnetSelectionIsASynthesisError: a selection the VPC cannot
// satisfy, or one holding a typed-nil subnet, is an error on Karpenter's
// path, not a panic.
func TestBadSubnetSelectionIsASynthesisError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		sel  ec2.SubnetSelection
		want string
	}{
		{"fails with a typed-nil subnet", ec2.SubnetSelection{Subnets: []ec2.ISubnet{(*ec2.Subnet)(nil)}}, "SubnetSelection.Subnets[0] is a nil *ec2.Subnet"},
		{"fails with an unknown subnet group", ec2.SubnetSelection{SubnetGroupName: "Nope"}, `there is no subnet group named "Nope"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sel := tc.sel
			app, _, _ := newKarpenter(t, karpenter.Props{SubnetSelection: sel})
			synthtest.WantErrors(t, synthtest.SynthError(t, app), "[Stack/Karpenter] SubnetSelection: VPC", tc.want)
		})
	}
}

// TestTypedNilNodeRoleIsASynthesisError: a typed-nil NodeRole is an error
// on Karpenter's path, and the default node role is made instead of a
// nil dereference.
func TestTypedNilNodeRoleIsASynthesisError(t *testing.T) {
	t.Parallel()
	app, _, _ := newKarpenter(t, karpenter.Props{NodeRole: (*iam.Role)(nil)})
	synthtest.WantErrors(t, synthtest.SynthError(t, app), "[Stack/Karpenter] karpenter.Props.NodeRole is a nil *iam.Role")
}

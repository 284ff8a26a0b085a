package karpenter_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	repo "helm.sh/helm/v4/pkg/repo/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"github.com/eksforge/eksforge/eks/karpenter"
	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/kubectl/auth"
	"github.com/eksforge/eksforge/handlers/provider"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	kubeenv.StopShared()
	os.Exit(code)
}

var (
	crdGVR          = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	nodePoolGVR     = schema.GroupVersionResource{Group: "karpenter.sh", Version: "v1", Resource: "nodepools"}
	ec2NodeClassGVR = schema.GroupVersionResource{Group: "karpenter.k8s.aws", Version: "v1", Resource: "ec2nodeclasses"}
)

// deployValues stand for the deploy-time values of the template's tokens.
var deployValues = map[string]string{
	"<Ref:ClusterEB0386A7>":                    "test",
	"<Ref:KarpenterNodeRoleEDDDDC23>":          "KarpenterNodeRole-test",
	"<ClusterEB0386A7.ClusterSecurityGroupId>": "sg-0123456789abcdef0",
}

var placeholder = regexp.MustCompile(`<[^<>"]+>`)

// eventProps turns a synthesized kubectl resource's properties into what
// CloudFormation sends the handler: tokens replaced by deploy-time values,
// scalars as strings.
func eventProps(t *testing.T, tmpl map[string]any, logicalID string) map[string]any {
	t.Helper()
	r, ok := tmpl["Resources"].(map[string]any)[logicalID].(map[string]any)
	if !ok {
		t.Fatalf("no resource %s", logicalID)
	}
	out := map[string]any{}
	for k, v := range r["Properties"].(map[string]any) {
		if k == "ServiceToken" || k == "RoleArn" {
			continue
		}
		if m, _ := v.(map[string]any); len(m) == 1 && m["Fn::FindInMap"] != nil {
			fim := m["Fn::FindInMap"].([]any)
			// StackObjects: the stack's declared objects, from the mapping.
			m := tmpl["Mappings"].(map[string]any)[fim[0].(string)].(map[string]any)
			v = m[fim[1].(string)].(map[string]any)[fim[2].(string)]
		}
		s := flatten(t, v)
		s = placeholder.ReplaceAllStringFunc(s, func(p string) string {
			d, ok := deployValues[p]
			if !ok {
				t.Fatalf("%s.%s: no deploy-time value for %s", logicalID, k, p)
			}
			return d
		})
		out[k] = s
	}
	return out
}

func event(typ, logicalID string, rt cfnresponse.RequestType, p map[string]any) provider.Event {
	return provider.Event{
		RequestType:        rt,
		ResponseURL:        "http://127.0.0.1:1/unused",
		StackId:            "arn:aws:cloudformation:us-east-1:123456789012:stack/test/1",
		RequestId:          fmt.Sprintf("%x", sha256.Sum256([]byte(logicalID+string(rt)+fmt.Sprint(p))))[:16],
		ResourceType:       typ,
		LogicalResourceId:  logicalID,
		ResourceProperties: p,
	}
}

// crdChartRepo serves the karpenter-crd chart shipped in testdata from a
// chart repository, as public.ecr.aws serves it over OCI.
func crdChartRepo(t *testing.T) string {
	t.Helper()
	ch, err := loader.LoadDir(filepath.Join("testdata", "karpenter-crd-1.14.1"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path, err := chartutil.Save(ch, dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	idx := repo.NewIndexFile()
	if err := idx.MustAdd(ch.Metadata, filepath.Base(path), srv.URL, ""); err != nil {
		t.Fatal(err)
	}
	if err := idx.WriteFile(filepath.Join(dir, "index.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	return srv.URL
}

// waitEstablished waits until the CRD is served (its Established
// condition), as a client does before creating objects of its kind.
func waitEstablished(t *testing.T, d dynamic.Interface, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w, err := d.Resource(crdGVR).Watch(ctx, metav1.ListOptions{FieldSelector: "metadata.name=" + name})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	for ev := range w.ResultChan() {
		u, ok := ev.Object.(*unstructured.Unstructured)
		if !ok {
			continue
		}
		conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
		for _, c := range conds {
			if cm := c.(map[string]any); cm["type"] == "Established" && cm["status"] == "True" {
				return
			}
		}
	}
	t.Fatalf("CRD %s was not established within a minute", name)
}

// TestHandlerInstallsCRDsAndAppliesTypedObjects deploys the Kubernetes side
// of a synthesized Karpenter app to a real API server: the kubectl handler
// installs the karpenter-crd chart of the pinned version (served from a
// local repository instead of public.ecr.aws), then applies the typed
// EC2NodeClasses and NodePools exactly as synthesized; the API server
// validates them against Karpenter's v1 schemas (CEL rules included).
func TestHandlerInstallsCRDsAndAppliesTypedObjects(t *testing.T) {
	env := kubeenv.Shared(t)
	_, stack, k := newKarpenter(t, karpenter.Props{})
	k.AddEC2NodeClass("default", karpenter.EC2NodeClassSpec{})
	k.AddEC2NodeClass("gpu", karpenter.EC2NodeClassSpec{
		AMISelectorTerms:    []karpenter.AMISelectorTerm{{Alias: "bottlerocket@latest"}},
		BlockDeviceMappings: []karpenter.BlockDeviceMapping{{DeviceName: "/dev/xvdb", EBS: &karpenter.BlockDevice{VolumeSize: "200Gi", VolumeType: "gp3"}}},
		MetadataOptions:     &karpenter.MetadataOptions{HTTPTokens: "required"},
		Tags:                map[string]string{"team": "ml"},
	})
	k.AddNodePool("default", karpenter.NodePoolSpec{})
	weight := int32(10)
	k.AddNodePool("gpu", karpenter.NodePoolSpec{
		Template: karpenter.NodeClaimTemplate{
			Metadata: karpenter.NodeClaimTemplateMetadata{Labels: map[string]string{"workload": "gpu"}},
			Spec: karpenter.NodeClaimTemplateSpec{
				NodeClassRef: &karpenter.NodeClassReference{Name: "gpu"},
				Requirements: []karpenter.NodeSelectorRequirementWithMinValues{
					{Key: karpenter.LabelCapacityType, Operator: corev1.NodeSelectorOpIn, Values: []string{karpenter.CapacityTypeSpot, karpenter.CapacityTypeOnDemand}},
					{Key: "karpenter.k8s.aws/instance-family", Operator: corev1.NodeSelectorOpIn, Values: []string{"g5", "g6"}, MinValues: ptr(2)},
				},
				Taints:                 []corev1.Taint{{Key: "nvidia.com/gpu", Value: "true", Effect: corev1.TaintEffectNoSchedule}},
				ExpireAfter:            "Never",
				TerminationGracePeriod: "48h",
			},
		},
		Disruption: karpenter.Disruption{
			ConsolidationPolicy: karpenter.ConsolidationPolicyWhenEmpty,
			ConsolidateAfter:    "5m",
			Budgets:             []karpenter.Budget{{Nodes: "20%"}, {Nodes: "0", Schedule: "0 9 * * mon-fri", Duration: "8h", Reasons: []string{"Drifted"}}},
		},
		Limits: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("64"), "nvidia.com/gpu": resource.MustParse("8")},
		Weight: &weight,
	})
	tmpl := synthtest.Template(t, stack)

	h := kubectl.New(aws.Config{Region: "us-east-1"})
	h.Connect = func(context.Context, auth.Cluster) (*rest.Config, error) {
		rc := env.RestConfig()
		auth.Tune(rc)
		return rc, nil
	}
	h.TuneApply = func(c *apply.Client) { c.PollInterval = 100 * time.Millisecond }
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	create := func(typ, id string, p map[string]any) error {
		_, err := h.OnEvent(ctx, event(typ, id, cfnresponse.Create, p))
		return err
	}

	// The CRD chart, as synthesized but from the local repository.
	p := eventProps(t, tmpl, "KarpenterCrdChart70DB6642")
	if p["Chart"] != "oci://public.ecr.aws/karpenter/karpenter-crd" || p["Version"] != "1.14.1" {
		t.Fatalf("CRD chart properties %v", p)
	}
	p["Chart"], p["Repository"] = "karpenter-crd", crdChartRepo(t)
	if err := create(kubectl.TypeHelmChart, "KarpenterCrdChart70DB6642", p); err != nil {
		t.Fatalf("installing the karpenter-crd chart: %v", err)
	}
	d, err := dynamic.NewForConfig(env.RestConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, crd := range []string{"nodepools.karpenter.sh", "ec2nodeclasses.karpenter.k8s.aws", "nodeclaims.karpenter.sh"} {
		waitEstablished(t, d, crd)
	}

	// The typed objects, in the template's dependency order.
	manifests := ofType(tmpl, kubectl.TypeManifest)
	for _, id := range []string{
		"KarpenterEC2NodeClassdefault808EEB38", "KarpenterEC2NodeClassgpuB603FEB7",
		"KarpenterNodePooldefault67091F25", "KarpenterNodePoolgpu5DB05306",
	} {
		if _, ok := manifests[id]; !ok {
			t.Fatalf("no manifest %s: %v", id, logicalIDs(manifests))
		}
		if err := create(kubectl.TypeManifest, id, eventProps(t, tmpl, id)); err != nil {
			t.Fatalf("%s rejected: %v", id, err)
		}
	}

	get := func(gvr schema.GroupVersionResource, name string) *unstructured.Unstructured {
		u, err := d.Resource(gvr).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	nc := get(ec2NodeClassGVR, "default")
	if role, _, _ := unstructured.NestedString(nc.Object, "spec", "role"); role != "KarpenterNodeRole-test" {
		t.Errorf("EC2NodeClass role %q", role)
	}
	// Defaults of Karpenter's schema were applied by the API server.
	if hops, _, _ := unstructured.NestedInt64(nc.Object, "spec", "metadataOptions", "httpPutResponseHopLimit"); hops != 1 {
		t.Errorf("schema defaults not applied to the EC2NodeClass: %v", nc.Object["spec"])
	}
	gpu := get(nodePoolGVR, "gpu")
	if w, _, _ := unstructured.NestedInt64(gpu.Object, "spec", "weight"); w != 10 {
		t.Errorf("NodePool gpu weight %d", w)
	}
	if lim, _, _ := unstructured.NestedStringMap(gpu.Object, "spec", "limits"); lim["nvidia.com/gpu"] != "8" {
		t.Errorf("NodePool gpu limits %v", lim)
	}
	def := get(nodePoolGVR, "default")
	if budgets, _, _ := unstructured.NestedSlice(def.Object, "spec", "disruption", "budgets"); len(budgets) != 1 || budgets[0].(map[string]any)["nodes"] != "10%" {
		t.Errorf("schema default budget not applied: %v", budgets)
	}

	// Schema validation is on: what this package's checks would have
	// refused at synthesis is refused by the API server too.
	bad := eventProps(t, tmpl, "KarpenterNodePooldefault67091F25")
	bad["Manifest"] = strings.Replace(strings.Replace(bad["Manifest"].(string), `"name":"default"}`, `"name":"invalid"}`, 1), "WhenEmptyOrUnderutilized", "Aggressive", 1)
	err = create(kubectl.TypeManifest, "InvalidNodePool", bad)
	if err == nil || !strings.Contains(err.Error(), "consolidationPolicy") {
		t.Errorf("an invalid NodePool was not refused by the schema: %v", err)
	}
	badClass := eventProps(t, tmpl, "KarpenterEC2NodeClassgpuB603FEB7")
	badClass["Manifest"] = strings.Replace(badClass["Manifest"].(string), `"name":"gpu"}`, `"name":"invalid"}`, 1)
	badClass["Manifest"] = regexp.MustCompile(`"subnetSelectorTerms":\[[^\]]*\]`).ReplaceAllString(badClass["Manifest"].(string), `"subnetSelectorTerms":[{}]`)
	err = create(kubectl.TypeManifest, "InvalidEC2NodeClass", badClass)
	if err == nil || !strings.Contains(err.Error(), "expected at least one") {
		t.Errorf("an EC2NodeClass whose subnet term selects nothing was not refused: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

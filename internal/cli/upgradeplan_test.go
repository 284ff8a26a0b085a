package cli_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awseks "github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// eksExtras serves the EKS calls moto lacks, in the wire shapes of the EKS
// REST-JSON API that aws-sdk-go-v2 reads — ListInsights (POST
// /clusters/{name}/insights), ListAddons (GET /clusters/{name}/addons),
// DescribeAddon (GET /clusters/{name}/addons/{addon}) and
// DescribeAddonVersions (GET /addons/supported-versions) — and passes every
// other request (EKS clusters and node groups, STS, CloudFormation) to
// moto.
type eksExtras struct {
	insights []map[string]any            // ListInsights "insights"
	addons   map[string]string           // add-on name -> installed version
	versions map[string][]map[string]any // add-on name -> "addonVersions"
}

func (e *eksExtras) start(t *testing.T, moto *motoserver.Server) string {
	t.Helper()
	target, err := url.Parse(moto.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		reply := func(v any) {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(v)
		}
		switch {
		case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "clusters" && parts[2] == "insights":
			var in struct {
				Filter struct {
					KubernetesVersions []string `json:"kubernetesVersions"`
					Categories         []string `json:"categories"`
				} `json:"filter"`
			}
			json.NewDecoder(r.Body).Decode(&in)
			var out []map[string]any
			for _, ins := range e.insights {
				for _, v := range in.Filter.KubernetesVersions {
					if ins["kubernetesVersion"] == v {
						out = append(out, ins)
					}
				}
			}
			reply(map[string]any{"insights": out})
		case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "clusters" && parts[2] == "addons":
			names := []string{}
			for n := range e.addons {
				names = append(names, n)
			}
			reply(map[string]any{"addons": names})
		case r.Method == http.MethodGet && len(parts) == 4 && parts[0] == "clusters" && parts[2] == "addons":
			reply(map[string]any{"addon": map[string]any{"addonName": parts[3], "clusterName": parts[1], "addonVersion": e.addons[parts[3]], "status": "ACTIVE"}})
		case r.Method == http.MethodGet && r.URL.Path == "/addons/supported-versions":
			name, kv := r.URL.Query().Get("addonName"), r.URL.Query().Get("kubernetesVersion")
			var versions []map[string]any
			for _, v := range e.versions[name] {
				for _, c := range v["compatibilities"].([]map[string]any) {
					if c["clusterVersion"] == kv {
						versions = append(versions, v)
						break
					}
				}
			}
			reply(map[string]any{"addons": []map[string]any{{"addonName": name, "type": "networking", "addonVersions": versions}}})
		default:
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func addonVersion(v string, clusterVersions map[string]bool) map[string]any {
	var compat []map[string]any
	for cv, def := range clusterVersions {
		compat = append(compat, map[string]any{"clusterVersion": cv, "platformVersions": []string{"*"}, "defaultVersion": def})
	}
	return map[string]any{"addonVersion": v, "architecture": []string{"amd64", "arm64"}, "compatibilities": compat, "requiresConfiguration": false}
}

// eksCluster creates a cluster and node groups in moto.
func eksCluster(t *testing.T, srv *motoserver.Server, name, version string, nodegroups map[string][2]string) {
	t.Helper()
	cfg, err := srv.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	api := awseks.NewFromConfig(cfg)
	_, err = api.CreateCluster(t.Context(), &awseks.CreateClusterInput{Name: &name, Version: &version,
		RoleArn:            aws.String("arn:aws:iam::123456789012:role/eks"),
		ResourcesVpcConfig: &ekstypes.VpcConfigRequest{SubnetIds: []string{"subnet-1", "subnet-2"}}})
	if err != nil {
		t.Fatal(err)
	}
	for ng, va := range nodegroups {
		_, err := api.CreateNodegroup(t.Context(), &awseks.CreateNodegroupInput{ClusterName: &name, NodegroupName: aws.String(ng),
			NodeRole: aws.String("arn:aws:iam::123456789012:role/node"), Subnets: []string{"subnet-1"},
			Version: aws.String(va[0]), AmiType: ekstypes.AMITypes(va[1])})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// upgradeApp is a stack with a cluster (not deployed: its literal Name
// names it) and a manifest whose FlowSchema uses an API removed in 1.32.
func upgradeApp(stack, cluster string) func(*cdk.App) {
	return func(app *cdk.App) {
		st := cdk.NewStack(app, stack, cdk.StackProps{})
		cdk.NewCfnParameter(st, "NodesAmi", cdk.CfnParameterProps{Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
			Default: "/aws/service/eks/optimized-ami/1.29/amazon-linux-2023/x86_64/standard/recommended/image_id"})
		c := cdk.NewConstruct(st, "Cluster")
		cdk.NewCfnResource(c, "Resource", cdk.CfnResourceProps{Type: "AWS::EKS::Cluster", Properties: map[string]any{"Name": cluster, "RoleArn": "arn:aws:iam::123456789012:role/eks", "ResourcesVpcConfig": map[string]any{"SubnetIds": []any{"subnet-1"}}}})
		m := cdk.NewConstruct(c, "manifest-flow")
		cdk.NewCfnResource(m, "Resource", cdk.CfnResourceProps{Type: "Custom::AWSCDK-EKS-KubernetesResource", Properties: map[string]any{
			"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:kubectl", "ClusterName": cluster,
			"Manifest": `[{"apiVersion":"flowcontrol.apiserver.k8s.io/v1beta3","kind":"FlowSchema","metadata":{"name":"batch"}},{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"legacy","namespace":"default"}}]`,
		}})
	}
}

// TestUpgradePlanOrdersTheSteps plans 1.32 -> 1.33 for a cluster with an
// upgrade insight in ERROR, an add-on to update and one already
// compatible, a node group on AL2 and one 4 minors behind, and an app
// whose manifest uses a removed API, self-managed nodes on a 1.29 AMI:
// every blocker is named and the plan
// lists control plane, add-ons, node groups in that order.
func TestUpgradePlanOrdersTheSteps(t *testing.T) {
	t.Parallel()
	moto := motoserver.Shared(t)
	env := kubeenv.Start(t)
	name := strings.ToLower(unique("plan"))
	eksCluster(t, moto, name, "1.32", map[string][2]string{"old": {"1.29", "AL2023_x86_64_STANDARD"}, "workers": {"1.32", "AL2_x86_64"}})
	extras := &eksExtras{
		insights: []map[string]any{
			{"id": "i-1", "name": "Deprecated APIs removed in Kubernetes v1.33", "category": "UPGRADE_READINESS", "kubernetesVersion": "1.33", "description": "Checks for usage of deprecated APIs", "insightStatus": map[string]any{"status": "ERROR", "reason": "Deprecated API usage detected within last 30 days"}},
			{"id": "i-2", "name": "Kubelet version skew", "category": "UPGRADE_READINESS", "kubernetesVersion": "1.33", "insightStatus": map[string]any{"status": "PASSING", "reason": "No issues found"}},
			{"id": "i-3", "name": "Cluster health issues", "category": "UPGRADE_READINESS", "kubernetesVersion": "1.32", "insightStatus": map[string]any{"status": "ERROR", "reason": "for another version"}},
		},
		addons: map[string]string{"vpc-cni": "v1.19.0-eksbuild.1", "coredns": "v1.11.4-eksbuild.2"},
		versions: map[string][]map[string]any{
			"vpc-cni": {addonVersion("v1.19.5-eksbuild.1", map[string]bool{"1.33": true, "1.32": false}), addonVersion("v1.19.0-eksbuild.1", map[string]bool{"1.32": true})},
			"coredns": {addonVersion("v1.11.4-eksbuild.2", map[string]bool{"1.33": true, "1.32": true})},
		},
	}
	ep := extras.start(t, moto)
	asm := synth(t, upgradeApp("PlanApp", name))
	res := run(t, runner(moto, motoserver.Region), "upgrade-plan", "--app", asm, "--endpoint-url", ep, "--to", "1.33", "--kubeconfig", env.KubeconfigPath(), "--fail")
	res.expect(t, 1, "stdout",
		"Cluster "+name+" (ClusterEB0386A7 in stack PlanApp): 1.32 -> 1.33\nChecks\n",
		`  blocker  upgrade insight "Deprecated APIs removed in Kubernetes v1.33": ERROR: Deprecated API usage detected within last 30 days`,
		`  ok       upgrade insight "Kubelet version skew": PASSING: No issues found`,
		"  ok       add-on coredns v1.11.4-eksbuild.2 is compatible with 1.33",
		"  warning  add-on vpc-cni v1.19.0-eksbuild.1 is not compatible with 1.33",
		"  blocker  node group old is at 1.29: after the upgrade it would be 4 minor versions behind 1.33 (at most 3 are supported): upgrade it to 1.32 first",
		"  blocker  node group workers uses AMI type AL2_x86_64, which EKS does not publish for Kubernetes 1.33 and later",
		"  ok       live objects checked for the API versions 1.33 removes (0 objects of 0 kinds served now)",
		"  blocker  app: flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema batch in PlanApp/Cluster/manifest-flow: flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is not served by Kubernetes 1.33 (removed in 1.32): use flowcontrol.apiserver.k8s.io/v1 FlowSchema",
		"  warning  app: v1 Endpoints default/legacy in PlanApp/Cluster/manifest-flow: v1 Endpoints is deprecated in Kubernetes 1.33",
		"Plan\n  1. control plane 1.32 -> 1.33: set the cluster's Version to eks.V1_33 and deploy (UpdateClusterVersion)\n  2. add-on vpc-cni v1.19.0-eksbuild.1 -> v1.19.5-eksbuild.1 (the default for 1.33): set its Version and deploy (UpdateAddon)\n  3. node group old 1.29 -> 1.33",
		"\n  4. node group workers 1.32 -> 1.33",
		"  blocker  self-managed capacity on /aws/service/eks/optimized-ami/1.29/amazon-linux-2023/x86_64/standard/recommended/image_id (parameter NodesAmi) runs Kubernetes 1.29: after the upgrade it would be 4 minor versions behind 1.33",
		"\n  5. self-managed capacity (parameter NodesAmi) 1.29 -> 1.33",
		"Blockers: 5")
	if strings.Contains(res.stdout, "for another version") {
		t.Error("an insight for another Kubernetes version is reported")
	}
}

// TestUpgradePlanOneMinorAtATime refuses to plan past the next minor.
func TestUpgradePlanOneMinorAtATime(t *testing.T) {
	t.Parallel()
	moto := motoserver.Shared(t)
	name := strings.ToLower(unique("skip"))
	eksCluster(t, moto, name, "1.31", nil)
	asm := synth(t, upgradeApp("SkipApp", name))
	res := run(t, runner(moto, motoserver.Region), "upgrade-plan", "--app", asm, "--endpoint-url", moto.Endpoint(), "--to", "1.33", "--fail")
	res.expect(t, 1, "stdout", "1.31 -> 1.33", "blocker  EKS upgrades the control plane one minor version at a time: plan 1.32 first (--to 1.32), deploy it, then plan the next", "Blockers: 1")
	if strings.Contains(res.stdout, "Plan\n") {
		t.Error("a plan was printed for a skipped minor version")
	}
	res = run(t, runner(moto, motoserver.Region), "upgrade-plan", "--app", asm, "--endpoint-url", moto.Endpoint(), "--to", "1.31")
	res.expect(t, 0, "stdout", "ok       the control plane is already at 1.31", "Blockers: 0")
}

func TestUpgradePlanUsage(t *testing.T) {
	t.Parallel()
	res := run(t, nil, "upgrade-plan")
	res.expect(t, 2, "stderr", "--to is required")
	res = run(t, nil, "upgrade-plan", "--to", "v1.33")
	res.expect(t, 2, "stderr", `--to must be a Kubernetes version such as 1.34, not "v1.33"`)
}

// TestUpgradePlanLiveObjectsOnRemovedAPIs plans 1.31 -> 1.32, which removes
// flowcontrol.apiserver.k8s.io/v1beta3, against the real API server.
// kube-apiserver 1.37 no longer serves v1beta3, so the FlowSchemas are
// written through v1, one with the last-applied-configuration annotation
// `kubectl apply` leaves after applying a v1beta3 file. (A managedFields
// entry of v1beta3 cannot be planted: the server drops the entries of
// versions it cannot convert to on the next write; the managedFields record
// is tested with a CustomResourceDefinition serving two versions, in
// TestUpgradePlanLiveManagedFields.) Objects written through v1 only — the
// API server's own FlowSchemas included — are not reported.
func TestUpgradePlanLiveObjectsOnRemovedAPIs(t *testing.T) {
	t.Parallel()
	moto := motoserver.Shared(t)
	env := kubeenv.Start(t)
	name := strings.ToLower(unique("live"))
	eksCluster(t, moto, name, "1.31", nil)
	ep := (&eksExtras{addons: map[string]string{}}).start(t, moto)

	dyn, err := dynamic.NewForConfig(env.RestConfig())
	if err != nil {
		t.Fatal(err)
	}
	fs := dyn.Resource(schema.GroupVersionResource{Group: "flowcontrol.apiserver.k8s.io", Version: "v1", Resource: "flowschemas"})
	create := func(ri dynamic.ResourceInterface, obj map[string]any) {
		t.Helper()
		if _, err := ri.Create(t.Context(), &unstructured.Unstructured{Object: obj}, metav1.CreateOptions{FieldManager: "creator"}); err != nil {
			t.Fatal(err)
		}
	}
	flow := func(name string, annotations map[string]any) map[string]any {
		md := map[string]any{"name": name}
		if annotations != nil {
			md["annotations"] = annotations
		}
		return map[string]any{"apiVersion": "flowcontrol.apiserver.k8s.io/v1", "kind": "FlowSchema", "metadata": md,
			"spec": map[string]any{"priorityLevelConfiguration": map[string]any{"name": "global-default"}, "matchingPrecedence": int64(5000)}}
	}
	lastApplied := func(apiVersion, name string) map[string]any {
		return map[string]any{"kubectl.kubernetes.io/last-applied-configuration": `{"apiVersion":"` + apiVersion + `","kind":"FlowSchema","metadata":{"name":"` + name + `"},"spec":{"priorityLevelConfiguration":{"name":"global-default"}}}` + "\n"}
	}
	create(fs, flow("batch-kubectl", lastApplied("flowcontrol.apiserver.k8s.io/v1beta3", "batch-kubectl")))
	create(fs, flow("batch-current", lastApplied("flowcontrol.apiserver.k8s.io/v1", "batch-current")))

	asm := synth(t, upgradeApp("LiveApp", name))
	res := run(t, runner(moto, motoserver.Region), "upgrade-plan", "--app", asm, "--endpoint-url", ep, "--to", "1.32", "--kubeconfig", env.KubeconfigPath(), "--fail")
	res.expect(t, 1, "stdout",
		"Cluster "+name+" (ClusterEB0386A7 in stack LiveApp): 1.31 -> 1.32\n",
		"  blocker  live FlowSchema batch-kubectl is written through flowcontrol.apiserver.k8s.io/v1beta3 by kubectl apply (its kubectl.kubernetes.io/last-applied-configuration annotation): flowcontrol.apiserver.k8s.io/v1beta3 is removed in 1.32: use flowcontrol.apiserver.k8s.io/v1 FlowSchema",
		"  ok       live objects checked for the API versions 1.32 removes (",
		" of 2 kinds served now)",
		"  blocker  app: flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema batch in LiveApp/Cluster/manifest-flow",
		"Blockers: 2")
	if strings.Contains(res.stdout, "batch-current") || strings.Contains(res.stdout, "FlowSchema exempt") || strings.Contains(res.stdout, "global-default") {
		t.Errorf("objects written through v1 only are reported:\n%s", res.stdout)
	}
}

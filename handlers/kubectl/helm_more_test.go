//go:build !nohelm

package kubectl_test

// Tests of Helm releases that live beside the manifest tests they extend;
// the handler built with -tags nohelm refuses charts
// (nohelm_test.go).

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/handlers/kubectl/helm"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// withHelm is true in the handler built with the Helm SDK.
const withHelm = true

// testChartRepo serves the demo chart 0.1.0 and returns the repository's URL.
func testChartRepo(t *testing.T) string {
	url, _ := chartRepo(t, demoChart("0.1.0", false))
	return url
}

func TestHelmChartFromS3Asset(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	_, archives := chartRepo(t, demoChart("0.4.0", false))
	cfg, err := motoserver.Shared(t).AWSConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	bucket := fmt.Sprintf("charts-%d", time.Now().UnixNano())
	key := "demo-0.4.0.tgz"
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: bytes.NewReader(archives["0.4.0"])}); err != nil {
		t.Fatal(err)
	}
	p := map[string]any{"Release": "asset", "ChartAsset": map[string]any{"Bucket": bucket, "Key": key}, "Namespace": ns, "Values": `{"v":"s3"}`}
	r := mustRun(t, h, ev(t, kubectl.TypeHelmChart, cfnresponse.Create, p, nil))
	if got := cmValue(t, env, ns, "asset-cm"); got != "s3@0.4.0" || r.Data["Revision"] != "1" {
		t.Errorf("installed from S3: %s, %+v", got, r)
	}
	del := ev(t, kubectl.TypeHelmChart, cfnresponse.Delete, p, nil)
	del.PhysicalResourceId = r.PhysicalResourceId
	mustRun(t, h, del)
}

// releases is what the charts of a stack declare in one template: chart →
// its release (namespace/name).
type releases map[*cfnResource][2]string

func (d releases) stackObjects(t *testing.T) string {
	t.Helper()
	out := map[string][]string{}
	for r, rel := range d {
		out[r.addr()] = []string{kubectl.ReleaseKeyHash(rel[0], rel[1])}
	}
	return jsonString(t, out)
}

// checkRelease fails unless the release's last revision is owned by owner
// with previous owner prev ("" for none).
func checkRelease(t *testing.T, env *kubeenv.Env, ns, name string, owner, prev *cfnResource) {
	t.Helper()
	got, err := (&helm.Client{Rest: env.RestConfig()}).Owner(name, ns)
	if err != nil || !got.Exists {
		t.Fatalf("release %s/%s: %+v, %v", ns, name, got, err)
	}
	if got.Owner != owner.ownerLabel() {
		t.Errorf("release %s owner %s, want %s's %s", name, got.Owner, owner.logical, owner.ownerLabel())
	}
	want := ""
	if prev != nil {
		want = prev.ownerLabel()
	}
	if got.Previous != want {
		t.Errorf("release %s previous owner %q, want %q", name, got.Previous, want)
	}
}

// TestOwnershipHelmRename renames a chart's construct, keeping its release
// name, as CloudFormation's event sequences: carried through (the new
// resource's Create takes the release over, the old resource's Delete at
// cleanup leaves it installed), and rolled back (the new resource's
// rollback Delete gives the release back to the old one, rolled back to its
// revision, instead of uninstalling it).
func TestOwnershipHelmRename(t *testing.T) {
	t.Parallel()
	url, _ := chartRepo(t, demoChart("0.1.0", false))
	t.Run("carried through", func(t *testing.T) {
		t.Parallel()
		h, env := newHandler(t)
		ns := namespace(t, env)
		chartProps := func(v string, d releases) map[string]any {
			return map[string]any{"Release": "kept", "Chart": "demo", "Repository": url, "Namespace": ns, "Values": `{"v":"` + v + `"}`,
				"StackObjects": d.stackObjects(t)}
		}
		old := newResource(t, h, testStack, "OldChart", kubectl.TypeHelmChart)
		renamed := newResource(t, h, testStack, "NewChart", kubectl.TypeHelmChart)
		old.create(chartProps("a", releases{old: {ns, "kept"}}))
		uid := uidOf(t, env, ns, "kept-cm")

		v2 := releases{renamed: {ns, "kept"}}
		renamed.create(chartProps("a", v2)) // same chart and values: only the owner changes
		checkRelease(t, env, ns, "kept", renamed, old)
		old.remove() // cleanup: lets go
		checkCM(t, env, ns, "kept-cm", cmState{uid: uid, data: map[string]any{"v": "a", "chart": "0.1.0"}})
		checkRelease(t, env, ns, "kept", renamed, nil)

		renamed.update(chartProps("b", v2))
		checkCM(t, env, ns, "kept-cm", cmState{uid: uid, data: map[string]any{"v": "b", "chart": "0.1.0"}})
		checkRelease(t, env, ns, "kept", renamed, nil)
		renamed.remove()
		if get(t, env, cmGVR, ns, "kept-cm") != nil {
			t.Error("the owner's Delete did not uninstall the release")
		}
	})
	t.Run("rolled back", func(t *testing.T) {
		t.Parallel()
		h, env := newHandler(t)
		ns := namespace(t, env)
		chartProps := func(v string, d releases) map[string]any {
			return map[string]any{"Release": "kept", "Chart": "demo", "Repository": url, "Namespace": ns, "Values": `{"v":"` + v + `"}`,
				"StackObjects": d.stackObjects(t)}
		}
		old := newResource(t, h, testStack, "OldChart", kubectl.TypeHelmChart)
		renamed := newResource(t, h, testStack, "NewChart", kubectl.TypeHelmChart)
		old.create(chartProps("a", releases{old: {ns, "kept"}}))
		uid := uidOf(t, env, ns, "kept-cm")

		renamed.create(chartProps("b", releases{renamed: {ns, "kept"}})) // the rename also changes a value
		checkCM(t, env, ns, "kept-cm", cmState{uid: uid, data: map[string]any{"v": "b", "chart": "0.1.0"}})
		checkRelease(t, env, ns, "kept", renamed, old)
		renamed.remove() // the rollback: Old is still in the stack
		checkCM(t, env, ns, "kept-cm", cmState{uid: uid, data: map[string]any{"v": "a", "chart": "0.1.0"}})
		checkRelease(t, env, ns, "kept", old, nil)

		old.remove() // later, its own Delete uninstalls it
		if get(t, env, cmGVR, ns, "kept-cm") != nil {
			t.Error("the owner's Delete did not uninstall the release")
		}
	})
}

// TestTeardownHelmReleaseLoadBalancerFirst uninstalls a release whose
// chart holds a controller and a Service of type LoadBalancer: the Service
// and its load balancer must be gone before Helm uninstalls the rest.
func TestTeardownHelmReleaseLoadBalancerFirst(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ctx := context.Background()
	cfg, err := motoserver.Shared(t).AWSConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	watcher := &describeWatcher{Client: elbv2.NewFromConfig(cfg), answered: make(chan int, 16)}
	h.LoadBalancers = watcher
	h.LoadBalancerPollInterval = 100 * time.Millisecond
	ns := "helm-lb-" + fmt.Sprint(time.Now().UnixNano()%100000)
	cluster := fmt.Sprintf("teardown-helm-%d", time.Now().UnixNano())

	tpl := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-controller\nspec:\n  selector:\n    matchLabels: {app: c}\n" +
		"  template:\n    metadata:\n      labels: {app: c}\n    spec:\n      containers: [{name: c, image: nginx}]\n" +
		"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-lb\n  finalizers: [service.kubernetes.io/load-balancer-cleanup]\n" +
		"spec:\n  type: LoadBalancer\n  selector: {app: c}\n  ports: [{port: 80}]\n"
	ch := &chart.Chart{
		Metadata:  &chart.Metadata{APIVersion: chart.APIVersionV2, Name: "lb", Version: "0.1.0"},
		Templates: []*common.File{{Name: "templates/all.yaml", Data: []byte(tpl), ModTime: time.Unix(0, 0)}},
	}
	url, _ := chartRepo(t, ch)
	p := map[string]any{"Release": "edge", "Chart": "lb", "Repository": url, "Namespace": ns, "CreateNamespace": "true",
		"Timeout": "1m0s", "ClusterName": cluster}
	r := mustRun(t, h, ev(t, kubectl.TypeHelmChart, cfnresponse.Create, p, nil))
	if get(t, env, svcGVR, ns, "edge-lb") == nil {
		t.Fatal("the chart's Service was not installed")
	}
	suffix := fmt.Sprintf("%x", time.Now().UnixNano())[:8]
	ours := motoLoadBalancer(t, watcher.Client, "k8s-edge-"+suffix, map[string]string{"elbv2.k8s.aws/cluster": cluster, "service.k8s.aws/stack": ns + "/edge-lb"})

	cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	done := playLoadBalancerController(cctx, t, env, ns, "edge-lb", "edge-controller", watcher, ours)
	del := ev(t, kubectl.TypeHelmChart, cfnresponse.Delete, p, nil)
	del.PhysicalResourceId = r.PhysicalResourceId
	mustRun(t, h, del)
	if s := <-done; s.err != nil {
		t.Fatalf("test controller: %v", s.err)
	} else if !s.controllerAtFinalizer || !s.controllerAtLoadBalancer {
		t.Errorf("the chart's controller was uninstalled before the Service's load balancer was gone: %+v", s)
	}
	if get(t, env, svcGVR, ns, "edge-lb") != nil || get(t, env, deployGVR, ns, "edge-controller") != nil {
		t.Error("objects left after the uninstall")
	}
}

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

// TestOwnershipHelmRename renames a chart's construct, keeping its release
// name: the new resource's Create upgrades the release and records itself
// as owner; the old resource's Delete at cleanup leaves it installed.
func TestOwnershipHelmRename(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	url, _ := chartRepo(t, demoChart("0.1.0", false))
	chartProps := func(v string) map[string]any {
		return map[string]any{"Release": "kept", "Chart": "demo", "Repository": url, "Namespace": ns, "Values": `{"v":"` + v + `"}`}
	}
	old := newResource(t, h, testStack, "OldChart", kubectl.TypeHelmChart)
	old.create(chartProps("a"))
	uid := uidOf(t, env, ns, "kept-cm")

	renamed := newResource(t, h, testStack, "NewChart", kubectl.TypeHelmChart)
	renamed.create(chartProps("a")) // same chart and values: only the owner changes
	old.remove()
	checkCM(t, env, ns, "kept-cm", cmState{uid: uid, data: map[string]any{"v": "a", "chart": "0.1.0"}})
	c := &helm.Client{Rest: env.RestConfig()}
	owner, exists, err := c.Owner("kept", ns)
	if err != nil || !exists || owner == "" {
		t.Fatalf("release owner %q, exists %v, error %v", owner, exists, err)
	}

	renamed.update(chartProps("b"))
	checkCM(t, env, ns, "kept-cm", cmState{uid: uid, data: map[string]any{"v": "b", "chart": "0.1.0"}})
	if again, _, _ := c.Owner("kept", ns); again != owner {
		t.Errorf("an upgrade changed the owner from %s to %s", owner, again)
	}
	renamed.remove()
	if get(t, env, cmGVR, ns, "kept-cm") != nil {
		t.Error("the owner's Delete did not uninstall the release")
	}
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

package kubectl_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// emptyBucket makes an S3 bucket in moto holding nothing: every key in it
// is a missing asset.
func emptyBucket(t *testing.T) string {
	t.Helper()
	cfg, err := motoserver.Shared(t).AWSConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	bucket := fmt.Sprintf("assets-%d", time.Now().UnixNano())
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		t.Fatal(err)
	}
	return bucket
}

func pruneLabel(t *testing.T) string {
	return "aws.cdk.eks/prune-c8" + fmt.Sprintf("%x", time.Now().UnixNano())[:10] + strings.Repeat("0", 2)
}

func TestTeardownDeleteWithMissingAsset(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	bucket := emptyBucket(t)
	for _, tc := range []struct {
		name  string
		asset map[string]any
	}{
		{"missing key", map[string]any{"Bucket": bucket, "Key": "manifest-deleted.json"}},
		{"missing bucket", map[string]any{"Bucket": bucket + "-gone", "Key": "manifest.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ns := namespace(t, env)
			label := pruneLabel(t)
			objs := []any{configMap(ns, "one", nil), deployment(ns, "web"), service(ns, "web")}
			create := ev(t, kubectl.TypeManifest, cfnresponse.Create, map[string]any{"Manifest": jsonString(t, objs), "PruneLabel": label}, nil)
			r := mustRun(t, h, create)
			// Someone else's object in the same namespace, without the label.
			mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, map[string]any{"Manifest": jsonString(t, []any{configMap(ns, "foreign", nil)})}, nil))

			del := ev(t, kubectl.TypeManifest, cfnresponse.Delete, map[string]any{"ManifestAsset": tc.asset, "PruneLabel": label}, nil)
			del.PhysicalResourceId = r.PhysicalResourceId
			if got := mustRun(t, h, del); got.PhysicalResourceId != r.PhysicalResourceId {
				t.Errorf("Delete answered ID %q, want %q", got.PhysicalResourceId, r.PhysicalResourceId)
			}
			if get(t, env, cmGVR, ns, "one") != nil || get(t, env, deployGVR, ns, "web") != nil || get(t, env, svcGVR, ns, "web") != nil {
				t.Error("objects carrying the prune label were left after the Delete")
			}
			if get(t, env, cmGVR, ns, "foreign") == nil {
				t.Error("the Delete removed an object without the prune label")
			}
		})
	}
}

func TestTeardownDeleteWithMissingAssetAndNoLabel(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	objs := []any{configMap(ns, "one", nil)}
	r := mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, map[string]any{"Manifest": jsonString(t, objs)}, nil))
	del := ev(t, kubectl.TypeManifest, cfnresponse.Delete, map[string]any{"ManifestAsset": map[string]any{"Bucket": emptyBucket(t), "Key": "gone.json"}}, nil)
	del.PhysicalResourceId = r.PhysicalResourceId
	mustRun(t, h, del)
	if get(t, env, cmGVR, ns, "one") == nil {
		t.Error("without a prune label nothing identifies the objects, yet one was deleted")
	}
}

func TestTeardownUpdateWithUnreadableOldManifest(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	label := pruneLabel(t)
	v1 := []any{configMap(ns, "keep", nil), configMap(ns, "drop", nil), deployment(ns, "gone")}
	r := mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, map[string]any{"Manifest": jsonString(t, v1), "PruneLabel": label}, nil))

	// The new manifest has only "keep", of a kind (ConfigMap) the old one
	// shared, and a Service of a kind the old one lacked; the old manifest's
	// asset is gone, so its Deployment's kind is known only to the cluster.
	v2 := []any{configMap(ns, "keep", map[string]any{"x": "y"}), service(ns, "new")}
	oldProps := map[string]any{"ManifestAsset": map[string]any{"Bucket": emptyBucket(t), "Key": "old.json"}, "PruneLabel": label}
	up := ev(t, kubectl.TypeManifest, cfnresponse.Update, map[string]any{"Manifest": jsonString(t, v2), "PruneLabel": label}, oldProps)
	up.PhysicalResourceId = r.PhysicalResourceId
	mustRun(t, h, up)
	if cm := get(t, env, cmGVR, ns, "keep"); cm == nil || cm.Object["data"].(map[string]any)["x"] != "y" {
		t.Errorf("the new manifest was not applied: %v", cm)
	}
	if get(t, env, svcGVR, ns, "new") == nil {
		t.Error("the new manifest's Service is missing")
	}
	if get(t, env, cmGVR, ns, "drop") != nil || get(t, env, deployGVR, ns, "gone") != nil {
		t.Error("objects of the old manifest carrying the label were not pruned")
	}
}

// describeWatcher is the ELBv2 client of the handler in a test: moto's,
// reporting each DescribeLoadBalancers answer (how many load balancers it
// listed) once it has been given.
type describeWatcher struct {
	*elbv2.Client
	answered chan int
}

func (d *describeWatcher) DescribeLoadBalancers(ctx context.Context, in *elbv2.DescribeLoadBalancersInput, opts ...func(*elbv2.Options)) (*elbv2.DescribeLoadBalancersOutput, error) {
	out, err := d.Client.DescribeLoadBalancers(ctx, in, opts...)
	if err == nil {
		select {
		case d.answered <- len(out.LoadBalancers):
		default:
		}
	}
	return out, err
}

// motoSubnets returns the IDs of moto's default subnets (moto makes a
// default VPC per region), read with EC2's query API.
func motoSubnets(t *testing.T) []string {
	t.Helper()
	srv := motoserver.Shared(t)
	req, err := http.NewRequest(http.MethodGet, srv.Endpoint()+"/?Action=DescribeSubnets&Version=2016-11-15", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/"+motoserver.Region+"/ec2/aws4_request, SignedHeaders=host, Signature=x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var ids []string
	for _, m := range regexp.MustCompile(`<subnetId>(subnet-[0-9a-f]+)</subnetId>`).FindAllStringSubmatch(string(body), -1) {
		ids = append(ids, m[1])
	}
	if len(ids) < 2 {
		t.Fatalf("moto lists %d subnets: %s", len(ids), body)
	}
	return ids[:2]
}

// TestTeardownLoadBalancerFirst deletes a manifest holding a controller
// (a Deployment) and a Service of type LoadBalancer whose load balancer is
// in moto's ELBv2, tagged for the cluster as the AWS Load Balancer
// Controller tags it. A test controller plays the load balancer
// controller: once it sees the Service being deleted it removes its
// finalizer, and once the handler has listed the load balancers it deletes
// the load balancer. The Delete must take the Service first, wait for its
// finalizer and for the load balancer, and only then delete the
// controller.
func TestTeardownLoadBalancerFirst(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	cluster := fmt.Sprintf("teardown-%d", time.Now().UnixNano())
	ctx := context.Background()
	cfg, err := motoserver.Shared(t).AWSConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	watcher := &describeWatcher{Client: elbv2.NewFromConfig(cfg), answered: make(chan int, 16)}
	h.LoadBalancers = watcher
	h.LoadBalancerPollInterval = 100 * time.Millisecond

	lb := func(name string, tags map[string]string) string {
		return motoLoadBalancer(t, watcher.Client, name, tags)
	}
	suffix := fmt.Sprintf("%x", time.Now().UnixNano())[:8]
	ours := lb("k8s-web-"+suffix, map[string]string{"elbv2.k8s.aws/cluster": cluster, "service.k8s.aws/stack": ns + "/web"})
	// Another cluster's load balancer for a Service of the same name stays.
	theirs := lb("k8s-other-"+suffix, map[string]string{"elbv2.k8s.aws/cluster": cluster + "-other", "service.k8s.aws/stack": ns + "/web"})

	svc := map[string]any{"apiVersion": "v1", "kind": "Service",
		"metadata": map[string]any{"name": "web", "namespace": ns, "finalizers": []any{"service.kubernetes.io/load-balancer-cleanup"}},
		"spec": map[string]any{"type": "LoadBalancer", "selector": map[string]any{"app": "web"},
			"ports": []any{map[string]any{"port": 80, "targetPort": 80}}}}
	objs := []any{deployment(ns, "controller"), svc}
	p := map[string]any{"Manifest": jsonString(t, objs), "ClusterName": cluster}
	r := mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil))

	cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	done := playLoadBalancerController(cctx, t, env, ns, "web", "controller", watcher, ours)
	del := ev(t, kubectl.TypeManifest, cfnresponse.Delete, p, nil)
	del.PhysicalResourceId = r.PhysicalResourceId
	mustRun(t, h, del)
	if s := <-done; s.err != nil {
		t.Fatalf("test controller: %v", s.err)
	} else if !s.controllerAtFinalizer || !s.controllerAtLoadBalancer {
		t.Errorf("the controller Deployment was deleted before the Service's load balancer was gone: %+v", s)
	}
	if get(t, env, svcGVR, ns, "web") != nil || get(t, env, deployGVR, ns, "controller") != nil {
		t.Error("objects left after the Delete")
	}
	left, err := watcher.Client.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{theirs}})
	if err != nil || len(left.LoadBalancers) != 1 {
		t.Errorf("another cluster's load balancer: %v, %v", left, err)
	}
}

// controllerSaw is what the test load balancer controller saw.
type controllerSaw struct {
	// controllerAtFinalizer and controllerAtLoadBalancer say whether the
	// Deployment standing for the load balancer controller still existed
	// when the Service was being deleted and when the handler listed the
	// load balancers.
	controllerAtFinalizer, controllerAtLoadBalancer bool
	err                                             error
}

// playLoadBalancerController plays the load balancer controller of the
// Service svc in ns (or, with playLoadBalancerControllerOf, of another
// resource): once it sees the object being deleted it removes its
// finalizer, and once the handler has listed the load balancers twice —
// so it is polling them, waiting for one it found — it deletes the load
// balancer lbArn. It reports whether the Deployment deploy was still there
// at both moments.
func playLoadBalancerController(ctx context.Context, t *testing.T, env *kubeenv.Env, ns, svc, deploy string, watcher *describeWatcher, lbArn string) <-chan controllerSaw {
	return playLoadBalancerControllerOf(ctx, t, env, svcGVR, ns, svc, deploy, watcher, lbArn)
}

func playLoadBalancerControllerOf(ctx context.Context, t *testing.T, env *kubeenv.Env, gvr schema.GroupVersionResource, ns, svc, deploy string, watcher *describeWatcher, lbArn string) <-chan controllerSaw {
	done := make(chan controllerSaw, 1)
	go func() {
		var s controllerSaw
		s.err = func() error {
			w, err := dyn(t, env).Resource(gvr).Namespace(ns).Watch(ctx, metav1.ListOptions{FieldSelector: "metadata.name=" + svc})
			if err != nil {
				return err
			}
			defer w.Stop()
			deleting := false
			for e := range w.ResultChan() {
				if u, ok := e.Object.(metav1.Object); ok && u.GetDeletionTimestamp() != nil {
					deleting = true
					break
				}
			}
			if !deleting {
				return fmt.Errorf("the watch ended before the Service was being deleted")
			}
			s.controllerAtFinalizer = get(t, env, deployGVR, ns, deploy) != nil
			patch := []byte(`{"metadata":{"finalizers":null}}`)
			if _, err := dyn(t, env).Resource(gvr).Namespace(ns).Patch(ctx, svc, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
				return err
			}
			// The handler now lists load balancers: ours must be among
			// them, and a second listing shows it waits for ours.
			for i := range 2 {
				select {
				case n := <-watcher.answered:
					if n == 0 {
						return fmt.Errorf("the handler's listing %d found no load balancer", i+1)
					}
				case <-ctx.Done():
					return fmt.Errorf("the handler did not list the load balancers twice (it did not wait for ours): %w", ctx.Err())
				}
			}
			s.controllerAtLoadBalancer = get(t, env, deployGVR, ns, deploy) != nil
			_, err = watcher.Client.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(lbArn)})
			return err
		}()
		done <- s
	}()
	return done
}

// motoLoadBalancer makes a network load balancer in moto's default subnets
// with the given tags and returns its ARN.
func motoLoadBalancer(t *testing.T, c *elbv2.Client, name string, tags map[string]string) string {
	t.Helper()
	var ts []elbv2types.Tag
	for k, v := range tags {
		ts = append(ts, elbv2types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	out, err := c.CreateLoadBalancer(context.Background(), &elbv2.CreateLoadBalancerInput{Name: aws.String(name), Subnets: motoSubnets(t),
		Type: elbv2types.LoadBalancerTypeEnumNetwork, Tags: ts})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.LoadBalancers[0].LoadBalancerArn)
}

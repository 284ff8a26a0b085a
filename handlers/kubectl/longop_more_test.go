//go:build !nohelm

package kubectl_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/handlers/provider"
	"github.com/eksforge/eksforge/handlers/provider/spec"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
	"github.com/eksforge/eksforge/internal/testenv/waitersim"
)

// answered gives e the deployment's CloudFormation answer URL.
func (d *longDeployment) answered(e provider.Event) provider.Event {
	e.ResponseURL = d.cf.srv.URL + "/" + e.RequestId
	return e
}

// runWaiter runs the waiter on input; before each of its polls (not its
// timeout task) it calls before with the poll's number, from 1.
func (d *longDeployment) runWaiter(t *testing.T, input json.RawMessage, before func(poll int)) int {
	t.Helper()
	polls := 0
	sm := waitersim.New(t, d.def, map[string]func(context.Context, json.RawMessage) error{
		waiterFunction: func(ctx context.Context, raw json.RawMessage) error {
			if !strings.Contains(string(raw), spec.ErrorInfoField) {
				polls++
				before(polls)
			}
			return d.invoke(ctx, raw, time.Minute)
		},
	})
	if _, err := sm.Run(t.Context(), input); err != nil {
		t.Fatal(err)
	}
	return polls
}

// valueEvent is a Create of an object value of Service web in ns with a
// 40-minute timeout.
func (d *longDeployment) valueEvent(t *testing.T, ns string) provider.Event {
	p := map[string]any{"ObjectType": "service", "ObjectName": "web", "ObjectNamespace": ns,
		"JsonPath": ".status.loadBalancer.ingress[0].hostname", "TimeoutSeconds": "2400"}
	return d.answered(ev(t, kubectl.TypeObjectValue, cfnresponse.Create, p, nil))
}

// setHostname writes the status a load balancer controller would.
func setHostname(t *testing.T, d *longDeployment, ns, host string) {
	t.Helper()
	svc := get(t, d.env, svcGVR, ns, "web")
	svc.Object["status"] = map[string]any{"loadBalancer": map[string]any{"ingress": []any{map[string]any{"hostname": host}}}}
	if _, err := dyn(t, d.env).Resource(svcGVR).Namespace(ns).UpdateStatus(t.Context(), svc, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestLongOperationObjectValueAcrossInvocations reads a load balancer's
// address with a 40-minute timeout: the first (shortened) invocation finds
// no address and hands the wait to the waiter; a test controller sets the
// address once the waiter has polled twice without it, and the third poll
// answers SUCCESS with it.
func TestLongOperationObjectValueAcrossInvocations(t *testing.T) {
	t.Parallel()
	d := newLongDeployment(t)
	ns := namespace(t, d.env)
	mustRun(t, d.h, ev(t, kubectl.TypeManifest, cfnresponse.Create, map[string]any{"Manifest": jsonString(t, []any{lbService(ns, "web", false)})}, nil))
	input := d.start(t, d.valueEvent(t, ns))

	polls := d.runWaiter(t, input, func(poll int) {
		if poll == 3 {
			setHostname(t, d, ns, "k8s-web-0123.elb.us-east-1.amazonaws.com")
		}
	})
	got := d.cf.only(t)
	if got.Status != cfnresponse.Success || got.Data["Value"] != "k8s-web-0123.elb.us-east-1.amazonaws.com" {
		t.Errorf("answer = %+v", got)
	}
	if polls != 3 {
		t.Errorf("the waiter polled %d times, want 3 (2 without the value, then with it)", polls)
	}
}

func TestLongOperationObjectValueTimeoutFails(t *testing.T) {
	t.Parallel()
	d := newLongDeployment(t)
	ns := namespace(t, d.env)
	mustRun(t, d.h, ev(t, kubectl.TypeManifest, cfnresponse.Create, map[string]any{"Manifest": jsonString(t, []any{lbService(ns, "web", false)})}, nil))
	input := d.start(t, d.valueEvent(t, ns))

	polls := d.runWaiter(t, input, func(poll int) {
		if poll == 2 {
			d.clock.Store(int64(41 * time.Minute)) // the timeout passes
		}
	})
	got := d.cf.only(t)
	want := "timed out after 40m0s waiting for .status.loadBalancer.ingress[0].hostname of Service " + ns + "/web: "
	if got.Status != cfnresponse.Failed || !strings.HasPrefix(got.Reason, want) {
		t.Errorf("answer = %s %q, want FAILED %q…", got.Status, got.Reason, want)
	}
	if polls != 2 {
		t.Errorf("polled %d times, want 2", polls)
	}
}

// lbService is a Service of type LoadBalancer, with the cleanup finalizer
// its load balancer controller would have added.
func lbService(ns, name string, finalizer bool) map[string]any {
	md := map[string]any{"name": name, "namespace": ns}
	if finalizer {
		md["finalizers"] = []any{"service.kubernetes.io/load-balancer-cleanup"}
	}
	return map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": md,
		"spec": map[string]any{"type": "LoadBalancer", "selector": map[string]any{"app": name},
			"ports": []any{map[string]any{"port": 80, "targetPort": 80}}}}
}

// finalizerSetup is a manifest of a controller Deployment and a
// LoadBalancer Service whose NLB is in moto, tagged for the cluster, with
// a 40-minute DeleteTimeout; it returns the Delete event and the NLB.
func finalizerSetup(t *testing.T, d *longDeployment, ns string) (provider.Event, string, *elbv2.Client) {
	t.Helper()
	cluster := fmt.Sprintf("longdel-%d", time.Now().UnixNano())
	cfg, err := motoserver.Shared(t).AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	lbs := elbv2.NewFromConfig(cfg)
	// d.h.LoadBalancers stays nil: the handler lists moto's load balancers
	// with its own client, as in Lambda (h.AWS is moto's configuration).
	arn := motoLoadBalancer(t, lbs, "k8s-long-"+fmt.Sprintf("%x", time.Now().UnixNano())[:8],
		map[string]string{"elbv2.k8s.aws/cluster": cluster, "service.k8s.aws/stack": ns + "/web"})
	p := map[string]any{"Manifest": jsonString(t, []any{deployment(ns, "controller"), lbService(ns, "web", true)}),
		"ClusterName": cluster, "DeleteTimeout": "40m0s"}
	r := mustRun(t, d.h, ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil))
	del := d.answered(ev(t, kubectl.TypeManifest, cfnresponse.Delete, p, nil))
	del.PhysicalResourceId = r.PhysicalResourceId
	return del, arn, lbs
}

// TestLongOperationFinalizerAcrossInvocations deletes a manifest whose
// LoadBalancer Service outlives the first (shortened) invocation: its
// finalizer stays until a test controller removes it after the waiter's
// second poll, and its load balancer until the controller deletes it
// after the third. The controller Deployment must still exist then, and
// be deleted by the fourth poll, which answers SUCCESS.
func TestLongOperationFinalizerAcrossInvocations(t *testing.T) {
	t.Parallel()
	d := newLongDeployment(t)
	ns := namespace(t, d.env)
	del, arn, lbs := finalizerSetup(t, d, ns)
	input := d.start(t, del)
	svc := get(t, d.env, svcGVR, ns, "web")
	if svc == nil || svc.GetDeletionTimestamp() == nil {
		t.Fatalf("the first invocation did not start deleting the Service: %v", svc)
	}
	if !strings.Contains(string(input), `"Deleting"`) {
		t.Errorf("the waiter input names no object being deleted: %s", input)
	}

	controllerAt := map[int]bool{}
	polls := d.runWaiter(t, input, func(poll int) {
		controllerAt[poll] = get(t, d.env, deployGVR, ns, "controller") != nil
		switch poll {
		case 3: // two polls found the Service held by its finalizer
			patch := []byte(`{"metadata":{"finalizers":null}}`)
			if _, err := dyn(t, d.env).Resource(svcGVR).Namespace(ns).Patch(t.Context(), "web", types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
				t.Fatal(err)
			}
		case 4: // one poll found the Service gone and its NLB still listed
			if _, err := lbs.DeleteLoadBalancer(t.Context(), &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(arn)}); err != nil {
				t.Fatal(err)
			}
		}
	})
	got := d.cf.only(t)
	if got.Status != cfnresponse.Success || got.PhysicalResourceId != del.PhysicalResourceId {
		t.Errorf("answer = %+v", got)
	}
	if polls != 4 {
		t.Errorf("the waiter polled %d times, want 4 (2 with the finalizer, 1 with the load balancer, then done)", polls)
	}
	for poll := 1; poll <= 4; poll++ {
		if !controllerAt[poll] {
			t.Errorf("the controller Deployment was gone before poll %d, while its load balancer was not", poll)
		}
	}
	if get(t, d.env, svcGVR, ns, "web") != nil || get(t, d.env, deployGVR, ns, "controller") != nil {
		t.Error("objects left after the Delete")
	}
}

func TestLongOperationFinalizerTimeoutNamesWhatIsLeft(t *testing.T) {
	t.Parallel()
	d := newLongDeployment(t)
	ns := namespace(t, d.env)
	del, _, _ := finalizerSetup(t, d, ns)
	input := d.start(t, del)

	polls := d.runWaiter(t, input, func(poll int) {
		if poll == 2 {
			d.clock.Store(int64(41 * time.Minute))
		}
	})
	got := d.cf.only(t)
	want := "not deleted after the Delete's timeout of 40m0s: v1 Service " + ns + "/web (finalizers service.kubernetes.io/load-balancer-cleanup); "
	if got.Status != cfnresponse.Failed || !strings.HasPrefix(got.Reason, want) {
		t.Errorf("answer = %s %q, want FAILED %q…", got.Status, got.Reason, want)
	}
	if polls != 2 {
		t.Errorf("polled %d times, want 2", polls)
	}
	if get(t, d.env, deployGVR, ns, "controller") == nil {
		t.Error("the failed Delete deleted the controller while its load balancer was left")
	}
}

// TestLongOperationFinalizerHelmReleaseAcrossInvocations uninstalls a
// release with a 40-minute Timeout whose chart holds a controller and a
// LoadBalancer Service: the Service's deletion starts in the first
// (shortened) invocation, the waiter polls until a test controller clears
// its finalizer (after poll 2) and deletes its load balancer (after poll
// 3), and only then is the release uninstalled.
func TestLongOperationFinalizerHelmReleaseAcrossInvocations(t *testing.T) {
	t.Parallel()
	d := newLongDeployment(t)
	ns := "helm-long-" + fmt.Sprint(time.Now().UnixNano()%100000)
	cluster := fmt.Sprintf("longdel-helm-%d", time.Now().UnixNano())
	cfg, err := motoserver.Shared(t).AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	lbs := elbv2.NewFromConfig(cfg)
	d.h.LoadBalancers = lbs
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
		"Timeout": "40m0s", "ClusterName": cluster}
	r := mustRun(t, d.h, ev(t, kubectl.TypeHelmChart, cfnresponse.Create, map[string]any{"Release": "edge", "Chart": "lb", "Repository": url,
		"Namespace": ns, "CreateNamespace": "true", "ClusterName": cluster}, nil))
	arn := motoLoadBalancer(t, lbs, "k8s-hl-"+fmt.Sprintf("%x", time.Now().UnixNano())[:8],
		map[string]string{"elbv2.k8s.aws/cluster": cluster, "service.k8s.aws/stack": ns + "/edge-lb"})
	del := d.answered(ev(t, kubectl.TypeHelmChart, cfnresponse.Delete, p, nil))
	del.PhysicalResourceId = r.PhysicalResourceId
	input := d.start(t, del)

	controllerAt := map[int]bool{}
	polls := d.runWaiter(t, input, func(poll int) {
		controllerAt[poll] = get(t, d.env, deployGVR, ns, "edge-controller") != nil
		switch poll {
		case 3:
			patch := []byte(`{"metadata":{"finalizers":null}}`)
			if _, err := dyn(t, d.env).Resource(svcGVR).Namespace(ns).Patch(t.Context(), "edge-lb", types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
				t.Fatal(err)
			}
		case 4:
			if _, err := lbs.DeleteLoadBalancer(t.Context(), &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(arn)}); err != nil {
				t.Fatal(err)
			}
		}
	})
	if got := d.cf.only(t); got.Status != cfnresponse.Success {
		t.Errorf("answer = %+v", got)
	}
	if polls != 4 {
		t.Errorf("the waiter polled %d times, want 4", polls)
	}
	for poll := 1; poll <= 4; poll++ {
		if !controllerAt[poll] {
			t.Errorf("the chart's controller was gone before poll %d, while its load balancer was not", poll)
		}
	}
	if get(t, d.env, svcGVR, ns, "edge-lb") != nil || get(t, d.env, deployGVR, ns, "edge-controller") != nil {
		t.Error("the release's objects are left after the Delete")
	}
}

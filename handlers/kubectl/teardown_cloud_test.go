package kubectl_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

var (
	pvcGVR = schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumeclaims"}
	pvGVR  = schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumes"}
	gwGVR  = schema.GroupVersionResource{Group: "gateway.networking.k8s.io", Version: "v1", Resource: "gateways"}
)

// roundTripFunc is an http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// watchVolumeListings makes h's clients report each list of
// PersistentVolumes the API server answers: whether the volume named pv was
// among the items.
func watchVolumeListings(h *kubectl.Handler, pv string) <-chan bool {
	listed := make(chan bool, 64)
	wrapTransport(h, func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := rt.RoundTrip(r)
			if err != nil || r.Method != http.MethodGet || r.URL.Path != "/api/v1/persistentvolumes" || resp.StatusCode != http.StatusOK {
				return resp, err
			}
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			resp.Body = io.NopCloser(bytes.NewReader(body))
			if rerr != nil {
				return resp, nil
			}
			// JSON or protobuf: the name is in the body as is.
			select {
			case listed <- bytes.Contains(body, []byte(pv)):
			default:
			}
			return resp, nil
		})
	})
	return listed
}

// claimAndVolume applies, through h, a manifest holding a Deployment
// standing for the CSI driver's controller and a PersistentVolumeClaim,
// then binds the claim to a new PersistentVolume with policy, as the
// driver's provisioner would; it returns the Create's result and the
// volume's name.
func claimAndVolume(t *testing.T, h *kubectl.Handler, env *kubeenv.Env, ns string, policy corev1.PersistentVolumeReclaimPolicy) (map[string]any, string, string) {
	t.Helper()
	pvc := map[string]any{"apiVersion": "v1", "kind": "PersistentVolumeClaim",
		"metadata": map[string]any{"name": "data", "namespace": ns},
		"spec": map[string]any{"accessModes": []any{"ReadWriteOnce"}, "storageClassName": "gp3",
			"resources": map[string]any{"requests": map[string]any{"storage": "1Gi"}}}}
	p := map[string]any{"Manifest": jsonString(t, []any{deployment(ns, "ebs-csi-controller"), pvc})}
	r := mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil))
	claim := get(t, env, pvcGVR, ns, "data")
	if claim == nil {
		t.Fatal("the claim was not created")
	}
	pv := ns + "-data"
	vol := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: pv},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")},
			AccessModes:                   []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			PersistentVolumeReclaimPolicy: policy,
			StorageClassName:              "gp3",
			ClaimRef:                      &corev1.ObjectReference{Kind: "PersistentVolumeClaim", Namespace: ns, Name: "data", UID: claim.GetUID(), APIVersion: "v1"},
			PersistentVolumeSource: corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{
				Driver: "ebs.csi.aws.com", VolumeHandle: "vol-0123456789abcdef0"}},
		},
	}
	cs := clientset(t, env)
	made, err := cs.CoreV1().PersistentVolumes().Create(t.Context(), vol, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	made.Status.Phase = corev1.VolumeBound
	if _, err := cs.CoreV1().PersistentVolumes().UpdateStatus(t.Context(), made, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = releaseAndDelete(env, pvGVR, "", pv) })
	return p, r.PhysicalResourceId, pv
}

// releaseAndDelete removes an object's finalizers and deletes it, if it
// still exists.
func releaseAndDelete(env *kubeenv.Env, gvr schema.GroupVersionResource, ns, name string) error {
	d, err := dynamic.NewForConfig(env.RestConfig())
	if err != nil {
		return err
	}
	ctx := context.Background()
	patch := []byte(`{"metadata":{"finalizers":null}}`)
	if _, err := d.Resource(gvr).Namespace(ns).Patch(ctx, name, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	if err := d.Resource(gvr).Namespace(ns).Delete(ctx, name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	return nil
}

// volumeControllerSaw is what the test storage controllers saw.
type volumeControllerSaw struct {
	// csiAtClaim and csiAtVolume say whether the Deployment standing for
	// the CSI driver's controller was there, not being deleted, when the
	// claim was being deleted and when the handler had twice found the
	// volume still there.
	csiAtClaim, csiAtVolume bool
	err                     error
}

// playStorageControllers plays the PVC protection controller (once the
// claim is being deleted, it removes its finalizer) and, with
// deleteVolume, the CSI driver deleting a volume of reclaim policy Delete:
// once the handler has listed the volumes twice and found pv both times —
// it is waiting for it — the volume is deleted.
func playStorageControllers(ctx context.Context, t *testing.T, env *kubeenv.Env, ns, pv string, listed <-chan bool, deleteVolume bool) <-chan volumeControllerSaw {
	done := make(chan volumeControllerSaw, 1)
	csiRunning := func() bool {
		d := get(t, env, deployGVR, ns, "ebs-csi-controller")
		return d != nil && d.GetDeletionTimestamp() == nil
	}
	go func() {
		var s volumeControllerSaw
		s.err = func() error {
			w, err := dyn(t, env).Resource(pvcGVR).Namespace(ns).Watch(ctx, metav1.ListOptions{FieldSelector: "metadata.name=data"})
			if err != nil {
				return err
			}
			defer w.Stop()
			deleting := false
			for e := range w.ResultChan() {
				if u, ok := e.Object.(*unstructured.Unstructured); ok && u.GetDeletionTimestamp() != nil {
					deleting = true
					break
				}
			}
			if !deleting {
				return fmt.Errorf("the watch ended before the claim was being deleted")
			}
			s.csiAtClaim = csiRunning()
			if err := releaseAndDelete(env, pvcGVR, ns, "data"); err != nil {
				return err
			}
			if !deleteVolume {
				return nil
			}
			for i := 0; i < 2; {
				select {
				case found := <-listed:
					if found {
						i++
					}
				case <-ctx.Done():
					return fmt.Errorf("the handler did not list the volumes twice finding %s (it did not wait for it): %w", pv, ctx.Err())
				}
			}
			s.csiAtVolume = csiRunning()
			return releaseAndDelete(env, pvGVR, "", pv)
		}()
		done <- s
	}()
	return done
}

// TestTeardownPersistentVolumeReleasedFirst deletes a manifest holding a
// PersistentVolumeClaim bound to a volume of reclaim policy Delete, and a
// Deployment standing for the CSI driver's controller, which deletes the
// cloud volume. The Delete must wait for the claim (its protection
// finalizer) and then for the volume to be gone before deleting the
// controller: until then the volume exists in the cloud.
func TestTeardownPersistentVolumeReleasedFirst(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	h.LoadBalancerPollInterval = 100 * time.Millisecond
	ns := namespace(t, env)
	listed := watchVolumeListings(h, ns+"-data")
	p, id, pv := claimAndVolume(t, h, env, ns, corev1.PersistentVolumeReclaimDelete)

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	done := playStorageControllers(ctx, t, env, ns, pv, listed, true)
	del := ev(t, kubectl.TypeManifest, cfnresponse.Delete, p, nil)
	del.PhysicalResourceId = id
	if _, err := h.OnEvent(ctx, del); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if get(t, env, pvGVR, "", pv) != nil {
		t.Error("the Delete answered while the claim's volume still existed")
	}
	s := <-done
	if s.err != nil {
		t.Fatalf("test storage controllers: %v", s.err)
	}
	if !s.csiAtClaim || !s.csiAtVolume {
		t.Errorf("the CSI controller was deleted before the volume was gone: %+v", s)
	}
	if get(t, env, deployGVR, ns, "ebs-csi-controller") != nil || get(t, env, pvcGVR, ns, "data") != nil {
		t.Error("objects left after the Delete")
	}
}

// TestTeardownPersistentVolumeRetainedNotWaited: a volume of reclaim
// policy Retain outlives its claim by design; the Delete waits for the
// claim only.
func TestTeardownPersistentVolumeRetainedNotWaited(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	h.LoadBalancerPollInterval = 100 * time.Millisecond
	ns := namespace(t, env)
	listed := watchVolumeListings(h, ns+"-data")
	p, id, pv := claimAndVolume(t, h, env, ns, corev1.PersistentVolumeReclaimRetain)

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	done := playStorageControllers(ctx, t, env, ns, pv, listed, false)
	del := ev(t, kubectl.TypeManifest, cfnresponse.Delete, p, nil)
	del.PhysicalResourceId = id
	if _, err := h.OnEvent(ctx, del); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if s := <-done; s.err != nil || !s.csiAtClaim {
		t.Fatalf("test storage controller: %+v", s)
	}
	if get(t, env, pvGVR, "", pv) == nil {
		t.Error("the retained volume is gone")
	}
	if get(t, env, deployGVR, ns, "ebs-csi-controller") != nil || get(t, env, pvcGVR, ns, "data") != nil {
		t.Error("objects left after the Delete")
	}
}

// installGatewayCRD serves gateway.networking.k8s.io/v1 Gateways (a CRD
// without a schema: the test needs the kind, not its validation), once per
// API server.
func installGatewayCRD(t *testing.T, env *kubeenv.Env) {
	t.Helper()
	crd := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
		"metadata": map[string]any{"name": "gateways.gateway.networking.k8s.io",
			// As the project's own CRD: a *.k8s.io group needs it.
			"annotations": map[string]any{"api-approved.kubernetes.io": "https://github.com/kubernetes-sigs/gateway-api/pull/891"}},
		"spec": map[string]any{"group": "gateway.networking.k8s.io", "scope": "Namespaced",
			"names": map[string]any{"plural": "gateways", "singular": "gateway", "kind": "Gateway", "listKind": "GatewayList"},
			"versions": []any{map[string]any{"name": "v1", "served": true, "storage": true,
				"schema": map[string]any{"openAPIV3Schema": map[string]any{"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}}}}}
	if _, err := dyn(t, env).Resource(crdGVR).Create(t.Context(), crd, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	w, err := dyn(t, env).Resource(crdGVR).Watch(t.Context(), metav1.ListOptions{FieldSelector: "metadata.name=gateways.gateway.networking.k8s.io"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	for e := range w.ResultChan() {
		u, ok := e.Object.(*unstructured.Unstructured)
		if !ok {
			continue
		}
		conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
		for _, c := range conds {
			if m, _ := c.(map[string]any); m["type"] == "Established" && m["status"] == "True" {
				return
			}
		}
	}
	t.Fatal("the Gateway CRD was never established")
}

// TestTeardownGatewayLoadBalancerFirst deletes a manifest holding a
// controller (a Deployment) and a Gateway API Gateway whose NLB is in
// moto's ELBv2, tagged as the AWS Load Balancer Controller tags a
// Gateway's (gateway.k8s.aws.nlb/stack). A test controller removes the
// Gateway's finalizer once it is being deleted, and deletes the NLB once
// the handler is polling for it: the controller Deployment must outlive
// both. Another cluster's NLB for a Gateway of the same name stays.
func TestTeardownGatewayLoadBalancerFirst(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	installGatewayCRD(t, env)
	ns := namespace(t, env)
	cluster := fmt.Sprintf("teardown-gw-%d", time.Now().UnixNano())
	cfg, err := motoserver.Shared(t).AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	watcher := &describeWatcher{Client: elbv2.NewFromConfig(cfg), answered: make(chan int, 16)}
	h.LoadBalancers = watcher
	h.LoadBalancerPollInterval = 100 * time.Millisecond
	suffix := fmt.Sprintf("%x", time.Now().UnixNano())[:8]
	ours := motoLoadBalancer(t, watcher.Client, "k8s-gw-"+suffix, map[string]string{"elbv2.k8s.aws/cluster": cluster, "gateway.k8s.aws.nlb/stack": ns + "/edge"})
	theirs := motoLoadBalancer(t, watcher.Client, "k8s-gwo-"+suffix, map[string]string{"elbv2.k8s.aws/cluster": cluster + "-other", "gateway.k8s.aws.nlb/stack": ns + "/edge"})

	gw := map[string]any{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
		"metadata": map[string]any{"name": "edge", "namespace": ns, "finalizers": []any{"gateway.k8s.aws/nlb-finalizer"}},
		"spec": map[string]any{"gatewayClassName": "aws-nlb",
			"listeners": []any{map[string]any{"name": "tcp", "protocol": "TCP", "port": 80}}}}
	p := map[string]any{"Manifest": jsonString(t, []any{deployment(ns, "lbc"), gw}), "ClusterName": cluster}
	r := mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil))
	if get(t, env, gwGVR, ns, "edge") == nil {
		t.Fatal("the Gateway was not created")
	}

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	done := playLoadBalancerControllerOf(ctx, t, env, gwGVR, ns, "edge", "lbc", watcher, ours)
	del := ev(t, kubectl.TypeManifest, cfnresponse.Delete, p, nil)
	del.PhysicalResourceId = r.PhysicalResourceId
	if _, err := h.OnEvent(ctx, del); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if s := <-done; s.err != nil {
		t.Fatalf("test controller: %v", s.err)
	} else if !s.controllerAtFinalizer || !s.controllerAtLoadBalancer {
		t.Errorf("the controller was deleted before the Gateway's load balancer was gone: %+v", s)
	}
	if get(t, env, gwGVR, ns, "edge") != nil || get(t, env, deployGVR, ns, "lbc") != nil {
		t.Error("objects left after the Delete")
	}
	left, err := watcher.Client.DescribeLoadBalancers(t.Context(), &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{theirs}})
	if err != nil || len(left.LoadBalancers) != 1 {
		t.Errorf("another cluster's load balancer: %v, %v", left, err)
	}
}

package kubectl_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	utilnet "k8s.io/apimachinery/pkg/util/net"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/rest"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/kubectl/auth"
	"github.com/eksforge/eksforge/handlers/provider"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

func TestMain(m *testing.M) {
	stop := make(chan struct{})
	gcDone := make(chan struct{})
	go func() {
		defer close(gcDone)
		fakeGarbageCollector(stop)
	}()
	code := m.Run()
	close(stop)
	<-gcDone
	if errs := gcErrors.list(); len(errs) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: fakeGarbageCollector met %d unexpected errors (the foreground deletes of some tests may not have completed):\n", len(errs))
		for _, err := range errs {
			fmt.Fprintf(os.Stderr, "\t%v\n", err)
		}
		code = 1
	}
	kubeenv.StopShared()
	motoserver.StopShared()
	os.Exit(code)
}

const testStack = "arn:aws:cloudformation:us-east-1:123456789012:stack/test/1"

// newHandler returns a handler that reaches the shared API server with its
// static token and calls moto for AWS.
func newHandler(t testing.TB) (*kubectl.Handler, *kubeenv.Env) {
	t.Helper()
	env := kubeenv.Shared(t)
	gcEnv.Store(env)
	srv := motoserver.Shared(t)
	cfg, err := srv.AWSConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h := kubectl.New(cfg)
	h.S3Options = []func(*s3.Options){func(o *s3.Options) { o.UsePathStyle = true }}
	h.Connect = func(ctx context.Context, c auth.Cluster) (*rest.Config, error) {
		rc := env.RestConfig()
		auth.Tune(rc)
		return rc, nil
	}
	h.ValuePollInterval = 100 * time.Millisecond
	h.TuneApply = func(c *apply.Client) {
		c.PollInterval = 100 * time.Millisecond
		// Long enough for fakeGarbageCollector (a 300 ms tick, slower on a
		// loaded machine) to release foreground deletes: deletes then finish
		// as in a cluster, and no test sees an object still being deleted.
		c.ForegroundGrace = 15 * time.Second
	}
	return h, env
}

// wrapTransport makes every client h connects to its cluster send its
// requests through wrap (client-go's rest.Config.Wrap).
func wrapTransport(h *kubectl.Handler, wrap func(http.RoundTripper) http.RoundTripper) {
	connect := h.Connect
	h.Connect = func(ctx context.Context, c auth.Cluster) (*rest.Config, error) {
		rc, err := connect(ctx, c)
		if err != nil {
			return nil, err
		}
		rc.Wrap(wrap)
		return rc, nil
	}
}

// ev builds an event of the given type for the test's logical ID.
func ev(t testing.TB, typ string, rt cfnresponse.RequestType, p, old map[string]any) provider.Event {
	if p["ClusterName"] == nil {
		p["ClusterName"] = "test"
	}
	if old != nil && old["ClusterName"] == nil {
		old["ClusterName"] = "test"
	}
	logical := strings.NewReplacer("/", "", "_", "", "-", "").Replace(t.Name())
	return provider.Event{
		RequestType:           rt,
		ResponseURL:           "http://127.0.0.1:1/unused",
		StackId:               testStack,
		RequestId:             fmt.Sprintf("%x", sha256.Sum256([]byte(t.Name()+string(rt)+fmt.Sprint(p))))[:16],
		ResourceType:          typ,
		LogicalResourceId:     logical,
		ResourceProperties:    p,
		OldResourceProperties: old,
	}
}

// run delivers e twice (a replayed request) and checks both answers agree;
// it returns the result and error of the second delivery.
func run(t testing.TB, h *kubectl.Handler, e provider.Event) (provider.OnEventResult, error) {
	t.Helper()
	// A hang guard, not a speed requirement: a 5 MB manifest's 50 foreground
	// deletes under the race detector on a starved machine take minutes.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	r1, err1 := h.OnEvent(ctx, e)
	if e.RequestType != cfnresponse.Create && err1 == nil && r1.PhysicalResourceId == "" {
		t.Errorf("%s returned no physical ID", e.RequestType)
	}
	r2, err2 := h.OnEvent(ctx, e)
	if (err1 == nil) != (err2 == nil) {
		t.Errorf("replayed %s: first error %v, second %v", e.RequestType, err1, err2)
	}
	if err1 == nil && err2 == nil {
		if diff := cmp.Diff(r1, r2); diff != "" {
			t.Errorf("replayed %s answered differently (-first +second):\n%s", e.RequestType, diff)
		}
	}
	return r2, err2
}

func mustRun(t testing.TB, h *kubectl.Handler, e provider.Event) provider.OnEventResult {
	t.Helper()
	r, err := run(t, h, e)
	if err != nil {
		t.Fatalf("%s %s: %v", e.RequestType, e.ResourceType, err)
	}
	return r
}

func jsonString(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func dyn(t testing.TB, env *kubeenv.Env) dynamic.Interface {
	t.Helper()
	d, err := dynamic.NewForConfig(env.RestConfig())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func clientset(t testing.TB, env *kubeenv.Env) kubernetes.Interface {
	t.Helper()
	cs, err := kubernetes.NewForConfig(env.RestConfig())
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

var (
	cmGVR     = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	nsGVR     = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	deployGVR = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
	svcGVR    = schema.GroupVersionResource{Version: "v1", Resource: "services"}
	crdGVR    = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	secretGVR = schema.GroupVersionResource{Version: "v1", Resource: "secrets"}
)

// get reads an object; nil when it does not exist.
func get(t testing.TB, env *kubeenv.Env, gvr schema.GroupVersionResource, ns, name string) *unstructured.Unstructured {
	t.Helper()
	var ri dynamic.ResourceInterface = dyn(t, env).Resource(gvr)
	if ns != "" {
		ri = dyn(t, env).Resource(gvr).Namespace(ns)
	}
	u, err := ri.Get(context.Background(), name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// namespace makes a namespace for the test (no namespace controller runs,
// so it is never really deleted).
func namespace(t testing.TB, env *kubeenv.Env) string {
	t.Helper()
	name := strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name()))
	if len(name) > 50 {
		name = name[:50]
	}
	name = strings.Trim(name, "-") + fmt.Sprintf("-%d", time.Now().UnixNano()%100000)
	ns := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": name}}}
	if _, err := dyn(t, env).Resource(nsGVR).Create(context.Background(), ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return name
}

func configMap(ns, name string, data map[string]any) map[string]any {
	return map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": name, "namespace": ns}, "data": data}
}

func deployment(ns, name string) map[string]any {
	labels := map[string]any{"app": name}
	return map[string]any{"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": name, "namespace": ns},
		"spec": map[string]any{"replicas": 1, "selector": map[string]any{"matchLabels": labels},
			"template": map[string]any{"metadata": map[string]any{"labels": labels},
				"spec": map[string]any{"containers": []any{map[string]any{"name": "app", "image": "nginx:1.27",
					"ports": []any{map[string]any{"containerPort": 80}}}}}}}}
}

func service(ns, name string) map[string]any {
	return map[string]any{"apiVersion": "v1", "kind": "Service",
		"metadata": map[string]any{"name": name, "namespace": ns},
		"spec": map[string]any{"clusterIP": "None", "selector": map[string]any{"app": name},
			"ports": []any{map[string]any{"port": 80, "targetPort": 80}}}}
}

// fakeGarbageCollector plays the part of kube-controller-manager's garbage
// collector, which kubeenv does not run: it removes the foregroundDeletion
// finalizer of objects being deleted (none of the tests' objects has
// dependents), so foreground deletes complete as in a cluster. It lists
// the objects' metadata only: their content (TestManifestFromS3's 5 MB of
// ConfigMaps) made every 300 ms tick take seconds under the race detector,
// and each foreground delete of a test wait for one. It polls rather than
// watches: with a watch per kind open, kube-apiserver overran
// kubeenv.StopGrace when TestManifestSurvivesAPIServerRestart stopped it
// (its graceful shutdown waits for open requests). It starts once the
// shared API server exists. Errors other than the expected ones (an
// object gone or changed meanwhile, the API server down during a restart
// test) are kept in gcErrors, and TestMain fails the run with them.
func fakeGarbageCollector(stop <-chan struct{}) {
	var env *kubeenv.Env
	var d dynamic.Interface
	var md metadata.Interface
	var gvrs []schema.GroupVersionResource
	tick := time.NewTicker(300 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		if env == nil {
			env = sharedEnvIfStarted()
			if env == nil {
				continue
			}
			var err error
			if d, err = dynamic.NewForConfig(env.RestConfig()); err != nil {
				gcErrors.add(fmt.Errorf("client: %w", err))
				return
			}
			rc := rest.CopyConfig(env.RestConfig())
			rc.QPS, rc.Burst = 100, 300 // not client-go's 5 a second: a test deletes 50 objects
			if md, err = metadata.NewForConfig(rc); err != nil {
				gcErrors.add(fmt.Errorf("client: %w", err))
				return
			}
		}
		gvrs = append(gvrs[:0], cmGVR, deployGVR, svcGVR,
			schema.GroupVersionResource{Version: "v1", Resource: "secrets"},
			schema.GroupVersionResource{Version: "v1", Resource: "serviceaccounts"})
		crds, err := d.Resource(crdGVR).List(context.Background(), metav1.ListOptions{})
		if err != nil {
			gcErrors.addUnexpected("listing CRDs", err)
		} else {
			for _, c := range crds.Items {
				group, _, _ := unstructured.NestedString(c.Object, "spec", "group")
				plural, _, _ := unstructured.NestedString(c.Object, "spec", "names", "plural")
				vs, _, _ := unstructured.NestedSlice(c.Object, "spec", "versions")
				for _, v := range vs {
					if name, _ := v.(map[string]any)["name"].(string); name != "" {
						gvrs = append(gvrs, schema.GroupVersionResource{Group: group, Version: name, Resource: plural})
					}
				}
			}
		}
		for _, gvr := range gvrs {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			l, err := md.Resource(gvr).List(ctx, metav1.ListOptions{})
			if err != nil {
				// A CRD removed since it was listed has no resource left.
				if !apierrors.IsNotFound(err) {
					gcErrors.addUnexpected("listing "+gvr.String(), err)
				}
				cancel()
				continue
			}
			for _, u := range l.Items {
				if u.GetDeletionTimestamp() == nil || !slices.Contains(u.GetFinalizers(), metav1.FinalizerDeleteDependents) {
					continue
				}
				fins := slices.DeleteFunc(u.GetFinalizers(), func(f string) bool { return f == metav1.FinalizerDeleteDependents })
				patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{"finalizers": fins, "resourceVersion": u.GetResourceVersion()}})
				ri := md.Resource(gvr).Namespace(u.GetNamespace())
				if _, err := ri.Patch(ctx, u.GetName(), types.MergePatchType, patch, metav1.PatchOptions{}); err != nil &&
					!apierrors.IsNotFound(err) && !apierrors.IsConflict(err) {
					gcErrors.addUnexpected(fmt.Sprintf("releasing %s %s/%s", gvr.Resource, u.GetNamespace(), u.GetName()), err)
				}
			}
			cancel()
		}
	}
}

// gcErrors are fakeGarbageCollector's unexpected errors.
var gcErrors errorList

// errorList is a list of errors safe for concurrent use.
type errorList struct {
	mu   sync.Mutex
	errs []error
}

func (l *errorList) add(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs = append(l.errs, err)
}

// addUnexpected adds err unless the API server was unreachable (a test
// restarts it) or the request timed out on a loaded machine: the next tick
// tries again.
func (l *errorList) addUnexpected(what string, err error) {
	var netErr net.Error
	_, retryLater := apierrors.SuggestsClientDelay(err)
	if errors.As(err, &netErr) || utilnet.IsConnectionRefused(err) || utilnet.IsConnectionReset(err) ||
		utilnet.IsProbableEOF(err) || errors.Is(err, context.DeadlineExceeded) || retryLater ||
		apierrors.IsServiceUnavailable(err) || apierrors.IsTimeout(err) || apierrors.IsServerTimeout(err) {
		return
	}
	l.add(fmt.Errorf("%s: %w", what, err))
}

func (l *errorList) list() []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]error(nil), l.errs...)
}

// gcEnv is the shared Env once a test started it.
var gcEnv atomic.Pointer[kubeenv.Env]

func sharedEnvIfStarted() *kubeenv.Env { return gcEnv.Load() }

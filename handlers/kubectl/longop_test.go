//go:build !nohelm

package kubectl_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/handlers/kubectl/auth"
	"github.com/eksforge/eksforge/handlers/provider"
	"github.com/eksforge/eksforge/handlers/provider/spec"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
	"github.com/eksforge/eksforge/internal/testenv/waitersim"
)

// slowChart has a ConfigMap and a Deployment, which never becomes ready by
// itself: the API server runs no controllers, so the test says when it is
// (rolledOut).
func slowChart() *chart.Chart {
	tpl := `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cm
data:
  v: "1"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: 1
  selector:
    matchLabels: {app: {{ .Release.Name }}}
  template:
    metadata:
      labels: {app: {{ .Release.Name }}}
    spec:
      containers:
      - name: app
        image: public.ecr.aws/nginx/nginx:1.27
`
	return &chart.Chart{
		Metadata:  &chart.Metadata{APIVersion: chart.APIVersionV2, Name: "slow", Version: "1.0.0"},
		Templates: []*common.File{{Name: "templates/all.yaml", Data: []byte(tpl), ModTime: time.Unix(0, 0)}},
	}
}

// rolledOut writes the status a Deployment controller would once its one
// replica is available.
func rolledOut(t testing.TB, env *kubeenv.Env, ns, name string) {
	t.Helper()
	d := get(t, env, deployGVR, ns, name)
	if d == nil {
		t.Fatalf("no Deployment %s/%s to roll out", ns, name)
	}
	d.Object["status"] = map[string]any{
		"observedGeneration": d.GetGeneration(),
		"replicas":           int64(1), "updatedReplicas": int64(1), "readyReplicas": int64(1), "availableReplicas": int64(1),
		"conditions": []any{
			map[string]any{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
			map[string]any{"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"},
		},
	}
	if _, err := dyn(t, env).Resource(deployGVR).Namespace(ns).UpdateStatus(context.Background(), d, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// cfnAnswers is CloudFormation's side: the pre-signed URL's server.
type cfnAnswers struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []cfnresponse.Response
}

func newCfnAnswers(t testing.TB) *cfnAnswers {
	c := &cfnAnswers{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var resp cfnresponse.Response
		if err := json.Unmarshal(b, &resp); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.mu.Lock()
		c.got = append(c.got, resp)
		c.mu.Unlock()
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *cfnAnswers) answers() []cfnresponse.Response {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]cfnresponse.Response(nil), c.got...)
}

// only returns the one answer CloudFormation got, failing unless there is
// exactly one.
func (c *cfnAnswers) only(t testing.TB) cfnresponse.Response {
	t.Helper()
	got := c.answers()
	if len(got) != 1 {
		t.Fatalf("CloudFormation got %d answers, want exactly 1: %+v", len(got), got)
	}
	return got[0]
}

// waiterFunction is the ARN of the function the waiter's tasks invoke
// (the eks package's WaiterHandler).
const waiterFunction = "arn:aws:lambda:us-east-1:123456789012:function:kubectl-waiter"

// longDeployment is a kubectl handler deployed with a waiter: a state
// machine created in moto with the definition the eks package synthesizes,
// which the handler starts through moto's Step Functions API.
type longDeployment struct {
	h     *kubectl.Handler
	env   *kubeenv.Env
	cf    *cfnAnswers
	sfn   *sfn.Client
	arn   string
	def   string
	entry func(context.Context, json.RawMessage) error
	clock atomic.Int64 // added to time.Now, in nanoseconds
}

func newLongDeployment(t *testing.T) *longDeployment {
	t.Helper()
	h, env := newHandler(t)
	d := &longDeployment{h: h, env: env, cf: newCfnAnswers(t)}
	h.LongOperations = true
	h.Now = func() time.Time { return time.Now().Add(time.Duration(d.clock.Load())) }
	cfg, err := motoserver.Shared(t).AWSConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d.sfn = sfn.NewFromConfig(cfg)
	attempts, err := spec.RetryPolicy(time.Hour, 10*time.Second, 1)
	if err != nil {
		t.Fatal(err)
	}
	if d.def, err = spec.WaiterDefinition(waiterFunction, waiterFunction, 10*time.Second, 1, attempts); err != nil {
		t.Fatal(err)
	}
	out, err := d.sfn.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{
		Name:       aws.String(strings.ReplaceAll(t.Name(), "/", "-")),
		Definition: aws.String(d.def),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/kubectl-waiter"),
	})
	if err != nil {
		t.Fatal(err)
	}
	d.arn = aws.ToString(out.StateMachineArn)
	d.entry = provider.Continuable(h, provider.Options{
		PollInterval: 100 * time.Millisecond,
		// Of a 60-second invocation, whose deadline guard fires at 54 s:
		// hand off about a second into the wait, after a few polls. The
		// minute is a bound for the install before the wait (pulling,
		// rendering and applying the chart), which a starved machine under
		// the race detector has taken over 15 s to do.
		HandoffReserve: 53 * time.Second,
		// The client's method, as the Lambda main passes it.
		Waiter: provider.Waiter{Executions: provider.ExecutionStarterFunc(d.sfn.StartExecution), StateMachine: d.arn},
	})
	return d
}

// invoke runs one Lambda invocation of the handler with a deadline of left.
func (d *longDeployment) invoke(ctx context.Context, raw json.RawMessage, left time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, left)
	defer cancel()
	return d.entry(ctx, raw)
}

// execution returns the waiter input of the one execution the handler
// started in moto, checking it is named after the request.
func (d *longDeployment) execution(t *testing.T, requestID string) json.RawMessage {
	t.Helper()
	list, err := d.sfn.ListExecutions(context.Background(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(d.arn)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Executions) != 1 || aws.ToString(list.Executions[0].Name) != requestID {
		t.Fatalf("executions of the waiter: %+v, want one named %s", list.Executions, requestID)
	}
	x, err := d.sfn.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: list.Executions[0].ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	return json.RawMessage(aws.ToString(x.Input))
}

// event is a Create of a Helm release with Wait and a 40-minute Timeout.
func (d *longDeployment) event(t *testing.T, url, ns string, extra map[string]any) provider.Event {
	p := map[string]any{"Release": "slow", "Chart": "slow", "Repository": url, "Namespace": ns, "Wait": "true", "Timeout": "40m0s"}
	for k, v := range extra {
		p[k] = v
	}
	e := ev(t, kubectl.TypeHelmChart, cfnresponse.Create, p, nil)
	e.ResponseURL = d.cf.srv.URL + "/" + e.RequestId
	return e
}

// start delivers e in a 60-second invocation, which must hand the wait to
// the waiter without answering, and returns the waiter's input.
func (d *longDeployment) start(t *testing.T, e provider.Event) json.RawMessage {
	t.Helper()
	raw, _ := json.Marshal(e)
	if err := d.invoke(t.Context(), raw, time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := d.cf.answers(); len(got) != 0 {
		t.Fatalf("the first invocation answered %+v; it should have handed the wait to the waiter", got)
	}
	return d.execution(t, e.RequestId)
}

func TestLongOperationHelmWaitAcrossInvocations(t *testing.T) {
	t.Parallel()
	d := newLongDeployment(t)
	ns := namespace(t, d.env)
	url, _ := chartRepo(t, slowChart())
	e := d.event(t, url, ns, nil)
	input := d.start(t, e)
	if get(t, d.env, cmGVR, ns, "slow-cm") == nil || get(t, d.env, deployGVR, ns, "slow") == nil {
		t.Fatal("the first invocation did not apply the release")
	}

	polls := 0
	sm := waitersim.New(t, d.def, map[string]func(context.Context, json.RawMessage) error{
		waiterFunction: func(ctx context.Context, raw json.RawMessage) error {
			if !strings.Contains(string(raw), spec.ErrorInfoField) {
				polls++
				if polls == 3 {
					rolledOut(t, d.env, ns, "slow") // after observing two polls that found it pending
				}
			}
			return d.invoke(ctx, raw, time.Minute)
		},
	})
	if _, err := sm.Run(t.Context(), input); err != nil {
		t.Fatal(err)
	}
	got := d.cf.only(t)
	if got.Status != cfnresponse.Success || got.Data["Revision"] != "1" || !strings.HasPrefix(got.PhysicalResourceId, "helm/test/") {
		t.Errorf("answer = %+v", got)
	}
	if polls != 3 || len(sm.Waits) != 2 {
		t.Errorf("the waiter polled %d times with %d waits, want 3 polls (2 pending, then ready)", polls, len(sm.Waits))
	}
}

func TestLongOperationHelmTimeoutFailsWithReason(t *testing.T) {
	t.Parallel()
	d := newLongDeployment(t)
	ns := namespace(t, d.env)
	url, _ := chartRepo(t, slowChart())
	e := d.event(t, url, ns, map[string]any{"Atomic": "true"})
	input := d.start(t, e)

	polls := 0
	sm := waitersim.New(t, d.def, map[string]func(context.Context, json.RawMessage) error{
		waiterFunction: func(ctx context.Context, raw json.RawMessage) error {
			if !strings.Contains(string(raw), spec.ErrorInfoField) {
				polls++
				if polls == 3 {
					d.clock.Store(int64(41 * time.Minute)) // the Timeout passes
				}
			}
			return d.invoke(ctx, raw, time.Minute)
		},
	})
	if _, err := sm.Run(t.Context(), input); err != nil {
		t.Fatal(err)
	}
	got := d.cf.only(t)
	want := "Helm release " + ns + "/slow revision 1 is not ready after its Timeout of 40m0s: apps/v1 Deployment " + ns + "/slow: InProgress (Replicas: 0/1)"
	if got.Status != cfnresponse.Failed || !strings.HasPrefix(got.Reason, want) || !strings.HasSuffix(got.Reason, "rolled back (Atomic)") {
		t.Errorf("answer = %s %q, want FAILED %q… rolled back (Atomic)", got.Status, got.Reason, want)
	}
	if strings.Contains(got.Reason, "ConfigMap") {
		t.Errorf("the reason names a ready object: %q", got.Reason)
	}
	if polls != 3 {
		t.Errorf("polled %d times, want 3", polls)
	}
	// Atomic, first install: the release is uninstalled, nothing is left.
	if get(t, d.env, deployGVR, ns, "slow") != nil || get(t, d.env, cmGVR, ns, "slow-cm") != nil {
		t.Error("the failed atomic install left its objects")
	}
}

// TestLongOperationCrashHelper is the handler process that
// TestLongOperationHelmCrashIsRecovered kills mid-operation; it runs only
// as that subprocess.
func TestLongOperationCrashHelper(t *testing.T) {
	raw := os.Getenv("EKSFORGE_CRASH_EVENT")
	if raw == "" {
		t.Skip("runs only as the subprocess of TestLongOperationHelmCrashIsRecovered")
	}
	rc, err := clientcmd.BuildConfigFromFlags("", os.Getenv("EKSFORGE_CRASH_KUBECONFIG"))
	if err != nil {
		t.Fatal(err)
	}
	h := kubectl.New(aws.Config{Region: "us-east-1"})
	h.Connect = func(context.Context, auth.Cluster) (*rest.Config, error) { return rest.CopyConfig(rc), nil }
	var e provider.Event
	if err := json.Unmarshal([]byte(raw), &e); err != nil {
		t.Fatal(err)
	}
	_, err = h.OnEvent(context.Background(), e) // killed while Helm waits
	t.Fatalf("the operation ended (%v); it should have been killed first", err)
}

func TestLongOperationHelmCrashIsRecovered(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	url, _ := chartRepo(t, slowChart())
	p := map[string]any{"Release": "slow", "Chart": "slow", "Repository": url, "Namespace": ns, "Wait": "true", "Timeout": "5m0s"}
	e := ev(t, kubectl.TypeHelmChart, cfnresponse.Create, p, nil)
	raw, _ := json.Marshal(e)

	// The handler process is killed while Helm waits for the Deployment:
	// the release is left pending-install with its objects applied.
	cmd := exec.Command(os.Args[0], "-test.run=^TestLongOperationCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "EKSFORGE_CRASH_EVENT="+string(raw), "EKSFORGE_CRASH_KUBECONFIG="+env.KubeconfigPath())
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	secrets := dyn(t, env).Resource(secretGVR).Namespace(ns)
	deployments, err := dyn(t, env).Resource(deployGVR).Namespace(ns).Watch(t.Context(), metav1.ListOptions{FieldSelector: "metadata.name=slow"})
	if err != nil {
		t.Fatal(err)
	}
	defer deployments.Stop()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var crashed *unstructured.Unstructured
	waitFor(t, deployments, func(ev watch.Event, u *unstructured.Unstructured) bool {
		crashed = u
		return ev.Type == watch.Added
	})
	// Helm records the release pending-install before it applies.
	if st := releaseStatuses(t, secrets); len(st) != 1 || st[0] != "pending-install" {
		t.Fatalf("release records while Helm waits: %v, want one pending-install", st)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if strings.Contains(out.String(), "should have been killed") {
		t.Fatalf("the handler process finished before it was killed:\n%s", out.String())
	}

	// Lambda retries the invocation with the same event: the pending
	// release is recovered (uninstalled: it never deployed), installed
	// again, and completes once the new Deployment rolls out.
	rolled := make(chan string, 1)
	go func() {
		defer close(rolled)
		for ev := range deployments.ResultChan() {
			u, ok := ev.Object.(*unstructured.Unstructured)
			if ok && ev.Type == watch.Added && u.GetUID() != crashed.GetUID() {
				rolled <- string(u.GetUID())
				rolledOut(t, env, ns, "slow")
				return
			}
		}
	}()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	r, err := h.OnEvent(ctx, e)
	if err != nil {
		t.Fatalf("the retried Create failed: %v", err)
	}
	<-rolled
	if r.Data["Revision"] != "1" {
		t.Errorf("retried Create: %+v", r)
	}
	now := get(t, env, deployGVR, ns, "slow")
	if now == nil || now.GetUID() == crashed.GetUID() {
		t.Error("the half-installed Deployment was kept rather than cleaned up and installed again")
	}
	if st := releaseStatuses(t, secrets); len(st) != 1 || st[0] != "deployed" {
		t.Errorf("release records after recovery: %v, want one deployed", st)
	}
}

// releaseStatuses lists the status of each stored revision of release slow.
func releaseStatuses(t *testing.T, secrets dynamic.ResourceInterface) []string {
	t.Helper()
	list, err := secrets.List(t.Context(), metav1.ListOptions{LabelSelector: "owner=helm,name=slow"})
	if err != nil {
		t.Fatal(err)
	}
	var st []string
	for _, s := range list.Items {
		st = append(st, s.GetLabels()["status"])
	}
	return st
}

// waitFor reads w until an object satisfies ok.
func waitFor(t *testing.T, w watch.Interface, ok func(watch.Event, *unstructured.Unstructured) bool) {
	t.Helper()
	for {
		select {
		case ev, open := <-w.ResultChan():
			if !open {
				t.Fatal("the watch ended")
			}
			if u, isU := ev.Object.(*unstructured.Unstructured); isU && ok(ev, u) {
				return
			}
		case <-t.Context().Done():
			t.Fatal("test ended while waiting")
		}
	}
}

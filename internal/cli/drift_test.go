package cli_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/kubectl/auth"
	"github.com/eksforge/eksforge/handlers/kubectl/ownermark"
	"github.com/eksforge/eksforge/handlers/provider"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// kubeApp is a stack whose template holds a manifest and a Helm chart, as
// eksforge writes them (the custom resources the kubectl handler serves).
type kubeApp struct {
	stack    string
	manifest string // the Manifest property: JSON list of objects
	values   string // the chart's Values property, "" for none
}

func (k kubeApp) build(app *cdk.App) {
	st := cdk.NewStack(app, k.stack, cdk.StackProps{})
	cluster := cdk.NewConstruct(st, "Cluster")
	m := cdk.NewConstruct(cluster, "manifest-app")
	cdk.NewCfnResource(m, "Resource", cdk.CfnResourceProps{Type: "Custom::AWSCDK-EKS-KubernetesResource", Properties: map[string]any{
		"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:kubectl", "ClusterName": "shop",
		"Manifest": k.manifest, "PruneLabel": "aws.cdk.eks/prune-c8app", "Owner": ownerAddr,
	}})
	if k.values != "" {
		c := cdk.NewConstruct(cluster, "chart-web")
		cdk.NewCfnResource(c, "Resource", cdk.CfnResourceProps{Type: "Custom::AWSCDK-EKS-HelmChart", Properties: map[string]any{
			"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:kubectl", "ClusterName": "shop",
			"Release": "web", "Namespace": k.namespace(), "Chart": "web", "Values": k.values,
		}})
	}
}

func (k kubeApp) namespace() string { return strings.ToLower(k.stack) }

// templateFile synthesizes the app and returns the path of its template
// and the assembly directory.
func (k kubeApp) templateFile(t *testing.T) (asm, file string) {
	t.Helper()
	asm = synth(t, k.build)
	return asm, filepath.Join(asm, k.stack+".template.json")
}

// ownerAddr is the Owner property of the test's manifests (eksforge
// writes the construct's address there).
const ownerAddr = "c8f00dfeedface0000000000000000000000000001"

// testStackID is the stack ID the handler is given in --template tests,
// where drift does not know it.
const testStackID = "arn:aws:cloudformation:us-east-1:123456789012:stack/DriftTest/0e0e0e0e-1111-2222-3333-444444444444"

// applyAsHandler runs the manifest's Create event through the real kubectl
// handler (in process, against env's API server), as CloudFormation does
// on deploy: its objects carry the handler's field manager and owner mark
// for the stack stackID.
func applyAsHandler(t *testing.T, env *kubeenv.Env, tmplFile, stackID string) {
	t.Helper()
	body, err := os.ReadFile(tmplFile)
	if err != nil {
		t.Fatal(err)
	}
	var tmpl struct {
		Resources map[string]struct {
			Type       string
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(body, &tmpl); err != nil {
		t.Fatal(err)
	}
	h := kubectl.New(aws.Config{Region: "us-east-1"})
	h.Connect = func(context.Context, auth.Cluster) (*rest.Config, error) {
		rc := env.RestConfig()
		auth.Tune(rc)
		return rc, nil
	}
	applied := 0
	for id, r := range tmpl.Resources {
		if r.Type != kubectl.TypeManifest {
			continue
		}
		e := provider.Event{RequestType: cfnresponse.Create, StackId: stackID, RequestId: "req-" + id, ResourceType: r.Type,
			LogicalResourceId: id, ResourceProperties: r.Properties}
		if _, err := h.OnEvent(t.Context(), e); err != nil {
			t.Fatalf("the handler failed to apply %s: %v", id, err)
		}
		applied++
	}
	if applied == 0 {
		t.Fatalf("%s holds no manifest", tmplFile)
	}
}

// applyAsLegacyHandler applies the manifest as the handler did before each
// resource had its own field manager: the shared manager eksforge, no owner
// mark.
func applyAsLegacyHandler(t *testing.T, env *kubeenv.Env, manifest string) {
	t.Helper()
	c, err := apply.New(env.RestConfig())
	if err != nil {
		t.Fatal(err)
	}
	objs, err := apply.Parse([]byte(manifest))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Apply(t.Context(), objs, apply.Options{PruneLabel: "aws.cdk.eks/prune-c8app"}); err != nil {
		t.Fatal(err)
	}
}

func shopManifest(ns string) string {
	return fmt.Sprintf(`[
	{"apiVersion":"v1","kind":"Namespace","metadata":{"name":%[1]q}},
	{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":%[1]q},"data":{"mode":"blue","size":"large"}},
	{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"flags","namespace":%[1]q},"data":{"beta":"on"}},
	{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":%[1]q},"spec":{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":8080}]}}
	]`, ns)
}

func driftRunner(env *kubeenv.Env) []string {
	return []string{"--kubeconfig", env.KubeconfigPath()}
}

// TestDriftKubernetesObjects applies a manifest as the handler does and
// changes the cluster behind the stack's back: a field the stack applied
// taken over by kubectl edit (a conflict of field managers), a field the
// stack applied removed, an object deleted. Fields the stack never set
// (a label another tool adds) are not drift.
func TestDriftKubernetesObjects(t *testing.T) {
	t.Parallel()
	env := kubeenv.Start(t)
	app := kubeApp{stack: "DriftObjects"}
	app.manifest = shopManifest(app.namespace())
	asm, tmpl := app.templateFile(t)
	applyAsHandler(t, env, tmpl, testStackID)
	args := append([]string{"drift", "--app", asm, "--template", tmpl, "--fail"}, driftRunner(env)...)

	res := run(t, nil, args...)
	res.expect(t, 0, "stdout", "Stack DriftObjects\n  No drift\n", "Number of stacks with drift: 0")

	cs, err := kubernetes.NewForConfig(env.RestConfig())
	if err != nil {
		t.Fatal(err)
	}
	ns := app.namespace()
	cms := cs.CoreV1().ConfigMaps(ns)
	// Another tool labels the Service: a field the stack does not own.
	svc, err := cs.CoreV1().Services(ns).Get(t.Context(), "web", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	svc.Labels = map[string]string{"team": "web", "aws.cdk.eks/prune-c8app": ""}
	if _, err := cs.CoreV1().Services(ns).Update(t.Context(), svc, metav1.UpdateOptions{FieldManager: "labeller"}); err != nil {
		t.Fatal(err)
	}
	res = run(t, nil, args...)
	res.expect(t, 0, "stdout", "No drift")

	// kubectl edit changes a value the stack applied.
	settings, err := cms.Get(t.Context(), "settings", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	settings.Data["mode"] = "green"
	delete(settings.Data, "size")
	if _, err := cms.Update(t.Context(), settings, metav1.UpdateOptions{FieldManager: "kubectl-edit"}); err != nil {
		t.Fatal(err)
	}
	if err := cms.Delete(t.Context(), "flags", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	res = run(t, nil, args...)
	res.expect(t, 1, "stdout",
		"  [-] v1 ConfigMap "+ns+"/flags (DriftObjects/Cluster/manifest-app): missing: deleted from the cluster",
		"  [~] v1 ConfigMap "+ns+"/settings (DriftObjects/Cluster/manifest-app): fields the stack applied were changed by another field manager",
		`.data.mode conflict with "kubectl-edit"`,
		"Number of stacks with drift: 1")
	if strings.Contains(res.stdout, "Service") {
		t.Errorf("the Service is reported although only a field the stack does not own changed")
	}

	// Without --fail drift is not an error.
	noFail := append([]string{"drift", "--app", asm, "--template", tmpl}, driftRunner(env)...)
	res = run(t, nil, noFail...)
	res.expect(t, 0, "stdout", "Number of stacks with drift: 1")
}

// TestDriftFieldRemovedWithoutConflict removes a key the stack applied
// through an update by another manager: the field is no longer owned by
// anyone, so the dry run adds it back without a conflict, shown as a YAML
// diff.
func TestDriftFieldRemovedWithoutConflict(t *testing.T) {
	t.Parallel()
	env := kubeenv.Start(t)
	app := kubeApp{stack: "DriftRemoved"}
	app.manifest = shopManifest(app.namespace())
	asm, tmpl := app.templateFile(t)
	applyAsHandler(t, env, tmpl, testStackID)
	cs, err := kubernetes.NewForConfig(env.RestConfig())
	if err != nil {
		t.Fatal(err)
	}
	cms := cs.CoreV1().ConfigMaps(app.namespace())
	settings, err := cms.Get(t.Context(), "settings", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	delete(settings.Data, "size")
	if _, err := cms.Update(t.Context(), settings, metav1.UpdateOptions{FieldManager: "cleanup-job"}); err != nil {
		t.Fatal(err)
	}
	res := run(t, nil, append([]string{"drift", "--app", asm, "--template", tmpl, "--fail"}, driftRunner(env)...)...)
	res.expect(t, 1, "stdout",
		"  [~] v1 ConfigMap "+app.namespace()+"/settings (DriftRemoved/Cluster/manifest-app): differs from what the stack applied (- live, + as deployed)",
		"    mode: blue\n        +   size: large")
}

// TestDriftFieldTheStackNoLongerApplies applies, through the handler, a
// manifest with one more key than the deployed template holds (an apply
// the stack's template no longer says, as when a rollback could not reach
// the cluster): the dry run as the handler's own field manager drops that
// key, so drift shows it. A dry run as any other manager would leave it.
func TestDriftFieldTheStackNoLongerApplies(t *testing.T) {
	t.Parallel()
	env := kubeenv.Start(t)
	app := kubeApp{stack: "DriftStale"}
	ns := app.namespace()
	app.manifest = shopManifest(ns)
	asm, tmpl := app.templateFile(t)
	more := app
	more.manifest = strings.Replace(app.manifest, `"size":"large"}`, `"size":"large","extra":"kept"}`, 1)
	_, moreTmpl := more.templateFile(t)
	applyAsHandler(t, env, moreTmpl, testStackID)

	res := run(t, nil, append([]string{"drift", "--app", asm, "--template", tmpl, "--fail"}, driftRunner(env)...)...)
	res.expect(t, 1, "stdout",
		"  [~] v1 ConfigMap "+ns+"/settings (DriftStale/Cluster/manifest-app): differs from what the stack applied (- live, + as deployed)",
		"        -   extra: kept")
	if strings.Contains(res.stdout, "Service") || strings.Contains(res.stdout, "flags") {
		t.Errorf("objects applied as the template says are reported:\n%s", res.stdout)
	}
}

// TestDriftLegacyFieldManager compares objects applied before each
// resource had its own field manager (the shared manager eksforge, no owner
// mark) with that manager: no drift, then a hand edit is.
func TestDriftLegacyFieldManager(t *testing.T) {
	t.Parallel()
	env := kubeenv.Start(t)
	app := kubeApp{stack: "DriftLegacy"}
	ns := app.namespace()
	app.manifest = shopManifest(ns)
	applyAsLegacyHandler(t, env, app.manifest)
	asm, tmpl := app.templateFile(t)
	args := append([]string{"drift", "--app", asm, "--template", tmpl, "--fail"}, driftRunner(env)...)
	res := run(t, nil, args...)
	res.expect(t, 0, "stdout", "Stack DriftLegacy\n  No drift\n")

	cs, err := kubernetes.NewForConfig(env.RestConfig())
	if err != nil {
		t.Fatal(err)
	}
	cms := cs.CoreV1().ConfigMaps(ns)
	settings, err := cms.Get(t.Context(), "settings", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	settings.Data["mode"] = "green"
	if _, err := cms.Update(t.Context(), settings, metav1.UpdateOptions{FieldManager: "kubectl-edit"}); err != nil {
		t.Fatal(err)
	}
	res = run(t, nil, args...)
	res.expect(t, 1, "stdout", "  [~] v1 ConfigMap "+ns+"/settings (DriftLegacy/Cluster/manifest-app): fields the stack applied were changed by another field manager",
		`.data.mode conflict with "kubectl-edit"`)
}

// TestDriftObjectTakenOver has a resource of another stack adopt one of the
// stack's objects (Overwrite): the object now carries that resource's owner
// mark, which drift reports.
func TestDriftObjectTakenOver(t *testing.T) {
	t.Parallel()
	env := kubeenv.Start(t)
	app := kubeApp{stack: "DriftTaken"}
	ns := app.namespace()
	app.manifest = shopManifest(ns)
	asm, tmpl := app.templateFile(t)
	applyAsHandler(t, env, tmpl, testStackID)

	h := kubectl.New(aws.Config{Region: "us-east-1"})
	h.Connect = func(context.Context, auth.Cluster) (*rest.Config, error) { return env.RestConfig(), nil }
	otherStack := "arn:aws:cloudformation:us-east-1:123456789012:stack/Other/99999999-1111-2222-3333-444444444444"
	_, err := h.OnEvent(t.Context(), provider.Event{RequestType: cfnresponse.Create, StackId: otherStack, RequestId: "other", ResourceType: kubectl.TypeManifest, LogicalResourceId: "OtherManifest",
		ResourceProperties: map[string]any{"ClusterName": "shop", "Overwrite": "true", "Owner": "other-owner",
			"Manifest": fmt.Sprintf(`[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"flags","namespace":%q},"data":{"beta":"off"}}]`, ns)}})
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, nil, append([]string{"drift", "--app", asm, "--template", tmpl, "--fail"}, driftRunner(env)...)...)
	res.expect(t, 1, "stdout", "  [~] v1 ConfigMap "+ns+"/flags (DriftTaken/Cluster/manifest-app): owned by "+ownermark.Mark(otherStack, "other-owner")+", not by this resource ("+ownerAddr+")")
	if strings.Contains(res.stdout, "settings") {
		t.Errorf("an object still the stack's is reported:\n%s", res.stdout)
	}
}

// helmSecret writes a release revision in Helm's storage format (a Secret
// sh.helm.release.v1.NAME.vN holding base64 of gzip of the release JSON),
// as `helm install`/`upgrade` leave it.
func helmSecret(t *testing.T, cs kubernetes.Interface, ns, name string, rev int, status string, values map[string]any) {
	t.Helper()
	rel := map[string]any{"name": name, "namespace": ns, "version": rev, "config": values,
		"info":  map[string]any{"status": status},
		"chart": map[string]any{"metadata": map[string]any{"name": "web", "version": "1.0.0"}}}
	body, err := json.Marshal(rel)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(body)
	zw.Close()
	sec := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("sh.helm.release.v1.%s.v%d", name, rev), Namespace: ns,
			Labels: map[string]string{"owner": "helm", "name": name, "version": fmt.Sprint(rev), "status": status}},
		Type: "helm.sh/release.v1",
		Data: map[string][]byte{"release": []byte(base64.StdEncoding.EncodeToString(gz.Bytes()))},
	}
	if _, err := cs.CoreV1().Secrets(ns).Create(t.Context(), sec, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestDriftHelmRelease compares a release with the values the stack gave:
// the same values are no drift; a `helm upgrade` by hand with other values
// (revision 2) is.
func TestDriftHelmRelease(t *testing.T) {
	t.Parallel()
	env := kubeenv.Start(t)
	app := kubeApp{stack: "DriftHelm", values: `{"replicaCount":2,"service":{"type":"ClusterIP"}}`}
	app.manifest = fmt.Sprintf(`[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":%q}}]`, app.namespace())
	asm, tmpl := app.templateFile(t)
	applyAsHandler(t, env, tmpl, testStackID)
	cs, err := kubernetes.NewForConfig(env.RestConfig())
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"drift", "--app", asm, "--template", tmpl, "--fail"}, driftRunner(env)...)

	res := run(t, nil, args...)
	res.expect(t, 1, "stdout", "  [-] Helm release drifthelm/web (DriftHelm/Cluster/chart-web): missing: no release in the cluster")

	helmSecret(t, cs, app.namespace(), "web", 1, "superseded", map[string]any{"replicaCount": 2, "service": map[string]any{"type": "ClusterIP"}})
	helmSecret(t, cs, app.namespace(), "web", 2, "deployed", map[string]any{"replicaCount": 2, "service": map[string]any{"type": "ClusterIP"}})
	res = run(t, nil, args...)
	res.expect(t, 0, "stdout", "Stack DriftHelm\n  No drift")

	helmSecret(t, cs, app.namespace(), "web", 3, "deployed", map[string]any{"replicaCount": 5, "service": map[string]any{"type": "ClusterIP"}})
	res = run(t, nil, args...)
	res.expect(t, 1, "stdout", "  [~] Helm release drifthelm/web (DriftHelm/Cluster/chart-web): the values of revision 3 differ (- live, + as deployed)",
		"        - replicaCount: 5\n        + replicaCount: 2")
}

// TestDriftDeployedStack reads a stack deployed to moto: its template
// comes from CloudFormation; moto has no drift detection, which is said.
func TestDriftDeployedStack(t *testing.T) {
	t.Parallel()
	srv, _, newRunner := bootstrapped(t, motoserver.Region)
	ep := "--endpoint-url=" + srv.Endpoint()
	n := network{stack: "DriftDeployed", name: unique("DriftDeployed"), asset: "drift"}
	asm := synth(t, n.build)
	res := run(t, newRunner(), "deploy", "--app", asm, ep, "--require-approval", "never")
	res.expect(t, 0, "stderr", "CREATE_COMPLETE")
	res = run(t, newRunner(), "drift", "--app", asm, ep, "--fail")
	res.expect(t, 0, "stdout", "Stack DriftDeployed\n", "note: CloudFormation drift detection is not available", "No drift", "Number of stacks with drift: 0")

	other := network{stack: "DriftDeployed", name: unique("DriftNotDeployed")}
	res = run(t, newRunner(), "drift", "--app", synth(t, other.build), ep)
	res.expect(t, 0, "stdout", "note: not deployed")
}

func TestDriftUsage(t *testing.T) {
	t.Parallel()
	two := synth(t, func(app *cdk.App) {
		kubeApp{stack: "A", manifest: "[]"}.build(app)
		kubeApp{stack: "B", manifest: "[]"}.build(app)
	})
	res := run(t, nil, "drift", "--app", two, "--template", "x.json", "--kubeconfig", "k")
	res.expect(t, 2, "stderr", "--template reads one stack; name it (the app has A, B)")
	res = run(t, nil, "drift", "--bogus")
	res.expect(t, 2, "stderr", "unknown flag --bogus")
}

package kubectl_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// patchTarget creates ConfigMap ns/target holding k: orig, the object the
// patch tests patch, and returns a reader of its k.
func patchTarget(t *testing.T, env *kubeenv.Env, ns string) func() string {
	t.Helper()
	cm := &unstructured.Unstructured{Object: configMap(ns, "target", map[string]any{"k": "orig"})}
	if _, err := dyn(t, env).Resource(cmGVR).Namespace(ns).Create(context.Background(), cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return func() string {
		return get(t, env, cmGVR, ns, "target").Object["data"].(map[string]any)["k"].(string)
	}
}
func TestPatchApplyAndRestore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, typ, apply, restore, apply2 string
		want, want2, restored             string
	}{
		{"strategic", "strategic", `{"data":{"k":"patched"}}`, `{"data":{"k":"orig"}}`, `{"data":{"k":"again"}}`, "patched", "again", "orig"},
		{"merge", "merge", `{"data":{"k":"patched"}}`, `{"data":{"k":"orig"}}`, `{"data":{"k":"again"}}`, "patched", "again", "orig"},
		{"json", "json", `[{"op":"replace","path":"/data/k","value":"patched"}]`, `[{"op":"replace","path":"/data/k","value":"orig"}]`,
			`[{"op":"replace","path":"/data/k","value":"again"}]`, "patched", "again", "orig"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, env := newHandler(t)
			ns := namespace(t, env)
			value := patchTarget(t, env, ns)
			p := map[string]any{"ResourceName": "configmap/target", "ResourceNamespace": ns, "ApplyPatchJson": tt.apply,
				"RestorePatchJson": tt.restore, "PatchType": tt.typ}
			r := mustRun(t, h, ev(t, kubectl.TypePatch, cfnresponse.Create, p, nil))
			if got := value(); got != tt.want {
				t.Errorf("after Create k=%q, want %q", got, tt.want)
			}
			p2 := map[string]any{"ResourceName": "cm/target", "ResourceNamespace": ns, "ApplyPatchJson": tt.apply2,
				"RestorePatchJson": tt.restore, "PatchType": tt.typ}
			up := ev(t, kubectl.TypePatch, cfnresponse.Update, p2, p)
			up.PhysicalResourceId = r.PhysicalResourceId
			r2 := mustRun(t, h, up)
			if r2.PhysicalResourceId != r.PhysicalResourceId {
				t.Errorf("ResourceName respelled for the same object (configmap/target, cm/target) replaced the resource: ID %s, then %s", r.PhysicalResourceId, r2.PhysicalResourceId)
			}
			if got := value(); got != tt.want2 {
				t.Errorf("after Update k=%q, want %q", got, tt.want2)
			}
			del := ev(t, kubectl.TypePatch, cfnresponse.Delete, p2, nil)
			del.PhysicalResourceId = r2.PhysicalResourceId
			mustRun(t, h, del)
			if got := value(); got != tt.restored {
				t.Errorf("after Delete k=%q, want %q", got, tt.restored)
			}
		})
	}
	t.Run("delete of a gone object succeeds", func(t *testing.T) {
		t.Parallel()
		h, env := newHandler(t)
		ns := namespace(t, env)
		p := map[string]any{"ResourceName": "deployment/nothing", "ResourceNamespace": ns, "ApplyPatchJson": `{}`, "RestorePatchJson": `{}`}
		del := ev(t, kubectl.TypePatch, cfnresponse.Delete, p, nil)
		del.PhysicalResourceId = "patch/test/x"
		mustRun(t, h, del)
	})
	t.Run("fails naming the object", func(t *testing.T) {
		t.Parallel()
		h, env := newHandler(t)
		ns := namespace(t, env)
		p := map[string]any{"ResourceName": "deployment/nothing", "ResourceNamespace": ns, "ApplyPatchJson": `{"spec":{}}`, "RestorePatchJson": `{}`}
		_, err := run(t, h, ev(t, kubectl.TypePatch, cfnresponse.Create, p, nil))
		if err == nil || !strings.Contains(err.Error(), "Deployment "+ns+"/nothing") || !strings.Contains(err.Error(), "not found") {
			t.Errorf("error %v, want one naming Deployment %s/nothing", err, ns)
		}
	})
}

func TestObjectValue(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "lb", Namespace: ns},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, Ports: []corev1.ServicePort{{Port: 80}}}}
	cs := clientset(t, env)
	created, err := cs.CoreV1().Services(ns).Create(context.Background(), svc, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Play the cloud controller a little later: set the status subresource.
	go func() {
		time.Sleep(500 * time.Millisecond)
		created.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{Hostname: "lb.example.com"}}
		if _, err := cs.CoreV1().Services(ns).UpdateStatus(context.Background(), created, metav1.UpdateOptions{}); err != nil {
			t.Error(err)
		}
	}()
	p := map[string]any{"ObjectType": "service", "ObjectName": "lb", "ObjectNamespace": ns,
		"JsonPath": ".status.loadBalancer.ingress[0].hostname", "TimeoutSeconds": "30"}
	r := mustRun(t, h, ev(t, kubectl.TypeObjectValue, cfnresponse.Create, p, nil))
	if r.Data["Value"] != "lb.example.com" {
		t.Errorf("Value = %v, want lb.example.com", r.Data["Value"])
	}
	up := ev(t, kubectl.TypeObjectValue, cfnresponse.Update, p, p)
	up.PhysicalResourceId = r.PhysicalResourceId
	if r2 := mustRun(t, h, up); r2.Data["Value"] != "lb.example.com" || r2.PhysicalResourceId != r.PhysicalResourceId {
		t.Errorf("Update answered %+v", r2)
	}
	del := ev(t, kubectl.TypeObjectValue, cfnresponse.Delete, p, nil)
	del.PhysicalResourceId = r.PhysicalResourceId
	mustRun(t, h, del)

	t.Run("fails after the timeout naming the object and path", func(t *testing.T) {
		p := map[string]any{"ObjectType": "svc", "ObjectName": "lb", "ObjectNamespace": ns,
			"JsonPath": ".status.nothing.here", "TimeoutSeconds": "1"}
		// The event's context has no deadline: only the resource's own
		// 1-second timeout can end the wait (a handler that ignored it
		// would hang until the test binary's timeout).
		_, err := h.OnEvent(context.Background(), ev(t, kubectl.TypeObjectValue, cfnresponse.Create, p, nil))
		if err == nil || !strings.Contains(err.Error(), "Service "+ns+"/lb") || !strings.Contains(err.Error(), ".status.nothing.here") {
			t.Errorf("error %v, want a timeout naming the Service and path", err)
		}
	})
}

func TestAwsAuthKeepsForeignEntries(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	cs := clientset(t, env)
	foreign := "# written by eksctl\n- rolearn: arn:aws:iam::123456789012:role/nodes\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:   [system:bootstrappers, system:nodes]   # odd spacing kept\n"
	ctx := context.Background()
	_, _ = cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "kube-system"}}, metav1.CreateOptions{})
	_ = cs.CoreV1().ConfigMaps("kube-system").Delete(ctx, "aws-auth", metav1.DeleteOptions{}) // go test -count=2
	if _, err := cs.CoreV1().ConfigMaps("kube-system").Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "aws-auth", Namespace: "kube-system"},
		Data: map[string]string{"mapRoles": foreign}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	role := func(n string) map[string]any {
		return map[string]any{"rolearn": "arn:aws:iam::123456789012:role/" + n, "username": n, "groups": []any{"system:masters"}}
	}
	p := map[string]any{"MapRoles": jsonString(t, []any{role("admin")}), "MapAccounts": jsonString(t, []any{"111122223333"})}
	r := mustRun(t, h, ev(t, kubectl.TypeAwsAuth, cfnresponse.Create, p, nil))
	read := func() map[string]string {
		cm, err := cs.CoreV1().ConfigMaps("kube-system").Get(ctx, "aws-auth", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return cm.Data
	}
	d := read()
	if !strings.HasPrefix(d["mapRoles"], foreign) || !strings.Contains(d["mapRoles"], "role/admin") || !strings.Contains(d["mapAccounts"], "111122223333") {
		t.Fatalf("after Create: %q", d)
	}
	p2 := map[string]any{"MapRoles": jsonString(t, []any{role("dev")})}
	up := ev(t, kubectl.TypeAwsAuth, cfnresponse.Update, p2, p)
	up.PhysicalResourceId = r.PhysicalResourceId
	mustRun(t, h, up)
	d = read()
	if !strings.HasPrefix(d["mapRoles"], foreign) || strings.Contains(d["mapRoles"], "role/admin") || !strings.Contains(d["mapRoles"], "role/dev") || d["mapAccounts"] != "" {
		t.Fatalf("after Update: %q", d)
	}
	del := ev(t, kubectl.TypeAwsAuth, cfnresponse.Delete, p2, nil)
	del.PhysicalResourceId = r.PhysicalResourceId
	mustRun(t, h, del)
	if d = read(); d["mapRoles"] != foreign {
		t.Errorf("after Delete mapRoles = %q, want the foreign entries byte for byte", d["mapRoles"])
	}
}

func TestManifestFromS3(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	srv := motoserver.Shared(t)
	cfg, err := srv.AWSConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	bucket := fmt.Sprintf("assets-%d", time.Now().UnixNano())
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		t.Fatal(err)
	}
	// About 5 MB: 50 ConfigMaps of 100 KB.
	var objs []any
	for i := range 50 {
		objs = append(objs, configMap(ns, fmt.Sprintf("big-%d", i), map[string]any{"blob": strings.Repeat("x", 100_000)}))
	}
	body := []byte(jsonString(t, objs))
	if len(body) < 5_000_000 {
		t.Fatalf("manifest is %d bytes, want 5 MB", len(body))
	}
	key := "manifest-abc.json"
	if _, err := client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: bytes.NewReader(body)}); err != nil {
		t.Fatal(err)
	}
	p := map[string]any{"ManifestAsset": map[string]any{"Bucket": bucket, "Key": key}}
	r := mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil))
	if r.Data["Objects"] != "50" || get(t, env, cmGVR, ns, "big-49") == nil {
		t.Fatalf("answered %+v", r)
	}
	del := ev(t, kubectl.TypeManifest, cfnresponse.Delete, p, nil)
	del.PhysicalResourceId = r.PhysicalResourceId
	mustRun(t, h, del)
	if get(t, env, cmGVR, ns, "big-0") != nil {
		t.Error("not deleted")
	}
}

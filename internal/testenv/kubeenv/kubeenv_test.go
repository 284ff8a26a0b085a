package kubeenv_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"github.com/eksforge/eksforge/internal/testenv/unavailable"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
)

// TestMain stops the Env the tests share through kubeenv.Shared: the
// pattern for every test package that needs an API server.
func TestMain(m *testing.M) {
	code := m.Run()
	if err := kubeenv.StopShared(); err != nil {
		println(err.Error())
	}
	os.Exit(code)
}

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: public.ecr.aws/nginx/nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
`

func clientset(t *testing.T, env *kubeenv.Env) *kubernetes.Clientset {
	t.Helper()
	cs, err := kubernetes.NewForConfig(env.RestConfig())
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// checkObjects reads the Deployment with plain net/http and the Service
// with client-go.
func checkObjects(t *testing.T, env *kubeenv.Env) {
	t.Helper()
	ctx := t.Context()
	body, err := env.Get(ctx, "/apis/apps/v1/namespaces/default/deployments/web")
	if err != nil {
		t.Fatalf("reading the Deployment: %v", err)
	}
	var deploy struct {
		Kind string `json:"kind"`
		Spec struct {
			Replicas int `json:"replicas"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(body, &deploy); err != nil {
		t.Fatalf("decoding the Deployment: %v\n%s", err, body)
	}
	if deploy.Kind != "Deployment" || deploy.Spec.Replicas != 2 {
		t.Errorf("Deployment web: kind %q, replicas %d; want Deployment, 2", deploy.Kind, deploy.Spec.Replicas)
	}

	svc, err := clientset(t, env).CoreV1().Services("default").Get(ctx, "web", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("reading the Service: %v", err)
	}
	if svc.Spec.Type != corev1.ServiceTypeLoadBalancer {
		t.Errorf("Service web has type %q, want LoadBalancer", svc.Spec.Type)
	}
	if !strings.HasPrefix(svc.Spec.ClusterIP, "10.0.0.") {
		t.Errorf("Service web has ClusterIP %q, want one in %s", svc.Spec.ClusterIP, kubeenv.ServiceClusterIPRange)
	}
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].NodePort == 0 {
		t.Errorf("Service web ports = %+v, want one with a NodePort allocated", svc.Spec.Ports)
	}
}

func TestApplyRestartAndReadBack(t *testing.T) {
	t.Parallel()
	env := kubeenv.Start(t)
	t.Logf("etcd and kube-apiserver ready in %s", env.StartupTime())

	t.Run("kubectl apply", func(t *testing.T) {
		kubectl := lookKubectl(t)
		path := filepath.Join(t.TempDir(), "manifest.yaml")
		if err := os.WriteFile(path, []byte(manifest), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, kubectl, "--kubeconfig", env.KubeconfigPath(), "apply", "-f", path).CombinedOutput()
		if err != nil {
			t.Fatalf("kubectl apply: %v\n%s", err, out)
		}
		for _, want := range []string{"deployment.apps/web created", "service/web created"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("kubectl apply printed %q, want it to contain %q", out, want)
			}
		}
		checkObjects(t, env)
	})
	if t.Failed() {
		return
	}

	t.Run("restart keeps objects", func(t *testing.T) {
		before := env.Host
		began := time.Now()
		env.Restart(t)
		t.Logf("kube-apiserver restarted and ready in %s", time.Since(began))
		if env.Host != before {
			t.Errorf("Host changed across Restart: %s, then %s", before, env.Host)
		}
		checkObjects(t, env)
	})
}

func TestStopAPIServerFailsClientsUntilStarted(t *testing.T) {
	t.Parallel()
	env := kubeenv.Start(t)
	cs := clientset(t, env)
	ctx := t.Context()
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "kept", Namespace: "default"}, Data: map[string]string{"k": "v"}}
	if _, err := cs.CoreV1().ConfigMaps("default").Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if err := env.StopAPIServer(); err != nil {
		t.Fatal(err)
	}
	t.Logf("kube-apiserver stopped in %s", time.Since(began))
	shortCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := cs.CoreV1().ConfigMaps("default").Get(shortCtx, "kept", metav1.GetOptions{}); err == nil {
		t.Fatal("Get succeeded while the API server was stopped")
	}
	began = time.Now()
	if err := env.StartAPIServer(); err != nil {
		t.Fatal(err)
	}
	t.Logf("kube-apiserver started again and ready in %s", time.Since(began))
	got, err := cs.CoreV1().ConfigMaps("default").Get(ctx, "kept", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("Get after StartAPIServer: %v", err)
	}
	if got.Data["k"] != "v" {
		t.Errorf("ConfigMap kept has data %v, want k=v", got.Data)
	}
}

func TestTwoEnvsSideBySide(t *testing.T) {
	t.Parallel()
	a, b := kubeenv.Start(t), kubeenv.Start(t)
	if a.Host == b.Host || a.EtcdURL == b.EtcdURL {
		t.Fatalf("two Envs share an address: %s %s, %s %s", a.Host, a.EtcdURL, b.Host, b.EtcdURL)
	}
	ctx := t.Context()
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "only-in-a"}}
	if _, err := clientset(t, a).CoreV1().ConfigMaps("default").Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := clientset(t, b).CoreV1().ConfigMaps("default").Get(ctx, "only-in-a", metav1.GetOptions{})
	if !apierrors.IsNotFound(err) {
		t.Errorf("the second Env: Get of a ConfigMap made in the first = %v, want NotFound", err)
	}
	// Each Env trusts only its own CA.
	if _, err := b.HTTPClient().Get(a.Host + "/readyz"); err == nil {
		t.Errorf("the second Env's client trusted the first Env's serving certificate")
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	env := kubeenv.Shared(t)
	tests := []struct {
		name  string
		token string
		want  int
	}{
		{name: "admin token reads secrets", token: env.Token, want: http.StatusOK},
		{name: "fails with a wrong token", token: "not-the-token", want: http.StatusUnauthorized},
		{name: "fails anonymously", token: "", want: http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pool := x509.NewCertPool()
			pool.AppendCertsFromPEM(env.CAData)
			client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, env.Host+"/api/v1/namespaces/kube-system/secrets", nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

func TestSharedIsStartedOnce(t *testing.T) {
	t.Parallel()
	a, b := kubeenv.Shared(t), kubeenv.Shared(t)
	if a != b {
		t.Errorf("Shared returned two Envs: %s and %s", a.Host, b.Host)
	}
	body, err := a.Get(t.Context(), "/version")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		GitVersion string `json:"gitVersion"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if v.GitVersion != kubeenv.KubernetesVersion {
		t.Errorf("/version gitVersion = %q, want %q", v.GitVersion, kubeenv.KubernetesVersion)
	}
}

func TestStopRemovesDirAndTwiceIsFine(t *testing.T) {
	t.Parallel()
	env, err := kubeenv.New()
	if errors.Is(err, kubeenv.ErrUnavailable) {
		kubeenv.BinaryDir(t) // skips, or fails when CI=true
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := env.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if _, err := os.Stat(env.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Dir %s still exists after Stop: %v", env.Dir, err)
	}
	if err := env.StartAPIServer(); err == nil {
		t.Errorf("StartAPIServer after Stop succeeded, want an error")
	}
}

// TestStartSkipsWhenUnavailable checks that when make test could not build
// the binaries (no Go module proxy), the tests that need them skip, loudly
// (outside CI).
func TestStartSkipsWhenUnavailable(t *testing.T) {
	t.Setenv("CI", "")
	t.Setenv(kubeenv.BinariesEnvVar, "")
	t.Setenv(kubeenv.UnavailableEnvVar, "the Go module proxy could not be reached (test)")
	if _, err := kubeenv.New(); !errors.Is(err, kubeenv.ErrUnavailable) {
		t.Errorf("New() error = %v, want one wrapping ErrUnavailable", err)
	}
	var inner *testing.T
	t.Run("needs an API server", func(t *testing.T) {
		inner = t
		kubeenv.Start(t)
		t.Error("Start returned without binaries")
	})
	if !inner.Skipped() {
		t.Errorf("Start did not skip the test")
	}
}

// lookKubectl returns kubectl's path; without it the test is skipped, or
// failed under CI=true.
func lookKubectl(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("kubectl")
	if err != nil {
		unavailable.SkipOrFail(t, unavailable.Tool{
			Source:  "kubeenv",
			What:    "kubectl is not installed",
			Reason:  err.Error(),
			Skipped: "Tests that compare with kubectl",
			Remedy:  "Install kubectl (Debian: apt-get install kubernetes-client, or the upstream binary).",
			CINeeds: "have kubectl installed",
		})
	}
	return path
}

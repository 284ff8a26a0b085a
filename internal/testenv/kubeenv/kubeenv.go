package kubeenv

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"github.com/eksforge/eksforge/internal/testenv/toolscript"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// AdminUser is the user name of [Env.Token], a member of system:masters.
const AdminUser = "eksforge-admin"

// ServiceClusterIPRange is the --service-cluster-ip-range of every Env.
const ServiceClusterIPRange = "10.0.0.0/24"

// kubernetesServiceIP is the first address of ServiceClusterIPRange, the
// ClusterIP of the default/kubernetes Service.
const kubernetesServiceIP = "10.0.0.1"

// ServiceAccountIssuer is the --service-account-issuer of every Env.
const ServiceAccountIssuer = "https://kubernetes.default.svc.cluster.local"

// Timeouts bounding each wait of an Env.
const (
	// EtcdStartTimeout bounds the wait for etcd to report healthy.
	EtcdStartTimeout = 30 * time.Second
	// APIServerStartTimeout bounds the wait for kube-apiserver's /readyz
	// and the default namespace.
	APIServerStartTimeout = 90 * time.Second
	// StopGrace is how long a process has to exit after SIGTERM before it
	// is killed.
	StopGrace = 15 * time.Second
)

// Env is a running etcd and kube-apiserver on 127.0.0.1, reached over HTTPS
// with a bearer token of a cluster administrator. Its methods are safe for
// concurrent use. Host, CAData and Token do not change for the life of the
// Env, [Env.Restart] included.
type Env struct {
	// Host is the API server's URL, https://127.0.0.1:PORT.
	Host string
	// CAData is the PEM certificate of the CA that signed the API
	// server's serving certificate (for 127.0.0.1, localhost and
	// kubernetes.default.svc...).
	CAData []byte
	// Token is a bearer token of [AdminUser], in group system:masters.
	Token string
	// Dir is the Env's temporary directory: etcd data, certificates, the
	// kubeconfig and the logs. [Env.Stop] removes it.
	Dir string
	// EtcdURL is etcd's client URL, http://127.0.0.1:PORT.
	EtcdURL string

	binDir        string
	apiserverArgs []string
	startup       time.Duration

	mu        sync.Mutex
	etcd      *process
	apiserver *process
	stopped   bool
	stopErr   error
}

// New starts etcd and kube-apiserver, built by [Binaries], in a new
// temporary directory with free ports of 127.0.0.1, and waits until the API
// server is ready and the default namespace exists. The caller must call
// [Env.Stop]. When the binaries cannot be built for lack of network the
// error wraps [ErrUnavailable].
func New() (*Env, error) {
	binDir, err := Binaries()
	if err != nil {
		return nil, err
	}
	var lastErr error
	// A free port can be taken by someone else before etcd or the API
	// server binds it: try again on other ports.
	for range 3 {
		e, err := start(binDir)
		if err == nil {
			return e, nil
		}
		lastErr = err
		if !errors.Is(err, errPortInUse) {
			break
		}
	}
	return nil, lastErr
}

// Start starts an Env for this test with [New] and stops it when the test
// ends, printing the end of both logs first if the test failed. When the
// binaries cannot be built for lack of network the test is skipped, or
// fails when CI=true.
func Start(t testing.TB) *Env {
	t.Helper()
	e, err := New()
	if err != nil {
		fail(t, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(e.Logs(60))
		}
		if err := e.Stop(); err != nil {
			t.Errorf("kubeenv: %v", err)
		}
	})
	return e
}

var shared struct {
	mu  sync.Mutex
	env *Env
	err error
}

// Shared returns the Env shared by the tests of this process, starting it
// on first use; call [StopShared] from TestMain after m.Run. Tests that
// share it see each other's objects: give each test its own namespace, and
// do not call [Env.Restart] on it. When the binaries cannot be built for
// lack of network the test is skipped, or fails when CI=true.
func Shared(t testing.TB) *Env {
	t.Helper()
	shared.mu.Lock()
	if shared.env == nil && shared.err == nil {
		shared.env, shared.err = New()
	}
	e, err := shared.env, shared.err
	shared.mu.Unlock()
	if err != nil {
		fail(t, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(e.Logs(60))
		}
	})
	return e
}

// StopShared stops the Env [Shared] started, if any. Call it from TestMain
// after m.Run; a later [Shared] starts a new one. Without it the processes
// still end with the test process (on Linux, by the parent-death signal),
// but the temporary directory is left behind.
func StopShared() error {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	e := shared.env
	shared.env, shared.err = nil, nil
	if e == nil {
		return nil
	}
	return e.Stop()
}

var errPortInUse = errors.New("port in use")

func start(binDir string) (_ *Env, err error) {
	began := time.Now()
	dir, err := os.MkdirTemp("", "eksforge-kubeenv-")
	if err != nil {
		return nil, fmt.Errorf("kubeenv: %w", err)
	}
	e := &Env{Dir: dir, Token: randomToken(), binDir: binDir}
	defer func() {
		if err != nil {
			logs := e.Logs(40)
			e.Stop()
			if strings.Contains(logs, "address already in use") {
				err = fmt.Errorf("%w: %w", errPortInUse, err)
			}
			err = fmt.Errorf("kubeenv: %w\n%s", err, logs)
		}
	}()

	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	etcdClient, etcdPeer, securePort := ports[0], ports[1], ports[2]
	e.EtcdURL = "http://127.0.0.1:" + strconv.Itoa(etcdClient)
	e.Host = "https://127.0.0.1:" + strconv.Itoa(securePort)

	peerURL := "http://127.0.0.1:" + strconv.Itoa(etcdPeer)
	etcdArgs := []string{
		"--name=kubeenv",
		"--data-dir=" + filepath.Join(dir, "etcd"),
		"--listen-client-urls=" + e.EtcdURL,
		"--advertise-client-urls=" + e.EtcdURL,
		"--listen-peer-urls=" + peerURL,
		"--initial-advertise-peer-urls=" + peerURL,
		"--initial-cluster=kubeenv=" + peerURL,
		"--initial-cluster-state=new",
		// A test cluster does not need durability; fsync dominates its writes.
		"--unsafe-no-fsync=true",
		"--log-level=warn",
	}
	e.etcd, err = startProcess(filepath.Join(binDir, "etcd"), etcdArgs, dir, e.etcdLog())
	if err != nil {
		return nil, err
	}

	f, caPEM, err := writeCredentials(dir, e.Token)
	if err != nil {
		return nil, fmt.Errorf("unable to write credentials: %w", err)
	}
	e.CAData = caPEM
	if err := os.WriteFile(e.KubeconfigPath(), e.Kubeconfig(), 0o600); err != nil {
		return nil, err
	}
	e.apiserverArgs = []string{
		"--etcd-servers=" + e.EtcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(securePort),
		"--cert-dir=" + filepath.Join(dir, "cert-dir"),
		"--tls-cert-file=" + f.servingCert,
		"--tls-private-key-file=" + f.servingKey,
		"--client-ca-file=" + f.caCert,
		"--token-auth-file=" + f.tokens,
		"--authorization-mode=RBAC",
		"--service-account-issuer=" + ServiceAccountIssuer,
		"--service-account-key-file=" + f.saPub,
		"--service-account-signing-key-file=" + f.saKey,
		"--service-cluster-ip-range=" + ServiceClusterIPRange,
		// No controller-manager creates the default ServiceAccount, so the
		// ServiceAccount admission plugin would refuse every Pod.
		"--disable-admission-plugins=ServiceAccount",
		"--allow-privileged=true",
		// Nothing but this API server would answer on 127.0.0.1 in the
		// kubernetes Service's endpoints.
		"--endpoint-reconciler-type=none",
	}

	if err := waitEtcd(e.EtcdURL, e.etcd, EtcdStartTimeout); err != nil {
		return nil, err
	}
	if err := e.startAPIServer(); err != nil {
		return nil, err
	}
	e.startup = time.Since(began)
	return e, nil
}

// StartupTime returns how long [New] took to start etcd and the API server
// until both were ready, binaries already built.
func (e *Env) StartupTime() time.Duration { return e.startup }

// startAPIServer starts kube-apiserver with the Env's arguments and waits
// until it is ready. The caller holds e.mu, or owns e exclusively.
func (e *Env) startAPIServer() error {
	p, err := startProcess(filepath.Join(e.binDir, "kube-apiserver"), e.apiserverArgs, e.Dir, e.apiserverLog())
	if err != nil {
		return err
	}
	e.apiserver = p
	if err := e.waitAPIServer(APIServerStartTimeout); err != nil {
		p.stop(StopGrace)
		return err
	}
	return nil
}

// StopAPIServer stops kube-apiserver (SIGTERM, then SIGKILL after
// [StopGrace]) and leaves etcd running, so that a test can see a client
// fail while the API server is down; [Env.StartAPIServer] brings it back.
func (e *Env) StopAPIServer() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return errors.New("kubeenv: the Env is stopped")
	}
	if e.apiserver == nil {
		return nil
	}
	err := e.apiserver.stop(StopGrace)
	e.apiserver = nil
	if err != nil {
		return fmt.Errorf("kubeenv: %w", err)
	}
	return nil
}

// StartAPIServer starts kube-apiserver again after [Env.StopAPIServer], on
// the same port with the same certificates, token and etcd, and waits until
// it is ready. It does nothing when the API server is running.
func (e *Env) StartAPIServer() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return errors.New("kubeenv: the Env is stopped")
	}
	if e.apiserver != nil && e.apiserver.running() {
		return nil
	}
	if err := e.startAPIServer(); err != nil {
		return fmt.Errorf("kubeenv: unable to start kube-apiserver again: %w\n%s", err, e.Logs(40))
	}
	return nil
}

// Restart stops kube-apiserver and starts it again on the same port, with
// the same certificates, token and etcd (so every object survives), and
// waits until it is ready, failing t otherwise. Use it for "API server
// restarted in the middle of an apply"; for a longer outage use
// [Env.StopAPIServer] and [Env.StartAPIServer].
func (e *Env) Restart(t testing.TB) {
	t.Helper()
	if err := e.StopAPIServer(); err != nil {
		t.Fatal(err)
	}
	if err := e.StartAPIServer(); err != nil {
		t.Fatal(err)
	}
}

// Stop stops kube-apiserver, then etcd, and removes [Env.Dir]. Calling it
// again returns the first result.
func (e *Env) Stop() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return e.stopErr
	}
	e.stopped = true
	var errs []error
	for _, p := range []*process{e.apiserver, e.etcd} {
		if p != nil {
			errs = append(errs, p.stop(StopGrace))
		}
	}
	errs = append(errs, os.RemoveAll(e.Dir))
	if err := errors.Join(errs...); err != nil {
		e.stopErr = fmt.Errorf("kubeenv: unable to stop: %w", err)
	}
	return e.stopErr
}

func (e *Env) etcdLog() string      { return filepath.Join(e.Dir, "etcd.log") }
func (e *Env) apiserverLog() string { return filepath.Join(e.Dir, "kube-apiserver.log") }

// Logs returns the last n lines of the etcd and kube-apiserver logs (all of
// them when n <= 0), each under a header naming its file.
func (e *Env) Logs(n int) string {
	var b strings.Builder
	for _, path := range []string{e.etcdLog(), e.apiserverLog()} {
		data, err := os.ReadFile(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
			continue
		case err != nil:
			fmt.Fprintf(&b, "---- %s: %v\n", path, err)
			continue
		}
		fmt.Fprintf(&b, "---- %s (last %d lines):\n%s\n", path, n, toolscript.Tail(string(data), n))
	}
	return b.String()
}

// KubeconfigPath returns the path of the kubeconfig file [New] wrote into
// [Env.Dir], for tools such as kubectl --kubeconfig.
func (e *Env) KubeconfigPath() string { return filepath.Join(e.Dir, "kubeconfig") }

// Kubeconfig returns a kubeconfig (YAML) with one cluster, user and
// context, "kubeenv", reaching [Env.Host] with [Env.CAData] and
// [Env.Token]; its context's namespace is default.
func (e *Env) Kubeconfig() []byte {
	return fmt.Appendf(nil, `apiVersion: v1
kind: Config
clusters:
- name: kubeenv
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: %s
  user:
    token: %s
contexts:
- name: kubeenv
  context:
    cluster: kubeenv
    user: %s
    namespace: default
current-context: kubeenv
`, e.Host, base64.StdEncoding.EncodeToString(e.CAData), AdminUser, e.Token, AdminUser)
}

// HTTPClient returns an *http.Client that trusts [Env.CAData] and sends
// [Env.Token] on every request, for tests that speak to the API server
// with plain HTTP.
func (e *Env) HTTPClient() *http.Client {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(e.CAData)
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &bearerTransport{
			token: e.Token,
			base: &http.Transport{
				TLSClientConfig:   &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
				ForceAttemptHTTP2: true,
			},
		},
	}
}

type bearerTransport struct {
	token string
	base  http.RoundTripper
}

func (b *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+b.token)
	return b.base.RoundTrip(req)
}

// Get GETs path (such as /api/v1/namespaces/default) from the API server
// and returns the body; a status other than 200 is an error holding the
// status and body.
func (e *Env) Get(ctx context.Context, path string) ([]byte, error) {
	return get(ctx, e.HTTPClient(), e.Host+path)
}

func get(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return body, fmt.Errorf("GET %s: %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	return body, nil
}

// waitEtcd polls etcd's /health until it reports true, p exits or timeout
// passes.
func waitEtcd(url string, p *process, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	return poll(p, timeout, func(ctx context.Context) error {
		body, err := get(ctx, client, url+"/health")
		if err != nil {
			return err
		}
		if !strings.Contains(string(body), `"health":"true"`) {
			return fmt.Errorf("etcd /health: %s", body)
		}
		return nil
	})
}

// waitAPIServer polls /readyz, then the default namespace (made by a
// post-start controller), until both answer 200, the process exits or
// timeout passes.
func (e *Env) waitAPIServer(timeout time.Duration) error {
	client := e.HTTPClient()
	client.Timeout = 5 * time.Second
	return poll(e.apiserver, timeout, func(ctx context.Context) error {
		if _, err := get(ctx, client, e.Host+"/readyz"); err != nil {
			return err
		}
		_, err := get(ctx, client, e.Host+"/api/v1/namespaces/default")
		return err
	})
}

// poll calls check every 50 ms until it returns nil, p exits or timeout
// passes.
func poll(p *process, timeout time.Duration, check func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		err := check(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-p.exited:
			return fmt.Errorf("%s exited before it was ready: %v", p.name, p.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("%s not ready within %s: %v", p.name, timeout, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

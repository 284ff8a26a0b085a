// Package kubeenv runs a real Kubernetes API server for tests: etcd and
// kube-apiserver, built from the Go module proxy, started on 127.0.0.1 and
// reached over HTTPS with an administrator's bearer token. It is eksforge's
// own take on controller-runtime's envtest, so that the deploy-time handlers
// (client-go, the Helm SDK) are tested against the API server they will
// talk to in a cluster: server-side apply, field managers, conflicts,
// discovery, CRDs, RBAC, admission and validation are the real ones, not a
// fake clientset's approximation.
//
// It is test tooling only: nothing in the library or the handlers imports
// it.
//
// # What it is not
//
// Only etcd and kube-apiserver run: no controller-manager, scheduler,
// kubelet or nodes. So Deployments never get ReplicaSets or Pods, Services
// of type LoadBalancer never get an ingress address, the garbage collector
// does not delete dependents of a deleted owner, a deleted namespace stays
// Terminating, and no default ServiceAccount is created (the ServiceAccount
// admission plugin is disabled so Pods can still be created). Tests that
// need such behaviour must play the controller themselves, e.g. remove a
// finalizer or set a status. It is not EKS either: IAM authentication is
// replaced by a static token, and the API server knows nothing of AWS.
//
// # Getting an API server
//
// [Start] gives a test its own Env and stops it when the test ends; it is
// ready in about 1 s on idle cores once the binaries exist (3 to 5 s
// measured on 2 cores shared with other builds; [Env.StartupTime] tells). Tests that can share one
// (each in its own namespace) use [Shared], and the package stops it in
// TestMain:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		kubeenv.StopShared()
//		os.Exit(code)
//	}
//
//	func TestAppliesManifest(t *testing.T) {
//		t.Parallel()
//		env := kubeenv.Shared(t)
//		cs, err := kubernetes.NewForConfig(env.RestConfig())
//		...
//	}
//
// [New] and [Env.Stop] are the same without a testing.TB. Every Env has its
// own temporary directory ([Env.Dir]) and free ports, so any number run side
// by side, within a test binary and across the parallel test binaries of
// `go test ./...`.
//
// An Env offers the API server as [Env.Host], [Env.CAData] and [Env.Token]
// (user [AdminUser] in system:masters, so RBAC allows it everything);
// [Env.RestConfig] for client-go; [Env.Kubeconfig] and the file at
// [Env.KubeconfigPath] for kubectl and the Helm SDK; [Env.HTTPClient] and
// [Env.Get] for plain HTTP. The API server is started with a CA and serving
// certificate generated for the Env (for 127.0.0.1, localhost and
// kubernetes.default.svc...), --token-auth-file, --authorization-mode=RBAC,
// an RSA service-account signing key, --service-cluster-ip-range
// [ServiceClusterIPRange] and --endpoint-reconciler-type=none; etcd runs
// with --unsafe-no-fsync.
//
// [Env.Restart] restarts kube-apiserver on the same port with the same
// certificates, token and etcd (objects survive), for tests of a handler
// whose API server goes away in the middle of an apply; [Env.StopAPIServer]
// and [Env.StartAPIServer] split it in two for a longer outage.
//
// Both processes write to log files in [Env.Dir]; when a test that used an
// Env fails, the last lines of both are printed ([Env.Logs]). Every wait is
// bounded ([EtcdStartTimeout], [APIServerStartTimeout], [StopGrace]). On
// Linux both processes get SIGKILL when the test process dies, so a test
// binary killed by its timeout leaves nothing running.
//
// # The binaries
//
// scripts/build-kube-binaries.sh (`make kube-binaries`) builds, in
// temporary modules, from the Go module proxy only:
//
//   - kube-apiserver: a main calling app.NewAPIServerCommand() from
//     k8s.io/kubernetes/cmd/kube-apiserver/app at [KubernetesVersion], with
//     a replace directive for every staging module k8s.io/kubernetes's
//     go.mod points at ./staging/src (k8s.io/api, apimachinery, apiserver,
//     client-go, component-base, ...; 33 at v1.37.2) to its published
//     v0.MINOR.PATCH, and the version stamped into k8s.io/component-base/version
//     so /version reports [KubernetesVersion]. Cold (empty module and build
//     caches): about 10.5 CPU-minutes, so about 5 minutes on 2 idle cores
//     (18 minutes measured on 2 cores shared with other builds); a binary
//     of 114 MB (-trimpath -ldflags=-s -w).
//   - etcd: a main calling go.etcd.io/etcd/server/v3/etcdmain.Main at
//     [EtcdVersion]. About 30 s cold on idle cores (78 s measured,
//     downloads included, on busy ones); 26 MB.
//
// They go to ${EKSFORGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eksforge}/kube/<version>/,
// outside the repository, built in a temporary directory and renamed into
// place, under an flock(1) lock, and only when a binary there is missing or
// does not report the expected version: once per machine. `make test`
// builds them before go test and exports their directory as
// EKSFORGE_KUBE_BINARIES ([BinariesEnvVar]); a plain `go test` runs the
// script itself, once per test process ([Binaries]; parallel test binaries
// wait on the lock for the one that builds). On a machine without them, run
// `make kube-binaries` once first, or give that go test time
// (-timeout 30m): go test's default 10 minutes may not cover a cold build.
// When the Go module proxy cannot be reached the tests that need an API
// server are skipped with a loud message, or fail when CI=true.
//
// When a test binary is killed (SIGKILL, its timeout) the processes die
// with it, but its Env directories stay in the system temporary directory
// as eksforge-kubeenv-*.
//
// # Environment
//
//   - EKSFORGE_KUBE_BINARIES ([BinariesEnvVar]): a directory holding
//     kube-apiserver and etcd; nothing is built. Default: built into the
//     cache.
//   - EKSFORGE_KUBE_BINARIES_UNAVAILABLE ([UnavailableEnvVar]): set by
//     `make test` when it could not build them; tests skip at once.
//   - EKSFORGE_CACHE: the cache root.
//   - EKSFORGE_KUBE_VERSION, EKSFORGE_ETCD_VERSION: versions for the build
//     script (then also set EKSFORGE_KUBE_BINARIES; [KubernetesVersion] and
//     [EtcdVersion] describe the defaults).
//   - CI=true: binaries that cannot be built fail the test instead of
//     skipping it.
package kubeenv

//go:build !nohelm

package kubectl_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/handlers/kubectl/auth"
	"github.com/eksforge/eksforge/handlers/provider"
	"github.com/eksforge/eksforge/internal/fingerprint"
	"github.com/eksforge/eksforge/internal/gobuild"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
	"github.com/eksforge/eksforge/internal/testenv/lambdaruntime"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// objects200 returns n objects in ns: Deployments, Services and ConfigMaps
// in turn.
func mixedObjects(ns string, n int) []any {
	var objs []any
	for i := range n {
		name := fmt.Sprintf("obj-%d", i)
		switch i % 3 {
		case 0:
			objs = append(objs, deployment(ns, name))
		case 1:
			objs = append(objs, service(ns, name))
		default:
			objs = append(objs, configMap(ns, name, map[string]any{"i": strconv.Itoa(i)}))
		}
	}
	return objs
}

// BenchmarkApply200 is the handler's Create of a manifest of 200 objects
// (Deployments, Services, ConfigMaps) into a new namespace, through the
// whole handler (parsing, discovery, server-side apply): compare with
// BenchmarkKubectlApply200.
func BenchmarkApply200(b *testing.B) {
	h, env := newHandler(b)
	// A fresh handler per iteration would re-run discovery; a warm Lambda
	// keeps it, a cold one does not: measure cold, the CDK's case.
	for b.Loop() {
		b.StopTimer()
		ns := namespace(b, env)
		p := map[string]any{"Manifest": jsonString(b, mixedObjects(ns, 200))}
		e := ev(b, kubectl.TypeManifest, cfnresponse.Create, p, nil)
		hh := &kubectl.Handler{AWS: h.AWS, Connect: h.Connect, TuneApply: h.TuneApply}
		b.StartTimer()
		r, err := hh.OnEvent(context.Background(), e)
		if err != nil || r.Data["Objects"] != "200" {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkKubectlApply200 is `kubectl apply -f` of the same 200 objects
// in one file (one kubectl process, client-side apply as the AWS CDK's
// handler runs it), into a new namespace.
func BenchmarkKubectlApply200(b *testing.B) {
	benchKubectl(b)
}

// BenchmarkKubectlApplyServerSide200 is `kubectl apply --server-side -f`.
func BenchmarkKubectlApplyServerSide200(b *testing.B) {
	benchKubectl(b, "--server-side", "--field-manager=eksforge")
}

func benchKubectl(b *testing.B, args ...string) {
	kc, err := exec.LookPath("kubectl")
	if err != nil {
		b.Skip("kubectl not installed")
	}
	_, env := newHandler(b)
	for b.Loop() {
		b.StopTimer()
		ns := namespace(b, env)
		var buf bytes.Buffer
		for _, o := range mixedObjects(ns, 200) {
			j, _ := json.Marshal(o)
			buf.Write(j)
			buf.WriteString("\n")
		}
		f := filepath.Join(b.TempDir(), "manifest.json")
		if err := os.WriteFile(f, buf.Bytes(), 0o600); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cmd := exec.Command(kc, append([]string{"--kubeconfig", env.KubeconfigPath(), "apply", "-f", f}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("kubectl: %v\n%s", err, out)
		}
	}
}

// manifestAssetThreshold is eks.ManifestAssetThreshold: a manifest whose
// JSON is larger travels as an S3 asset (ManifestAsset), as the library
// ships it.
const manifestAssetThreshold = 50 * 1024

// BenchmarkPeakRSS reports the peak resident set of the handler a Lambda
// runs: the Lambda main (cmd/kubectl) built as its asset is (the nohelm
// build for manifests, the Helm build for charts; for this machine's
// architecture), started as a new process with the environment Lambda
// gives it (AWS_LAMBDA_FUNCTION_MEMORY_SIZE is the library's default
// memory unless the case says 128MiB, Lambda's smallest) and handed one
// Create through a local Lambda Runtime API (internal/testenv/lambdaruntime).
// It reaches the API server through eksEndpoint (an EKS token checked and
// swapped for the API server's), and reads ManifestAsset from moto's S3.
// Peak RSS is the child's VmHWM; each case must answer CloudFormation
// SUCCESS, and the handler must log the soft memory limit it set from its
// memory (provider.SetMemoryLimit). The cases:
//
//   - apply200: the 200 objects of BenchmarkApply200, shipped as the
//     library ships them (inline: 50 KB or less).
//   - manifest1000: 1,000 such objects (an S3 asset, as the library ships
//     a manifest over 50 KB).
//   - manifest5mb: 50 ConfigMaps of 100 KB inline in the event (more than
//     the library ever puts inline: the event's worst case).
//   - manifest5mb-s3: the same 5 MB read from an S3 asset.
//   - helm: a Helm install of a one-template chart from a chart repository,
//     by the Helm build.
//   - apply200-128MiB, helm-128MiB: the two goal cases in a function of
//     128 MiB.
//   - apply200-inlined, helm-inlined: the two goal cases by builds with
//     the compiler's defaults for every package rather than the assets'
//     eks.KubectlGCFlags (the price of the smaller binary, in time: ns/op).
func BenchmarkPeakRSS(b *testing.B) {
	_, env := newHandler(b)
	moto := motoserver.Shared(b)
	endpoint, ca := eksEndpoint(b, env)
	type build struct{ helm, inlined bool }
	builds := map[build]string{}
	for _, helm := range []bool{false, true} {
		for _, inlined := range []bool{false, true} {
			builds[build{helm, inlined}] = hostHandler(b, helm, inlined)
		}
	}
	for _, name := range []string{"apply200", "manifest1000", "manifest5mb", "manifest5mb-s3", "helm", "apply200-128MiB", "helm-128MiB", "apply200-inlined", "helm-inlined"} {
		b.Run(name, func(b *testing.B) {
			what, small := strings.CutSuffix(name, "-128MiB")
			what, inlined := strings.CutSuffix(what, "-inlined")
			memory := defaultMemoryMiB
			if small {
				memory = 128
			}
			var kib int64
			for b.Loop() {
				b.StopTimer()
				ns := namespace(b, env)
				p := map[string]any{"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:bench",
					"ClusterName": "bench", "ClusterEndpoint": endpoint, "ClusterCertificateAuthorityData": ca}
				typ := kubectl.TypeManifest
				switch what {
				case "apply200", "manifest1000":
					n := map[string]int{"apply200": 200, "manifest1000": 1000}[what]
					if body := jsonString(b, mixedObjects(ns, n)); len(body) > manifestAssetThreshold {
						bucket, key := uploadManifest(b, body)
						p["ManifestAsset"] = map[string]any{"Bucket": bucket, "Key": key}
					} else {
						p["Manifest"] = body
					}
				case "manifest5mb":
					p["Manifest"] = bigManifest(b, ns)
				case "manifest5mb-s3":
					bucket, key := uploadManifest(b, bigManifest(b, ns))
					p["ManifestAsset"] = map[string]any{"Bucket": bucket, "Key": key}
				case "helm":
					url, _ := chartRepo(b, demoChart("0.1.0", false))
					typ = kubectl.TypeHelmChart
					p["Release"], p["Chart"], p["Repository"], p["Namespace"] = "mem", "demo", url, ns
				}
				key, want := "Objects", map[string]string{"apply200": "200", "manifest1000": "1000", "manifest5mb": "50", "manifest5mb-s3": "50", "helm": "1"}[what]
				if what == "helm" {
					key = "Revision"
				}
				f := lambdaruntime.Function{Binary: builds[build{helm: what == "helm", inlined: inlined}], Env: []string{
					"AWS_REGION=" + motoserver.Region, "AWS_ACCESS_KEY_ID=" + motoserver.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + motoserver.SecretAccessKey,
					"AWS_ENDPOINT_URL_S3=" + moto.Endpoint(), "HOME=" + b.TempDir(), "TMPDIR=" + b.TempDir(),
					"AWS_LAMBDA_FUNCTION_NAME=kubectl", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
					"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + strconv.Itoa(memory)}}
				b.StartTimer()
				inv := f.Invoke(b, map[string]any{"RequestType": "Create", "StackId": testStack, "RequestId": "r-" + ns,
					"ResourceType": typ, "LogicalResourceId": "Bench", "ResourceProperties": p})
				b.StopTimer()
				var answer struct {
					Status, Reason string
					Data           map[string]string
				}
				if err := json.Unmarshal(inv.CloudFormation, &answer); err != nil || answer.Status != "SUCCESS" || answer.Data[key] != want {
					b.Fatalf("CloudFormation was answered %s, want SUCCESS with %s %q:\n%s", inv.CloudFormation, key, want, inv.Logs)
				}
				if limit := fmt.Sprintf(`"limitBytes":%d`, int64(provider.MemoryLimitShare*float64(memory<<20))); !strings.Contains(inv.Logs, limit) {
					b.Fatalf("the handler did not log the soft memory limit %s:\n%s", limit, inv.Logs)
				}
				b.Logf("%s: peak RSS %d KiB", name, inv.PeakRSSKiB)
				kib = max(kib, inv.PeakRSSKiB) // the largest of the runs
				b.StartTimer()
			}
			b.ReportMetric(float64(kib)/1024, "peak-RSS-MB")
		})
	}
}

// defaultMemoryMiB is eks.DefaultKubectlMemoryMiB, the handler's memory
// unless KubectlOptions.Memory says otherwise.
const defaultMemoryMiB = 256

// hostHandler builds the Lambda main as its asset is built (gobuild, tag
// lambda.norpc, with nohelm unless helm, eks.KubectlGCFlags unless
// inlined), for this machine, and returns the binary's path.
func hostHandler(tb testing.TB, helm, inlined bool) string {
	tb.Helper()
	tags := []string{"lambda.norpc"}
	if !helm {
		tags = append(tags, "nohelm")
	}
	var gcflags []string
	if !inlined {
		gcflags = eks.KubectlGCFlags()
	}
	res, err := gobuild.Build(context.Background(), gobuild.Options{Package: "./cmd/kubectl", GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, Tags: tags, GCFlags: gcflags})
	if err != nil {
		tb.Fatal(err)
	}
	return filepath.Join(res.Dir, gobuild.BinaryName)
}

// eksEndpoint stands for an EKS cluster's endpoint in front of env's API
// server: an HTTPS server (its own CA, returned base64 as EKS reports
// certificateAuthority.data) that refuses any request without an EKS
// bearer token (k8s-aws-v1. and a presigned sts:GetCallerIdentity URL
// signing x-k8s-aws-id) and passes the others on with env's admin token,
// so a handler binary reaches the API server through its own EKS
// authentication path.
func eksEndpoint(tb testing.TB, env *kubeenv.Env) (url, caData string) {
	tb.Helper()
	target, err := neturl.Parse(env.Host)
	if err != nil {
		tb.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(env.CAData)
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Header.Set("Authorization", "Bearer "+env.Token)
		},
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true},
		FlushInterval: -1, // watches stream
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		presigned, err := auth.DecodeToken(token)
		if err != nil || !strings.Contains(presigned, "Action=GetCallerIdentity") || !strings.Contains(presigned, "x-k8s-aws-id") {
			http.Error(w, "not an EKS token", http.StatusUnauthorized)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	pemCA := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	return srv.URL, base64.StdEncoding.EncodeToString(pemCA)
}

// bigManifest is a 5 MB manifest: 50 ConfigMaps of 100 KB in ns.
func bigManifest(t testing.TB, ns string) string {
	var objs []any
	for i := range 50 {
		objs = append(objs, configMap(ns, fmt.Sprintf("big-%d", i), map[string]any{"blob": strings.Repeat("x", 100_000)}))
	}
	return jsonString(t, objs)
}

// uploadManifest puts body in a new bucket of moto's S3 and returns where.
func uploadManifest(t testing.TB, body string) (bucket, key string) {
	t.Helper()
	cfg, err := motoserver.Shared(t).AWSConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	bucket, key = fmt.Sprintf("bench-%d", time.Now().UnixNano()), "manifest.json"
	c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: strings.NewReader(body)}); err != nil {
		t.Fatal(err)
	}
	return bucket, key
}

// BenchmarkZipSize builds handlers/kubectl/cmd/kubectl for linux/arm64
// as the Lambda assets are built — the cluster's Handler with -tags
// nohelm, the HelmHandler without, both with eks.KubectlGCFlags — and
// reports each zip's size; the "inlined" cases are the same builds with
// the compiler's defaults for every package.
func BenchmarkZipSize(b *testing.B) {
	for _, tags := range [][]string{{"lambda.norpc", "nohelm"}, {"lambda.norpc"}} {
		for _, inlined := range []bool{false, true} {
			name, gcflags := strings.Join(tags, ","), eks.KubectlGCFlags()
			if inlined {
				name, gcflags = name+"-inlined", nil
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					res, err := gobuild.Build(context.Background(), gobuild.Options{Package: "./cmd/kubectl", GOOS: "linux", GOARCH: "arm64", Tags: tags, GCFlags: gcflags})
					if err != nil {
						b.Fatal(err)
					}
					var buf bytes.Buffer
					if err := fingerprint.Zip(&buf, res.Dir); err != nil {
						b.Fatal(err)
					}
					st, err := os.Stat(filepath.Join(res.Dir, gobuild.BinaryName))
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(buf.Len())/1e6, "zip-MB")
					b.ReportMetric(float64(st.Size())/1e6, "binary-MB")
				}
			})
		}
	}
}

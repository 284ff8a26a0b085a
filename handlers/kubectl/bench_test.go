//go:build !nohelm

package kubectl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"k8s.io/client-go/rest"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/kubectl/auth"
	"github.com/eksforge/eksforge/internal/fingerprint"
	"github.com/eksforge/eksforge/internal/gobuild"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
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

// BenchmarkPeakRSS runs the handler in a child process (this test binary
// re-run with TestChildProcess) and reports the child's peak resident set
// (VmHWM from /proc) for a 1,000-object manifest, a 5 MB manifest (50
// ConfigMaps of 100 KB) given inline and read from an S3 asset (moto's S3,
// as a manifest over 50 KB travels: ManifestAsset), and a Helm install.
func BenchmarkPeakRSS(b *testing.B) {
	_, env := newHandler(b)
	for _, what := range []string{"manifest1000", "manifest5mb", "manifest5mb-s3", "helm"} {
		b.Run(what, func(b *testing.B) {
			var kb int
			for b.Loop() {
				ns := namespace(b, env)
				extra := []string{}
				if what == "manifest5mb-s3" {
					bucket, key := uploadManifest(b, bigManifest(b, ns))
					extra = append(extra, "EKSFORGE_KUBECTL_CHILD_S3="+motoserver.Shared(b).Endpoint(),
						"EKSFORGE_KUBECTL_CHILD_BUCKET="+bucket, "EKSFORGE_KUBECTL_CHILD_KEY="+key)
				}
				cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$")
				cmd.Env = append(os.Environ(), "EKSFORGE_KUBECTL_CHILD="+what, "EKSFORGE_KUBECTL_CHILD_NS="+ns,
					"EKSFORGE_KUBECTL_CHILD_HOST="+env.Host, "EKSFORGE_KUBECTL_CHILD_TOKEN="+env.Token,
					"EKSFORGE_KUBECTL_CHILD_CA="+string(env.CAData))
				cmd.Env = append(cmd.Env, extra...)
				out, err := cmd.CombinedOutput()
				if err != nil {
					b.Fatalf("child: %v\n%s", err, out)
				}
				_, after, ok := strings.Cut(string(out), "VmHWM-kB=")
				if !ok {
					b.Fatalf("child printed no VmHWM:\n%s", out)
				}
				n, _ := strconv.Atoi(strings.Fields(after)[0])
				kb = max(kb, n) // the largest of the runs

			}
			b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
		})
	}
}

// TestChildProcess is the child of BenchmarkPeakRSS; it does nothing in a
// normal test run.
func TestChildProcess(t *testing.T) {
	what := os.Getenv("EKSFORGE_KUBECTL_CHILD")
	if what == "" {
		t.Skip("only run by BenchmarkPeakRSS")
	}
	ns := os.Getenv("EKSFORGE_KUBECTL_CHILD_NS")
	rc := &rest.Config{Host: os.Getenv("EKSFORGE_KUBECTL_CHILD_HOST"), BearerToken: os.Getenv("EKSFORGE_KUBECTL_CHILD_TOKEN"),
		TLSClientConfig: rest.TLSClientConfig{CAData: []byte(os.Getenv("EKSFORGE_KUBECTL_CHILD_CA"))}}
	auth.Tune(rc)
	h := kubectl.New(awsConfigForChild())
	if ep := os.Getenv("EKSFORGE_KUBECTL_CHILD_S3"); ep != "" {
		h.AWS = aws.Config{Region: motoserver.Region, BaseEndpoint: aws.String(ep),
			Credentials: credentials.NewStaticCredentialsProvider(motoserver.AccessKeyID, motoserver.SecretAccessKey, "")}
		h.S3Options = []func(*s3.Options){func(o *s3.Options) { o.UsePathStyle = true }}
	}
	h.Connect = func(context.Context, auth.Cluster) (*rest.Config, error) { return rc, nil }
	h.TuneApply = func(c *apply.Client) { c.PollInterval = 100 * time.Millisecond }
	var p map[string]any
	typ := kubectl.TypeManifest
	switch what {
	case "manifest1000":
		p = map[string]any{"Manifest": jsonString(t, mixedObjects(ns, 1000))}
	case "manifest5mb":
		p = map[string]any{"Manifest": bigManifest(t, ns)}
	case "manifest5mb-s3":
		p = map[string]any{"ManifestAsset": map[string]any{"Bucket": os.Getenv("EKSFORGE_KUBECTL_CHILD_BUCKET"), "Key": os.Getenv("EKSFORGE_KUBECTL_CHILD_KEY")}}
	case "helm":
		url, _ := chartRepo(t, demoChart("0.1.0", false))
		typ = kubectl.TypeHelmChart
		p = map[string]any{"Release": "mem", "Chart": "demo", "Repository": url, "Namespace": ns}
	}
	p["ClusterName"] = "test"
	e := ev(t, typ, cfnresponse.Create, p, nil)
	if _, err := h.OnEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc")
	}
	for line := range strings.Lines(string(status)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fmt.Printf("VmHWM-kB=%s\n", strings.Fields(v)[0])
		}
	}
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
// as the Lambda asset is built and reports the zip's size.
func BenchmarkZipSize(b *testing.B) {
	for b.Loop() {
		res, err := gobuild.Build(context.Background(), gobuild.Options{Package: "./cmd/kubectl", GOOS: "linux", GOARCH: "arm64", Tags: []string{"lambda.norpc"}})
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
}

var _ = kubeenv.Shared

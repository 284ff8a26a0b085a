package cli_test

import (
	"archive/zip"
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/internal/testenv/cdkcli"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// goHandlerApp is a stack whose only asset besides its template is a Go
// handler (a main package in its own module, written by tinyHandler),
// named in an SSM parameter so the stack deploys on moto.
func goHandlerApp(stack, name, dir, cache string) func(*cdk.App) {
	return func(app *cdk.App) {
		st := cdk.NewStack(app, stack, cdk.StackProps{StackName: name})
		code := lambda.CodeFromGoPackage(".", lambda.GoBuildOptions{Dir: dir, CacheDir: cache})
		loc := code.Bind(st, lambda.CodeBindOptions{}).S3Location
		cdk.NewCfnResource(st, "Key", cdk.CfnResourceProps{Type: "AWS::SSM::Parameter", Properties: map[string]any{
			"Type": "String", "Value": loc.ObjectKey,
		}})
		cdk.NewCfnOutput(st, "HandlerKey", cdk.CfnOutputProps{Value: loc.ObjectKey})
	}
}

// tinyHandler writes a main package in a module of its own whose sources
// hold text (so each test has its own asset hash) and returns its
// directory.
func tinyHandler(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":  "module example.com/tiny\n\ngo 1.26\n",
		"main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(" + `"` + text + `"` + ") }\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// handlerKey returns the S3 key of the Go handler in the stack's asset
// manifest, checking that its source is a command, not a staged file.
func handlerKey(t *testing.T, asm, stack string) string {
	t.Helper()
	body := string(mustRead(t, asm, stack+".assets.json"))
	if !strings.Contains(body, `"executable": [`) {
		t.Fatalf("%s.assets.json has no asset built at publish time:\n%s", stack, body)
	}
	if staged, _ := filepath.Glob(filepath.Join(asm, "asset.*.zip")); len(staged) != 0 {
		t.Fatalf("synthesis staged %v", staged)
	}
	i := strings.Index(body, `"objectKey": "`)
	for i >= 0 {
		key := body[i+len(`"objectKey": "`):]
		key = key[:strings.IndexByte(key, '"')]
		if strings.HasSuffix(key, ".zip") {
			return key
		}
		next := strings.Index(body[i+1:], `"objectKey": "`)
		if next < 0 {
			break
		}
		i += 1 + next
	}
	t.Fatalf("no .zip object key in %s.assets.json", stack)
	return ""
}

// bootstrapBucket is the asset bucket of the bootstrapped moto account.
const bootstrapBucket = "cdk-hnb659fds-assets-" + motoserver.AccountID + "-" + motoserver.Region

// checkUploadedHandler reads the object key from the bootstrap bucket,
// checks that it is a zip whose bootstrap is a linux/arm64 executable, and
// returns the bootstrap.
func checkUploadedHandler(t *testing.T, cfg aws.Config, key string) []byte {
	t.Helper()
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	obj, err := s3c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bootstrapBucket), Key: &key})
	if err != nil {
		t.Fatalf("the handler %s was not uploaded: %v", key, err)
	}
	body, err := io.ReadAll(obj.Body)
	obj.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("the uploaded handler is not a zip: %v", err)
	}
	if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" || zr.File[0].Mode()&0o111 == 0 {
		t.Fatalf("the uploaded zip holds %v, want one executable bootstrap", zr.File)
	}
	f, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	ef, err := elf.NewFile(bytes.NewReader(bin))
	if err != nil {
		t.Fatalf("bootstrap is not an ELF file: %v", err)
	}
	if ef.Machine != elf.EM_AARCH64 || ef.Type != elf.ET_EXEC || ef.Entry == 0 {
		t.Errorf("bootstrap: machine %v, type %v, entry %#x; want an arm64 executable", ef.Machine, ef.Type, ef.Entry)
	}
	return bin
}

// motoEnv is the environment that sends the AWS CDK CLI's calls to srv
// with moto's credentials, whatever the machine's AWS configuration.
func motoEnv(srv *motoserver.Server) []string {
	return []string{
		"AWS_ENDPOINT_URL=" + srv.Endpoint(),
		"AWS_ACCESS_KEY_ID=" + motoserver.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + motoserver.SecretAccessKey,
		"AWS_REGION=" + motoserver.Region,
		"AWS_DEFAULT_REGION=" + motoserver.Region,
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	}
}

// TestDeployBuildsGoHandlers deploys, with eksforge deploy, an app whose
// Go handler synthesis did not build: publishing builds it (saying so on
// standard error) and uploads its zip; a second deploy builds nothing.
func TestDeployBuildsGoHandlers(t *testing.T) {
	t.Parallel()
	srv, cfg, newRunner := bootstrapped(t, motoserver.Region)
	name := unique("CliGoHandler")
	asm := synth(t, goHandlerApp("CliGoHandler", name, tinyHandler(t, name), t.TempDir()))
	key := handlerKey(t, asm, "CliGoHandler")

	res := run(t, newRunner(), "deploy", "--app", asm, "--endpoint-url="+srv.Endpoint(), "--require-approval", "never")
	res.expect(t, 0, "stderr", "building asset . (arm64): go run -C", "eksforge: building . for linux/arm64", "eksforge: built . for linux/arm64 in",
		"CliGoHandler: assets: 2 uploaded, 0 already published", "CREATE_COMPLETE")
	checkUploadedHandler(t, cfg, key)

	res = run(t, newRunner(), "deploy", "--app", asm, "--endpoint-url="+srv.Endpoint(), "--require-approval", "never")
	res.expect(t, 0, "stderr", "CliGoHandler: assets: 0 uploaded, 2 already published")
	if strings.Contains(res.stderr, "building") {
		t.Errorf("the second deploy built something:\n%s", res.stderr)
	}
}

// TestStockCDKCLIPublishesGoHandlers publishes the assets of an app whose
// Go handler synthesis did not build with the AWS CDK CLI (cdk
// publish-assets, which runs the asset's command as cdk deploy does) to
// moto, and checks the uploaded zip.
func TestStockCDKCLIPublishesGoHandlers(t *testing.T) {
	t.Parallel()
	srv, cfg, _ := bootstrapped(t, motoserver.Region)
	name := unique("CdkGoHandler")
	asm := synth(t, goHandlerApp("CdkGoHandler", name, tinyHandler(t, name), t.TempDir()))
	key := handlerKey(t, asm, "CdkGoHandler")

	cmd := cdkcli.Command(t.Context(), t, "publish-assets", "--unstable=publish-assets", "--app", asm, "--all")
	cmd.Dir = t.TempDir() // the asset's command does not depend on where it runs
	cmd.Env = append(cmd.Env, motoEnv(srv)...)
	out, err := cmd.CombinedOutput()
	t.Logf("cdk publish-assets:\n%s", out)
	if err != nil {
		t.Fatalf("cdk publish-assets: %v", err)
	}
	checkUploadedHandler(t, cfg, key)
}

// kubectlHandlerAsset synthesizes, without building, a cluster with one
// manifest (the seed's first example) and returns the asset ID of the
// kubectl handler it uses (the nohelm build: the app has no Helm chart).
func kubectlHandlerAsset(t *testing.T) string {
	t.Helper()
	asm := synth(t, func(app *cdk.App) {
		st := cdk.NewStack(app, "KubectlHandlerApp", cdk.StackProps{})
		cluster := eks.NewCluster(st, "Cluster", eks.ClusterProps{Version: eks.V1_34})
		cluster.AddManifest("pod", map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": map[string]any{"name": "pod"},
			"spec": map[string]any{"containers": []any{map[string]any{"name": "c", "image": "public.ecr.aws/docker/library/busybox"}}}})
	})
	var manifest struct {
		Files map[string]struct {
			DisplayName string         `json:"displayName"`
			Source      map[string]any `json:"source"`
		} `json:"files"`
	}
	if err := json.Unmarshal(mustRead(t, asm, "KubectlHandlerApp.assets.json"), &manifest); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id, f := range manifest.Files {
		if strings.HasPrefix(f.DisplayName, eks.KubectlHandlerPackage+" (arm64)") {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("the cluster's assets hold %d kubectl handlers (%v), want one: %v", len(ids), ids, manifest.Files)
	}
	return ids[0]
}

// checkKubectlHandler reads the kubectl handler uploaded under key and
// checks, beyond checkUploadedHandler's arm64 executable, that the Go
// build information it carries names the kubectl handler's main package,
// linux/arm64 and the nohelm build.
func checkKubectlHandler(t *testing.T, cfg aws.Config, key string) {
	t.Helper()
	bin := checkUploadedHandler(t, cfg, key)
	bi, err := buildinfo.Read(bytes.NewReader(bin))
	if err != nil {
		t.Fatalf("bootstrap carries no Go build information: %v", err)
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if bi.Path != eks.KubectlHandlerPackage || settings["GOOS"] != "linux" || settings["GOARCH"] != "arm64" ||
		!slices.Contains(strings.Split(settings["-tags"], ","), eks.KubectlNoHelmTag) {
		t.Errorf("bootstrap is %s for %s/%s with tags %q; want %s, linux/arm64, tag %s",
			bi.Path, settings["GOOS"], settings["GOARCH"], settings["-tags"], eks.KubectlHandlerPackage, eks.KubectlNoHelmTag)
	}
}

// TestPublishTheKubectlHandler publishes the real kubectl handler (the one
// a cluster with a manifest uses, which synthesis does not build) to moto's
// S3 twice: with eksforge deploy, which builds it, and, the object removed,
// with the stock AWS CDK CLI's asset publishing, which runs the asset's
// command. Both times the uploaded zip's bootstrap is the handler for
// linux/arm64. The build is cached in the user's eksforge cache, as a
// user's would be.
func TestPublishTheKubectlHandler(t *testing.T) {
	t.Parallel()
	want := kubectlHandlerAsset(t)
	srv, cfg, newRunner := bootstrapped(t, motoserver.Region)
	name := unique("CliKubectlHandler")
	asm := synth(t, func(app *cdk.App) {
		st := cdk.NewStack(app, "CliKubectlHandler", cdk.StackProps{StackName: name})
		code := lambda.CodeFromGoPackage(eks.KubectlHandlerPackage, lambda.GoBuildOptions{Tags: []string{eks.KubectlNoHelmTag}, GCFlags: eks.KubectlGCFlags()})
		loc := code.Bind(st, lambda.CodeBindOptions{}).S3Location
		cdk.NewCfnResource(st, "Key", cdk.CfnResourceProps{Type: "AWS::SSM::Parameter", Properties: map[string]any{
			"Type": "String", "Value": loc.ObjectKey,
		}})
	})
	key := handlerKey(t, asm, "CliKubectlHandler")
	if key != want+".zip" {
		t.Fatalf("the stack's handler is %s, the cluster's %s.zip: not the same asset", key, want)
	}

	res := run(t, newRunner(), "deploy", "--app", asm, "--endpoint-url="+srv.Endpoint(), "--require-approval", "never")
	res.expect(t, 0, "stderr", "CliKubectlHandler: assets: ", "CREATE_COMPLETE")
	checkKubectlHandler(t, cfg, key)

	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String(bootstrapBucket), Key: &key}); err != nil {
		t.Fatal(err)
	}
	// The AWS CDK CLI, from the project directory (the module whose
	// eksforge the asset's command runs), as cdk deploy runs.
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := cdkcli.Command(t.Context(), t, "publish-assets", "--unstable=publish-assets", "--app", asm, "--all")
	cmd.Dir = root
	cmd.Env = append(cmd.Env, motoEnv(srv)...)
	out, err := cmd.CombinedOutput()
	t.Logf("cdk publish-assets:\n%s", out)
	if err != nil {
		t.Fatalf("cdk publish-assets: %v", err)
	}
	checkKubectlHandler(t, cfg, key)
}

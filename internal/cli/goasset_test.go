package cli_test

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/cdk"
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

// checkUploadedHandler reads the object key from the bootstrap bucket and
// checks that it is a zip whose bootstrap is a linux/arm64 executable.
func checkUploadedHandler(t *testing.T, cfg aws.Config, key string) {
	t.Helper()
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	obj, err := s3c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("cdk-hnb659fds-assets-123456789012-us-east-1"), Key: &key})
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
	cmd.Env = append(cmd.Env,
		"AWS_ENDPOINT_URL="+srv.Endpoint(),
		"AWS_ACCESS_KEY_ID="+motoserver.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY="+motoserver.SecretAccessKey,
		"AWS_REGION="+motoserver.Region,
		"AWS_DEFAULT_REGION="+motoserver.Region,
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	)
	out, err := cmd.CombinedOutput()
	t.Logf("cdk publish-assets:\n%s", out)
	if err != nil {
		t.Fatalf("cdk publish-assets: %v", err)
	}
	checkUploadedHandler(t, cfg, key)
}

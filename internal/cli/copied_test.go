package cli_test

import (
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

// portableHandler is a main package of the eksforge module (so its asset
// command names it by module and import path, not by directory).
const portableHandler = "github.com/eksforge/eksforge/internal/gobuild/testdata/hello"

// userProject writes a module that requires eksforge, as a user's app
// module does (here through a replace directive to this checkout), at a
// new path, and returns its directory: the project directory a deployment
// runs in.
func userProject(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mod := "module example.com/user\n\ngo 1.26.0\n\nrequire github.com/eksforge/eksforge v0.0.0\n\nreplace github.com/eksforge/eksforge => " + root + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// copyDir copies the regular files of src (recursively) to dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCopiedAssemblyPublishes synthesizes an app whose Go handler is built
// at publish time, copies its cloud assembly elsewhere and removes the
// original, then publishes the copy from a project directory at another
// path than the one that synthesized, as CI does when one job synthesizes
// and another deploys: with eksforge deploy, then with the AWS CDK CLI.
// The asset manifest names no path of the synthesizing machine; both
// uploads are the arm64 handler.
func TestCopiedAssemblyPublishes(t *testing.T) {
	t.Parallel()
	srv, cfg, newRunner := bootstrapped(t, motoserver.Region)
	name := unique("CliCopied")
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	asm := synth(t, func(app *cdk.App) {
		st := cdk.NewStack(app, "CliCopied", cdk.StackProps{StackName: name})
		code := lambda.CodeFromGoPackage(portableHandler, lambda.GoBuildOptions{Dir: root})
		loc := code.Bind(st, lambda.CodeBindOptions{}).S3Location
		cdk.NewCfnResource(st, "Key", cdk.CfnResourceProps{Type: "AWS::SSM::Parameter", Properties: map[string]any{
			"Type": "String", "Value": loc.ObjectKey,
		}})
	})
	key := handlerKey(t, asm, "CliCopied")
	manifest := string(mustRead(t, asm, "CliCopied.assets.json"))
	for _, p := range []string{root, asm, os.TempDir()} {
		if strings.Contains(manifest, p) {
			t.Errorf("the asset manifest names %s, a path of the synthesizing machine:\n%s", p, manifest)
		}
	}
	copied := filepath.Join(t.TempDir(), "cdk.out")
	copyDir(t, asm, copied)
	if err := os.RemoveAll(asm); err != nil {
		t.Fatal(err)
	}

	// The handler's object may be in the bucket from an earlier run on the
	// same server: remove it so that publishing must build and upload it.
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	bucket := aws.String(bootstrapBucket)
	deleteHandler := func() {
		if _, err := s3c.DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: bucket, Key: &key}); err != nil {
			t.Fatal(err)
		}
	}
	deleteHandler()

	project := userProject(t)
	r := newRunner()
	r.Dir = project
	res := run(t, r, "deploy", "--app", copied, "--endpoint-url="+srv.Endpoint(), "--require-approval", "never")
	// (The build itself may be in the machine's eksforge cache from an
	// earlier run: the command then only prints the cached zip.)
	res.expect(t, 0, "stderr", "building asset "+portableHandler+" (arm64): go run github.com/eksforge/eksforge/cmd/eksforge-asset -module github.com/eksforge/eksforge",
		"CliCopied: assets: 2 uploaded, 0 already published", "CREATE_COMPLETE")
	checkUploadedHandler(t, cfg, key)

	// The AWS CDK CLI, from the project directory as cdk deploy runs.
	deleteHandler()
	cmd := cdkcli.Command(t.Context(), t, "publish-assets", "--unstable=publish-assets", "--app", copied, "--all")
	cmd.Dir = project
	cmd.Env = append(cmd.Env, motoEnv(srv)...)
	out, err := cmd.CombinedOutput()
	t.Logf("cdk publish-assets:\n%s", out)
	if err != nil {
		t.Fatalf("cdk publish-assets: %v", err)
	}
	checkUploadedHandler(t, cfg, key)

	// Outside any module that requires eksforge the command says where to
	// run it.
	deleteHandler()
	r = newRunner()
	r.Dir = t.TempDir()
	res = run(t, r, "deploy", "--app", copied, "--endpoint-url="+srv.Endpoint(), "--require-approval", "never")
	if res.code == 0 || !strings.Contains(res.stderr, "go.mod") {
		t.Errorf("deploy outside the project: exit %d, stderr:\n%s", res.code, res.stderr)
	}
}

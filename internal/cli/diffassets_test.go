package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// assetManifestApp is a stack whose manifest travels as an S3 asset
// (property ManifestAsset), as eksforge writes manifests over
// eks.ManifestAssetThreshold.
func assetManifestApp(stack, manifest string) func(*cdk.App) {
	return func(app *cdk.App) {
		st := cdk.NewStack(app, stack, cdk.StackProps{})
		m := cdk.NewConstruct(cdk.NewConstruct(st, "Cluster"), "manifest-big")
		loc := st.AddFileAsset(cdk.FileAssetSource{Data: []byte(manifest), Extension: ".json", DisplayName: "manifest"})
		cdk.NewCfnResource(m, "Resource", cdk.CfnResourceProps{Type: "Custom::AWSCDK-EKS-KubernetesResource", Properties: map[string]any{
			"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:kubectl", "ClusterName": "shop",
			"ManifestAsset": map[string]any{"Bucket": loc.BucketName, "Key": loc.ObjectKey},
		}})
	}
}

func bigManifest(replicas int, extra bool) string {
	objs := fmt.Sprintf(`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},"spec":{"replicas":%d}}`, replicas)
	if extra {
		objs += `,{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"extra","namespace":"shop"},"data":{"k":"v"}}`
	}
	return "[" + objs + "]"
}

// TestDiffManifestAssets diffs a manifest stored as an S3 asset: the old
// objects are read from the deployed bucket (moto's S3, where deploy
// published them), the new ones from the cloud assembly, and shown object
// by object. An old asset missing from the bucket is said, and its
// location shown.
func TestDiffManifestAssets(t *testing.T) {
	t.Parallel()
	srv, cfg, newRunner := bootstrapped(t, motoserver.Region)
	oldAsm := synth(t, assetManifestApp("AssetDiff", bigManifest(2, false)))
	newAsm := synth(t, assetManifestApp("AssetDiff", bigManifest(3, true)))
	// Publish the old asset as deploy did.
	files, err := filepath.Glob(filepath.Join(oldAsm, "asset.*.json"))
	if err != nil || len(files) != 1 {
		t.Fatalf("the old assembly's manifest asset: %v %v", files, err)
	}
	body, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	key := filepath.Base(files[0])[len("asset."):]
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("cdk-hnb659fds-assets-" + motoserver.AccountID + "-" + motoserver.Region),
		Key: aws.String(key), Body: bytes.NewReader(body)}); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(oldAsm, "AssetDiff.template.json")
	res := run(t, newRunner(), "diff", "--app", newAsm, "--template", old, "--endpoint-url", srv.Endpoint(), "--fail")
	res.expect(t, 1, "stdout",
		"  [~] Custom::AWSCDK-EKS-KubernetesResource Clustermanifestbig12C2AB61 (AssetDiff/Cluster/manifest-big/Resource) update in place\n",
		"      [~] Manifest (s3://cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}/"+key+" -> s3://cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}/",
		"          [~] apps/v1 Deployment shop/web\n",
		"              -   replicas: 2\n              +   replicas: 3\n",
		"          [+] v1 ConfigMap shop/extra\n")

	// An old asset the bucket no longer holds.
	gone := synth(t, assetManifestApp("AssetDiff", bigManifest(1, false)))
	res = run(t, newRunner(), "diff", "--app", newAsm, "--template", filepath.Join(gone, "AssetDiff.template.json"), "--endpoint-url", srv.Endpoint())
	res.expect(t, 0, "stdout", "      (objects not shown: the old objects in s3://cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}/", "could not be read: NoSuchKey: The specified key does not exist.)\n", "      [~] ManifestAsset.Key")
}

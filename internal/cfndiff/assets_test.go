package cfndiff

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWriteManifestAssetsGolden renders manifests stored as S3 assets: one
// whose asset changes (an object changed, one added), one moved from the
// template to an asset with the same objects, and one whose old asset
// cannot be read (its locations are shown instead). Run with -update to
// rewrite the golden file.
func TestWriteManifestAssetsGolden(t *testing.T) {
	t.Parallel()
	bucket := `{"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"}`
	res := func(id, prop string) string {
		return `"` + id + `": {"Type": "Custom::AWSCDK-EKS-KubernetesResource", "Properties": {"ClusterName": "shop", ` + prop + `}, "Metadata": {"aws:cdk:path": "Shop/Cluster/` + id + `/Resource"}}`
	}
	asset := func(key string) string { return `"ManifestAsset": {"Bucket": ` + bucket + `, "Key": "` + key + `"}` }
	web := `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},"spec":{"replicas":2}}`
	web3 := `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},"spec":{"replicas":3}}`
	cm := `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big","namespace":"shop"},"data":{"k":"v"}}`
	old := tmpl(t, `{"Resources": {`+res("manifest-big", asset("aaa.json"))+`, `+res("manifest-moved", `"Manifest": "[`+strings.ReplaceAll(cm, `"`, `\"`)+`]"`)+`, `+res("manifest-lost", asset("gone.json"))+`}}`)
	new := tmpl(t, `{"Resources": {`+res("manifest-big", asset("bbb.json"))+`, `+res("manifest-moved", asset("ccc.json"))+`, `+res("manifest-lost", asset("ddd.json"))+`}}`)
	reader := func(bodies map[string]string) AssetReader {
		return func(a any) (string, error) {
			key, _ := a.(map[string]any)["Key"].(string)
			if b, ok := bodies[key]; ok {
				return b, nil
			}
			return "", errors.New("NoSuchKey: The specified key does not exist.")
		}
	}
	d := CompareWith(old, new, Options{
		OldAsset: reader(map[string]string{"aaa.json": "[" + web + "]"}),
		NewAsset: reader(map[string]string{"bbb.json": "[" + web3 + "," + cm + "]", "ccc.json": "[" + cm + "]", "ddd.json": "[" + cm + "]"}),
	})
	var b strings.Builder
	if err := d.Write(&b); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "assets.diff.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("diff output (-golden +got), rerun with -update if intended:\n%s", diff)
	}
	// Without readers, the locations are all there is.
	var plain strings.Builder
	if err := Compare(old, new).Write(&plain); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "replicas") || !strings.Contains(plain.String(), "ManifestAsset.Key") {
		t.Errorf("Compare without readers:\n%s", plain.String())
	}
}

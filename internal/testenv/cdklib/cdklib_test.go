package cdklib_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/eksforge/eksforge/internal/testenv/cdklib"
)

func TestSynthAndTemplate(t *testing.T) {
	t.Parallel()
	dir := cdklib.Synth(t, "testdata/app.js", "TOPIC_NAME=from-go")
	tmpl := cdklib.Template(t, dir, "Stack")
	res, _ := tmpl["Resources"].(map[string]any)
	topic, _ := res["TopicBFC7AF6E"].(map[string]any)
	if topic == nil {
		t.Fatalf("no TopicBFC7AF6E in %v", res)
	}
	props, _ := topic["Properties"].(map[string]any)
	if got := props["DisplayName"]; got != "from-go" {
		t.Errorf("DisplayName = %v, want from-go (the env given to Synth)", got)
	}
	if _, ok := tmpl["Parameters"].(map[string]any)["BootstrapVersion"]; !ok {
		t.Errorf("no BootstrapVersion parameter: not a default-synthesizer template")
	}
}

func TestNodeModulesFromEnv(t *testing.T) {
	dir := cdklib.NodeModules(t)
	t.Setenv(cdklib.EnvVar, dir)
	if got := cdklib.NodeModules(t); got != dir {
		t.Errorf("NodeModules = %q with %s=%q", got, cdklib.EnvVar, dir)
	}
}

func TestPackageJsonPinsVersions(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "bench", "cdk", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct{ Dependencies map[string]string }
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"aws-cdk-lib": cdklib.Version, "constructs": cdklib.ConstructsVersion} {
		if got := pkg.Dependencies[name]; got != want {
			t.Errorf("bench/cdk/package.json pins %s@%s, cdklib says %s: keep them equal", name, got, want)
		}
	}
}

package eks_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

// handlerBuilds returns the -tags argument of each Go handler asset in the
// stack's asset manifest, by asset display name, and checks that each is
// built with the kubectl handler's compiler flags (eks.KubectlGCFlags).
func handlerBuilds(t *testing.T, dir, stack string) map[string]string {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(dir, stack+".assets.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Files map[string]struct {
			Source struct{ Executable []string } `json:"source"`
		} `json:"files"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	tags := map[string]string{}
	for id, f := range m.Files {
		var gcflags []string
		for i, a := range f.Source.Executable {
			if a == "-tags" {
				t := strings.Split(f.Source.Executable[i+1], ",")
				slices.Sort(t)
				tags[id] = strings.Join(t, ",")
			}
			if a == "-gcflags" {
				gcflags = append(gcflags, f.Source.Executable[i+1])
			}
		}
		if _, built := tags[id]; !built {
			continue
		}
		if want := eks.KubectlGCFlags(); !slices.Equal(gcflags, want) {
			t.Errorf("handler asset %s is built with -gcflags %q, want %q", id, gcflags, want)
		}
	}
	return tags
}

// A cluster without Helm charts has one handler, built without the Helm SDK;
// the first chart adds the Helm handler, with the same role, which serves
// every chart while manifests stay on the Handler.
func TestHelmChartsHaveTheirOwnHandler(t *testing.T) {
	t.Parallel()
	for _, withChart := range []bool{false, true} {
		app := cdk.NewApp(cdk.AppProps{Outdir: t.TempDir()})
		stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
		c := k8sCluster(stack)
		c.AddManifest("cm", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
		if withChart {
			c.AddHelmChart("one", eks.HelmChartOptions{Chart: "one", Repository: "https://example.com/charts"})
			c.AddHelmChart("two", eks.HelmChartOptions{Chart: "two", Repository: "https://example.com/charts"})
		}
		asm, err := app.Synth()
		if err != nil {
			t.Fatal(err)
		}
		tp := assertions.FromStack(t, stack)
		builds := handlerBuilds(t, asm.Directory, "Stack")
		var tags []string
		for _, v := range builds {
			tags = append(tags, v)
		}
		if !withChart {
			tp.ResourceCountIs("AWS::Lambda::Function", 1)
			if len(builds) != 1 || tags[0] != "lambda.norpc,"+eks.KubectlNoHelmTag {
				t.Errorf("without charts, the handlers are built with tags %v, want one with lambda.norpc,nohelm", builds)
			}
			continue
		}
		tp.ResourceCountIs("AWS::Lambda::Function", 2)
		if len(builds) != 2 || !strings.Contains(strings.Join(tags, " "), "lambda.norpc,nohelm") ||
			!(tags[0] == "lambda.norpc" || tags[1] == "lambda.norpc") {
			t.Errorf("with charts, the handlers are built with tags %v, want lambda.norpc,nohelm and lambda.norpc", builds)
		}
		tp.HasResourceProperties("AWS::Lambda::Function", map[string]any{
			"Description": "eksforge Helm handler (Stack/Cluster)",
			"Role":        map[string]any{"Fn::GetAtt": []any{"ClusterKubectlProviderHandlerServiceRoleB460AA6D", "Arn"}},
		})
		charts := tp.FindResources(eks.HelmChartResourceType, nil)
		if len(charts) != 2 {
			t.Fatalf("%d charts", len(charts))
		}
		for id, r := range charts {
			tok := r["Properties"].(map[string]any)["ServiceToken"].(map[string]any)["Fn::GetAtt"].([]any)[0]
			if !strings.HasPrefix(tok.(string), "ClusterKubectlProviderHelmHandler") {
				t.Errorf("chart %s is served by %s, want the Helm handler", id, tok)
			}
		}
		tp.HasResourceProperties(eks.KubernetesManifestResourceType, map[string]any{
			"ServiceToken": map[string]any{"Fn::GetAtt": []any{"ClusterKubectlProviderHandler2E05C68A", "Arn"}},
		})
	}
}

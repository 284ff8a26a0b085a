// Package docs holds no code: its test keeps the layer table at the top of
// docs/architecture.md true of the tree. Each package may import only what
// its layer's row allows (non-test imports; tests may import anything), so
// an import that runs upward fails here instead of waiting for a review.
package docs

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/eksforge/eksforge/"

// layer is one row of the table: the packages it holds (a path, or a
// prefix ending in "/"), the module packages they may import, and whether
// they may import modules outside the standard library.
type layer struct {
	name       string
	packages   []string
	imports    []string
	thirdParty []string // prefixes of allowed non-standard imports
}

// allowedIn reports whether path (module-relative) is one of patterns: an
// exact path, or under a prefix ending in "/".
func allowedIn(path string, patterns []string) bool {
	for _, p := range patterns {
		if path == p || (strings.HasSuffix(p, "/") && strings.HasPrefix(path, p)) {
			return true
		}
	}
	return false
}

var (
	core = []string{"cdk", "cdk/assertions", "internal/uniqueid", "internal/fingerprint"}
	l1   = append([]string{"cfn/"}, core...)
	aws  = append([]string{"aws/", "internal/nilref", "internal/optarg"}, l1...)
)

// layers is docs/architecture.md's table, most specific rows first: the
// first row holding a package applies to it.
var layers = []layer{
	{name: "internal packages the library imports: standard library", packages: []string{"internal/uniqueid", "internal/fingerprint", "internal/optarg"}},
	{name: "internal/gobuild", packages: []string{"internal/gobuild"}, imports: []string{"internal/fingerprint"}},
	{name: "internal/nilref", packages: []string{"internal/nilref"}, imports: []string{"cdk"}},
	{name: "core", packages: []string{"cdk", "cdk/assertions"}, imports: core},
	{name: "L1 resources", packages: []string{"cfn/"}, imports: l1},
	{name: "aws/lambda", packages: []string{"aws/lambda"}, imports: append([]string{"internal/gobuild"}, aws...)},
	{name: "aws/customresources", packages: []string{"aws/customresources"}, imports: append([]string{"handlers/provider/spec"}, aws...)},
	{name: "AWS constructs", packages: []string{"aws/"}, imports: aws},
	{
		name: "EKS", packages: []string{"eks", "eks/"},
		imports: append([]string{"eks", "handlers/provider/spec"}, aws...),
		// Kubernetes types and YAML for manifests (no client), versions.
		thirdParty: []string{"k8s.io/api/", "k8s.io/apimachinery/", "k8s.io/client-go/kubernetes/scheme", "k8s.io/client-go/util/jsonpath", "sigs.k8s.io/yaml", "github.com/Masterminds/semver/"},
	},
	{name: "deploy time", packages: []string{"handlers/"}, imports: []string{"handlers/"}, thirdParty: []string{""}},
}

func TestImportsFollowTheLayerTable(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	std := standardPackages(t)
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, ok := strings.CutPrefix(fields[0], module)
		if !ok {
			continue
		}
		i := slices.IndexFunc(layers, func(l layer) bool { return allowedIn(pkg, l.packages) })
		if i < 0 {
			continue // tools (cmd, internal, examples, bench): anything
		}
		l := layers[i]
		checked++
		for _, imp := range fields[1:] {
			if rel, ok := strings.CutPrefix(imp, module); ok {
				if !allowedIn(rel, l.imports) {
					t.Errorf("%s (%s) imports %s: docs/architecture.md's layer table does not allow it; fix the import, or the table and this test", pkg, l.name, rel)
				}
				continue
			}
			if std[imp] {
				continue
			}
			if !slices.ContainsFunc(l.thirdParty, func(p string) bool { return strings.HasPrefix(imp, p) }) {
				t.Errorf("%s (%s) imports %s, outside the standard library: docs/architecture.md's layer table does not allow it", pkg, l.name, imp)
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d packages checked: go list's output was not what this test expects", checked)
	}
}

func standardPackages(t *testing.T) map[string]bool {
	t.Helper()
	out, err := exec.Command("go", "list", "std").Output()
	if err != nil {
		t.Fatalf("go list std: %v", err)
	}
	std := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		std[p] = true
	}
	return std
}

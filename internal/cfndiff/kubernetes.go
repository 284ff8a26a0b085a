package cfndiff

import (
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"
)

// kubernetesDocs are the properties of the Kubernetes custom resources
// that hold JSON documents (written by Fn::ToJsonString): they are shown as
// YAML line diffs of the objects they hold rather than as escaped strings.
var kubernetesDocs = map[string]map[string]string{
	"Custom::AWSCDK-EKS-KubernetesResource": {"Manifest": "manifest"},
	"Custom::AWSCDK-EKS-KubernetesPatch":    {"ApplyPatchJson": "patch", "RestorePatchJson": "restore patch"},
	"Custom::AWSCDK-EKS-HelmChart":          {"Values": "values"},
}

// customCreateOnly are the properties of eksforge's custom resources whose
// change makes the kubectl handler answer with a new physical ID, which
// CloudFormation treats as a replacement (the old resource is deleted after
// the update): handlers/kubectl's "replacing" properties.
var customCreateOnly = map[string]string{
	"Custom::AWSCDK-EKS-KubernetesResource":    "ClusterName",
	"Custom::AWSCDK-EKS-HelmChart":             "ClusterName Release Namespace",
	"Custom::AWSCDK-EKS-KubernetesPatch":       "ClusterName ResourceName ResourceNamespace",
	"Custom::AWSCDK-EKS-KubernetesObjectValue": "ClusterName",
	"Custom::EksForge-AwsAuth":                 "ClusterName",
}

// kubernetesDoc is one document of a property: an object of a manifest
// (named "apps/v1 Deployment default/web") or the whole value (a patch,
// Helm values).
type kubernetesDoc struct {
	name string
	yaml string
}

// writeKubernetesProperty writes p as per-object YAML line diffs when it is
// a JSON document property of a Kubernetes custom resource, and says
// whether it did.
func writeKubernetesProperty(b *strings.Builder, typ string, p PropertyDiff) bool {
	what, ok := kubernetesDocs[typ][p.Path]
	if !ok {
		return false
	}
	oldDocs, okOld := decodeDocs(p.Old, p.HasOld, what)
	newDocs, okNew := decodeDocs(p.New, p.HasNew, what)
	if !okOld || !okNew {
		return false
	}
	fmt.Fprintf(b, "      %s %s\n", kindOf(p.HasOld, p.HasNew).marker(), p.Path)
	writeDocs(b, oldDocs, newDocs)
	return true
}

// writeDocs writes the documents that differ, object by object, and says
// whether any did.
func writeDocs(b *strings.Builder, oldDocs, newDocs []kubernetesDoc) bool {
	byName := map[string]*[2]string{}
	var order []string
	for i, docs := range [][]kubernetesDoc{oldDocs, newDocs} {
		for _, d := range docs {
			e := byName[d.name]
			if e == nil {
				e = &[2]string{}
				byName[d.name] = e
				order = append(order, d.name)
			}
			e[i] = d.yaml
		}
	}
	wrote := false
	for _, name := range order {
		e := byName[name]
		switch {
		case e[0] == e[1]:
			continue
		case e[0] == "":
			fmt.Fprintf(b, "          [+] %s\n", name)
			writeLines(b, "+ ", e[1])
		case e[1] == "":
			fmt.Fprintf(b, "          [-] %s\n", name)
			writeLines(b, "- ", e[0])
		default:
			fmt.Fprintf(b, "          [~] %s\n", name)
			for _, l := range LineDiff(e[0], e[1]) {
				b.WriteString("              " + l + "\n")
			}
		}
		wrote = true
	}
	return wrote
}

func writeLines(b *strings.Builder, prefix, text string) {
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		b.WriteString("              " + prefix + l + "\n")
	}
}

// decodeDocs reads a JSON document property: a string, or an Fn::Join of
// strings and references (late-bound values inside the JSON), which are
// shown as ${...}. A manifest gives one document per object.
func decodeDocs(v any, has bool, what string) ([]kubernetesDoc, bool) {
	if !has {
		return nil, true
	}
	text, ok := flatten(v)
	if !ok {
		return nil, false
	}
	var doc any
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return nil, false
	}
	if list, ok := doc.([]any); ok && what == "manifest" {
		out := make([]kubernetesDoc, 0, len(list))
		seen := map[string]int{}
		for _, o := range list {
			name := objectName(o)
			if seen[name]++; seen[name] > 1 {
				name += fmt.Sprintf(" (#%d)", seen[name])
			}
			out = append(out, kubernetesDoc{name: name, yaml: toYAML(o)})
		}
		return out, true
	}
	return []kubernetesDoc{{name: what, yaml: toYAML(doc)}}, true
}

// objectName names a Kubernetes object: "apps/v1 Deployment default/web".
func objectName(o any) string {
	m, _ := o.(map[string]any)
	av, _ := m["apiVersion"].(string)
	kind, _ := m["kind"].(string)
	md, _ := m["metadata"].(map[string]any)
	name, _ := md["name"].(string)
	if ns, _ := md["namespace"].(string); ns != "" {
		name = ns + "/" + name
	}
	return strings.TrimSpace(av + " " + kind + " " + name)
}

func toYAML(v any) string {
	b, err := yaml.Marshal(v)
	if err != nil {
		return render(v) + "\n"
	}
	return string(b)
}

// flatten turns a string, or an Fn::Join of strings and references, into
// one string with the references written ${Ref}, ${Logical.Attribute} or
// ${AWS::Partition}.
func flatten(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case map[string]any:
		if s, ok := referenceText(x); ok {
			return s, true
		}
		j, ok := x["Fn::Join"].([]any)
		if !ok || len(x) != 1 || len(j) != 2 {
			return "", false
		}
		sep, ok := j[0].(string)
		parts, ok2 := j[1].([]any)
		if !ok || !ok2 {
			return "", false
		}
		out := make([]string, len(parts))
		for i, p := range parts {
			s, ok := flatten(p)
			if !ok {
				return "", false
			}
			out[i] = s
		}
		return strings.Join(out, sep), true
	}
	return "", false
}

// referenceText writes a Ref or Fn::GetAtt as ${...}.
func referenceText(m map[string]any) (string, bool) {
	if len(m) != 1 {
		return "", false
	}
	if r, ok := m["Ref"].(string); ok {
		return "${" + r + "}", true
	}
	switch g := m["Fn::GetAtt"].(type) {
	case []any:
		var parts []string
		for _, e := range g {
			s, ok := e.(string)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		return "${" + strings.Join(parts, ".") + "}", true
	case string:
		return "${" + g + "}", true
	}
	if name, ok := m["Fn::ImportValue"].(string); ok {
		return "${ImportValue:" + name + "}", true
	}
	return "", false
}

// contextLines is how many unchanged lines are shown around a change.
const contextLines = 2

// maxDiffCells bounds the line diff's table (old lines x new lines); past
// it the texts are shown whole, removed then added.
const maxDiffCells = 4_000_000

// LineDiff returns the lines of a unified diff of a and b ("- ", "+ ", "  "
// prefixes, "..." for skipped unchanged lines).
func LineDiff(a, b string) []string {
	x := strings.Split(strings.TrimSuffix(a, "\n"), "\n")
	y := strings.Split(strings.TrimSuffix(b, "\n"), "\n")
	type op struct {
		kind byte
		line string
	}
	var ops []op
	if len(x)*len(y) > maxDiffCells {
		for _, l := range x {
			ops = append(ops, op{'-', l})
		}
		for _, l := range y {
			ops = append(ops, op{'+', l})
		}
	} else {
		// Longest common subsequence, from the ends.
		n, m := len(x), len(y)
		lcs := make([][]int32, n+1)
		for i := range lcs {
			lcs[i] = make([]int32, m+1)
		}
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if x[i] == y[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && x[i] == y[j]:
				ops = append(ops, op{' ', x[i]})
				i++
				j++
			case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
				ops = append(ops, op{'-', x[i]})
				i++
			default:
				ops = append(ops, op{'+', y[j]})
				j++
			}
		}
	}
	// Keep changes and the unchanged lines near them.
	keep := make([]bool, len(ops))
	for k, o := range ops {
		if o.kind == ' ' {
			continue
		}
		for c := max(0, k-contextLines); c <= min(len(ops)-1, k+contextLines); c++ {
			keep[c] = true
		}
	}
	var out []string
	skipped := false
	for k, o := range ops {
		if !keep[k] {
			skipped = true
			continue
		}
		if skipped && len(out) > 0 {
			out = append(out, "...")
		}
		skipped = false
		out = append(out, string(o.kind)+" "+o.line)
	}
	return out
}

package eks

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	k8syaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// ManifestsFromYAML reads the Kubernetes objects of a YAML (or JSON)
// stream, documents separated by "---", in order: the seed's "adding
// resources from a URL" case, read at synthesis from a file, an HTTP
// response body or any reader. Empty documents are skipped; a kind: List
// document gives its items. Pass the result to [Cluster.AddManifest] with
// `objects...`.
func ManifestsFromYAML(r io.Reader) ([]any, error) {
	reader := k8syaml.NewYAMLReader(bufio.NewReader(r))
	var out []any
	for n := 1; ; n++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("cannot read YAML document %d: %w", n, err)
		}
		var obj map[string]any
		if err := yaml.Unmarshal(doc, &obj); err != nil {
			return nil, fmt.Errorf("YAML document %d is not a Kubernetes object: %w", n, err)
		}
		if len(obj) == 0 {
			continue
		}
		if kind, _ := obj["kind"].(string); kind == "List" {
			items, _ := obj["items"].([]any)
			for _, it := range items {
				if m, ok := it.(map[string]any); ok {
					out = append(out, m)
				}
			}
			continue
		}
		out = append(out, obj)
	}
	return out, nil
}

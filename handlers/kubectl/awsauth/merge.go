package awsauth

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// AnnotationPrefix starts the annotation that records an owner's entries.
const AnnotationPrefix = "eksforge.io/aws-auth-owned-"

// Entries are what one owner maps.
type Entries struct {
	// MapRoles are objects with rolearn, username and groups.
	MapRoles []map[string]any `json:"mapRoles,omitempty"`
	// MapUsers are objects with userarn, username and groups.
	MapUsers []map[string]any `json:"mapUsers,omitempty"`
	// MapAccounts are account IDs.
	MapAccounts []string `json:"mapAccounts,omitempty"`
}

// AnnotationKey is the annotation that records the entries of the owner
// with the given physical ID: the prefix and the first 16 hex digits of
// its SHA-256.
func AnnotationKey(owner string) string {
	s := sha256.Sum256([]byte(owner))
	return AnnotationPrefix + hex.EncodeToString(s[:8])
}

// Merge returns data (the ConfigMap's data) with the entries in prev
// removed and those in next added. Entries of others keep their bytes.
func Merge(data map[string]string, prev, next Entries) (map[string]string, error) {
	out := make(map[string]string, len(data)+3)
	for k, v := range data {
		out[k] = v
	}
	for _, f := range []struct {
		key        string
		prev, next []any
	}{
		{"mapRoles", anys(prev.MapRoles), anys(next.MapRoles)},
		{"mapUsers", anys(prev.MapUsers), anys(next.MapUsers)},
		{"mapAccounts", anysS(prev.MapAccounts), anysS(next.MapAccounts)},
	} {
		v, err := mergeList(out[f.key], f.prev, f.next)
		if err != nil {
			return nil, fmt.Errorf("unable to merge %s of aws-auth: %w", f.key, err)
		}
		if v == "" {
			delete(out, f.key)
		} else {
			out[f.key] = v
		}
	}
	return out, nil
}

func anys[T any](s []T) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func anysS(s []string) []any { return anys(s) }

// mergeList removes the items equal to one of remove from the YAML block
// sequence text, then appends add. Untouched items keep their text.
func mergeList(text string, remove, add []any) (string, error) {
	items, head, err := splitItems(text)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(head)
	// Each recorded entry removes one item, the last equal one: this
	// owner's items were appended after those of others, so another
	// owner's identical entry (a replayed Create meeting an entry someone
	// else wrote) keeps its exact text.
	drop := make([]bool, len(items))
	pending := slices.Clone(remove)
	for i := len(items) - 1; i >= 0 && len(pending) > 0; i-- {
		if j := indexEqual(pending, items[i].value); j >= 0 {
			pending = slices.Delete(pending, j, j+1)
			drop[i] = true
		}
	}
	kept := 0
	for i, it := range items {
		if drop[i] {
			continue
		}
		b.WriteString(it.text)
		kept++
	}
	if len(add) > 0 {
		y, err := yaml.Marshal(normalize(add))
		if err != nil {
			return "", err
		}
		if s := b.String(); s != "" && !strings.HasSuffix(s, "\n") {
			b.WriteString("\n")
		}
		b.Write(y)
	}
	if kept == 0 && len(add) == 0 && strings.TrimSpace(head) == "" {
		return "", nil
	}
	return b.String(), nil
}

type item struct {
	text  string
	value any
}

// splitItems cuts a YAML block sequence into the text of each item (from
// its "- " line to the line before the next item) and what comes before
// the first item (comments). A flow sequence or other shape is rewritten
// as a block sequence (its bytes cannot be kept).
func splitItems(text string) ([]item, string, error) {
	if strings.TrimSpace(text) == "" {
		return nil, "", nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		return nil, "", err
	}
	if len(doc.Content) == 0 {
		return nil, text, nil
	}
	seq := doc.Content[0]
	if seq.Kind != yaml.SequenceNode {
		return nil, "", fmt.Errorf("not a YAML list")
	}
	var values []any
	if err := seq.Decode(&values); err != nil {
		return nil, "", err
	}
	if seq.Style&yaml.FlowStyle != 0 {
		out := make([]item, len(values))
		for i, v := range values {
			y, err := yaml.Marshal([]any{v})
			if err != nil {
				return nil, "", err
			}
			out[i] = item{text: string(y), value: v}
		}
		return out, "", nil
	}
	lines := strings.SplitAfter(text, "\n")
	// The line (0-based) where each item starts: the "- " before its node.
	starts := make([]int, len(seq.Content))
	for i, n := range seq.Content {
		l := n.Line - 1
		for l > 0 && !strings.HasPrefix(strings.TrimSpace(lines[l]), "-") {
			l--
		}
		starts[i] = l
	}
	head := strings.Join(lines[:starts[0]], "")
	out := make([]item, len(seq.Content))
	for i := range seq.Content {
		end := len(lines)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		out[i] = item{text: strings.Join(lines[starts[i]:end], ""), value: values[i]}
	}
	return out, head, nil
}

// normalize makes values comparable after a JSON or YAML round trip.
func normalize(v any) any {
	b, _ := json.Marshal(v)
	var out any
	d := json.NewDecoder(bytes.NewReader(b))
	_ = d.Decode(&out)
	return out
}

func indexEqual(list []any, v any) int {
	nv := normalize(v)
	for i, x := range list {
		if reflect.DeepEqual(normalize(x), nv) {
			return i
		}
	}
	return -1
}

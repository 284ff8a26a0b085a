package cfngen

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// TypeDocs is the documentation of one resource type, from
// descriptions.json.gz (see refresh_docs.py): used where the schema, as
// cfn-lint bundles it, has no description.
type TypeDocs struct {
	Doc   string               `json:"doc"`
	Props map[string]string    `json:"props"`
	Attrs map[string]string    `json:"attrs"`
	Types map[string]*TypeDocs `json:"types"`
}

// LoadDocs reads a gzipped descriptions file; keys are resource type names.
func LoadDocs(path string) (map[string]*TypeDocs, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("unable to read %s: %w", path, err)
	}
	var docs map[string]*TypeDocs
	if err := json.NewDecoder(zr).Decode(&docs); err != nil {
		return nil, fmt.Errorf("unable to read %s: %w", path, err)
	}
	return docs, nil
}

var (
	mdLink  = regexp.MustCompile(`\[([^\]]+)\]\((https?://[^)\s]+)\)`)
	mdQuote = regexp.MustCompile(`(?m)^\s*>\s?`)
)

// docText turns documentation text (Markdown-ish) into comment text:
// paragraphs separated by "\n\n", list items on lines of their own ("\n"),
// links as "text (url)", each line cleaned with cleanText.
func docText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = mdLink.ReplaceAllString(s, "$1 ($2)")
	s = mdQuote.ReplaceAllString(s, "")
	var paras []string
	for _, para := range regexp.MustCompile(`\n\s*\n`).Split(s, -1) {
		var lines []string
		var cur []string
		for _, l := range strings.Split(para, "\n") {
			t := strings.TrimSpace(l)
			if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") {
				if len(cur) > 0 {
					lines = append(lines, cleanText(strings.Join(cur, " ")))
				}
				cur = []string{"- " + strings.TrimSpace(t[2:])}
				continue
			}
			cur = append(cur, t)
		}
		if len(cur) > 0 {
			lines = append(lines, cleanText(strings.Join(cur, " ")))
		}
		var kept []string
		for _, l := range lines {
			if l != "" {
				kept = append(kept, l)
			}
		}
		if len(kept) > 0 {
			paras = append(paras, strings.Join(kept, "\n"))
		}
	}
	return strings.Join(paras, "\n\n")
}

package parity

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// LoadAssembly reads the top-level stack templates of a cloud assembly
// directory (the stack artifacts of its manifest.json), keyed by artifact id,
// and reduces each with [Extract]. Nested stacks are not read: a nested
// stack shows as its AWS::CloudFormation::Stack resource.
func LoadAssembly(dir string) (map[string][]Resource, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("unable to read the cloud assembly in %s: %w", dir, err)
	}
	var m struct {
		Artifacts map[string]struct {
			Type       string `json:"type"`
			Properties struct {
				TemplateFile string `json:"templateFile"`
			} `json:"properties"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("unable to read %s/manifest.json: %w", dir, err)
	}
	files := map[string]string{}
	for id, a := range m.Artifacts {
		if a.Type == "aws:cloudformation:stack" {
			files[id] = filepath.Join(dir, a.Properties.TemplateFile)
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("the cloud assembly in %s has no stack", dir)
	}
	return loadTemplates(files)
}

// LoadTemplates reads <stack>.template.json files (an example's golden
// templates), keyed by the stack name the file name gives.
func LoadTemplates(paths ...string) (map[string][]Resource, error) {
	files := map[string]string{}
	for _, p := range paths {
		files[strings.TrimSuffix(filepath.Base(p), ".template.json")] = p
	}
	return loadTemplates(files)
}

func loadTemplates(files map[string]string) (map[string][]Resource, error) {
	out := map[string][]Resource{}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		b, err := os.ReadFile(files[name])
		if err != nil {
			return nil, err
		}
		var t map[string]any
		if err := json.Unmarshal(b, &t); err != nil {
			return nil, fmt.Errorf("%s is not JSON: %w", files[name], err)
		}
		out[name] = Extract(t)
	}
	return out, nil
}

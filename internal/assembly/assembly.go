// Package assembly reads a cloud assembly (the cdk.out directory that
// synthesis writes): manifest.json, the stack templates, their asset
// manifests and tree.json. It is the CLI's view of an assembly, for listing,
// diffing, deploying and drawing stacks; it does not write assemblies (the
// cdk package does) and knows nothing of AWS APIs.
//
// It reads the subset of the cloud assembly schema (version 55.0.0 and
// compatible ones) that the eksforge CLI needs: stack artifacts
// (aws:cloudformation:stack), asset manifests (cdk:asset-manifest) and the
// tree (cdk:tree). Other artifact types are ignored.
package assembly

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// ErrNoAssembly is wrapped by [Read]'s error when the directory holds no
// manifest.json.
var ErrNoAssembly = errors.New("no cloud assembly")

// Assembly is a cloud assembly read from a directory.
type Assembly struct {
	// Dir is the assembly's directory.
	Dir string
	// Version is the manifest's schema version.
	Version string
	// Stacks are the top-level stacks in manifest order.
	Stacks []*Stack
	// TreeFile is the path of tree.json, or "" when the assembly has none.
	TreeFile string
}

// Stack is one stack artifact.
type Stack struct {
	// ID is the artifact id.
	ID string
	// StackName is the CloudFormation stack name.
	StackName string
	// DisplayName is the stack's construct path (the artifact id when absent).
	DisplayName string
	// Environment is "aws://account/region"; unknown parts are
	// "unknown-account" and "unknown-region".
	Environment string
	// TemplateFile is the template's path, relative to the assembly.
	TemplateFile string
	// Template is the decoded template.
	Template map[string]any
	// TemplateBody is the template as written.
	TemplateBody []byte
	// Tags are the stack-level tags.
	Tags map[string]string
	// TerminationProtection is the stack's termination protection.
	TerminationProtection bool
	// TemplateAssetURL is the s3:// URL where the template is published
	// (with ${AWS::...} placeholders), or "".
	TemplateAssetURL string
	// RequiresBootstrapVersion is the bootstrap stack version the stack
	// needs (0: none).
	RequiresBootstrapVersion int
	// Dependencies are the ids of the stacks this one depends on (asset
	// manifests excluded).
	Dependencies []string
	// Assets is the stack's asset manifest, or nil.
	Assets *AssetManifest
	// LogicalIDs maps construct paths (without the leading slash) to
	// logical IDs, from the manifest's metadata and the resources'
	// aws:cdk:path metadata.
	LogicalIDs map[string]string
	// Warnings and Errors are construct metadata entries of those types,
	// each as "path: message".
	Warnings, Errors []string
}

// Account returns the stack's account, or "" when the environment leaves it
// to the deploying credentials.
func (s *Stack) Account() string {
	acct, _ := s.env()
	return acct
}

// Region returns the stack's region, or "" when the environment leaves it
// to the deploying configuration.
func (s *Stack) Region() string {
	_, region := s.env()
	return region
}

func (s *Stack) env() (account, region string) {
	rest, ok := strings.CutPrefix(s.Environment, "aws://")
	if !ok {
		return "", ""
	}
	account, region, _ = strings.Cut(rest, "/")
	if account == "unknown-account" {
		account = ""
	}
	if region == "unknown-region" {
		region = ""
	}
	return account, region
}

// AssetManifest is a <stack>.assets.json file.
type AssetManifest struct {
	// Path is the file's path.
	Path string
	// Files are the file assets, sorted by id.
	Files []FileAsset
	// DockerImages counts the container image assets (not supported by the
	// eksforge CLI).
	DockerImages int
}

// FileAsset is one file asset and where it goes.
type FileAsset struct {
	// ID is the asset's id (its source hash).
	ID string
	// DisplayName names the asset for people.
	DisplayName string
	// Path is the source's absolute path, or "" when Executable makes it.
	Path string
	// Executable is the command that makes the file to upload and prints
	// its path (the source's "executable"), or nil when the source is Path.
	Executable []string
	// Packaging is "file" or "zip" (a directory zipped at publish time).
	Packaging string
	// Destinations are where to upload it, sorted by id.
	Destinations []Destination
}

// Destination is one upload target of a file asset. Bucket names and keys
// may hold ${AWS::AccountId}, ${AWS::Region} and ${AWS::Partition}
// placeholders.
type Destination struct {
	// ID is the destination's id.
	ID string
	// BucketName is the bucket.
	BucketName string
	// ObjectKey is the key.
	ObjectKey string
	// Region is the bucket's region, or "" for the stack's.
	Region string
	// AssumeRoleArn is the publishing role (not used by the eksforge CLI).
	AssumeRoleArn string
}

type manifestJSON struct {
	Version   string                  `json:"version"`
	Artifacts map[string]artifactJSON `json:"artifacts"`
}

type artifactJSON struct {
	Type         string                     `json:"type"`
	Environment  string                     `json:"environment"`
	Properties   json.RawMessage            `json:"properties"`
	Dependencies []string                   `json:"dependencies"`
	Metadata     map[string][]metadataEntry `json:"metadata"`
	DisplayName  string                     `json:"displayName"`
}

type metadataEntry struct {
	Type string `json:"type"`
	Data any    `json:"data"`
}

type stackProps struct {
	TemplateFile          string            `json:"templateFile"`
	StackName             string            `json:"stackName"`
	Tags                  map[string]string `json:"tags"`
	TerminationProtection bool              `json:"terminationProtection"`
	TemplateAssetURL      string            `json:"stackTemplateAssetObjectUrl"`
	RequiresBootstrap     int               `json:"requiresBootstrapStackVersion"`
}

type fileProps struct {
	File string `json:"file"`
}

// Read reads the assembly in dir. Stacks keep the manifest's order, which is
// the order of the artifacts in manifest.json.
func Read(dir string) (*Assembly, error) {
	mpath := filepath.Join(dir, "manifest.json")
	body, err := os.ReadFile(mpath)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w in %s (no manifest.json)", ErrNoAssembly, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("unable to read the cloud assembly: %w", err)
	}
	var m manifestJSON
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("unable to read %s: %w", mpath, err)
	}
	order, err := artifactOrder(body)
	if err != nil {
		return nil, fmt.Errorf("unable to read %s: %w", mpath, err)
	}
	asm := &Assembly{Dir: dir, Version: m.Version}
	assetFiles := map[string]string{}
	for id, a := range m.Artifacts {
		switch a.Type {
		case "cdk:asset-manifest":
			var p fileProps
			if err := json.Unmarshal(a.Properties, &p); err != nil {
				return nil, fmt.Errorf("unable to read artifact %s: %w", id, err)
			}
			assetFiles[id] = p.File
		case "cdk:tree":
			var p fileProps
			if err := json.Unmarshal(a.Properties, &p); err != nil {
				return nil, fmt.Errorf("unable to read artifact %s: %w", id, err)
			}
			asm.TreeFile = filepath.Join(dir, p.File)
		}
	}
	for _, id := range order {
		a := m.Artifacts[id]
		if a.Type != "aws:cloudformation:stack" {
			continue
		}
		s, err := readStack(dir, id, a, m.Artifacts, assetFiles)
		if err != nil {
			return nil, err
		}
		asm.Stacks = append(asm.Stacks, s)
	}
	return asm, nil
}

// artifactOrder returns the artifact ids in the order manifest.json lists
// them (a Go map loses it).
func artifactOrder(body []byte) ([]string, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, err
	}
	raw, ok := top["artifacts"]
	if !ok {
		return nil, nil
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	var ids []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		ids = append(ids, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

func readStack(dir, id string, a artifactJSON, all map[string]artifactJSON, assetFiles map[string]string) (*Stack, error) {
	var p stackProps
	if err := json.Unmarshal(a.Properties, &p); err != nil {
		return nil, fmt.Errorf("unable to read stack artifact %s: %w", id, err)
	}
	s := &Stack{
		ID:                       id,
		StackName:                p.StackName,
		DisplayName:              a.DisplayName,
		Environment:              a.Environment,
		TemplateFile:             p.TemplateFile,
		Tags:                     p.Tags,
		TerminationProtection:    p.TerminationProtection,
		TemplateAssetURL:         p.TemplateAssetURL,
		RequiresBootstrapVersion: p.RequiresBootstrap,
		LogicalIDs:               map[string]string{},
	}
	if s.StackName == "" {
		s.StackName = id
	}
	if s.DisplayName == "" {
		s.DisplayName = id
	}
	body, err := os.ReadFile(filepath.Join(dir, p.TemplateFile))
	if err != nil {
		return nil, fmt.Errorf("unable to read the template of stack %s: %w", s.StackName, err)
	}
	s.TemplateBody = body
	if err := json.Unmarshal(body, &s.Template); err != nil {
		return nil, fmt.Errorf("unable to read the template of stack %s (%s): %w", s.StackName, p.TemplateFile, err)
	}
	for _, dep := range a.Dependencies {
		switch all[dep].Type {
		case "aws:cloudformation:stack":
			s.Dependencies = append(s.Dependencies, dep)
		case "cdk:asset-manifest":
			am, err := readAssets(dir, assetFiles[dep])
			if err != nil {
				return nil, err
			}
			s.Assets = am
		}
	}
	for p, entries := range a.Metadata {
		p = strings.TrimPrefix(p, "/")
		for _, e := range entries {
			switch e.Type {
			case "aws:cdk:logicalId":
				if v, ok := e.Data.(string); ok {
					s.LogicalIDs[p] = v
				}
			case "aws:cdk:warning":
				s.Warnings = append(s.Warnings, fmt.Sprintf("%s: %v", p, e.Data))
			case "aws:cdk:error":
				s.Errors = append(s.Errors, fmt.Sprintf("%s: %v", p, e.Data))
			}
		}
	}
	// Assemblies that keep metadata elsewhere still name resources in the
	// template (aws:cdk:path).
	res, _ := s.Template["Resources"].(map[string]any)
	for id, r := range res {
		rm, _ := r.(map[string]any)
		md, _ := rm["Metadata"].(map[string]any)
		if p, ok := md["aws:cdk:path"].(string); ok {
			if _, known := s.LogicalIDs[p]; !known {
				s.LogicalIDs[p] = id
			}
		}
	}
	sort.Strings(s.Warnings)
	sort.Strings(s.Errors)
	return s, nil
}

type assetsJSON struct {
	Files map[string]struct {
		DisplayName string `json:"displayName"`
		Source      struct {
			Path       string   `json:"path"`
			Executable []string `json:"executable"`
			Packaging  string   `json:"packaging"`
		} `json:"source"`
		Destinations map[string]struct {
			BucketName    string `json:"bucketName"`
			ObjectKey     string `json:"objectKey"`
			Region        string `json:"region"`
			AssumeRoleArn string `json:"assumeRoleArn"`
		} `json:"destinations"`
	} `json:"files"`
	DockerImages map[string]json.RawMessage `json:"dockerImages"`
}

func readAssets(dir, file string) (*AssetManifest, error) {
	if file == "" {
		return nil, nil
	}
	p := filepath.Join(dir, file)
	body, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("unable to read the asset manifest: %w", err)
	}
	var raw assetsJSON
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("unable to read the asset manifest %s: %w", p, err)
	}
	am := &AssetManifest{Path: p, DockerImages: len(raw.DockerImages)}
	for id, f := range raw.Files {
		fa := FileAsset{ID: id, DisplayName: f.DisplayName, Packaging: f.Source.Packaging}
		switch {
		case len(f.Source.Executable) > 0 && f.Source.Path == "":
			fa.Executable = f.Source.Executable
		case len(f.Source.Executable) == 0 && f.Source.Path != "":
			fa.Path = filepath.Join(dir, f.Source.Path)
		default:
			return nil, fmt.Errorf("asset %s in %s needs exactly one of source.path and source.executable", id, p)
		}
		if fa.Packaging == "" {
			fa.Packaging = "file"
		}
		for did, d := range f.Destinations {
			fa.Destinations = append(fa.Destinations, Destination{ID: did, BucketName: d.BucketName, ObjectKey: d.ObjectKey, Region: d.Region, AssumeRoleArn: d.AssumeRoleArn})
		}
		sort.Slice(fa.Destinations, func(i, j int) bool { return fa.Destinations[i].ID < fa.Destinations[j].ID })
		am.Files = append(am.Files, fa)
	}
	sort.Slice(am.Files, func(i, j int) bool { return am.Files[i].ID < am.Files[j].ID })
	return am, nil
}

// Names returns the stacks' display names (construct paths), in manifest
// order, for messages that list the known stacks.
func (a *Assembly) Names() []string {
	out := make([]string, len(a.Stacks))
	for i, s := range a.Stacks {
		out[i] = s.DisplayName
	}
	return out
}

// ByID returns the stack with the artifact id, or nil.
func (a *Assembly) ByID(id string) *Stack {
	for _, s := range a.Stacks {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// UnknownStackError is returned by [Assembly.Select] for a pattern that
// matches no stack.
type UnknownStackError struct {
	// Pattern is what was asked for.
	Pattern string
	// Known are the stacks of the assembly.
	Known []string
}

// Error names the pattern and lists the known stacks.
func (e *UnknownStackError) Error() string {
	if len(e.Known) == 0 {
		return fmt.Sprintf("no stack matches %q: the app has no stacks", e.Pattern)
	}
	return fmt.Sprintf("no stack matches %q; the app's stacks are: %s", e.Pattern, strings.Join(e.Known, ", "))
}

// Extend says which related stacks [Assembly.Select] adds.
type Extend int

// What Select adds to the stacks named.
const (
	// ExtendNone selects only the stacks named.
	ExtendNone Extend = iota
	// ExtendUpstream adds the stacks they depend on (for deploy).
	ExtendUpstream
	// ExtendDownstream adds the stacks that depend on them (for destroy).
	ExtendDownstream
)

// Select returns the stacks matching the patterns, extended as asked, in
// dependency order (every stack after the stacks it depends on; ties in
// manifest order). A pattern matches a stack's display name (construct
// path), artifact id or stack name, exactly or as a path.Match glob
// ("Prod*"). No patterns select every stack.
func (a *Assembly) Select(patterns []string, extend Extend) ([]*Stack, error) {
	chosen := map[string]bool{}
	if len(patterns) == 0 {
		for _, s := range a.Stacks {
			chosen[s.ID] = true
		}
	}
	for _, p := range patterns {
		found := false
		for _, s := range a.Stacks {
			if matches(p, s) {
				chosen[s.ID] = true
				found = true
			}
		}
		if !found {
			return nil, &UnknownStackError{Pattern: p, Known: a.Names()}
		}
	}
	switch extend {
	case ExtendUpstream:
		for changed := true; changed; {
			changed = false
			for _, s := range a.Stacks {
				if !chosen[s.ID] {
					continue
				}
				for _, d := range s.Dependencies {
					if !chosen[d] {
						chosen[d], changed = true, true
					}
				}
			}
		}
	case ExtendDownstream:
		for changed := true; changed; {
			changed = false
			for _, s := range a.Stacks {
				if chosen[s.ID] {
					continue
				}
				for _, d := range s.Dependencies {
					if chosen[d] {
						chosen[s.ID], changed = true, true
						break
					}
				}
			}
		}
	}
	ordered, err := a.Ordered()
	if err != nil {
		return nil, err
	}
	var out []*Stack
	for _, s := range ordered {
		if chosen[s.ID] {
			out = append(out, s)
		}
	}
	return out, nil
}

func matches(p string, s *Stack) bool {
	for _, name := range []string{s.DisplayName, s.ID, s.StackName} {
		if p == name {
			return true
		}
		if ok, err := path.Match(p, name); err == nil && ok {
			return true
		}
	}
	return false
}

// Ordered returns every stack in dependency order: each after the stacks
// it depends on, otherwise in manifest order. A dependency cycle is an
// error.
func (a *Assembly) Ordered() ([]*Stack, error) {
	done := map[string]bool{}
	var out []*Stack
	for len(out) < len(a.Stacks) {
		progress := false
		for _, s := range a.Stacks {
			if done[s.ID] {
				continue
			}
			ready := true
			for _, d := range s.Dependencies {
				if !done[d] && a.ByID(d) != nil {
					ready = false
					break
				}
			}
			if ready {
				done[s.ID] = true
				out = append(out, s)
				progress = true
			}
		}
		if !progress {
			var left []string
			for _, s := range a.Stacks {
				if !done[s.ID] {
					left = append(left, s.DisplayName)
				}
			}
			return nil, fmt.Errorf("the stacks depend on each other in a cycle: %s", strings.Join(left, ", "))
		}
	}
	return out, nil
}

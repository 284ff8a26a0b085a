package cdk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"

	"github.com/eksforge/eksforge/internal/fingerprint"
)

// CloudAssemblySchemaVersion is the cloud assembly schema version written to
// manifest.json; the AWS CDK CLI 2.1148 reads it.
const CloudAssemblySchemaVersion = "55.0.0"

// CloudAssembly is the result of synthesis: the templates and assets of
// every top-level stack, written to Directory unless synthesized in memory.
type CloudAssembly struct {
	// Directory is where the assembly was (or would be) written.
	Directory string
	// Stacks are the top-level stacks, in tree order.
	Stacks []*StackArtifact

	templates map[*Stack][]byte
	stacks    []*Stack
}

func (c *CloudAssembly) withDirectory(dir string) *CloudAssembly {
	cp := *c
	cp.Directory = dir
	return &cp
}

// StackArtifact is one synthesized top-level stack.
type StackArtifact struct {
	// ID is the artifact id (the stack's unique id in the app).
	ID string
	// StackName is the CloudFormation stack name.
	StackName string
	// TemplateFile is the template's file name in the assembly.
	TemplateFile string
	// Environment is "aws://account/region".
	Environment string
	// Dependencies are the ids of the stacks to deploy first.
	Dependencies []string

	stack    *Stack
	template []byte
}

func newStackArtifact(s *Stack, body []byte) *StackArtifact {
	a := &StackArtifact{ID: s.artifactID, StackName: s.stackName, TemplateFile: s.TemplateFile(), Environment: s.Environment(), stack: s, template: body}
	for _, d := range s.deps {
		a.Dependencies = append(a.Dependencies, d.target.artifactID)
	}
	return a
}

// TemplateJSON returns the template exactly as written.
func (a *StackArtifact) TemplateJSON() []byte { return a.template }

// Template returns the template decoded as JSON values.
func (a *StackArtifact) Template() map[string]any {
	var m map[string]any
	if err := json.Unmarshal(a.template, &m); err != nil {
		panic(fmt.Sprintf("cdk: template of %s is not JSON: %v", a.ID, err))
	}
	return m
}

// Stack returns the artifact of the top-level stack with the given
// artifact id or stack name, or nil.
func (c *CloudAssembly) Stack(name string) *StackArtifact {
	for _, s := range c.Stacks {
		if s.ID == name || s.StackName == name {
			return s
		}
	}
	return nil
}

// TemplateOf returns the template of any stack, nested ones included, as
// written.
func (c *CloudAssembly) TemplateOf(s *Stack) ([]byte, bool) {
	b, ok := c.templates[s]
	return b, ok
}

// marshalIndent writes JSON as the AWS CDK does: one-space indentation, no
// HTML escaping, and a trailing newline-free body.
func marshalIndent(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, v, " ", 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeFile(dir, name string, data []byte) error {
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		return fmt.Errorf("unable to write %s: %w", name, err)
	}
	return nil
}

func writeAssembly(app *App, asm *CloudAssembly, dir string, buildAssets bool) error {
	stacks := asm.stacks
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("unable to create the output directory: %w", err)
	}
	artifacts := newObject()
	for _, s := range stacks {
		if err := writeFile(dir, s.TemplateFile(), asm.templates[s]); err != nil {
			return err
		}
	}
	for _, s := range stacks {
		if s.nestedParent != nil {
			continue
		}
		if err := stageAssets(dir, s.assets, buildAssets); err != nil {
			return err
		}
		hash := s.templateAssetHash
		assetsFile := s.artifactID + ".assets.json"
		body, err := marshalIndent2(assetManifest(s, buildAssets))
		if err != nil {
			return err
		}
		if err := writeFile(dir, assetsFile, body); err != nil {
			return err
		}
		d := s.synthesizer
		am := newObject()
		am.set("type", "cdk:asset-manifest")
		am.set("properties", map[string]any{
			"file":                              assetsFile,
			"requiresBootstrapStackVersion":     minBootstrapVersion,
			"bootstrapStackVersionSsmParameter": d.versionParameter(),
		})
		artifacts.set(s.artifactID+".assets", am)

		bucket, _ := d.bucket(s)
		props := newObject()
		props.set("templateFile", s.TemplateFile())
		if len(s.props.Tags) > 0 {
			props.set("tags", s.props.Tags)
		}
		props.set("terminationProtection", s.props.TerminationProtection)
		props.set("validateOnSynth", false)
		props.set("assumeRoleArn", d.role(s, "deploy"))
		props.set("cloudFormationExecutionRoleArn", d.role(s, "cfn-exec"))
		props.set("stackTemplateAssetObjectUrl", "s3://"+bucket+"/"+hash+".json")
		props.set("requiresBootstrapStackVersion", minBootstrapVersion)
		props.set("bootstrapStackVersionSsmParameter", d.versionParameter())
		props.set("additionalDependencies", []string{s.artifactID + ".assets"})
		props.set("lookupRole", map[string]any{
			"arn":                               d.role(s, "lookup"),
			"requiresBootstrapStackVersion":     8,
			"bootstrapStackVersionSsmParameter": d.versionParameter(),
		})
		if s.stackName != s.artifactID {
			props.set("stackName", s.stackName)
		}
		art := newObject()
		art.set("type", "aws:cloudformation:stack")
		art.set("environment", s.Environment())
		art.set("properties", props)
		deps := []string{}
		for _, dep := range s.deps {
			deps = append(deps, dep.target.artifactID)
		}
		deps = append(deps, s.artifactID+".assets")
		art.set("dependencies", deps)
		if md := stackMetadata(s); md.len() > 0 {
			art.set("metadata", md)
		}
		art.set("displayName", s.Node().Path())
		artifacts.set(s.artifactID, art)
	}
	tree := newObject()
	tree.set("type", "cdk:tree")
	tree.set("properties", map[string]any{"file": "tree.json"})
	artifacts.set("Tree", tree)

	manifest := newObject()
	manifest.set("version", CloudAssemblySchemaVersion)
	manifest.set("artifacts", artifacts)
	body, err := marshalIndent2(manifest)
	if err != nil {
		return err
	}
	if err := writeFile(dir, "manifest.json", body); err != nil {
		return err
	}
	treeBody, err := json.Marshal(map[string]any{"version": "tree-0.1", "tree": treeNode(app.Node())})
	if err != nil {
		return err
	}
	if err := writeFile(dir, "tree.json", treeBody); err != nil {
		return err
	}
	return writeFile(dir, "cdk.out", []byte(`{"version":"`+CloudAssemblySchemaVersion+`"}`))
}

// marshalIndent2 writes JSON with two-space indentation (the AWS CDK's
// manifests).
func marshalIndent2(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// stageAssets writes the assets of reg into dir; assets made by a command
// are made (concurrently) and staged only when buildAssets is set.
func stageAssets(dir string, reg *assetRegistry, buildAssets bool) error {
	var built []*assetEntry
	for _, e := range reg.sorted() {
		if e.src.staged {
			continue
		}
		if len(e.src.Executable) > 0 {
			if buildAssets {
				built = append(built, e)
			}
			continue
		}
		if err := stageAsset(dir, e, e.src.FileName); err != nil {
			return err
		}
	}
	return buildAndStage(dir, built)
}

// stageAsset writes one asset to dir, from the file or directory src or
// from its Data.
func stageAsset(dir string, e *assetEntry, src string) error {
	dst := filepath.Join(dir, e.path)
	if _, err := os.Stat(dst); err == nil {
		return nil // same hash, same content
	}
	tmp := dst + ".tmp"
	var err error
	switch {
	case e.src.Data != nil:
		err = os.WriteFile(tmp, e.src.Data, 0o644)
	case e.src.Packaging == FileAssetPackagingZipDirectory:
		err = zipTo(tmp, src, e.src.Exclude)
	default:
		err = copyFile(tmp, src)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("unable to stage asset %s from %s: %w", e.src.SourceHash, src, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("unable to stage asset %s: %w", e.src.SourceHash, err)
	}
	return nil
}

// buildAndStage makes the assets whose source is a command, all at once
// (a Go link uses one core, so distinct handlers build side by side), and
// stages them. It returns every failure.
func buildAndStage(dir string, entries []*assetEntry) error {
	errs := make([]error, len(entries))
	var wg sync.WaitGroup
	for i, e := range entries {
		if _, err := os.Stat(filepath.Join(dir, e.path)); err == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			path, err := buildAsset(context.Background(), e)
			if err == nil {
				err = stageAsset(dir, e, path)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// buildAsset makes the file of an asset whose source is a command: with its
// Build function, else by running the command as a deploy tool would.
func buildAsset(ctx context.Context, e *assetEntry) (string, error) {
	name := e.src.DisplayName
	if name == "" {
		name = e.src.SourceHash
	}
	if e.src.Build != nil {
		p, err := e.src.Build(ctx)
		if err != nil {
			return "", fmt.Errorf("unable to build asset %s: %w", name, err)
		}
		return p, nil
	}
	cmd := exec.CommandContext(ctx, e.src.Executable[0], e.src.Executable[1:]...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("unable to build asset %s: %s: %w", name, strings.Join(e.src.Executable, " "), err)
	}
	p := strings.TrimSpace(string(out))
	if p == "" {
		return "", fmt.Errorf("unable to build asset %s: %s printed no file name", name, strings.Join(e.src.Executable, " "))
	}
	return p, nil
}

func zipTo(dst, srcDir string, exclude []string) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	if err := fingerprint.Zip(f, srcDir, fingerprint.ZipOptions{Exclude: exclude}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// copyFile copies src to dst, as a hard link when both are on one file
// system (staged assets are never modified, and large handler zips then cost
// nothing to stage).
func copyFile(dst, src string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func assetManifest(s *Stack, buildAssets bool) *object {
	d := s.synthesizer
	files := newObject()
	for _, e := range s.assets.sorted() {
		bucket, _ := d.bucket(s)
		dest := newObject()
		dest.set("bucketName", bucket)
		dest.set("objectKey", e.key)
		if !IsUnresolved(s.Region()) {
			dest.set("region", s.Region())
		}
		dest.set("assumeRoleArn", d.role(s, "file-publishing"))
		destJSON, _ := json.Marshal(dest)
		sum := sha256.Sum256(destJSON)
		acct, region := s.Account(), s.Region()
		if IsUnresolved(acct) {
			acct = "current_account"
		}
		if IsUnresolved(region) {
			region = "current_region"
		}
		destKey := acct + "-" + region + "-" + hex.EncodeToString(sum[:])[:8]
		f := newObject()
		name := e.src.DisplayName
		if name == "" {
			name = e.src.SourceHash
		}
		f.set("displayName", name)
		if len(e.src.Executable) > 0 && !buildAssets {
			f.set("source", map[string]any{"executable": e.src.Executable})
		} else {
			f.set("source", map[string]any{"path": e.path, "packaging": "file"})
		}
		dests := newObject()
		dests.set(destKey, dest)
		f.set("destinations", dests)
		files.set(e.src.SourceHash, f)
	}
	m := newObject()
	m.set("version", CloudAssemblySchemaVersion)
	m.set("files", files)
	m.set("dockerImages", map[string]any{})
	return m
}

// stackMetadata maps construct paths to their metadata (logical IDs,
// warnings, info) for the CLI.
func stackMetadata(s *Stack) *object {
	md := newObject()
	var walk func(n *Node)
	walk = func(n *Node) {
		var entries []any
		for _, m := range n.metadata {
			if m.Type == MetadataError {
				continue
			}
			entries = append(entries, map[string]any{"type": m.Type, "data": m.Data})
		}
		if e, ok := n.host.(Element); ok {
			st := e.cfnElement().stack
			entries = append(entries, map[string]any{"type": "aws:cdk:logicalId", "data": st.logicalIDOf(e.cfnElement())})
		}
		if len(entries) > 0 {
			md.set("/"+n.Path(), entries)
		}
		for _, c := range n.children {
			if sh, ok := c.host.(stackHolder); ok && sh.cdkStack().nestedParent == nil {
				continue
			}
			walk(c)
		}
	}
	walk(s.Node())
	return md
}

func treeNode(n *Node) *object {
	o := newObject()
	id := n.id
	if n.scope == nil {
		id = "App"
	}
	o.set("id", id)
	o.set("path", n.Path())
	if len(n.children) > 0 {
		ch := newObject()
		for _, c := range n.children {
			ch.set(c.id, treeNode(c))
		}
		o.set("children", ch)
	}
	if r, ok := n.host.(resourceHolder); ok {
		o.set("attributes", map[string]any{"aws:cdk:cloudformation:type": r.cfnResource().typ})
	}
	t := reflect.TypeOf(n.host)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	o.set("constructInfo", map[string]any{"fqn": t.PkgPath() + "." + t.Name(), "version": "0.0.0"})
	return o
}

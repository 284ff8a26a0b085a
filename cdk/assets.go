package cdk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// FileAssetPackaging is how a file asset is uploaded.
type FileAssetPackaging string

// Packagings of file assets.
const (
	// FileAssetPackagingFile uploads the file as is.
	FileAssetPackagingFile FileAssetPackaging = "file"
	// FileAssetPackagingZipDirectory zips a directory (deterministically,
	// at synthesis) and uploads the zip.
	FileAssetPackagingZipDirectory FileAssetPackaging = "zip"
)

// FileAssetSource describes a file asset: a file, a directory, bytes made
// by the program, or a command that makes the file when the asset is
// published.
type FileAssetSource struct {
	// SourceHash identifies the content; assets with the same hash are
	// uploaded once. Required unless Data is set (its SHA-256 is used).
	SourceHash string
	// FileName is the path of the file or directory to stage. Exactly one of
	// FileName and Data must be set (FileName names a Data asset's staged
	// file in the assembly when both are given by internal callers).
	FileName string
	// Data is content made by the program (e.g. a large manifest).
	Data []byte
	// Packaging says whether to upload as is or as a zip of a directory.
	// Default: FileAssetPackagingFile.
	Packaging FileAssetPackaging
	// DisplayName is shown by deploy tools.
	// Default: the hash.
	DisplayName string
	// Extension is the object key's suffix, e.g. ".zip" or ".json".
	// Default: the extension of FileName (".zip" for zipped directories).
	Extension string
	// Exclude lists glob patterns (relative to a zipped directory) of files
	// left out of the zip, with the syntax of the AWS CDK's asset excludes;
	// the SourceHash should cover the same files.
	// Default: nothing is excluded.
	Exclude []string
	// Executable is a command that makes the asset when it is published,
	// for content too costly to make at every synthesis (a compiled Lambda
	// handler): the asset manifest gives it as the source's "executable",
	// and the deploy tool (the AWS CDK CLI, cdk-assets, eksforge deploy)
	// runs it and uploads the file whose path it prints on standard
	// output. Such an asset is not staged in the cloud assembly unless the
	// app is synthesized with [BuildAssets]. FileName and Data must be
	// empty, and SourceHash must identify what the command makes.
	// Default: none (the asset is FileName or Data, staged at synthesis).
	Executable []string
	// Build makes, in this process, the file that Executable would print,
	// and returns its path; [BuildAssets] calls it to stage the asset.
	// Default: BuildAssets runs Executable.
	Build func(ctx context.Context) (string, error)

	staged bool // already written by synthesis (templates)
}

// FileAssetLocation is where a file asset is found at deploy time.
type FileAssetLocation struct {
	// BucketName is the bootstrap bucket (a token when the environment is
	// unknown).
	BucketName string
	// ObjectKey is the object's key.
	ObjectKey string
	// HTTPURL is the https URL of the object.
	HTTPURL string
	// S3ObjectURL is the s3:// URL of the object.
	S3ObjectURL string
}

type assetEntry struct {
	src  FileAssetSource
	key  string
	path string // staged path, relative to the assembly
}

type assetRegistry struct {
	entries map[string]*assetEntry
}

func newAssetRegistry() *assetRegistry { return &assetRegistry{entries: map[string]*assetEntry{}} }

func (r *assetRegistry) add(src FileAssetSource) *assetEntry {
	if e, ok := r.entries[src.SourceHash]; ok {
		return e
	}
	ext := src.Extension
	if ext == "" {
		if src.Packaging == FileAssetPackagingZipDirectory {
			ext = ".zip"
		} else {
			ext = filepath.Ext(src.FileName)
		}
	}
	e := &assetEntry{src: src, key: src.SourceHash + ext}
	if src.staged {
		e.path = src.FileName
	} else {
		e.path = "asset." + src.SourceHash + ext
	}
	r.entries[src.SourceHash] = e
	return e
}

func (r *assetRegistry) sorted() []*assetEntry {
	out := make([]*assetEntry, 0, len(r.entries))
	for _, e := range r.entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].src.SourceHash < out[j].src.SourceHash })
	return out
}

// locationOf returns where the asset with hash is uploaded for stack s.
func (r *assetRegistry) locationOf(hash string, s *Stack) FileAssetLocation {
	key := hash + ".json"
	if e, ok := r.entries[hash]; ok {
		key = e.key
	}
	return s.synthesizer.location(s, key)
}

// AddFileAsset registers a file asset with the stack's synthesizer and
// returns where it will be at deploy time. Assets of nested stacks are
// published by their top-level stack.
func (s *Stack) AddFileAsset(src FileAssetSource) FileAssetLocation {
	if src.Data != nil {
		sum := sha256.Sum256(src.Data)
		if src.SourceHash == "" {
			src.SourceHash = hex.EncodeToString(sum[:])
		}
		if src.FileName != "" && src.Extension == "" {
			src.Extension = filepath.Ext(src.FileName)
		}
		src.FileName = ""
	}
	if src.SourceHash == "" {
		panic(fmt.Sprintf("cdk: file asset in %q needs a SourceHash (or Data)", s.Node().Path()))
	}
	switch {
	case len(src.Executable) > 0 && (src.Data != nil || src.FileName != ""):
		panic(fmt.Sprintf("cdk: file asset %s in %q has an Executable and a FileName or Data; give one source", src.SourceHash, s.Node().Path()))
	case len(src.Executable) == 0 && src.Build != nil:
		panic(fmt.Sprintf("cdk: file asset %s in %q has a Build function but no Executable; set Executable to the command that makes the file at publish time", src.SourceHash, s.Node().Path()))
	case len(src.Executable) == 0 && src.Data == nil && src.FileName == "":
		panic(fmt.Sprintf("cdk: file asset in %q needs a FileName, Data or an Executable", s.Node().Path()))
	}
	if src.Packaging == "" {
		src.Packaging = FileAssetPackagingFile
	}
	top := s.topLevel()
	if top.assets == nil {
		top.assets = newAssetRegistry()
	}
	e := top.assets.add(src)
	return s.synthesizer.location(s, e.key)
}

// DefaultSynthesizer is the AWS CDK's default stack synthesizer: assets go
// to the bucket and roles that `cdk bootstrap` creates.
type DefaultSynthesizer struct {
	// Qualifier distinguishes several bootstraps in one environment.
	// Default: "hnb659fds".
	Qualifier string
	// GenerateBootstrapVersionRule adds the BootstrapVersion parameter and
	// the CheckBootstrapVersion rule to top-level templates.
	// Default: true (set SkipBootstrapVersionRule to leave them out).
	SkipBootstrapVersionRule bool
}

func (d *DefaultSynthesizer) defaults() {
	if d.Qualifier == "" {
		d.Qualifier = "hnb659fds"
	}
}

// minBootstrapVersion is the bootstrap stack version the default
// synthesizer needs.
const minBootstrapVersion = 6

func (d *DefaultSynthesizer) versionParameter() string {
	return "/cdk-bootstrap/" + d.Qualifier + "/version"
}

// bucket returns the bucket name with ${AWS::AccountId}/${AWS::Region}
// placeholders for the unknown parts, and whether placeholders remain.
func (d *DefaultSynthesizer) bucket(s *Stack) (string, bool) {
	acct, region := s.Account(), s.Region()
	placeholder := false
	if IsUnresolved(acct) {
		acct, placeholder = "${AWS::AccountId}", true
	}
	if IsUnresolved(region) {
		region, placeholder = "${AWS::Region}", true
	}
	return "cdk-" + d.Qualifier + "-assets-" + acct + "-" + region, placeholder
}

func (d *DefaultSynthesizer) placeholders(s *Stack, v string) string {
	acct, region := s.Account(), s.Region()
	if IsUnresolved(acct) {
		acct = "${AWS::AccountId}"
	}
	if IsUnresolved(region) {
		region = "${AWS::Region}"
	}
	v = strings.ReplaceAll(v, "${Qualifier}", d.Qualifier)
	v = strings.ReplaceAll(v, "${AccountId}", acct)
	return strings.ReplaceAll(v, "${Region}", region)
}

func (d *DefaultSynthesizer) role(s *Stack, kind string) string {
	return d.placeholders(s, "arn:${AWS::Partition}:iam::${AccountId}:role/cdk-${Qualifier}-"+kind+"-role-${AccountId}-${Region}")
}

func (d *DefaultSynthesizer) location(s *Stack, key string) FileAssetLocation {
	name, ph := d.bucket(s)
	bucket := name
	if ph {
		bucket = Fn.Sub(name, nil)
	}
	return FileAssetLocation{
		BucketName:  bucket,
		ObjectKey:   key,
		HTTPURL:     "https://s3." + s.Region() + "." + s.URLSuffix() + "/" + bucket + "/" + key,
		S3ObjectURL: "s3://" + bucket + "/" + key,
	}
}

func (d *DefaultSynthesizer) addBootstrapRule(sections map[string]*object) {
	if d.SkipBootstrapVersionRule {
		return
	}
	if sections["Parameters"] == nil {
		sections["Parameters"] = newObject()
	}
	p := newObject()
	p.set("Type", "AWS::SSM::Parameter::Value<String>")
	p.set("Default", d.versionParameter())
	p.set("Description", "Version of the CDK Bootstrap resources in this environment, automatically retrieved from SSM Parameter Store. [cdk:skip]")
	sections["Parameters"].set("BootstrapVersion", p)
	if sections["Rules"] == nil {
		sections["Rules"] = newObject()
	}
	var old []any
	for v := 1; v < minBootstrapVersion; v++ {
		old = append(old, fmt.Sprint(v))
	}
	assert := newObject()
	assert.set("Assert", map[string]any{"Fn::Not": []any{map[string]any{"Fn::Contains": []any{old, map[string]any{"Ref": "BootstrapVersion"}}}}})
	assert.set("AssertDescription", fmt.Sprintf("CDK bootstrap stack version %d required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.", minBootstrapVersion))
	rule := newObject()
	rule.set("Assertions", []any{assert})
	sections["Rules"].set("CheckBootstrapVersion", rule)
}

package lambda

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/fingerprint"
	"github.com/eksforge/eksforge/internal/gobuild"
	"github.com/eksforge/eksforge/internal/nilref"
	"github.com/eksforge/eksforge/internal/optarg"
)

// Code is the deployment package of a [Function] or the content of a
// [LayerVersion]: an S3 object ([CodeFromBucket]), a local directory or
// zip file ([CodeFromAsset]), inline source ([CodeFromInline]), or a Go main
// package built when it is published ([CodeFromGoPackage]).
//
// Implement it to add another source; Bind is called once per function or
// layer, from its constructor.
type Code interface {
	// Bind returns where the code is found at deploy time for scope (the
	// function or layer). Values may be tokens resolved at synthesis.
	Bind(scope cdk.Construct, opts CodeBindOptions) CodeConfig
	// BindToResource is called with the L1 resource once it exists, so
	// asset code can add its asset metadata (aws:asset:path,
	// aws:asset:property) for tools such as SAM.
	BindToResource(resource *cdk.CfnResource, opts ResourceBindOptions)
}

// CodeBindOptions tell [Code.Bind] what the code is for.
type CodeBindOptions struct {
	// Architecture is the function's architecture, or a layer's first
	// compatible architecture; Go code is built for it.
	// Default: ArchitectureArm64 for Go code.
	Architecture Architecture
}

// ResourceBindOptions tell [Code.BindToResource] where the code goes.
type ResourceBindOptions struct {
	// ResourceProperty is the property holding the code: "Code" for a
	// function, "Content" for a layer.
	ResourceProperty string
}

// CodeConfig is a bound [Code]: exactly one of S3Location and InlineCode.
type CodeConfig struct {
	// S3Location is the S3 object holding the zip.
	S3Location *S3Location
	// InlineCode is the function's source text (Code.ZipFile).
	InlineCode string
}

// S3Location is an object in S3.
type S3Location struct {
	// BucketName is the bucket.
	BucketName string
	// ObjectKey is the object's key.
	ObjectKey string
	// ObjectVersion is the object's version.
	// Default: the latest version.
	ObjectVersion string
}

// s3Code is code in an existing S3 object.
type s3Code struct{ loc S3Location }

// CodeFromBucket is a zip already in S3: key in bucket, at objectVersion
// ("" for the latest). It panics, with a message, when bucket is nil (or a
// typed nil) or key is empty: programming errors, with no construct to
// report them on.
func CodeFromBucket(bucket s3.IBucket, key, objectVersion string) Code {
	if nilref.IsNil(bucket) {
		panic("lambda: CodeFromBucket: the bucket " + nilref.Describe(bucket) + ": pass a bucket (s3.NewBucket or s3.BucketFromBucketName)")
	}
	if key == "" {
		panic("lambda: CodeFromBucket needs an object key")
	}
	return &s3Code{S3Location{BucketName: bucket.BucketName(), ObjectKey: key, ObjectVersion: objectVersion}}
}

func (c *s3Code) Bind(cdk.Construct, CodeBindOptions) CodeConfig {
	loc := c.loc
	return CodeConfig{S3Location: &loc}
}

func (c *s3Code) BindToResource(*cdk.CfnResource, ResourceBindOptions) {}

// inlineCode is source text in the template.
type inlineCode struct{ src string }

// CodeFromInline is function source written into the template
// (Code.ZipFile), for Node.js and Python runtimes. It panics when code is
// empty.
func CodeFromInline(code string) Code {
	if code == "" {
		panic("lambda: CodeFromInline: inline code cannot be empty")
	}
	return &inlineCode{code}
}

func (c *inlineCode) Bind(cdk.Construct, CodeBindOptions) CodeConfig {
	return CodeConfig{InlineCode: c.src}
}

func (c *inlineCode) BindToResource(*cdk.CfnResource, ResourceBindOptions) {}

// AssetOptions tune [CodeFromAsset].
type AssetOptions struct {
	// Exclude lists glob patterns (relative to the directory) of files to
	// leave out of the hash and the zip, with the AWS CDK's syntax and
	// meaning ("*.ts", "!keep.ts", "**/test/**").
	// Default: nothing is excluded.
	Exclude []string
}

// assetCode is a local directory or zip file staged as a file asset.
type assetCode struct {
	path string
	opts AssetOptions

	mu    sync.Mutex
	hash  string
	isZip bool
}

// CodeFromAsset is a local directory (zipped deterministically at
// synthesis) or a .zip/.jar file, uploaded to the bootstrap bucket as an
// asset. The asset hash is the AWS CDK's source fingerprint of the path, so
// the S3 key equals the one the AWS CDK would use. The path is read when
// the code is bound to a function or layer; a path that does not exist, or
// a file that is not a zip or jar, panics there with the construct path.
// Pass at most one options value.
func CodeFromAsset(path string, opts ...AssetOptions) Code {
	if path == "" {
		panic("lambda: CodeFromAsset needs a path to a directory or a .zip file")
	}
	return &assetCode{path: path, opts: optarg.One("lambda.CodeFromAsset "+path, opts)}
}

// stage computes the hash once.
func (c *assetCode) stage(scope cdk.Construct) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hash != "" {
		return
	}
	fi, err := os.Stat(c.path)
	if err != nil {
		panic(fmt.Sprintf("lambda: %s: cannot find the asset at %s: %v", scope.Node().Path(), c.path, err))
	}
	if !fi.IsDir() {
		ext := strings.ToLower(filepath.Ext(c.path))
		if ext != ".zip" && ext != ".jar" {
			panic(fmt.Sprintf("lambda: %s: asset %s must be a directory or a .zip or .jar file", scope.Node().Path(), c.path))
		}
		c.isZip = true
	}
	h, err := fingerprint.Dir(c.path, fingerprint.Options{Exclude: c.opts.Exclude})
	if err != nil {
		panic(fmt.Sprintf("lambda: %s: unable to hash the asset %s: %v", scope.Node().Path(), c.path, err))
	}
	c.hash = h
}

func (c *assetCode) Bind(scope cdk.Construct, _ CodeBindOptions) CodeConfig {
	c.stage(scope)
	abs, err := filepath.Abs(c.path)
	if err != nil {
		abs = c.path
	}
	src := cdk.FileAssetSource{SourceHash: c.hash, FileName: abs, Packaging: cdk.FileAssetPackagingZipDirectory, Exclude: c.opts.Exclude}
	if c.isZip {
		src.Packaging = cdk.FileAssetPackagingFile
		src.Extension = ".zip"
		src.Exclude = nil
	}
	loc := cdk.StackOf(scope).AddFileAsset(src)
	return CodeConfig{S3Location: &S3Location{BucketName: loc.BucketName, ObjectKey: loc.ObjectKey}}
}

func (c *assetCode) BindToResource(res *cdk.CfnResource, opts ResourceBindOptions) {
	addAssetMetadata(res, opts, func() (string, bool) { return "asset." + c.hash + ".zip", false })
}

// addAssetMetadata adds the AWS CDK's asset metadata to res, unless the
// context disables it (aws:cdk:enable-asset-metadata false, or
// aws:cdk:disable-asset-metadata true). path returns the staged path and
// whether the asset was bundled, or "" when unknown.
func addAssetMetadata(res *cdk.CfnResource, opts ResourceBindOptions, path func() (string, bool)) {
	n := res.Node()
	if v := n.TryGetContext("aws:cdk:enable-asset-metadata"); v == false || v == "false" {
		return
	}
	if v := n.TryGetContext("aws:cdk:disable-asset-metadata"); v == true || v == "true" {
		return
	}
	prop := opts.ResourceProperty
	if prop == "" {
		prop = "Code"
	}
	res.AddMetadata("aws:asset:path", cdk.LazyAny(func() any {
		p, _ := path()
		if p == "" {
			return nil
		}
		return p
	}))
	res.AddMetadata("aws:asset:is-bundled", cdk.LazyAny(func() any { _, b := path(); return b }))
	res.AddMetadata("aws:asset:property", prop)
}

// GoBuildOptions tune [CodeFromGoPackage].
type GoBuildOptions struct {
	// Dir is the directory the go command runs in; it selects the module
	// (or workspace) the package is resolved in.
	// Default: the package's directory when the package is given as a
	// directory, else the current working directory.
	Dir string
	// GOARCH is the architecture to build for, "arm64" or "amd64". It must
	// agree with the function's Architecture when both are set.
	// Default: the function's architecture (arm64 unless set).
	GOARCH string
	// Tags are extra build tags.
	// Default: none besides lambda.norpc.
	Tags []string
	// WithRPC leaves out the lambda.norpc build tag, which drops
	// aws-lambda-go's RPC mode (only the retired go1.x runtime used it).
	// Default: false (-tags lambda.norpc).
	WithRPC bool
	// LDFlags are the linker flags.
	// Default: "-s -w" (no symbol table, no DWARF).
	LDFlags string
	// GCFlags are compiler flags, each one -gcflags argument of go build
	// ("[pattern=]flags", e.g. "k8s.io/api/...=-l" to compile those
	// packages without inlining), in order; they enter the asset's hash.
	// Default: none.
	GCFlags []string
	// Env holds extra "KEY=value" entries for the go command
	// (GOFLAGS, GOPRIVATE, GOEXPERIMENT, ...).
	// Default: none.
	Env []string
	// CacheDir keeps the built binaries, named by their hash, so an
	// unchanged handler is not rebuilt.
	// Default: $EKSFORGE_CACHE/gobuild, else
	// ${XDG_CACHE_HOME:-$HOME/.cache}/eksforge/gobuild.
	CacheDir string
}

// goCode is a Go main package, hashed at synthesis and built when its
// asset is published (or staged with cdk.BuildAssets).
type goCode struct {
	pkg  string
	opts GoBuildOptions

	mu       sync.Mutex
	bindings map[cdk.Construct]*goBinding
}

// CodeFromGoPackage is a Go main package compiled for provided.al2023 into
// a zip holding one executable, bootstrap: built with CGO_ENABLED=0,
// -trimpath, -tags lambda.norpc and no build ID, for the function's
// architecture (arm64 unless set), so that the same sources give the same
// bytes on every machine and in every checkout.
//
// pkg is an import path ("github.com/acme/app/cmd/handler") or a directory
// ("./cmd/handler", relative to opts.Dir or the working directory).
//
// Synthesis does not compile the package. It names the asset by the hash
// of the build inputs (sources, module versions and go.sum entries, Go
// version, flags, target; see internal/gobuild), computed with go list
// without building, and writes in the asset manifest the command that
// builds and zips it (the asset's "executable" source): the AWS CDK CLI
// (cdk deploy) and eksforge deploy run it when they publish the asset. The
// command names the package and its module, not paths of this machine
// (see internal/gobuild.Command), so the cloud assembly publishes from
// the app's project directory on any machine. The binary and its zip are cached outside
// the repository under the hash, so a repeated publish, or a second app
// with the same handler, builds nothing. Synthesize with cdk.BuildAssets
// (eksforge synth --build-assets) to build at synthesis and stage the zip
// in the cloud assembly instead. A package that cannot be hashed (not a
// main package, a missing import) is a synthesis error naming the
// construct path; a compile error shows when the asset is built.
//
// A function whose Code is a Go package defaults to RuntimeProvidedAl2023,
// handler "bootstrap" and ArchitectureArm64. Pass at most one options
// value.
func CodeFromGoPackage(pkg string, options ...GoBuildOptions) Code {
	opts := optarg.One("lambda.CodeFromGoPackage "+pkg, options)
	if pkg == "" {
		panic("lambda: CodeFromGoPackage needs a main package, e.g. \"./cmd/handler\"")
	}
	if opts.GOARCH != "" && architectureOfGOARCH(opts.GOARCH) == "" {
		panic(fmt.Sprintf("lambda: CodeFromGoPackage(%q): GOARCH %q is not a Lambda architecture; use \"arm64\" or \"amd64\"", pkg, opts.GOARCH))
	}
	return &goCode{pkg: pkg, opts: opts}
}

// IsGoCode reports whether c was made by [CodeFromGoPackage].
func IsGoCode(c Code) bool {
	_, ok := c.(*goCode)
	return ok
}

// goArchitecture is the architecture c asks for, or "".
func goArchitecture(c Code) Architecture {
	if g, ok := c.(*goCode); ok {
		return architectureOfGOARCH(g.opts.GOARCH)
	}
	return ""
}

// buildOptions are the gobuild options of c for goarch, resolved so that
// they name the same build from any working directory.
func (c *goCode) buildOptions(goarch string) (gobuild.Options, error) {
	tags := slices.Clone(c.opts.Tags)
	if !c.opts.WithRPC {
		tags = append(tags, "lambda.norpc")
	}
	return gobuild.Options{
		Package:  c.pkg,
		Dir:      c.opts.Dir,
		GOARCH:   goarch,
		Tags:     tags,
		LDFlags:  c.opts.LDFlags,
		GCFlags:  c.opts.GCFlags,
		Env:      c.opts.Env,
		CacheDir: c.opts.CacheDir,
	}.Resolved()
}

// goBinding is a goCode bound to one construct: the hash and the asset
// location, made the first time the template is resolved.
type goBinding struct {
	code   *goCode
	scope  cdk.Construct
	goarch string

	once sync.Once
	loc  *cdk.FileAssetLocation
	hash string
}

func (b *goBinding) location() (*cdk.FileAssetLocation, string) {
	b.once.Do(func() {
		opts, err := b.code.buildOptions(b.goarch)
		if err != nil {
			b.scope.Node().AddError("Code: unable to build %s: %v", b.code.pkg, err)
			return
		}
		id, err := gobuild.Identify(context.Background(), opts)
		if err != nil {
			b.scope.Node().AddError("Code: %v", err)
			return
		}
		hash := id.Hash
		loc := cdk.StackOf(b.scope).AddFileAsset(cdk.FileAssetSource{
			SourceHash: hash,
			Executable: gobuild.Command(opts, id),
			Build: func(ctx context.Context) (string, error) {
				opts.Progress = os.Stderr
				zip, _, err := gobuild.BuildZip(ctx, opts, hash)
				return zip, err
			},
			Packaging:   cdk.FileAssetPackagingFile,
			Extension:   ".zip",
			DisplayName: b.code.pkg + " (" + b.goarch + ")",
		})
		b.loc, b.hash = &loc, hash
	})
	return b.loc, b.hash
}

func (c *goCode) Bind(scope cdk.Construct, opts CodeBindOptions) CodeConfig {
	goarch := opts.Architecture.GOARCH()
	switch {
	case opts.Architecture == "":
		goarch = c.opts.GOARCH
		if goarch == "" {
			goarch = "arm64"
		}
	case goarch == "":
		panic(fmt.Sprintf("lambda: %s: cannot build Go package %s for architecture %q", scope.Node().Path(), c.pkg, opts.Architecture))
	case c.opts.GOARCH != "" && c.opts.GOARCH != goarch:
		panic(fmt.Sprintf("lambda: %s: Go package %s is built for GOARCH %s but the function's architecture is %s; set one of them only, or make them agree",
			scope.Node().Path(), c.pkg, c.opts.GOARCH, opts.Architecture))
	}
	b := &goBinding{code: c, scope: scope, goarch: goarch}
	c.mu.Lock()
	if c.bindings == nil {
		c.bindings = map[cdk.Construct]*goBinding{}
	}
	c.bindings[scope] = b
	c.mu.Unlock()
	field := func(f func(*cdk.FileAssetLocation) string) string {
		return cdk.AsString(cdk.LazyAny(func() any {
			loc, _ := b.location()
			if loc == nil {
				return nil
			}
			return f(loc)
		}))
	}
	return CodeConfig{S3Location: &S3Location{
		BucketName: field(func(l *cdk.FileAssetLocation) string { return l.BucketName }),
		ObjectKey:  field(func(l *cdk.FileAssetLocation) string { return l.ObjectKey }),
	}}
}

func (c *goCode) BindToResource(res *cdk.CfnResource, opts ResourceBindOptions) {
	// res is a child of the construct the code was bound to.
	c.mu.Lock()
	b := c.bindings[res.Node().Scope()]
	c.mu.Unlock()
	if b == nil {
		return
	}
	addAssetMetadata(res, opts, func() (string, bool) {
		_, hash := b.location()
		if hash == "" {
			return "", true
		}
		return "asset." + hash + ".zip", true
	})
}

package cdk

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
)

// AppProps configure an [App].
type AppProps struct {
	// Outdir is where the cloud assembly is written.
	// Default: $CDK_OUTDIR, or "cdk.out".
	Outdir string
	// Context are context values for the whole tree. Values from
	// $CDK_CONTEXT_JSON, and from the file $CONTEXT_OVERFLOW_LOCATION_ENV
	// names (both set by the AWS CDK CLI and eksforge), override them.
	// Default: none.
	Context map[string]any
	// DisablePathMetadata leaves the "aws:cdk:path" metadata off resources.
	// Default: false (resources carry their construct path).
	DisablePathMetadata bool
}

// App is the root of a construct tree. Stacks are added to it, and Synth
// writes the cloud assembly.
type App struct {
	Base
	outdir string

	once     sync.Once
	mu       sync.Mutex
	assembly *CloudAssembly
	err      error
	written  map[string]bool
}

// NewApp creates an app. It panics when $CDK_CONTEXT_JSON, or the context
// overflow file, is not a JSON object (a broken environment, not a program
// error that can be handled).
func NewApp(props AppProps) *App {
	a := &App{}
	a.node = newNode(a, nil, "")
	a.outdir = props.Outdir
	if a.outdir == "" {
		a.outdir = os.Getenv("CDK_OUTDIR")
	}
	if a.outdir == "" {
		a.outdir = "cdk.out"
	}
	for _, k := range sortedKeys(props.Context) {
		a.node.SetContext(k, props.Context[k])
	}
	if props.DisablePathMetadata {
		a.node.SetContext("aws:cdk:disable-path-metadata", true)
	}
	if env := os.Getenv("CDK_CONTEXT_JSON"); env != "" {
		var ctx map[string]any
		if err := json.Unmarshal([]byte(env), &ctx); err != nil {
			panic(fmt.Sprintf("cdk: CDK_CONTEXT_JSON is not a JSON object: %v", err))
		}
		for _, k := range sortedKeys(ctx) {
			a.node.SetContext(k, ctx[k])
		}
	}
	// The part of the context too large for CDK_CONTEXT_JSON is in a file
	// (the AWS CDK CLI and eksforge write it).
	if file := os.Getenv("CONTEXT_OVERFLOW_LOCATION_ENV"); file != "" {
		body, err := os.ReadFile(file)
		if err != nil {
			panic(fmt.Sprintf("cdk: unable to read the context overflow file (CONTEXT_OVERFLOW_LOCATION_ENV): %v", err))
		}
		var ctx map[string]any
		if err := json.Unmarshal(body, &ctx); err != nil {
			panic(fmt.Sprintf("cdk: the context overflow file %s is not a JSON object: %v", file, err))
		}
		for _, k := range sortedKeys(ctx) {
			a.node.SetContext(k, ctx[k])
		}
	}
	return a
}

// Outdir is the directory Synth writes to.
func (a *App) Outdir() string { return a.outdir }

// SynthOption adjusts one synthesis.
type SynthOption func(*synthOptions)

type synthOptions struct {
	outdir      string
	inMemory    bool
	buildAssets bool
}

// BuildAssetsContext is the context key that, set to true (or "true"),
// makes every synthesis of the app behave as with [BuildAssets]: `cdk synth
// -c eksforge:buildAssets=true` with the AWS CDK CLI, `eksforge synth
// --build-assets` with eksforge's.
const BuildAssetsContext = "eksforge:buildAssets"

// BuildAssets makes the assets whose source is a command run at publish
// time ([FileAssetSource.Executable], such as Go handlers) at synthesis
// instead, and stages them in the cloud assembly, so that it is
// self-contained: it can be deployed from another machine, or with tools
// that cannot run the command. Builds run concurrently and report their
// progress on standard error.
func BuildAssets() SynthOption { return func(o *synthOptions) { o.buildAssets = true } }

// WithOutdir writes the cloud assembly to dir instead of the app's Outdir;
// "" means the app's Outdir.
func WithOutdir(dir string) SynthOption {
	return func(o *synthOptions) {
		if dir != "" {
			o.outdir = dir
		}
	}
}

// InMemory synthesizes without writing files (tests that only read
// templates use it); asset hashes are still computed.
func InMemory() SynthOption { return func(o *synthOptions) { o.inMemory = true } }

// Synth prepares the tree, validates it, renders every stack's template and
// writes the cloud assembly. It returns one error listing every problem
// found, each with its construct path. The tree is prepared and rendered
// once: later calls return the same assembly, writing it to a directory it
// was not yet written to.
func (a *App) Synth(opts ...SynthOption) (*CloudAssembly, error) {
	o := synthOptions{outdir: a.outdir}
	if v := a.node.TryGetContext(BuildAssetsContext); v == true || v == "true" {
		o.buildAssets = true
	}
	for _, opt := range opts {
		opt(&o)
	}
	a.once.Do(func() {
		a.assembly, a.err = synthesize(a)
	})
	if a.err != nil || o.inMemory {
		return a.assembly, a.err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	key := o.outdir
	if o.buildAssets {
		key += "\x00built"
	}
	if a.written[key] {
		return a.assembly.withDirectory(o.outdir), nil
	}
	if err := writeAssembly(a, a.assembly, o.outdir, o.buildAssets); err != nil {
		return nil, err
	}
	if a.written == nil {
		a.written = map[string]bool{}
	}
	a.written[key] = true
	return a.assembly.withDirectory(o.outdir), nil
}

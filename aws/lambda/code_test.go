package lambda_test

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/internal/fingerprint"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

func TestCodeFromBucket(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	p := inline()
	p.Code = lambda.CodeFromBucket(s3.BucketFromBucketName(s, "B", "bkt"), "key.zip", "v1")
	lambda.NewFunction(s, "Fn", p)
	tmpl := assertions.FromStack(t, s)
	tmpl.HasResource("AWS::Lambda::Function", map[string]any{
		"Properties": map[string]any{"Code": match.ObjectEquals(map[string]any{"S3Bucket": "bkt", "S3Key": "key.zip", "S3ObjectVersion": "v1"})},
		"Metadata":   match.ObjectEquals(map[string]any{"aws:cdk:path": "Stack/Fn/Resource"}),
	})
}

func TestCodeFromAsset(t *testing.T) {
	t.Parallel()
	dirHash, err := fingerprint.Dir("testdata/withtests", fingerprint.Options{Exclude: []string{"*.test.js"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		path     string
		opts     lambda.AssetOptions
		key      string
		wantZip  []string // entries of the staged zip
		metadata bool
	}{
		// The AWS CDK's asset hash of the same directory (aws-cdk-lib 2.276).
		{"directory", "testdata/code", lambda.AssetOptions{}, "4737094811dca7f4b990cea8dd39ed109ee71627a8651c2a0da7329fe75e08e0.zip", []string{"index.js"}, true},
		{"directory with excludes", "testdata/withtests", lambda.AssetOptions{Exclude: []string{"*.test.js"}}, dirHash + ".zip", []string{"index.js"}, true},
		{"zip file", "testdata/zip/code.zip", lambda.AssetOptions{}, "", []string{"index.js"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			app := cdk.NewApp(cdk.AppProps{Outdir: out})
			s := cdk.NewStack(app, "Stack", cdk.StackProps{})
			p := inline()
			p.Code = lambda.CodeFromAsset(tt.path, tt.opts)
			lambda.NewFunction(s, "Fn", p)
			asm, err := app.Synth()
			if err != nil {
				t.Fatal(err)
			}
			body, _ := asm.TemplateOf(s)
			tmpl := assertions.FromString(t, string(body))
			key := tt.key
			if key == "" {
				h, err := fingerprint.Dir(tt.path, fingerprint.Options{})
				if err != nil {
					t.Fatal(err)
				}
				key = h + ".zip"
			}
			tmpl.HasResource("AWS::Lambda::Function", map[string]any{
				"Properties": map[string]any{"Code": map[string]any{"S3Key": key}},
				"Metadata": map[string]any{
					"aws:asset:path": "asset." + key, "aws:asset:is-bundled": false, "aws:asset:property": "Code",
				},
			})
			b, err := os.ReadFile(filepath.Join(out, "asset."+key))
			if err != nil {
				t.Fatal(err)
			}
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range zr.File {
				names = append(names, f.Name)
			}
			if len(names) != len(tt.wantZip) || names[0] != tt.wantZip[0] {
				t.Errorf("staged zip holds %v, want %v", names, tt.wantZip)
			}
		})
	}
}

func TestAssetMetadataCanBeDisabled(t *testing.T) {
	t.Parallel()
	for _, ctx := range []map[string]any{{"aws:cdk:enable-asset-metadata": false}, {"aws:cdk:disable-asset-metadata": true}} {
		app := cdk.NewApp(cdk.AppProps{Context: ctx})
		s := cdk.NewStack(app, "Stack", cdk.StackProps{})
		p := inline()
		p.Code = lambda.CodeFromAsset("testdata/code")
		lambda.NewFunction(s, "Fn", p)
		assertions.FromStack(t, s).HasResource("AWS::Lambda::Function", map[string]any{
			"Metadata": match.ObjectEquals(map[string]any{"aws:cdk:path": "Stack/Fn/Resource"}),
		})
	}
}

func TestCodeConstructorsPanic(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	for name, f := range map[string]func(){
		"empty inline":    func() { lambda.CodeFromInline("") },
		"empty asset":     func() { lambda.CodeFromAsset("") },
		"empty package":   func() { lambda.CodeFromGoPackage("") },
		"bucket, no key":  func() { lambda.CodeFromBucket(s3.BucketFromBucketName(s, "B", "b"), "", "") },
		"layer, no code":  func() { lambda.NewLayerVersion(s, "L1", lambda.LayerVersionProps{}) },
		"inline in layer": func() { lambda.NewLayerVersion(s, "L2", lambda.LayerVersionProps{Code: lambda.CodeFromInline("x")}) },
	} {
		if msg := synthtest.MustPanic(t, f); msg == "" {
			t.Errorf("%s: empty panic", name)
		}
	}
}

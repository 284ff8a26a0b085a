package gobuild

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eksforge/eksforge/cdk"
)

// synthFunction builds pkg and synthesizes a stack with it as a Lambda
// function's code into out; it returns the staged zip's path.
func synthFunction(tb testing.TB, o Options, out string) (*Result, string) {
	tb.Helper()
	res, err := Build(context.Background(), o)
	if err != nil {
		tb.Fatal(err)
	}
	app := cdk.NewApp(cdk.AppProps{Outdir: out})
	s := cdk.NewStack(app, "S", cdk.StackProps{})
	loc := s.AddFileAsset(cdk.FileAssetSource{SourceHash: res.Hash, FileName: res.Dir, Packaging: cdk.FileAssetPackagingZipDirectory})
	cdk.NewCfnResource(s, "F", cdk.CfnResourceProps{Type: "AWS::Lambda::Function", Properties: map[string]any{
		"Runtime": "provided.al2023", "Handler": "bootstrap", "Role": "arn:aws:iam::123456789012:role/r",
		"Code": map[string]any{"S3Bucket": loc.BucketName, "S3Key": loc.ObjectKey},
	}})
	if _, err := app.Synth(); err != nil {
		tb.Fatal(err)
	}
	return res, filepath.Join(out, "asset."+res.Hash+".zip")
}

func TestSynthWithGoFunction(t *testing.T) {
	t.Parallel()
	app := checkout(t)
	backdate(t, filepath.Dir(app))
	o := options(t, app, "./hello")

	out := t.TempDir()
	start := time.Now()
	cold, coldZip := synthFunction(t, o, out)
	coldTime := time.Since(start)
	start = time.Now()
	again, _ := synthFunction(t, o, out)
	againTime := time.Since(start)
	start = time.Now()
	warm, warmZip := synthFunction(t, o, t.TempDir())
	warmTime := time.Since(start)
	t.Logf("synthesis with a Go function: cold %v (build and zip), warm %v (same cloud assembly), warm %v (new cloud assembly: zip)",
		coldTime, againTime, warmTime)
	if !again.Cached {
		t.Error("second synthesis rebuilt the function")
	}

	if cold.Cached || !warm.Cached {
		t.Errorf("Cached = %v cold, %v warm; want false, true", cold.Cached, warm.Cached)
	}
	a, err := os.ReadFile(coldZip)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(warmZip)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("the cold and warm synthesis staged different zips")
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 1 || zr.File[0].Name != BinaryName || zr.File[0].Mode()&0o111 == 0 {
		t.Fatalf("zip holds %v, want only an executable %s", zr.File, BinaryName)
	}
	f, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if want := readBinary(t, warm); !bytes.Equal(got, want) {
		t.Error("the zipped bootstrap differs from the built one")
	}
}

// BenchmarkSynthWithGoFunction measures a warm synthesis of a stack with
// one Go function (the hello package, 1.5 MB): the binary comes from the
// cache; into the same cloud assembly (what a repeated cdk synth does) the
// staged zip is kept, into a new one the binary is zipped again.
func BenchmarkSynthWithGoFunction(b *testing.B) {
	app := checkout(b)
	backdate(b, filepath.Dir(app))
	o := options(b, app, "./hello")
	out := b.TempDir()
	synthFunction(b, o, out) // cold: builds and zips
	for _, same := range []bool{true, false} {
		name := "same-assembly"
		if !same {
			name = "new-assembly"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				dir := out
				if !same {
					dir = b.TempDir()
				}
				if res, _ := synthFunction(b, o, dir); !res.Cached {
					b.Fatal("rebuilt")
				}
			}
		})
	}
}

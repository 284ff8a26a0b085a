package cdk_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
)

// executableApp is a stack with one asset made by a command: "sh -c" that
// writes made.zip in dir and prints its path. built counts the calls of
// the asset's Build function (nil when withBuild is false).
func executableApp(t *testing.T, ctx map[string]any, dir string, withBuild bool) (*cdk.App, *int) {
	t.Helper()
	made := filepath.Join(dir, "made.zip")
	app := cdk.NewApp(cdk.AppProps{Outdir: filepath.Join(dir, "out"), Context: ctx})
	s := cdk.NewStack(app, "Stack", cdk.StackProps{})
	var built int
	src := cdk.FileAssetSource{
		SourceHash:  strings.Repeat("ab", 32),
		Executable:  []string{"sh", "-c", "printf made-by-command > " + made + " && echo " + made},
		Extension:   ".zip",
		DisplayName: "handler",
	}
	if withBuild {
		src.Build = func(context.Context) (string, error) {
			built++
			return made, os.WriteFile(made, []byte("made-by-build"), 0o644)
		}
	}
	loc := s.AddFileAsset(src)
	cdk.NewCfnOutput(s, "Key", cdk.CfnOutputProps{Value: loc.ObjectKey})
	return app, &built
}

func assetSource(t *testing.T, dir string) map[string]any {
	t.Helper()
	var m struct {
		Files map[string]struct{ Source map[string]any } `json:"files"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "out", "Stack.assets.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m.Files[strings.Repeat("ab", 32)].Source
}

func TestExecutableAssets(t *testing.T) {
	t.Parallel()
	staged := "asset." + strings.Repeat("ab", 32) + ".zip"
	tests := []struct {
		name      string
		ctx       map[string]any
		opts      []cdk.SynthOption
		withBuild bool
		want      string // staged content, "" when not staged
	}{
		{"the command is written, nothing is made", nil, nil, true, ""},
		{"BuildAssets calls Build and stages its file", nil, []cdk.SynthOption{cdk.BuildAssets()}, true, "made-by-build"},
		{"the context key builds as BuildAssets", map[string]any{cdk.BuildAssetsContext: "true"}, nil, true, "made-by-build"},
		{"without Build, BuildAssets runs the command", nil, []cdk.SynthOption{cdk.BuildAssets()}, false, "made-by-command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			app, built := executableApp(t, tt.ctx, dir, tt.withBuild)
			if _, err := app.Synth(tt.opts...); err != nil {
				t.Fatal(err)
			}
			src := assetSource(t, dir)
			got, err := os.ReadFile(filepath.Join(dir, "out", staged))
			if tt.want == "" {
				if err == nil || *built != 0 {
					t.Errorf("the asset was made (%d builds) or staged", *built)
				}
				if exe, _ := src["executable"].([]any); len(exe) != 3 || exe[0] != "sh" || len(src) != 1 {
					t.Errorf("source = %v, want only the command", src)
				}
				return
			}
			if string(got) != tt.want || err != nil {
				t.Errorf("staged %q (%v), want %q", got, err, tt.want)
			}
			if src["path"] != staged || src["packaging"] != "file" || src["executable"] != nil {
				t.Errorf("source = %v, want the staged file", src)
			}
		})
	}
}

func TestExecutableAssetErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		src  cdk.FileAssetSource
		want string
	}{
		{"fails with a command and a file", cdk.FileAssetSource{SourceHash: "h", Executable: []string{"x"}, FileName: "f"}, "has an Executable and a FileName or Data"},
		{"fails with Build but no command", cdk.FileAssetSource{SourceHash: "h", FileName: "f", Build: func(context.Context) (string, error) { return "", nil }}, "has a Build function but no Executable"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := cdk.NewStack(cdk.NewApp(cdk.AppProps{}), "Stack", cdk.StackProps{})
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), tt.want) {
					t.Errorf("panic %v, want %q", r, tt.want)
				}
			}()
			s.AddFileAsset(tt.src)
		})
	}
}

package assembly_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/assembly"
)

// threeStacks synthesizes Net <- App <- Edge (App depends on Net, Edge on
// App) plus a lone Tools stack listed first.
func threeStacks(t *testing.T) *assembly.Assembly {
	t.Helper()
	dir := t.TempDir()
	app := cdk.NewApp(cdk.AppProps{})
	tools := cdk.NewStack(app, "Tools", cdk.StackProps{})
	cdk.NewCfnResource(tools, "Topic", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	net := cdk.NewStack(app, "Net", cdk.StackProps{Env: cdk.Environment{Account: "111122223333", Region: "eu-west-1"}})
	vpc := cdk.NewCfnResource(net, "Vpc", cdk.CfnResourceProps{Type: "AWS::EC2::VPC", Properties: map[string]any{"CidrBlock": "10.0.0.0/16"}})
	st := cdk.NewStack(app, "App", cdk.StackProps{Env: cdk.Environment{Account: "111122223333", Region: "eu-west-1"}, Tags: map[string]string{"team": "a"}})
	sg := cdk.NewCfnResource(st, "Sg", cdk.CfnResourceProps{Type: "AWS::EC2::SecurityGroup", Properties: map[string]any{"GroupDescription": "d", "VpcId": vpc.Ref()}})
	edge := cdk.NewStack(app, "Edge", cdk.StackProps{Env: cdk.Environment{Account: "111122223333", Region: "eu-west-1"}})
	cdk.NewCfnResource(edge, "Rule", cdk.CfnResourceProps{Type: "AWS::EC2::SecurityGroupIngress", Properties: map[string]any{"GroupId": sg.GetAttString("GroupId"), "IpProtocol": "-1"}})
	if _, err := app.Synth(cdk.WithOutdir(dir)); err != nil {
		t.Fatal(err)
	}
	asm, err := assembly.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	return asm
}

func names(stacks []*assembly.Stack) []string {
	var out []string
	for _, s := range stacks {
		out = append(out, s.DisplayName)
	}
	return out
}

func TestRead(t *testing.T) {
	t.Parallel()
	asm := threeStacks(t)
	if diff := cmp.Diff([]string{"Tools", "Net", "App", "Edge"}, asm.Names()); diff != "" {
		t.Errorf("Names() (-want +got):\n%s", diff)
	}
	s := asm.ByID("App")
	if s.Account() != "111122223333" || s.Region() != "eu-west-1" || s.StackName != "App" || s.Tags["team"] != "a" {
		t.Errorf("App: account %q region %q name %q tags %v", s.Account(), s.Region(), s.StackName, s.Tags)
	}
	if diff := cmp.Diff([]string{"Net"}, s.Dependencies); diff != "" {
		t.Errorf("App.Dependencies (-want +got):\n%s", diff)
	}
	if s.LogicalIDs["App/Sg"] != "Sg" || s.Template["Resources"] == nil || s.Assets == nil || len(s.Assets.Files) != 1 || s.RequiresBootstrapVersion != 6 {
		t.Errorf("App: logical IDs %v, assets %+v, bootstrap %d", s.LogicalIDs, s.Assets, s.RequiresBootstrapVersion)
	}
	if tools := asm.ByID("Tools"); tools.Account() != "" || tools.Region() != "" {
		t.Errorf("an environment-agnostic stack has account %q region %q", tools.Account(), tools.Region())
	}
	if asm.TreeFile == "" {
		t.Error("no tree.json")
	}
}

func TestReadFailsWithoutManifest(t *testing.T) {
	t.Parallel()
	if _, err := assembly.Read(t.TempDir()); !errors.Is(err, assembly.ErrNoAssembly) {
		t.Errorf("Read(empty) error = %v, want ErrNoAssembly", err)
	}
}

func TestSelect(t *testing.T) {
	t.Parallel()
	asm := threeStacks(t)
	tests := []struct {
		name     string
		patterns []string
		extend   assembly.Extend
		want     []string
	}{
		{"no pattern selects every stack in dependency order", nil, assembly.ExtendNone, []string{"Tools", "Net", "App", "Edge"}},
		{"a name selects only that stack", []string{"App"}, assembly.ExtendNone, []string{"App"}},
		{"upstream adds what a stack depends on", []string{"Edge"}, assembly.ExtendUpstream, []string{"Net", "App", "Edge"}},
		{"downstream adds what depends on a stack", []string{"Net"}, assembly.ExtendDownstream, []string{"Net", "App", "Edge"}},
		{"globs match", []string{"*e*"}, assembly.ExtendNone, []string{"Net", "Edge"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := asm.Select(tc.patterns, tc.extend)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, names(got)); diff != "" {
				t.Errorf("Select(%v) (-want +got):\n%s", tc.patterns, diff)
			}
		})
	}
	_, err := asm.Select([]string{"Nope"}, assembly.ExtendNone)
	var ue *assembly.UnknownStackError
	if !errors.As(err, &ue) || err.Error() != `no stack matches "Nope"; the app's stacks are: Tools, Net, App, Edge` {
		t.Errorf("Select(Nope) error = %v", err)
	}
}

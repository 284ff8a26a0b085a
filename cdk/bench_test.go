package cdk_test

import (
	"fmt"
	"testing"

	"github.com/eksforge/eksforge/cdk"
)

// buildLarge adds stacks with n resources in total, each referencing two
// earlier ones (2n references). With crossStack, the resources are split
// over two stacks and every second reference crosses between them.
func buildLarge(n int, crossStack bool) *cdk.App {
	app := cdk.NewApp(cdk.AppProps{})
	a := cdk.NewStack(app, "A", cdk.StackProps{Tags: map[string]string{"team": "bench"}})
	b := a
	if crossStack {
		b = cdk.NewStack(app, "B", cdk.StackProps{})
	}
	var prev []*cdk.CfnResource
	for i := 0; i < n; i++ {
		stack := a
		if i >= n/2 {
			stack = b
		}
		gid := fmt.Sprintf("Group%d", i/10)
		group := stack.Node().TryFindChild(gid)
		if group == nil {
			group = cdk.NewConstruct(stack, gid)
		}
		props := map[string]any{"Index": i, "Name": fmt.Sprintf("resource-%d", i)}
		if len(prev) >= 2 {
			props["First"] = prev[len(prev)-1].Ref()
			props["Second"] = "arn:" + prev[i/2].GetAttString("Arn") + "/x"
		}
		r := cdk.NewCfnResource(group, fmt.Sprintf("R%d", i), cdk.CfnResourceProps{Type: "AWS::SQS::Queue", Tagging: cdk.TagFormatStandard, Properties: props})
		prev = append(prev, r)
	}
	return app
}

// BenchmarkSynth1000Resources2000References measures the target:
// synthesis (prepare, validate, render, serialise) of a stack with 1,000
// resources and 2,000 references, in memory.
func BenchmarkSynth1000Resources2000References(b *testing.B) {
	for _, cross := range []bool{false, true} {
		name := "one-stack"
		if cross {
			name = "two-stacks"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				app := buildLarge(1000, cross)
				if _, err := app.Synth(cdk.InMemory()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSynthWrite1000Resources includes writing the cloud assembly.
func BenchmarkSynthWrite1000Resources(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		app := buildLarge(1000, true)
		if _, err := app.Synth(cdk.WithOutdir(b.TempDir())); err != nil {
			b.Fatal(err)
		}
	}
}

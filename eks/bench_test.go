package eks_test

import (
	"fmt"
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

// BenchmarkSynthHelloEks synthesizes the hello-eks example (a cluster with
// its VPC and default node group) in memory.
func BenchmarkSynthHelloEks(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		app := cdk.NewApp(cdk.AppProps{})
		stack := cdk.NewStack(app, "HelloEks", cdk.StackProps{})
		eks.NewCluster(stack, "hello-eks", eks.ClusterProps{Version: eks.V1_34})
		if _, err := app.Synth(cdk.InMemory()); err != nil {
			b.Fatal(err)
		}
	}
}

// buildManyClusters defines 3 clusters with 20 node groups each in one
// stack (testdata/bench/many.js is the same app for aws-cdk-lib).
func buildManyClusters(app *cdk.App) {
	stack := cdk.NewStack(app, "ManyClusters", cdk.StackProps{})
	for c := 0; c < 3; c++ {
		cluster := eks.NewCluster(stack, fmt.Sprintf("Cluster%d", c), eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
		for n := 0; n < 20; n++ {
			cluster.AddNodegroupCapacity(fmt.Sprintf("ng%d", n), eks.NodegroupOptions{
				InstanceTypes: []ec2.InstanceType{ec2.InstanceTypeOf("m5.large")},
				MinSize:       cdk.Ptr(1),
				MaxSize:       cdk.Ptr(3),
				Labels:        map[string]string{"group": fmt.Sprint(n)},
			})
		}
	}
}

// BenchmarkSynth3Clusters20Nodegroups synthesizes 3 clusters × 20 managed
// node groups in one stack, in memory.
func BenchmarkSynth3Clusters20Nodegroups(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		app := cdk.NewApp(cdk.AppProps{})
		buildManyClusters(app)
		if _, err := app.Synth(cdk.InMemory()); err != nil {
			b.Fatal(err)
		}
	}
}

func TestManyClustersSynthesize(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	buildManyClusters(app)
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	tmpl := asm.Stacks[0].Template()
	if n := len(resourcesOfType(tmpl, "AWS::EKS::Nodegroup")); n != 60 {
		t.Errorf("%d node groups, want 60", n)
	}
}

package graph_test

import (
	"bytes"
	"encoding/xml"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/assembly"
	"github.com/eksforge/eksforge/internal/graph"
)

func build(t *testing.T) *graph.Graph {
	t.Helper()
	dir := t.TempDir()
	app := cdk.NewApp(cdk.AppProps{})
	net := cdk.NewStack(app, "Net", cdk.StackProps{})
	vpc := cdk.NewCfnResource(net, "Vpc", cdk.CfnResourceProps{Type: "AWS::EC2::VPC", Properties: map[string]any{"CidrBlock": "10.0.0.0/16"}})
	st := cdk.NewStack(app, "App", cdk.StackProps{})
	cluster := cdk.NewConstruct(st, "Cluster")
	c := cdk.NewCfnResource(cluster, "Resource", cdk.CfnResourceProps{Type: "AWS::EKS::Cluster", Properties: map[string]any{"ResourcesVpcConfig": map[string]any{"SubnetIds": []any{vpc.Ref()}}}})
	ng := cdk.NewConstruct(cluster, "Workers")
	n := cdk.NewCfnResource(ng, "Resource", cdk.CfnResourceProps{Type: "AWS::EKS::Nodegroup", Properties: map[string]any{"ClusterName": c.Ref()}})
	fp := cdk.NewCfnResource(cluster, "Fargate", cdk.CfnResourceProps{Type: "AWS::EKS::FargateProfile", Properties: map[string]any{"ClusterName": cdk.Fn.Sub("${Name}", map[string]string{"Name": c.Ref()})}})
	fp.AddDependency(n)
	if _, err := app.Synth(cdk.WithOutdir(dir)); err != nil {
		t.Fatal(err)
	}
	asm, err := assembly.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(asm, nil)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestBuild(t *testing.T) {
	t.Parallel()
	g := build(t)
	var nodes []string
	for _, n := range g.Nodes {
		nodes = append(nodes, n.ID+" path="+n.Path+" group="+n.Group+" kind="+string(n.Kind))
	}
	want := []string{
		"Net/Vpc path=Vpc group= kind=",
		"App/ClusterEB0386A7 path=Cluster group=Cluster kind=cluster",
		"App/ClusterFargate2B6FD05C path=Cluster/Fargate group=Cluster kind=fargate-profile",
		"App/ClusterWorkersF37C5F76 path=Cluster/Workers group=Cluster kind=nodegroup",
	}
	sort.Strings(nodes)
	sort.Strings(want)
	if diff := cmp.Diff(want, nodes); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
	var edges []string
	for _, e := range g.Edges {
		edges = append(edges, e.From+" -> "+e.To+" "+e.Via)
	}
	wantEdges := []string{
		"App/ClusterEB0386A7 -> App/ClusterFargate2B6FD05C Ref",
		"App/ClusterEB0386A7 -> App/ClusterWorkersF37C5F76 Ref",
		"App/ClusterWorkersF37C5F76 -> App/ClusterFargate2B6FD05C DependsOn",
		"Net/Vpc -> App/ClusterEB0386A7 ImportValue",
	}
	if diff := cmp.Diff(wantEdges, edges); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}
	var tree []string
	for _, l := range g.Tree {
		tree = append(tree, strings.Repeat("  ", l.Depth)+l.ID+" "+l.Type+" "+string(l.Kind))
	}
	wantTree := []string{
		"Net  ",
		"  Vpc AWS::EC2::VPC ",
		"App  ",
		"  Cluster  ",
		"    Resource AWS::EKS::Cluster cluster",
		"    Workers  ",
		"      Resource AWS::EKS::Nodegroup nodegroup",
		"    Fargate AWS::EKS::FargateProfile fargate-profile",
	}
	if diff := cmp.Diff(wantTree, tree); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][2]string{{"App", "Net"}}, g.StackDependencies); diff != "" {
		t.Errorf("stack dependencies (-want +got):\n%s", diff)
	}
}

func TestWriteDOTNestsConstructGroups(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := graph.WriteDOT(&b, build(t)); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		`label="stack App";`,
		`label="Cluster";`,
		`"App/ClusterEB0386A7" [label="Cluster\nAWS::EKS::Cluster", tooltip="App/Cluster (ClusterEB0386A7)", fillcolor="#ffd8a8", penwidth=3];`,
		`"App/ClusterWorkersF37C5F76" [label="Workers\nAWS::EKS::Nodegroup"`,
		`ltail=cluster_0, lhead=cluster_1, style=dashed, penwidth=2, label="1 export", tooltip="Fn::ImportValue Net:ExportsOutputRefVpc`,
	} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("DOT lacks %s:\n%s", w, b.String())
		}
	}
}

func TestWriteSVGIsWellFormedAndLayered(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := graph.WriteSVG(&b, build(t)); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Groups []struct {
			ID    string `xml:"id,attr"`
			Class string `xml:"class,attr"`
			Rects []struct {
				Y float64 `xml:"y,attr"`
			} `xml:"rect"`
		} `xml:"g"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not well-formed: %v", err)
	}
	y := map[string]float64{}
	for _, g := range doc.Groups {
		if g.Class == "node" {
			y[g.ID] = g.Rects[0].Y
		}
	}
	// Each resource is drawn below what it depends on.
	order := []string{"Net/Vpc", "App/ClusterEB0386A7", "App/ClusterWorkersF37C5F76", "App/ClusterFargate2B6FD05C"}
	for i := 1; i < len(order); i++ {
		if !(y[order[i-1]] < y[order[i]]) {
			t.Errorf("%s (y=%v) is not above %s (y=%v)", order[i-1], y[order[i-1]], order[i], y[order[i]])
		}
	}
}

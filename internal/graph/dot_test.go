package graph_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/graph/formats/dot"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/assembly"
	"github.com/eksforge/eksforge/internal/graph"
)

var update = flag.Bool("update", false, "rewrite the golden DOT files in testdata/")

// twoStacks synthesizes an app of two stacks joined by references: the
// Platform stack's cluster and security group use the Network stack's VPC
// and subnets (exports and Fn::ImportValue made by the library), and,
// inside Platform, constructs joined by several dependencies each.
func twoStacks(t *testing.T) *graph.Graph {
	t.Helper()
	dir := t.TempDir()
	app := cdk.NewApp(cdk.AppProps{})
	res := func(scope cdk.Construct, id, typ string, props map[string]any) *cdk.CfnResource {
		return cdk.NewCfnResource(scope, id, cdk.CfnResourceProps{Type: typ, Properties: props})
	}

	net := cdk.NewStack(app, "Network", cdk.StackProps{})
	vpcC := cdk.NewConstruct(net, "SharedVpc")
	vpc := res(vpcC, "Resource", "AWS::EC2::VPC", map[string]any{"CidrBlock": "10.0.0.0/16"})
	var subnets []any
	for _, id := range []string{"PrivateSubnet1", "PrivateSubnet2"} {
		sc := cdk.NewConstruct(vpcC, id)
		s := res(sc, "Subnet", "AWS::EC2::Subnet", map[string]any{"VpcId": vpc.Ref(), "CidrBlock": "10.0.0.0/24"})
		rt := res(sc, "RouteTable", "AWS::EC2::RouteTable", map[string]any{"VpcId": vpc.Ref()})
		res(sc, "RouteTableAssociation", "AWS::EC2::SubnetRouteTableAssociation", map[string]any{"SubnetId": s.Ref(), "RouteTableId": rt.Ref()})
		subnets = append(subnets, s.Ref())
	}

	plat := cdk.NewStack(app, "Platform", cdk.StackProps{})
	cluster := cdk.NewConstruct(plat, "ProductionCluster")
	role := res(cdk.NewConstruct(cluster, "ServiceRole"), "Resource", "AWS::IAM::Role", map[string]any{"AssumeRolePolicyDocument": map[string]any{}})
	sg := res(cdk.NewConstruct(cluster, "ControlPlaneSecurityGroup"), "Resource", "AWS::EC2::SecurityGroup", map[string]any{"GroupDescription": "control plane", "VpcId": vpc.Ref()})
	c := res(cluster, "Resource", "AWS::EKS::Cluster", map[string]any{
		"RoleArn":            role.GetAttString("Arn"),
		"ResourcesVpcConfig": map[string]any{"SubnetIds": subnets, "SecurityGroupIds": []any{sg.GetAttString("GroupId")}},
	})
	ng := cdk.NewConstruct(cluster, "NodegroupDefaultCapacity")
	ngRole := res(cdk.NewConstruct(ng, "NodeGroupRole"), "Resource", "AWS::IAM::Role", map[string]any{"AssumeRolePolicyDocument": map[string]any{}})
	nodes := res(ng, "Resource", "AWS::EKS::Nodegroup", map[string]any{"ClusterName": c.Ref(), "NodeRole": ngRole.GetAttString("Arn"), "Subnets": subnets})
	provider := cdk.NewConstruct(cdk.NewConstruct(cluster, "KubectlProvider"), "Handler")
	handlerRole := res(cdk.NewConstruct(provider, "ServiceRole"), "Resource", "AWS::IAM::Role", map[string]any{"AssumeRolePolicyDocument": map[string]any{}})
	handler := res(provider, "Resource", "AWS::Lambda::Function", map[string]any{"Role": handlerRole.GetAttString("Arn"), "Runtime": "provided.al2023"})
	m := res(cdk.NewConstruct(cluster, "manifest-app"), "Resource", "Custom::AWSCDK-EKS-KubernetesResource", map[string]any{
		"ServiceToken": handler.GetAttString("Arn"), "RoleArn": handlerRole.GetAttString("Arn"), "ClusterName": c.Ref(),
	})
	m.AddDependency(nodes)
	// A resource alone below a long construct path: its label is cut at "/".
	agent := cdk.NewConstruct(cdk.NewConstruct(cdk.NewConstruct(plat, "ObservabilityAddons"), "CloudWatchContainerInsights"), "AgentServiceAccountRole")
	res(agent, "Resource", "AWS::IAM::Role", map[string]any{"AssumeRolePolicyDocument": map[string]any{"Condition": c.GetAttString("OpenIdConnectIssuerUrl")}})
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

func TestBundlesAndStackLinks(t *testing.T) {
	t.Parallel()
	g := twoStacks(t)
	end := func(e graph.End) string {
		switch {
		case e.Node != "":
			return e.Node
		case e.Group != "":
			return "[" + e.Stack + "/" + e.Group + "]"
		}
		return "[" + e.Stack + "]"
	}
	var bundles []string
	total := 0
	for _, b := range g.Bundles {
		bundles = append(bundles, fmt.Sprintf("%s -> %s x%d", end(b.From), end(b.To), len(b.Edges)))
		total += len(b.Edges)
	}
	if total != len(g.Edges) {
		t.Errorf("the bundles hold %d edges, the graph has %d", total, len(g.Edges))
	}
	want := []string{
		// the VPC is referenced by both resources of each subnet construct: one bundle each
		"Network/SharedVpc96F0F614 -> [Network/SharedVpc/PrivateSubnet1] x2",
		"Network/SharedVpc96F0F614 -> [Network/SharedVpc/PrivateSubnet2] x2",
		// the cluster uses Network's VPC (security group) and subnets (cluster, node group): the stacks
		"[Network] -> [Platform] x5",
		// inside a subnet construct, resource to resource
		"Network/SharedVpcPrivateSubnet1RouteTable95804E66 -> Network/SharedVpcPrivateSubnet1RouteTableAssociation194DD2E8 x1",
		"Network/SharedVpcPrivateSubnet1Subnet573627CE -> Network/SharedVpcPrivateSubnet1RouteTableAssociation194DD2E8 x1",
		"Network/SharedVpcPrivateSubnet2RouteTable4B78BB35 -> Network/SharedVpcPrivateSubnet2RouteTableAssociation6085D249 x1",
		"Network/SharedVpcPrivateSubnet2SubnetD5DD3CBC -> Network/SharedVpcPrivateSubnet2RouteTableAssociation6085D249 x1",
		// the cluster resource into the node group construct (its role is not involved)
		// from inside the cluster construct to a resource outside it: from the box
		"[Platform/ProductionCluster] -> Platform/ObservabilityAddonsCloudWatchContainerInsightsAgentServiceAccountRole4D69E7E1 x1",
		"Platform/ProductionCluster0525040D -> [Platform/ProductionCluster/NodegroupDefaultCapacity] x1",
		"Platform/ProductionCluster0525040D -> Platform/ProductionClustermanifestapp6D8F1C81 x1",
		"Platform/ProductionClusterControlPlaneSecurityGroup451DB4CA -> Platform/ProductionCluster0525040D x1",
		// the kubectl provider's function and role, into the manifest: one bundle of two
		"[Platform/ProductionCluster/KubectlProvider/Handler] -> Platform/ProductionClustermanifestapp6D8F1C81 x2",
		"Platform/ProductionClusterKubectlProviderHandlerServiceRoleAFD521CC -> Platform/ProductionClusterKubectlProviderHandlerD6459BAB x1",
		"[Platform/ProductionCluster/NodegroupDefaultCapacity] -> Platform/ProductionClustermanifestapp6D8F1C81 x1",
		"Platform/ProductionClusterNodegroupDefaultCapacityNodeGroupRole97B33936 -> Platform/ProductionClusterNodegroupDefaultCapacityB202E861 x1",
		"Platform/ProductionClusterServiceRoleAD818505 -> Platform/ProductionCluster0525040D x1",
	}
	if diff := cmp.Diff(want, bundles); diff != "" {
		t.Errorf("bundles (-want +got):\n%s", diff)
	}
	var groups []string
	for _, gr := range g.Groups {
		groups = append(groups, gr.Stack+"/"+gr.Path)
	}
	// KubectlProvider holds only Handler: one box.
	wantGroups := []string{"Network/SharedVpc", "Network/SharedVpc/PrivateSubnet1", "Network/SharedVpc/PrivateSubnet2",
		"Platform/ProductionCluster", "Platform/ProductionCluster/KubectlProvider/Handler", "Platform/ProductionCluster/NodegroupDefaultCapacity"}
	if diff := cmp.Diff(wantGroups, groups); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if len(g.StackLinks) != 1 || g.StackLinks[0].From != "Network" || g.StackLinks[0].To != "Platform" || len(g.StackLinks[0].Exports) != 3 {
		t.Errorf("stack links %+v: want Network -> Platform with 3 exports (VPC and two subnets)", g.StackLinks)
	}
}

// TestWriteDOTGolden compares the DOT of the two-stack app with
// testdata/two-stacks.dot (go test ./internal/graph -run TestWriteDOTGolden
// -update rewrites it) and parses it with gonum's DOT parser.
func TestWriteDOTGolden(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := graph.WriteDOT(&b, twoStacks(t)); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join("testdata", "two-stacks.dot")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("DOT differs from %s (-want +got):\n%s", file, diff)
	}
	f, err := dot.ParseString(b.String())
	if err != nil {
		t.Fatalf("not valid DOT: %v", err)
	}
	if len(f.Graphs) != 1 || !f.Graphs[0].Directed {
		t.Fatalf("want one digraph, got %d graphs", len(f.Graphs))
	}
}

// TestWriteSVGDrawsBundlesAndCutsLabels draws the two-stack app: one arrow
// per bundle with its count, and long paths on several lines cut at "/".
func TestWriteSVGDrawsBundlesAndCutsLabels(t *testing.T) {
	t.Parallel()
	g := twoStacks(t)
	var b bytes.Buffer
	if err := graph.WriteSVG(&b, g); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths []struct {
			Class string `xml:"class,attr"`
			From  string `xml:"data-from,attr"`
			To    string `xml:"data-to,attr"`
			Count int    `xml:"data-count,attr"`
		} `xml:"path"`
		Groups []struct {
			ID    string   `xml:"id,attr"`
			Texts []string `xml:"text"`
		} `xml:"g"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not well-formed: %v", err)
	}
	edges := map[string]int{}
	for _, p := range doc.Paths {
		if p.Class == "edge" {
			edges[p.From+" -> "+p.To] = p.Count
		}
	}
	if len(edges) != len(g.Bundles) {
		t.Errorf("%d arrows, want one per bundle (%d): %v", len(edges), len(g.Bundles), edges)
	}
	for k, n := range map[string]int{
		"Platform/ProductionCluster/KubectlProvider/Handler -> Platform/ProductionClustermanifestapp6D8F1C81": 2,
		"Network -> Platform": 5,
	} {
		if edges[k] != n {
			t.Errorf("arrow %s counts %d, want %d", k, edges[k], n)
		}
	}
	for _, gr := range doc.Groups {
		if gr.ID == "Platform/ObservabilityAddonsCloudWatchContainerInsightsAgentServiceAccountRole4D69E7E1" {
			if diff := cmp.Diff([]string{"ObservabilityAddons/", "CloudWatchContainerInsights/", "AgentServiceAccountRole", "AWS::IAM::Role"}, gr.Texts); diff != "" {
				t.Errorf("node text (-want +got):\n%s", diff)
			}
		}
	}
}

// Package graph turns a cloud assembly into a picture of the app: the
// construct tree (tree.json), one node per CloudFormation resource, grouped
// by stack and construct, and one edge per dependency between resources
// (DependsOn, Ref, Fn::GetAtt, Fn::Sub, and Fn::ImportValue across stacks). EKS clusters, node groups, Fargate
// profiles, Kubernetes manifests and Helm charts are marked so renderers
// can emphasise them.
//
// [Build] makes the model; [WriteDOT] writes Graphviz input and [WriteSVG]
// draws the graph itself with a simple layered layout (no Graphviz
// needed). It is used by `eksforge graph`; it is not a general graph
// library.
package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/internal/assembly"
	"github.com/eksforge/eksforge/internal/cfndiff"
)

// Kind marks the resources a reader of an EKS app looks for first.
type Kind string

// Kinds of emphasised resources; "" is any other resource.
const (
	KindCluster        Kind = "cluster"
	KindNodegroup      Kind = "nodegroup"
	KindFargateProfile Kind = "fargate-profile"
	KindManifest       Kind = "manifest"
	KindChart          Kind = "chart"
)

// Graph is the app as nodes and edges.
type Graph struct {
	// Stacks are the stacks drawn, in dependency order (display names).
	Stacks []string
	// StackDependencies are the stack-level dependencies, [dependent,
	// dependency] pairs of display names.
	StackDependencies [][2]string
	// Nodes are the resources, by stack then template order of logical
	// IDs (sorted).
	Nodes []*Node
	// Edges run from a dependency to the resource that depends on it.
	Edges []Edge
	// Tree is the construct tree of the stacks (from tree.json), without
	// template elements other than resources; empty when the assembly has
	// no tree.
	Tree []TreeLine
}

// Node is one resource.
type Node struct {
	// ID is unique in the graph: "Stack/LogicalID".
	ID string
	// Stack is the stack's display name.
	Stack string
	// LogicalID and Type are the resource's.
	LogicalID, Type string
	// Path is the construct path below the stack ("Cluster/Nodegroup"), the
	// trailing "/Resource" of L2 constructs left out; the logical ID when
	// the resource has no construct path.
	Path string
	// Group is the construct path of the resource's parent construct below
	// the stack ("" at the stack's top level).
	Group string
	// Kind is the emphasis, or "".
	Kind Kind
}

// Edge is a dependency: To depends on From.
type Edge struct {
	// From and To are node IDs.
	From, To string
	// Via is how: "DependsOn", "Ref", "GetAtt", "Sub" or "ImportValue".
	Via string
}

// TreeLine is one construct of the construct tree, in depth-first order.
type TreeLine struct {
	// Depth is 0 for a stack, 1 for its children, ...
	Depth int
	// ID is the construct's id; Path its full construct path.
	ID, Path string
	// FQN is the construct's type ("github.com/eksforge/eksforge/eks.Cluster").
	FQN string
	// Type is the CloudFormation type of a resource construct, or "".
	Type string
	// Kind is the emphasis, or "".
	Kind Kind
}

// treeNode is a node of tree.json, its children in file order.
type treeNode struct {
	ID            string         `json:"id"`
	Path          string         `json:"path"`
	Children      children       `json:"children"`
	Attributes    map[string]any `json:"attributes"`
	ConstructInfo struct {
		FQN string `json:"fqn"`
	} `json:"constructInfo"`
}

// children keeps the order of tree.json's "children" object, which is the
// order constructs were added.
type children []*treeNode

func (c *children) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return err
	}
	for dec.More() {
		if _, err := dec.Token(); err != nil { // the key (the child's id)
			return err
		}
		var n treeNode
		if err := dec.Decode(&n); err != nil {
			return err
		}
		*c = append(*c, &n)
	}
	return nil
}

// elementTypes are constructs that are not drawn in the tree: template
// elements other than resources.
var elementTypes = []string{".CfnOutput", ".CfnParameter", ".CfnCondition", ".CfnMapping", ".CfnRule"}

// readTree reads tree.json: the constructs' types by path, and the tree
// lines of the stacks named (by display name, which is their path).
func readTree(asm *assembly.Assembly, stacks map[string]bool) (map[string]string, []TreeLine, error) {
	fqn := map[string]string{}
	if asm.TreeFile == "" {
		return fqn, nil, nil
	}
	body, err := os.ReadFile(asm.TreeFile)
	if err != nil {
		return nil, nil, fmt.Errorf("unable to read the construct tree: %w", err)
	}
	var t struct {
		Tree *treeNode `json:"tree"`
	}
	if err := json.Unmarshal(body, &t); err != nil {
		return nil, nil, fmt.Errorf("unable to read %s: %w", asm.TreeFile, err)
	}
	var lines []TreeLine
	var walk func(n *treeNode, depth int)
	walk = func(n *treeNode, depth int) {
		if n == nil {
			return
		}
		fqn[n.Path] = n.ConstructInfo.FQN
		if depth < 0 && stacks[n.Path] {
			depth = 0
		}
		if depth >= 0 {
			for _, e := range elementTypes {
				if strings.HasSuffix(n.ConstructInfo.FQN, e) {
					return
				}
			}
			typ, _ := n.Attributes["aws:cdk:cloudformation:type"].(string)
			lines = append(lines, TreeLine{Depth: depth, ID: n.ID, Path: n.Path, FQN: n.ConstructInfo.FQN, Type: typ, Kind: kindOf(typ, n.ConstructInfo.FQN)})
			depth++
		}
		for _, c := range n.Children {
			walk(c, depth)
		}
	}
	walk(t.Tree, -1)
	// Groups left empty (Exports, which holds only outputs) are dropped.
	for changed := true; changed; {
		changed = false
		for i := 0; i < len(lines); i++ {
			l := lines[i]
			if l.Depth > 0 && l.Type == "" && (i+1 == len(lines) || lines[i+1].Depth <= l.Depth) {
				lines = append(lines[:i], lines[i+1:]...)
				changed = true
				i--
			}
		}
	}
	return fqn, lines, nil
}

// Build makes the graph of the stacks (all of the assembly's when nil).
func Build(asm *assembly.Assembly, stacks []*assembly.Stack) (*Graph, error) {
	if stacks == nil {
		var err error
		if stacks, err = asm.Ordered(); err != nil {
			return nil, err
		}
	}
	g := &Graph{}
	chosen := map[string]bool{}
	byPath := map[string]bool{}
	exports := map[string]string{} // export name -> producing node ID
	for _, s := range stacks {
		chosen[s.ID] = true
		byPath[s.DisplayName] = true
		g.Stacks = append(g.Stacks, s.DisplayName)
	}
	fqns, tree, err := readTree(asm, byPath)
	if err != nil {
		return nil, err
	}
	g.Tree = tree
	for _, s := range stacks {
		for _, d := range s.Dependencies {
			if ds := asm.ByID(d); ds != nil && chosen[d] {
				g.StackDependencies = append(g.StackDependencies, [2]string{s.DisplayName, ds.DisplayName})
			}
		}
		res, _ := s.Template["Resources"].(map[string]any)
		for _, id := range sortedKeys(res) {
			r, _ := res[id].(map[string]any)
			typ, _ := r["Type"].(string)
			md, _ := r["Metadata"].(map[string]any)
			full, _ := md["aws:cdk:path"].(string)
			n := &Node{ID: s.DisplayName + "/" + id, Stack: s.DisplayName, LogicalID: id, Type: typ, Path: id}
			if rel, ok := strings.CutPrefix(full, s.DisplayName+"/"); ok {
				n.Path = strings.TrimSuffix(rel, "/Resource")
				if i := strings.LastIndex(rel, "/"); i >= 0 {
					n.Group = rel[:i]
				}
				if n.Group == n.Path {
					// an L2's Resource: its group is the L2's parent
					n.Group = ""
					if i := strings.LastIndex(n.Path, "/"); i >= 0 {
						n.Group = n.Path[:i]
					}
				}
			}
			n.Kind = kindOf(typ, fqns[full], fqns[strings.TrimSuffix(full, "/Resource")])
			g.Nodes = append(g.Nodes, n)
		}
		outs, _ := s.Template["Outputs"].(map[string]any)
		for _, k := range sortedKeys(outs) {
			o, _ := outs[k].(map[string]any)
			exp, _ := o["Export"].(map[string]any)
			name, ok := exp["Name"].(string)
			if !ok {
				continue
			}
			for _, ref := range cfndiff.References(o["Value"]) {
				if _, isRes := res[ref.Target]; isRes {
					exports[name] = s.DisplayName + "/" + ref.Target
				}
			}
		}
	}
	seen := map[Edge]bool{}
	add := func(e Edge) {
		if e.From == e.To || seen[e] {
			return
		}
		seen[e] = true
		g.Edges = append(g.Edges, e)
	}
	for _, s := range stacks {
		res, _ := s.Template["Resources"].(map[string]any)
		for _, id := range sortedKeys(res) {
			r, _ := res[id].(map[string]any)
			to := s.DisplayName + "/" + id
			switch d := r["DependsOn"].(type) {
			case string:
				add(Edge{From: s.DisplayName + "/" + d, To: to, Via: "DependsOn"})
			case []any:
				for _, x := range d {
					if name, ok := x.(string); ok {
						add(Edge{From: s.DisplayName + "/" + name, To: to, Via: "DependsOn"})
					}
				}
			}
			for _, ref := range cfndiff.References(r["Properties"]) {
				switch {
				case ref.Via == "ImportValue":
					if from, ok := exports[ref.Target]; ok {
						add(Edge{From: from, To: to, Via: "ImportValue"})
					}
				default:
					if _, ok := res[ref.Target]; ok {
						add(Edge{From: s.DisplayName + "/" + ref.Target, To: to, Via: ref.Via})
					}
				}
			}
		}
	}
	sort.SliceStable(g.Edges, func(i, j int) bool {
		if g.Edges[i].From != g.Edges[j].From {
			return g.Edges[i].From < g.Edges[j].From
		}
		return g.Edges[i].To < g.Edges[j].To
	})
	return g, nil
}

func kindOf(typ string, fqns ...string) Kind {
	switch typ {
	case "AWS::EKS::Cluster", "Custom::AWSCDK-EKS-Cluster":
		return KindCluster
	case "AWS::EKS::Nodegroup":
		return KindNodegroup
	case "AWS::EKS::FargateProfile", "Custom::AWSCDK-EKS-FargateProfile":
		return KindFargateProfile
	}
	low := strings.ToLower(typ)
	switch {
	case strings.Contains(low, "helmchart"):
		return KindChart
	case strings.Contains(low, "kubernetesresource"), strings.Contains(low, "kubernetesmanifest"), strings.Contains(low, "kubernetespatch"):
		return KindManifest
	}
	for _, f := range fqns {
		switch {
		case strings.HasSuffix(f, ".HelmChart"):
			return KindChart
		case strings.HasSuffix(f, ".KubernetesManifest"), strings.HasSuffix(f, ".KubernetesPatch"):
			return KindManifest
		}
	}
	return ""
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

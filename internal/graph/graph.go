package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
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
	// canonical and count are the box of a construct and the number of
	// resources it holds, keyed by the construct's segments (stack first).
	canonical func(string) string
	count     map[string]int

	// Tree is the construct tree of the stacks (from tree.json), without
	// template elements other than resources; empty when the assembly has
	// no tree.
	Tree []TreeLine
	// Groups are the constructs drawn as boxes: those holding two resources
	// or more, a chain of constructs holding the same resources drawn once
	// (as its deepest). By stack, then path.
	Groups []Group
	// Bundles are the dependencies between constructs: every edge of
	// Edges in exactly one bundle, in the order of their first edge.
	Bundles []Bundle
	// StackLinks are the stacks that import what another stack exports
	// (Fn::ImportValue of its Export), by exporting then importing stack.
	StackLinks []StackLink
}

// Group is a construct drawn as a box.
type Group struct {
	// Stack is the stack's display name; Path the construct path below it.
	Stack, Path string
}

// End is one end of a [Bundle]: a resource, a construct drawn as a box, or
// a whole stack.
type End struct {
	// Stack is the stack's display name.
	Stack string
	// Node is the resource's node ID when the end is one resource, else "".
	Node string
	// Group is the construct path (a [Group]'s) when the end is a box; ""
	// with Node "" is the whole stack.
	Group string
}

// Bundle is the dependencies between two constructs: the two constructs
// just below the deepest construct that holds both ends of each edge (for
// two resources of different stacks, the stacks).
type Bundle struct {
	// From is what is depended on, To what depends on it.
	From, To End
	// Edges are the resource-level dependencies bundled (one or more).
	Edges []Edge
}

// StackLink is one stack importing values that another exports.
type StackLink struct {
	// From exports, To imports (display names).
	From, To string
	// Exports are the export names imported, sorted.
	Exports []string
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
	// Group is the construct path below the stack of the deepest
	// [Group] (box) that holds the resource ("" at the stack's top level).
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
	exports := map[string]string{}     // export name -> producing node ID
	exportStack := map[string]string{} // export name -> exporting stack
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
			exportStack[name] = s.DisplayName
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
	g.group()
	g.bundle()
	g.StackLinks = stackLinks(stacks, exportStack)
	return g, nil
}

// segments is a node's construct path as segments, its stack first.
func segments(n *Node) []string {
	return append([]string{n.Stack}, strings.Split(n.Path, "/")...)
}

func join(segs []string) string { return strings.Join(segs, "\x00") }

// group finds the constructs drawn as boxes and puts each node in the
// deepest box that holds it (Node.Group).
func (g *Graph) group() {
	count := map[string]int{}     // prefix -> nodes at or below it
	exact := map[string]bool{}    // prefix -> a node is exactly there
	kids := map[string][]string{} // prefix -> its child prefixes holding nodes
	for _, n := range g.Nodes {
		segs := segments(n)
		exact[join(segs)] = true
		for i := 2; i <= len(segs); i++ {
			k := join(segs[:i])
			if count[k] == 0 {
				kids[join(segs[:i-1])] = append(kids[join(segs[:i-1])], k)
			}
			count[k]++
		}
	}
	// A chain of constructs that hold the same resources is one box, the
	// deepest.
	canonical := func(k string) string {
		for !exact[k] && len(kids[k]) == 1 && count[kids[k][0]] == count[k] {
			k = kids[k][0]
		}
		return k
	}
	boxes := map[string]bool{}
	for k, c := range count {
		if c >= 2 {
			boxes[canonical(k)] = true
		}
	}
	g.canonical, g.count = canonical, count
	for k := range boxes {
		segs := strings.Split(k, "\x00")
		g.Groups = append(g.Groups, Group{Stack: segs[0], Path: strings.Join(segs[1:], "/")})
	}
	order := map[string]int{}
	for i, s := range g.Stacks {
		order[s] = i
	}
	sort.Slice(g.Groups, func(i, j int) bool {
		a, b := g.Groups[i], g.Groups[j]
		if a.Stack != b.Stack {
			return order[a.Stack] < order[b.Stack]
		}
		return a.Path < b.Path
	})
	for _, n := range g.Nodes {
		n.Group = ""
		segs := segments(n)
		for i := len(segs); i >= 2; i-- {
			if boxes[join(segs[:i])] {
				n.Group = strings.Join(segs[1:i], "/")
				break
			}
		}
	}
}

// bundle groups the edges by the pair of sibling constructs they join.
func (g *Graph) bundle() {
	byID := map[string]*Node{}
	for _, n := range g.Nodes {
		byID[n.ID] = n
	}
	index := map[[2]End]int{}
	for _, e := range g.Edges {
		from, to := byID[e.From], byID[e.To]
		if from == nil || to == nil {
			continue
		}
		a, b := segments(from), segments(to)
		k := 0
		for k < len(a) && k < len(b) && a[k] == b[k] {
			k++
		}
		key := [2]End{g.end(from, a, k), g.end(to, b, k)}
		i, ok := index[key]
		if !ok {
			i = len(g.Bundles)
			index[key] = i
			g.Bundles = append(g.Bundles, Bundle{From: key[0], To: key[1]})
		}
		g.Bundles[i].Edges = append(g.Bundles[i].Edges, e)
	}
}

// end is the end of a bundle for node n (construct path segs) when the
// deepest construct holding both ends has k segments: the construct just
// below it on n's side, as a resource when it holds one, else as its box.
func (g *Graph) end(n *Node, segs []string, k int) End {
	if k == 0 {
		return End{Stack: n.Stack}
	}
	if k >= len(segs) || g.count[join(segs[:k+1])] == 1 {
		return End{Stack: n.Stack, Node: n.ID}
	}
	box := strings.Split(g.canonical(join(segs[:k+1])), "\x00")
	return End{Stack: n.Stack, Group: strings.Join(box[1:], "/")}
}

// stackLinks finds the stacks that import another stack's exports: in
// their resources' properties, conditions and outputs.
func stackLinks(stacks []*assembly.Stack, exportStack map[string]string) []StackLink {
	var links []StackLink
	for _, s := range stacks {
		names := map[string][]string{} // exporting stack -> export names
		for _, section := range []string{"Resources", "Outputs", "Conditions"} {
			for _, ref := range cfndiff.References(s.Template[section]) {
				from, ok := exportStack[ref.Target]
				if ref.Via != "ImportValue" || !ok || from == s.DisplayName || slices.Contains(names[from], ref.Target) {
					continue
				}
				names[from] = append(names[from], ref.Target)
			}
		}
		for _, from := range sortedKeys(names) {
			sort.Strings(names[from])
			links = append(links, StackLink{From: from, To: s.DisplayName, Exports: names[from]})
		}
	}
	return links
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

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

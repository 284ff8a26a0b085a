package graph

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// style returns the fill color and pen width of a node.
func style(k Kind) (fill string, pen float64) {
	switch k {
	case KindCluster:
		return "#ffd8a8", 3
	case KindNodegroup:
		return "#b2f2bb", 2.5
	case KindFargateProfile:
		return "#a5d8ff", 2.5
	case KindManifest:
		return "#eebefa", 2
	case KindChart:
		return "#ffc9c9", 2
	}
	return "#ffffff", 1
}

// WriteDOT writes the graph as Graphviz input: one cluster per stack and,
// inside it, one per construct that groups resources; edges from each
// dependency to its dependent (dashed across stacks).
func WriteDOT(w io.Writer, g *Graph) error {
	var b strings.Builder
	b.WriteString("digraph eksforge {\n")
	b.WriteString("  rankdir=TB;\n  compound=true;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n")
	for si, stack := range g.Stacks {
		fmt.Fprintf(&b, "  subgraph cluster_%d {\n    label=%s;\n    style=\"rounded\";\n    color=\"#868e96\";\n", si, quote("stack "+stack))
		// Build the construct-group hierarchy of the stack.
		groups := map[string][]*Node{}
		var names []string
		for _, n := range g.Nodes {
			if n.Stack != stack {
				continue
			}
			if _, ok := groups[n.Group]; !ok {
				names = append(names, n.Group)
			}
			groups[n.Group] = append(groups[n.Group], n)
		}
		sort.Strings(names)
		writeGroup(&b, "", groups, names, "    ", fmt.Sprint(si))
		b.WriteString("  }\n")
	}
	nodeStack := map[string]string{}
	for _, n := range g.Nodes {
		nodeStack[n.ID] = n.Stack
	}
	for _, e := range g.Edges {
		attrs := fmt.Sprintf("tooltip=%s", quote(e.Via))
		if nodeStack[e.From] != nodeStack[e.To] {
			attrs += ", style=dashed"
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", quote(e.From), quote(e.To), attrs)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeGroup writes the nodes of group and, as nested clusters, the groups
// directly below it.
func writeGroup(b *strings.Builder, group string, groups map[string][]*Node, names []string, ind, prefix string) {
	for _, n := range groups[group] {
		fill, pen := style(n.Kind)
		label := n.Path + "\\n" + n.Type
		fmt.Fprintf(b, "%s%s [label=%s, fillcolor=%s, penwidth=%g];\n", ind, quote(n.ID), quote(label), quote(fill), pen)
	}
	for i, child := range names {
		if child == group || parentGroup(child, names) != group {
			continue
		}
		fmt.Fprintf(b, "%ssubgraph cluster_%s_%d {\n%s  label=%s;\n%s  style=\"dashed\";\n%s  color=\"#adb5bd\";\n", ind, prefix, i, ind, quote(child), ind, ind)
		writeGroup(b, child, groups, names, ind+"  ", fmt.Sprintf("%s_%d", prefix, i))
		fmt.Fprintf(b, "%s}\n", ind)
	}
}

// parentGroup returns the longest group in names that is a proper prefix
// of g ("" when none).
func parentGroup(g string, names []string) string {
	best := ""
	for _, n := range names {
		if n != "" && n != g && strings.HasPrefix(g, n+"/") && len(n) > len(best) {
			best = n
		}
	}
	return best
}

// quote makes a DOT string literal; "\n" escapes in s are kept.
func quote(s string) string {
	s = strings.ReplaceAll(s, `"`, `\"`)
	return `"` + s + `"`
}

package graph

import (
	"fmt"
	"io"
	"strings"
)

// dotWidth is the longest line, in runes, of a DOT label before it is cut
// at a path segment.
const dotWidth = 28

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
// inside it, one per construct drawn as a box ([Graph.Groups]); labels (the
// path below the enclosing box) cut at path segments; one edge per [Bundle] (from a box's edge when an end is
// a construct, labelled with the number of resource-level dependencies
// when more than one); one bold dashed edge per [StackLink] between stack
// clusters, labelled with the number of exports; and a dotted edge for a
// stack dependency without exports.
func WriteDOT(w io.Writer, g *Graph) error {
	var b strings.Builder
	b.WriteString("digraph eksforge {\n")
	b.WriteString("  rankdir=TB;\n  compound=true;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n")
	// Cluster names and a node inside each box (the end of edges that
	// stop at the box's border).
	cluster := map[End]string{}
	inside := map[End]string{}
	for si, stack := range g.Stacks {
		cluster[End{Stack: stack}] = fmt.Sprintf("cluster_%d", si)
	}
	for gi, gr := range g.Groups {
		cluster[End{Stack: gr.Stack, Group: gr.Path}] = fmt.Sprintf("%s_%d", cluster[End{Stack: gr.Stack}], gi)
	}
	for _, n := range g.Nodes {
		for _, e := range []End{{Stack: n.Stack}, {Stack: n.Stack, Group: n.Group}} {
			if _, ok := inside[e]; !ok {
				inside[e] = n.ID
			}
		}
		for _, gr := range g.Groups {
			if gr.Stack == n.Stack && strings.HasPrefix(n.Group, gr.Path+"/") {
				if e := (End{Stack: gr.Stack, Group: gr.Path}); inside[e] == "" {
					inside[e] = n.ID
				}
			}
		}
	}
	for _, stack := range g.Stacks {
		fmt.Fprintf(&b, "  subgraph %s {\n    label=%s;\n    style=\"rounded\";\n    color=\"#868e96\";\n", cluster[End{Stack: stack}], quote(wrapLabel("stack "+stack)))
		writeGroup(&b, g, stack, "", cluster, "    ")
		b.WriteString("  }\n")
	}
	for _, bu := range g.Bundles {
		if bu.From.Stack != bu.To.Stack {
			continue // drawn as the stacks' link
		}
		from, to := bu.From.Node, bu.To.Node
		var attrs []string
		if from == "" {
			from = inside[bu.From]
			attrs = append(attrs, "ltail="+cluster[bu.From])
		}
		if to == "" {
			to = inside[bu.To]
			attrs = append(attrs, "lhead="+cluster[bu.To])
		}
		if from == "" || to == "" {
			continue
		}
		if len(bu.Edges) > 1 {
			attrs = append(attrs, fmt.Sprintf("label=\"%d\"", len(bu.Edges)), fmt.Sprintf("penwidth=%g", min(1+0.5*float64(len(bu.Edges)-1), 3)))
		}
		var tips []string
		for _, e := range bu.Edges {
			tips = append(tips, e.From+" -> "+e.To+" ("+e.Via+")")
		}
		attrs = append(attrs, "tooltip="+quote(strings.Join(tips, "\\n")))
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", quote(from), quote(to), strings.Join(attrs, ", "))
	}
	linked := map[[2]string]bool{}
	for _, l := range g.StackLinks {
		linked[[2]string{l.From, l.To}] = true
		from, to := inside[End{Stack: l.From}], inside[End{Stack: l.To}]
		if from == "" || to == "" {
			continue
		}
		label := "1 export"
		if len(l.Exports) > 1 {
			label = fmt.Sprintf("%d exports", len(l.Exports))
		}
		fmt.Fprintf(&b, "  %s -> %s [ltail=%s, lhead=%s, style=dashed, penwidth=2, label=%s, tooltip=%s];\n",
			quote(from), quote(to), cluster[End{Stack: l.From}], cluster[End{Stack: l.To}], quote(label), quote("Fn::ImportValue "+strings.Join(l.Exports, "\\n")))
	}
	for _, d := range g.StackDependencies {
		if linked[[2]string{d[1], d[0]}] {
			continue
		}
		from, to := inside[End{Stack: d[1]}], inside[End{Stack: d[0]}]
		if from == "" || to == "" {
			continue
		}
		fmt.Fprintf(&b, "  %s -> %s [ltail=%s, lhead=%s, style=dotted, label=\"depends on\"];\n", quote(from), quote(to), cluster[End{Stack: d[1]}], cluster[End{Stack: d[0]}])
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeGroup writes the nodes of stack in box group ("" for the stack's
// top level) and, as nested clusters, the boxes directly below it.
func writeGroup(b *strings.Builder, g *Graph, stack, group string, cluster map[End]string, ind string) {
	for _, n := range g.Nodes {
		if n.Stack != stack || n.Group != group {
			continue
		}
		fill, pen := style(n.Kind)
		label := wrapLabel(relative(n.Path, group)) + "\\n" + n.Type
		fmt.Fprintf(b, "%s%s [label=%s, tooltip=%s, fillcolor=%s, penwidth=%g];\n", ind, quote(n.ID), quote(label), quote(n.Stack+"/"+n.Path+" ("+n.LogicalID+")"), quote(fill), pen)
	}
	var paths []string
	for _, gr := range g.Groups {
		if gr.Stack == stack {
			paths = append(paths, gr.Path)
		}
	}
	for _, child := range paths {
		if child == group || parentGroup(child, paths) != group {
			continue
		}
		fmt.Fprintf(b, "%ssubgraph %s {\n%s  label=%s;\n%s  style=\"dashed\";\n%s  color=\"#adb5bd\";\n", ind, cluster[End{Stack: stack, Group: child}], ind, quote(wrapLabel(relative(child, group))), ind, ind)
		writeGroup(b, g, stack, child, cluster, ind+"  ")
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

// relative is path below the construct group ("" for the stack); the
// last segment when path is group itself.
func relative(path, group string) string {
	if group == "" {
		return path
	}
	if rel, ok := strings.CutPrefix(path, group+"/"); ok {
		return rel
	}
	return path[strings.LastIndex(path, "/")+1:]
}

// wrapLabel is a construct path cut into DOT label lines ("\n" escapes) at
// path segments.
func wrapLabel(path string) string {
	return strings.Join(wrapPath(path, dotWidth), "\\n")
}

// wrapPath cuts a construct path into lines of at most width runes, after
// a "/": a segment is never cut, so one longer than width has a line of
// its own.
func wrapPath(path string, width int) []string {
	segs := strings.Split(path, "/")
	var lines []string
	cur := ""
	for i, seg := range segs {
		if i < len(segs)-1 {
			seg += "/"
		}
		if cur != "" && runeLen(cur)+runeLen(seg) > width {
			lines = append(lines, cur)
			cur = ""
		}
		cur += seg
	}
	return append(lines, cur)
}

// quote makes a DOT string literal; "\n" escapes in s are kept.
func quote(s string) string {
	s = strings.ReplaceAll(s, `"`, `\"`)
	return `"` + s + `"`
}

package graph

import (
	"fmt"
	"html"
	"io"
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// Layout constants of the SVG drawing, in pixels.
const (
	nodeHeight = 46 // with a one-line path; each more line adds textLine
	textLine   = 14
	layerGap   = 70
	nodeGap    = 24
	margin     = 24
	charWidth  = 6.6 // average width of a 11px sans-serif character
	maxChars   = 40
	headerLine = 18
)

// stackColors tell stacks apart (the node's left bar and the legend).
var stackColors = []string{"#1c7ed6", "#e8590c", "#2f9e44", "#9c36b5", "#c92a2a", "#0c8599", "#5c940d", "#862e9c"}

type placed struct {
	n          *Node
	layer, pos int
	x, y, w    float64
	order      float64
}

// WriteSVG draws the graph as SVG with a layered layout: each resource is
// placed below everything it depends on, nodes in a layer are ordered to
// keep edges short (barycenter sweeps), and edges run from a dependency
// down to its dependents (dashed across stacks). Nodes show the construct
// path and the resource type; EKS resources are filled and outlined
// thicker. A legend names the stacks and their dependencies.
func WriteSVG(w io.Writer, g *Graph) error {
	nodes := map[string]*placed{}
	var list []*placed
	for i, n := range g.Nodes {
		p := &placed{n: n, order: float64(i)}
		nodes[n.ID] = p
		list = append(list, p)
	}
	var edges []Edge
	for _, e := range g.Edges {
		if nodes[e.From] != nil && nodes[e.To] != nil {
			edges = append(edges, e)
		}
	}
	assignLayers(list, nodes, edges)
	maxLayer := 0
	for _, p := range list {
		maxLayer = max(maxLayer, p.layer)
	}
	layers := make([][]*placed, maxLayer+1)
	for _, p := range list {
		layers[p.layer] = append(layers[p.layer], p)
	}
	// An edge spanning several layers runs through a dummy point in each
	// layer between, so it gets its own slot instead of crossing nodes.
	up := map[*placed][]*placed{}   // point -> the points above it
	down := map[*placed][]*placed{} // point -> the points below it
	chains := make([][]*placed, len(edges))
	for i, e := range edges {
		from, to := nodes[e.From], nodes[e.To]
		chain := []*placed{from}
		for l := from.layer + 1; l < to.layer; l++ {
			d := &placed{layer: l, order: from.order, w: 8}
			layers[l] = append(layers[l], d)
			chain = append(chain, d)
		}
		chain = append(chain, to)
		for j := 1; j < len(chain); j++ {
			up[chain[j]] = append(up[chain[j]], chain[j-1])
			down[chain[j-1]] = append(down[chain[j-1]], chain[j])
		}
		chains[i] = chain
	}
	reorder := func(l []*placed, nb map[*placed][]*placed) {
		for _, p := range l {
			if ns := nb[p]; len(ns) > 0 {
				sum := 0.0
				for _, q := range ns {
					sum += float64(q.pos)
				}
				p.order = sum / float64(len(ns))
			} else {
				p.order = float64(p.pos)
			}
		}
		sort.SliceStable(l, func(i, j int) bool { return l[i].order < l[j].order })
		for i, p := range l {
			p.pos = i
		}
	}
	for _, l := range layers {
		sort.SliceStable(l, func(i, j int) bool { return l[i].order < l[j].order })
		for i, p := range l {
			p.pos = i
		}
	}
	for range 6 {
		for i := 1; i < len(layers); i++ {
			reorder(layers[i], up)
		}
		for i := len(layers) - 2; i >= 0; i-- {
			reorder(layers[i], down)
		}
	}

	// Sizes and coordinates. Paths are cut at segments; every node is as
	// tall as the one with the most lines.
	lines := map[*Node][]string{}
	nodeH := float64(nodeHeight)
	for _, p := range list {
		lines[p.n] = wrapPath(p.n.Path, maxChars)
		nodeH = math.Max(nodeH, float64(nodeHeight+textLine*(len(lines[p.n])-1)))
	}
	stackIndex := map[string]int{}
	for i, s := range g.Stacks {
		stackIndex[s] = i
	}
	headerHeight := float64(margin + headerLine*(2+len(g.Stacks)) + headerLine)
	// The construct tree is a column on the left; the graph is right of it.
	treeWidth := 0.0
	for _, l := range g.Tree {
		treeWidth = math.Max(treeWidth, float64(l.Depth)*treeIndent+14+float64(runeLen(l.ID)+2+runeLen(treeNote(l)))*charWidth)
	}
	x0 := 0.0
	if treeWidth > 0 {
		x0 = margin + treeWidth + nodeGap
	}
	width := 0.0
	for li, l := range layers {
		x := x0 + margin
		for _, p := range l {
			if p.n != nil {
				longest := runeLen(label(p.n.Type))
				for _, l := range lines[p.n] {
					longest = max(longest, runeLen(l))
				}
				p.w = math.Max(120, float64(longest)*charWidth+24)
			}
			p.x = x
			p.y = headerHeight + float64(li)*(nodeH+layerGap)
			x += p.w + nodeGap
		}
		width = math.Max(width, x-nodeGap+margin)
	}
	// Wide enough for the legend.
	width = math.Max(width, 2*margin+float64(runeLen(legendNote))*charWidth)
	for _, st := range g.Stacks {
		width = math.Max(width, 2*margin+18+float64(runeLen(stackLegend(g, st)))*charWidth)
	}
	// Center each layer in the graph's part.
	for _, l := range layers {
		if len(l) == 0 {
			continue
		}
		last := l[len(l)-1]
		shift := (width - (last.x + last.w + margin)) / 2
		for _, p := range l {
			p.x += shift
		}
	}
	height := headerHeight + float64(len(layers))*(nodeH+layerGap) - layerGap + margin
	if len(list) == 0 {
		height = headerHeight + margin
	}
	height = math.Max(height, headerHeight+float64(len(g.Tree))*treeRow+margin)

	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="Helvetica, Arial, sans-serif" font-size="11">`+"\n", width, height, width, height)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>` + "\n")
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%.0f" height="%.0f" fill="#f8f9fa"/>`+"\n", width, height)
	// Legend.
	y := float64(margin)
	fmt.Fprintf(&b, `<text x="%d" y="%.0f" font-size="14" font-weight="bold">eksforge app: %d stack(s), %d resource(s), %d dependencies</text>`+"\n", margin, y, len(g.Stacks), len(list), len(edges))
	y += headerLine
	fmt.Fprintf(&b, `<text x="%d" y="%.0f" fill="#495057">%s</text>`+"\n", margin, y, esc(legendNote))
	for i, s := range g.Stacks {
		y += headerLine
		fmt.Fprintf(&b, `<g class="stack"><rect x="%d" y="%.0f" width="12" height="12" fill="%s"/><text x="%d" y="%.0f">%s</text></g>`+"\n", margin, y-10, stackColors[i%len(stackColors)], margin+18, y, esc(stackLegend(g, s)))
	}
	// Edges under the nodes: one per bundle, along its first dependency,
	// labelled with the number of dependencies it stands for.
	chainOf := map[Edge][]*placed{}
	for i, e := range edges {
		chainOf[e] = chains[i]
	}
	for _, bu := range g.Bundles {
		e := bu.Edges[0]
		chain := chainOf[e]
		if chain == nil {
			continue
		}
		from, to := chain[0], chain[len(chain)-1]
		dash := ""
		if from.n.Stack != to.n.Stack {
			dash = ` stroke-dasharray="6 4"`
		}
		var d strings.Builder
		x, y := from.x+from.w/2, from.y+nodeH
		fmt.Fprintf(&d, "M %.1f %.1f", x, y)
		lx, ly := 0.0, 0.0
		for i, q := range chain[1:] {
			nx, ny := q.x+q.w/2, q.y
			my := (y + ny) / 2
			if i == 0 {
				lx, ly = (x+nx)/2, my
			}
			fmt.Fprintf(&d, " C %.1f %.1f, %.1f %.1f, %.1f %.1f", x, my, nx, my, nx, ny)
			x, y = nx, ny
			if q.n == nil { // a dummy point: straight through its layer
				y += nodeH
				fmt.Fprintf(&d, " L %.1f %.1f", x, y)
			}
		}
		var title []string
		for _, e := range bu.Edges {
			title = append(title, e.From+" → "+e.To+" ("+e.Via+")")
		}
		width := math.Min(1.2+0.6*float64(len(bu.Edges)-1), 4)
		fmt.Fprintf(&b, `<path class="edge" data-from="%s" data-to="%s" data-count="%d" data-via="%s" d="%s" fill="none" stroke="#555" stroke-width="%.1f"%s marker-end="url(#arrow)"><title>%s</title></path>`+"\n",
			esc(endName(bu.From)), esc(endName(bu.To)), len(bu.Edges), e.Via, d.String(), width, dash, esc(strings.Join(title, "\n")))
		if len(bu.Edges) > 1 {
			fmt.Fprintf(&b, `<text class="edge-count" x="%.1f" y="%.1f" text-anchor="middle" font-size="10" fill="#212529" stroke="#f8f9fa" stroke-width="3" paint-order="stroke">%d</text>`+"\n", lx, ly+4, len(bu.Edges))
		}
	}
	// The construct tree.
	if len(g.Tree) > 0 {
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#dee2e6"/>`+"\n", x0, headerHeight-headerLine, x0, height-margin)
	}
	stackColor := ""
	for i, l := range g.Tree {
		x := margin + float64(l.Depth)*treeIndent
		y := headerHeight + float64(i)*treeRow + 4
		if l.Depth == 0 {
			stackColor = stackColors[stackIndex[l.Path]%len(stackColors)]
		}
		fill, pen := style(l.Kind)
		switch {
		case l.Depth == 0:
			fill = stackColor
		case l.Kind == "" && l.Type != "":
			fill = "#ffffff"
		case l.Kind == "":
			fill = "#adb5bd"
		}
		weight := "normal"
		if l.Depth == 0 || l.Kind != "" {
			weight = "bold"
		}
		fmt.Fprintf(&b, `<g class="tree" data-path="%s"><circle cx="%.1f" cy="%.1f" r="4" fill="%s" stroke="#343a40" stroke-width="%g"/><text x="%.1f" y="%.1f" font-weight="%s">%s <tspan fill="#868e96" font-weight="normal">%s</tspan></text></g>`+"\n",
			esc(l.Path), x+4, y-4, fill, math.Min(pen, 2), x+12, y, weight, esc(l.ID), esc(treeNote(l)))
	}
	// Nodes.
	for _, p := range list {
		fill, pen := style(p.n.Kind)
		color := stackColors[stackIndex[p.n.Stack]%len(stackColors)]
		weight := "normal"
		if p.n.Kind != "" {
			weight = "bold"
		}
		fmt.Fprintf(&b, `<g class="node" id="%s" data-kind="%s"><title>%s</title>`, esc(p.n.ID), p.n.Kind, esc(p.n.Stack+"/"+p.n.Path+" ("+p.n.LogicalID+", "+p.n.Type+")"))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.0f" rx="6" fill="%s" stroke="#343a40" stroke-width="%g"/>`, p.x, p.y, p.w, nodeH, fill, pen)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="5" height="%.0f" fill="%s"/>`, p.x, p.y, nodeH, color)
		for i, l := range lines[p.n] {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-weight="%s">%s</text>`, p.x+p.w/2+2, p.y+19+float64(i*textLine), weight, esc(l))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#495057" font-size="10">%s</text></g>`+"\n", p.x+p.w/2+2, p.y+nodeH-11, esc(label(p.n.Type)))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// legendNote explains the drawing.
const legendNote = "arrows: from a resource to those that depend on it, one per pair of constructs with the number of dependencies (dashed across stacks); filled: EKS clusters, node groups, Fargate profiles, manifests, charts"

// endName names a bundle's end: its resource, construct or stack.
func endName(e End) string {
	switch {
	case e.Node != "":
		return e.Node
	case e.Group != "":
		return e.Stack + "/" + e.Group
	}
	return e.Stack
}

// stackLegend names a stack and the stacks it depends on.
func stackLegend(g *Graph, s string) string {
	var deps []string
	for _, d := range g.StackDependencies {
		if d[0] == s {
			deps = append(deps, d[1])
		}
	}
	text := "stack " + s
	if len(deps) > 0 {
		text += " (depends on " + strings.Join(deps, ", ") + ")"
	}
	for _, l := range g.StackLinks {
		if l.To == s {
			text += fmt.Sprintf("; imports %d export(s) of %s", len(l.Exports), l.From)
		}
	}
	return text
}

// Construct tree layout, in pixels.
const (
	treeIndent = 14
	treeRow    = 16
)

// treeNote is what the tree shows after a construct's id: the resource
// type, or the construct's type without its module path ("eks.Cluster").
func treeNote(l TreeLine) string {
	if l.Type != "" {
		return l.Type
	}
	if i := strings.LastIndex(l.FQN, "/"); i >= 0 {
		return l.FQN[i+1:]
	}
	return l.FQN
}

// assignLayers puts every resource one layer below the lowest of its
// dependencies (longest path), then moves resources that others depend on
// down to just above their highest dependent, so edges stay short. The
// passes are bounded, so a dependency cycle cannot loop forever.
func assignLayers(list []*placed, nodes map[string]*placed, edges []Edge) {
	for range len(list) + 1 {
		changed := false
		for _, e := range edges {
			if l := nodes[e.From].layer + 1; l > nodes[e.To].layer {
				nodes[e.To].layer = l
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	for range len(list) + 1 {
		changed := false
		for _, p := range list {
			lowest := -1
			for _, e := range edges {
				if e.From == p.n.ID {
					if l := nodes[e.To].layer - 1; lowest < 0 || l < lowest {
						lowest = l
					}
				}
			}
			if lowest > p.layer {
				p.layer = lowest
				changed = true
			}
		}
		if !changed {
			break
		}
	}
}

// label shortens s to maxChars runes, keeping its end (the most specific
// part of a construct path).
func label(s string) string {
	if runeLen(s) <= maxChars {
		return s
	}
	r := []rune(s)
	return "…" + string(r[len(r)-maxChars+1:])
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

func esc(s string) string { return html.EscapeString(s) }

package parity

import (
	"encoding/json"
	"sort"
	"strings"
)

// The two sides of a comparison, as the report names them.
const (
	SideCDK  = "aws-cdk-lib"
	SideOurs = "eksforge"
)

// Difference is one thing that differs between the two sides.
type Difference struct {
	Example   string
	Stack     string
	Kind      string
	Type      string
	LogicalID string
	// Path is the key property that differs, or "only in aws-cdk-lib" /
	// "only in eksforge" for a resource (or stack) one side lacks.
	Path string
	// CDK and Ours are the values at Path (nil when absent).
	CDK, Ours any
	// Intended is the docs/parity.md row that lists it, nil when unlisted.
	Intended *Intended
}

// Match is a pair of resources whose key properties are all equal.
type Match struct {
	Stack     string
	Kind      string
	LogicalID string
	// Props counts the key properties compared (0: presence only).
	Props int
	// By says how the pair was found: "logical ID", "identity" or "key
	// properties".
	By string
}

// Result is the comparison of one example.
type Result struct {
	Example     string
	Matches     []Match
	Differences []Difference
}

// Compare compares the stacks of one example, keyed by stack name.
func Compare(example string, cdk, ours map[string][]Resource) Result {
	res := Result{Example: example}
	for _, name := range unionKeys(cdk, ours) {
		c, cok := cdk[name]
		o, ook := ours[name]
		switch {
		case !cok:
			res.Differences = append(res.Differences, Difference{Example: example, Stack: name, Kind: "Stack", Type: "Stack", LogicalID: name, Path: "only in " + SideOurs})
			continue
		case !ook:
			res.Differences = append(res.Differences, Difference{Example: example, Stack: name, Kind: "Stack", Type: "Stack", LogicalID: name, Path: "only in " + SideCDK})
			continue
		}
		compareStack(&res, name, c, o)
	}
	return res
}

func compareStack(res *Result, stack string, cdk, ours []Resource) {
	usedC := make([]bool, len(cdk))
	usedO := make([]bool, len(ours))
	type pairing struct {
		i, j int
		by   string
	}
	var pairs []pairing
	pair := func(i, j int, by string) {
		usedC[i], usedO[j] = true, true
		pairs = append(pairs, pairing{i, j, by})
	}
	byID := map[string]int{}
	for j, o := range ours {
		byID[o.LogicalID] = j
	}
	for i, c := range cdk {
		if j, ok := byID[c.LogicalID]; ok && !usedO[j] {
			pair(i, j, "logical ID")
		}
	}
	for _, pass := range []struct {
		by  string
		key func(Resource) string
	}{
		{"identity", func(r Resource) string {
			if r.Identity == "" {
				return ""
			}
			return r.Kind + "\x00" + r.Identity
		}},
		{"key properties", func(r Resource) string {
			if r.Props == nil {
				return ""
			}
			return r.Kind + "\x00" + canonical(r.Props)
		}},
	} {
		index := map[string][]int{}
		for j, o := range ours {
			if k := pass.key(o); k != "" && !usedO[j] {
				index[k] = append(index[k], j)
			}
		}
		for i, c := range cdk {
			if usedC[i] {
				continue
			}
			k := pass.key(c)
			if k == "" || len(index[k]) == 0 {
				continue
			}
			j := index[k][0]
			index[k] = index[k][1:]
			pair(i, j, pass.by)
		}
	}
	// The last resort: a kind with exactly one unpaired resource on each
	// side (aws-eks's cluster, whose construct path differs) pairs them.
	leftC, leftO := map[string][]int{}, map[string][]int{}
	for i, c := range cdk {
		if !usedC[i] && c.Props != nil {
			leftC[c.Kind] = append(leftC[c.Kind], i)
		}
	}
	for j, o := range ours {
		if !usedO[j] && o.Props != nil {
			leftO[o.Kind] = append(leftO[o.Kind], j)
		}
	}
	for k, is := range leftC {
		if js := leftO[k]; len(is) == 1 && len(js) == 1 {
			pair(is[0], js[0], "kind")
		}
	}
	// References to a resource paired under another logical ID are read
	// with eksforge's ID, so that they compare equal.
	var renames []string
	for _, p := range pairs {
		c, o := baseID(cdk[p.i].LogicalID), baseID(ours[p.j].LogicalID)
		if c != o {
			renames = append(renames, "{Ref "+c+"}", "{Ref "+o+"}", "{"+c+".", "{"+o+".")
		}
	}
	rn := strings.NewReplacer(renames...)
	sort.Slice(pairs, func(a, b int) bool { return ours[pairs[a].j].LogicalID < ours[pairs[b].j].LogicalID })
	for _, p := range pairs {
		c := cdk[p.i]
		if len(renames) > 0 && c.Props != nil {
			c.Props = renamed(rn, c.Props)
		}
		diffs := diffResources(res.Example, stack, c, ours[p.j])
		if len(diffs) == 0 {
			res.Matches = append(res.Matches, Match{Stack: stack, Kind: c.Kind, LogicalID: ours[p.j].LogicalID, Props: len(ours[p.j].Props), By: p.by})
		}
		res.Differences = append(res.Differences, diffs...)
	}
	for i, c := range cdk {
		if !usedC[i] {
			res.Differences = append(res.Differences, Difference{Example: res.Example, Stack: stack, Kind: c.Kind, Type: c.Type, LogicalID: c.LogicalID, Path: "only in " + SideCDK})
		}
	}
	for j, o := range ours {
		if !usedO[j] {
			res.Differences = append(res.Differences, Difference{Example: res.Example, Stack: stack, Kind: o.Kind, Type: o.Type, LogicalID: o.LogicalID, Path: "only in " + SideOurs})
		}
	}
}

// baseID is the logical ID of the template resource a Resource comes from.
func baseID(id string) string {
	if i := strings.IndexByte(id, '/'); i >= 0 {
		return id[:i]
	}
	return id
}

// renamed rewrites references inside props (keys and values) with rn.
func renamed(rn *strings.Replacer, props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		var nv any
		if err := json.Unmarshal([]byte(rn.Replace(canonical(v))), &nv); err != nil {
			nv = v
		}
		out[rn.Replace(k)] = nv
	}
	return out
}

// diffResources compares the key properties of a pair, path by path. The
// difference carries eksforge's logical ID and type.
func diffResources(example, stack string, c, o Resource) []Difference {
	var out []Difference
	if c.Kind != o.Kind {
		return append(out, Difference{Example: example, Stack: stack, Kind: o.Kind, Type: o.Type, LogicalID: o.LogicalID, Path: "Kind", CDK: c.Kind, Ours: o.Kind})
	}
	for _, p := range unionKeys(c.Props, o.Props) {
		cv, ov := c.Props[p], o.Props[p]
		if canonical(cv) != canonical(ov) {
			out = append(out, Difference{Example: example, Stack: stack, Kind: o.Kind, Type: o.Type, LogicalID: o.LogicalID, Path: p, CDK: cv, Ours: ov})
		}
	}
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	var out []string
	for k := range a {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for k := range b {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

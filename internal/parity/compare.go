package parity

import (
	"sort"
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
	pair := func(i, j int, by string) {
		usedC[i], usedO[j] = true, true
		diffs := diffResources(res.Example, stack, cdk[i], ours[j])
		if len(diffs) == 0 {
			res.Matches = append(res.Matches, Match{Stack: stack, Kind: cdk[i].Kind, LogicalID: ours[j].LogicalID, Props: len(ours[j].Props), By: by})
		}
		res.Differences = append(res.Differences, diffs...)
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

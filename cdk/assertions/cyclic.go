package assertions

import (
	"fmt"
	"slices"
	"strings"
)

// checkCyclicDependencies returns a description of a dependency cycle among
// the resources of template, or "" if there is none. Such a template cannot
// be deployed, so a test should not pass on it.
func checkCyclicDependencies(template map[string]any) string {
	resources, _ := template["Resources"].(map[string]any)
	deps := make(map[string]map[string]bool, len(resources))
	for id, r := range resources {
		deps[id] = map[string]bool{}
		res, _ := r.(map[string]any)
		for dep := range resourceDependencies(res) {
			if _, ok := resources[dep]; ok {
				deps[id][dep] = true
			}
		}
	}

	// Remove resources without dependencies until none are left; if some
	// remain and all of them have dependencies, they form a cycle.
	for len(deps) > 0 {
		var free []string
		for id, d := range deps {
			if len(d) == 0 {
				free = append(free, id)
			}
		}
		if len(free) == 0 {
			cycle := findCycle(deps)
			involved := map[string]any{}
			for _, id := range cycle {
				involved[id] = resources[id]
			}
			return fmt.Sprintf("Template is undeployable, these resources have a dependency cycle: %s:\n\n%s",
				strings.Join(cycle, " -> "), jsonifyIndent(involved))
		}
		for _, id := range free {
			delete(deps, id)
			for _, d := range deps {
				delete(d, id)
			}
		}
	}
	return ""
}

// resourceDependencies returns the logical IDs a resource refers to through
// DependsOn, Ref, Fn::GetAtt and Fn::Sub in its Properties.
func resourceDependencies(res map[string]any) map[string]bool {
	out := map[string]bool{}
	switch d := res["DependsOn"].(type) {
	case string:
		out[d] = true
	case []any:
		for _, x := range d {
			if s, ok := x.(string); ok {
				out[s] = true
			}
		}
	}
	var walk func(x any)
	walk = func(x any) {
		switch v := x.(type) {
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			if len(v) == 1 {
				if ref, ok := v["Ref"].(string); ok {
					out[ref] = true
					return
				}
				if ga, ok := v["Fn::GetAtt"]; ok {
					switch g := ga.(type) {
					case []any:
						if len(g) > 0 {
							if s, ok := g[0].(string); ok {
								out[s] = true
							}
						}
					case string: // "Resource.Attribute"
						out[strings.SplitN(g, ".", 2)[0]] = true
					}
					return
				}
				if sub, ok := v["Fn::Sub"]; ok {
					pattern, vars := sub, any(nil)
					if a, ok := sub.([]any); ok && len(a) > 0 {
						pattern = a[0]
						if len(a) > 1 {
							vars = a[1]
						}
					}
					if s, ok := pattern.(string); ok {
						for _, id := range logicalIDsInSub(s) {
							out[id] = true
						}
					}
					if m, ok := vars.(map[string]any); ok {
						for _, e := range m {
							walk(e)
						}
					}
					return
				}
			}
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(res["Properties"])
	return out
}

// logicalIDsInSub returns the logical IDs named by the ${X} and ${X.Attr}
// placeholders of an Fn::Sub string; ${!X} is a literal.
func logicalIDsInSub(s string) []string {
	var ids []string
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return ids
		}
		s = s[i+2:]
		if strings.HasPrefix(s, "!") {
			continue
		}
		j := strings.IndexByte(s, '}')
		if j < 0 {
			return ids
		}
		ids = append(ids, strings.SplitN(s[:j], ".", 2)[0])
		s = s[j+1:]
	}
}

// findCycle returns a path id1 -> ... -> idN -> id1 through deps, a graph in
// which every node has at least one edge.
func findCycle(deps map[string]map[string]bool) []string {
	var recurse func(node string, path []string) []string
	recurse = func(node string, path []string) []string {
		for _, dep := range sortedKeys(deps[node]) {
			if slices.Contains(path, dep) {
				return append(path[slices.Index(path, dep):], dep)
			}
			if c := recurse(dep, append(slices.Clip(path), dep)); c != nil {
				return c
			}
		}
		return nil
	}
	for _, node := range sortedKeys(deps) {
		if c := recurse(node, []string{node}); c != nil {
			return c
		}
	}
	return nil
}

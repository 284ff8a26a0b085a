package cdklib

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Resources returns a copy of a template's resources without what only
// one side writes: the AWS::CDK::Metadata resource and each resource's
// Metadata (construct paths). The inline policies of IAM roles are sorted
// by name, an order neither side promises.
func Resources(tmpl map[string]any) map[string]any {
	out := map[string]any{}
	all, _ := tmpl["Resources"].(map[string]any)
	for id, r := range all {
		res, ok := r.(map[string]any)
		if !ok || res["Type"] == "AWS::CDK::Metadata" {
			continue
		}
		cp := maps.Clone(res)
		delete(cp, "Metadata")
		if props, ok := cp["Properties"].(map[string]any); ok && cp["Type"] == "AWS::IAM::Role" {
			if pols, ok := props["Policies"].([]any); ok {
				pols = append([]any(nil), pols...)
				sort.SliceStable(pols, func(i, j int) bool { return fmt.Sprint(policyName(pols[i])) < fmt.Sprint(policyName(pols[j])) })
				props = maps.Clone(props)
				props["Policies"] = pols
				cp["Properties"] = props
			}
		}
		out[id] = cp
	}
	return out
}

func policyName(p any) any {
	m, _ := p.(map[string]any)
	return m["PolicyName"]
}

// CompareTemplates reports, as test errors, every difference between the
// resources (types and counts first, then each resource, see [Resources])
// and the outputs of an aws-cdk-lib template (want) and eksforge's (got).
func CompareTemplates(t testing.TB, want, got map[string]any) {
	t.Helper()
	wr, gr := Resources(want), Resources(got)
	if diff := cmp.Diff(typeCounts(wr), typeCounts(gr)); diff != "" {
		t.Errorf("resource types and counts (-aws-cdk-lib +eksforge):\n%s", diff)
	}
	if diff := cmp.Diff(wr, gr); diff != "" {
		t.Errorf("resources (-aws-cdk-lib +eksforge):\n%s", diff)
	}
	if diff := cmp.Diff(want["Outputs"], got["Outputs"]); diff != "" {
		t.Errorf("outputs (-aws-cdk-lib +eksforge):\n%s", diff)
	}
}

func typeCounts(res map[string]any) map[string]int {
	out := map[string]int{}
	for _, r := range res {
		typ, _ := r.(map[string]any)["Type"].(string)
		out[typ]++
	}
	return out
}

// CompareSection reports, as test errors, the logical IDs of one template
// section ("Resources", "Parameters", …) found on one side only, and, for
// each entry of want, the keys (e.g. "Type", "Properties", "DependsOn")
// whose values differ. Tags lists are compared as sets, and so is
// DependsOn.
func CompareSection(t testing.TB, section string, got, want map[string]any, keys []string) {
	t.Helper()
	g, _ := got[section].(map[string]any)
	w, _ := want[section].(map[string]any)
	if section == "Resources" && len(w) == 0 {
		t.Fatalf("the AWS CDK's template has no resources")
	}
	var missing, extra []string
	for id := range w {
		if _, ok := g[id]; !ok {
			missing = append(missing, id)
		}
	}
	for id := range g {
		if _, ok := w[id]; !ok {
			extra = append(extra, id)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("%s: logical IDs only in the AWS CDK's template: %v; only in ours: %v", section, missing, extra)
	}
	ids := make([]string, 0, len(w))
	for id := range w {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		gr, ok := g[id].(map[string]any)
		if !ok {
			continue
		}
		wr, _ := w[id].(map[string]any)
		for _, k := range keys {
			gv, wv := normalizeTags(gr[k]), normalizeTags(wr[k])
			if k == "DependsOn" {
				gv, wv = sortedList(gv), sortedList(wv)
			}
			if !reflect.DeepEqual(gv, wv) {
				t.Errorf("%s %s: %s differs:\n ours: %s\n  cdk: %s", section, id, k, JSON(gv), JSON(wv))
			}
		}
	}
}

// normalizeTags sorts every "Tags" list (the AWS CDK sorts "Name" after
// lower-case keys; eksforge sorts bytewise).
func normalizeTags(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			e = normalizeTags(e)
			if l, ok := e.([]any); ok && k == "Tags" {
				e = sortedList(l)
			}
			out[k] = e
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeTags(e)
		}
		return out
	}
	return v
}

func sortedList(v any) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	l = append([]any(nil), l...)
	sort.Slice(l, func(i, j int) bool { return fmt.Sprint(l[i]) < fmt.Sprint(l[j]) })
	return l
}

// JSON renders v as compact JSON for a test message.
func JSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}

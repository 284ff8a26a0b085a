package assertions

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// TB is the part of [testing.TB] that a [Template] uses to report failures.
// *testing.T and *testing.B satisfy it.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Template is a synthesized CloudFormation template under test. Its Has*,
// All* and *CountIs methods report a failure with t.Errorf, so that one test
// can report several; the Find* methods return what matches.
//
// Patterns (the props arguments) may be matchers from [Match], a [Capture],
// a [Matcher] of your own, or literal Go values, which are matched as
// Match.ObjectLike would match them: extra keys are allowed at any depth,
// arrays must match element by element. See [Matchers] for how Go values are
// compared with the template.
//
// The maps returned by ToJSON and the Find methods share the template's data:
// read them, do not modify them.
type Template struct {
	t        TB
	template map[string]any
}

// TemplateParsingOptions configures how [FromJSON] and [FromString] read a
// template.
type TemplateParsingOptions struct {
	// SkipCyclicalDependenciesCheck skips checking that the resources do not
	// depend on each other in a cycle (through DependsOn, Ref, Fn::GetAtt and
	// Fn::Sub). Set it only for templates that are valid despite such a
	// cycle, such as templates with unprocessed transforms.
	// Default: false (a cycle is reported as a test failure)
	SkipCyclicalDependenciesCheck bool
}

// FromJSON returns a Template for a template decoded from JSON, or built of
// Go maps and slices as a JSON encoder would encode them. The template is
// copied, so later changes to it do not affect the assertions.
//
// A template whose resources depend on each other in a cycle cannot be
// deployed, so it is reported with t.Errorf unless opts say otherwise; at most
// one opts is used.
func FromJSON(t TB, template map[string]any, opts ...TemplateParsingOptions) *Template {
	t.Helper()
	tmpl, ok := normalize(template).(map[string]any)
	if !ok {
		tmpl = map[string]any{}
	}
	var o TemplateParsingOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if !o.SkipCyclicalDependenciesCheck {
		if msg := checkCyclicDependencies(tmpl); msg != "" {
			t.Errorf("%s", msg)
		}
	}
	return &Template{t: t, template: tmpl}
}

// FromString returns a Template for a template in JSON text. It stops the
// test with t.Fatalf if the text is not a JSON object.
func FromString(t TB, template string, opts ...TemplateParsingOptions) *Template {
	t.Helper()
	var tmpl map[string]any
	if err := json.Unmarshal([]byte(template), &tmpl); err != nil {
		t.Fatalf("assertions: the template is not a JSON object: %v", err)
		return &Template{t: t, template: map[string]any{}}
	}
	return FromJSON(t, tmpl, opts...)
}

// ToJSON returns the template as decoded JSON. Do not modify it.
func (tp *Template) ToJSON() map[string]any { return tp.template }

// section returns a top-level section of the template, such as "Resources".
func (tp *Template) section(name string) map[string]any {
	s, _ := tp.template[name].(map[string]any)
	return s
}

// resourcesOfType returns the resources whose Type is typ.
func (tp *Template) resourcesOfType(typ string) map[string]any {
	out := map[string]any{}
	for id, r := range tp.section("Resources") {
		if m, ok := r.(map[string]any); ok && m["Type"] == typ {
			out[id] = m
		}
	}
	return out
}

// resourcesWithProperties returns the resources of type typ, each given an
// empty Properties object if it has none (unless pattern is Absent, which
// must see the difference), and the pattern that matches pattern against
// the Properties of a resource.
func (tp *Template) resourcesWithProperties(typ string, props any) (map[string]any, Matcher) {
	section := tp.resourcesOfType(typ)
	if _, absent := props.(*absentMatch); !absent {
		for id, r := range section {
			m := r.(map[string]any)
			if _, ok := m["Properties"]; !ok {
				amended := make(map[string]any, len(m)+1)
				for k, v := range m {
					amended[k] = v
				}
				amended["Properties"] = map[string]any{}
				section[id] = amended
			}
		}
	}
	if props == nil {
		props = map[string]any{}
	}
	return section, Match.ObjectLike(map[string]any{"Properties": props})
}

// ResourceCountIs asserts that the template has exactly n resources of type
// typ, e.g. "AWS::S3::Bucket".
func (tp *Template) ResourceCountIs(typ string, n int) {
	tp.t.Helper()
	found := tp.resourcesOfType(typ)
	if len(found) != n {
		tp.t.Errorf("Expected %d resources of type %s but found %d%s", n, typ, len(found), listIDs(found))
	}
}

// ResourcePropertiesCountIs asserts that the template has exactly n
// resources of type typ whose Properties match props.
func (tp *Template) ResourcePropertiesCountIs(typ string, props any, n int) {
	tp.t.Helper()
	section, m := tp.resourcesWithProperties(typ, props)
	res := matchSection(section, m)
	if len(res.matches) != n {
		tp.t.Errorf("Expected %d resources of type %s but found %d with matching properties%s",
			n, typ, len(res.matches), listIDs(res.matches))
	}
}

// HasResource asserts that a resource of type typ matches props, a pattern
// for the whole resource definition: Properties, DependsOn, DeletionPolicy,
// UpdateReplacePolicy, Condition, Metadata. A nil props asserts only that
// there is a resource of the type.
func (tp *Template) HasResource(typ string, props any) {
	tp.t.Helper()
	tp.hasResource(typ, tp.resourcesOfType(typ), toSectionMatcher(props))
}

// HasResourceProperties asserts that a resource of type typ has Properties
// that match props. A resource without Properties is matched as if it had
// an empty Properties object, unless props is Match.Absent(). A nil props
// asserts only that there is a resource of the type.
func (tp *Template) HasResourceProperties(typ string, props any) {
	tp.t.Helper()
	section, m := tp.resourcesWithProperties(typ, props)
	tp.hasResource(typ, section, m)
}

func (tp *Template) hasResource(typ string, section map[string]any, m Matcher) {
	tp.t.Helper()
	res := matchSection(section, m)
	if len(res.matches) > 0 {
		return
	}
	tp.t.Errorf("%s", formatSectionFailure("resources with type "+typ, res, tp.resourceTypesHint()))
}

// FindResources returns the resources of type typ that match props, a
// pattern for the whole resource definition, keyed by logical ID. A nil
// props matches every resource of the type.
func (tp *Template) FindResources(typ string, props any) map[string]map[string]any {
	return toObjects(matchSection(tp.resourcesOfType(typ), toSectionMatcher(props)).matches)
}

// ResourceID returns the logical ID of the one resource of type typ whose
// Properties match props. It reports a failure, and returns "", if there is
// no such resource or more than one.
func (tp *Template) ResourceID(typ string, props any) string {
	tp.t.Helper()
	section, m := tp.resourcesWithProperties(typ, props)
	res := matchSection(section, m)
	switch len(res.matches) {
	case 1:
		for id := range res.matches {
			return id
		}
	case 0:
		tp.t.Errorf("%s", formatSectionFailure("resources with type "+typ, res, tp.resourceTypesHint()))
	default:
		tp.t.Errorf("Expected one resource of type %s with matching properties but found %d%s",
			typ, len(res.matches), listIDs(res.matches))
	}
	return ""
}

// AllResources asserts that every resource of type typ matches props, a
// pattern for the whole resource definition. It fails if there are none.
func (tp *Template) AllResources(typ string, props any) {
	tp.t.Helper()
	tp.allResources(typ, tp.resourcesOfType(typ), toSectionMatcher(props))
}

// AllResourcesProperties asserts that every resource of type typ has
// Properties that match props. It fails if there are none.
func (tp *Template) AllResourcesProperties(typ string, props any) {
	tp.t.Helper()
	section, m := tp.resourcesWithProperties(typ, props)
	tp.allResources(typ, section, m)
}

func (tp *Template) allResources(typ string, section map[string]any, m Matcher) {
	tp.t.Helper()
	res := matchSection(section, m)
	if len(res.failures) == 0 && len(res.analyzed) > 0 {
		return
	}
	var b strings.Builder
	switch {
	case len(res.analyzed) == 0:
		fmt.Fprintf(&b, "Template has 0 resources with type %s.", typ)
		if hint := tp.resourceTypesHint(); hint != "" {
			b.WriteString("\n" + hint)
		}
	case len(res.matches) == 0:
		fmt.Fprintf(&b, "Template has %d resource(s) with type %s, but none match as expected.", len(res.analyzed), typ)
	default:
		fmt.Fprintf(&b, "Template has %d resource(s) with type %s, but only %d match as expected.",
			len(res.analyzed), typ, len(res.matches))
	}
	if len(res.failures) > 0 {
		b.WriteString("\nThe following resources do not match the given definition:")
		for _, f := range res.failures {
			lines, n := f.result.mismatchLines()
			fmt.Fprintf(&b, "\n%s (%s):", f.id, plural(n, "mismatch", "mismatches"))
			for _, l := range lines {
				b.WriteString("\n\t" + l)
			}
		}
	}
	tp.t.Errorf("%s", b.String())
}

// HasParameter asserts that a parameter named logicalID matches props; "*"
// matches any parameter.
func (tp *Template) HasParameter(logicalID string, props any) {
	tp.t.Helper()
	tp.hasNamed("Parameters", fmt.Sprintf("parameters with logicalId '%s'", logicalID), logicalID, props)
}

// FindParameters returns the parameters named logicalID ("*" for any) that
// match props, keyed by logical ID. A nil props matches every parameter.
func (tp *Template) FindParameters(logicalID string, props any) map[string]map[string]any {
	return tp.findNamed("Parameters", logicalID, props)
}

// HasOutput asserts that an output named logicalID matches props, e.g.
// map[string]any{"Value": ..., "Export": ...}; "*" matches any output.
func (tp *Template) HasOutput(logicalID string, props any) {
	tp.t.Helper()
	tp.hasNamed("Outputs", "outputs named "+logicalID, logicalID, props)
}

// FindOutputs returns the outputs named logicalID ("*" for any) that match
// props, keyed by logical ID. A nil props matches every output.
func (tp *Template) FindOutputs(logicalID string, props any) map[string]map[string]any {
	return tp.findNamed("Outputs", logicalID, props)
}

// HasMapping asserts that a mapping named logicalID matches props; "*"
// matches any mapping.
func (tp *Template) HasMapping(logicalID string, props any) {
	tp.t.Helper()
	tp.hasNamed("Mappings", "mappings with logicalId "+logicalID, logicalID, props)
}

// FindMappings returns the mappings named logicalID ("*" for any) that
// match props, keyed by logical ID. A nil props matches every mapping.
func (tp *Template) FindMappings(logicalID string, props any) map[string]map[string]any {
	return tp.findNamed("Mappings", logicalID, props)
}

// HasCondition asserts that a condition named logicalID matches props, e.g.
// map[string]any{"Fn::Equals": []any{"a", "b"}}; "*" matches any condition.
func (tp *Template) HasCondition(logicalID string, props any) {
	tp.t.Helper()
	tp.hasNamed("Conditions", "conditions with logicalId "+logicalID, logicalID, props)
}

// FindConditions returns the conditions named logicalID ("*" for any) that
// match props, keyed by logical ID. A nil props matches every condition.
func (tp *Template) FindConditions(logicalID string, props any) map[string]map[string]any {
	return tp.findNamed("Conditions", logicalID, props)
}

// HasRule asserts that a rule (in the template's Rules section) named
// logicalID matches props; "*" matches any rule.
func (tp *Template) HasRule(logicalID string, props any) {
	tp.t.Helper()
	tp.hasNamed("Rules", "rules with logicalId "+logicalID, logicalID, props)
}

// FindRules returns the rules named logicalID ("*" for any) that match
// props, keyed by logical ID. A nil props matches every rule.
func (tp *Template) FindRules(logicalID string, props any) map[string]map[string]any {
	return tp.findNamed("Rules", logicalID, props)
}

func (tp *Template) hasNamed(sectionName, qualifier, logicalID string, props any) {
	tp.t.Helper()
	section := filterLogicalID(tp.section(sectionName), logicalID)
	res := matchSection(section, toSectionMatcher(props))
	if len(res.matches) > 0 {
		return
	}
	hint := ""
	if all := tp.section(sectionName); len(res.analyzed) == 0 {
		if len(all) == 0 {
			hint = fmt.Sprintf("The template has no %s.", sectionName)
		} else {
			hint = fmt.Sprintf("%s in the template: %s", sectionName, strings.Join(sortedKeys(all), ", "))
		}
	}
	tp.t.Errorf("%s", formatSectionFailure(qualifier, res, hint))
}

func (tp *Template) findNamed(sectionName, logicalID string, props any) map[string]map[string]any {
	section := filterLogicalID(tp.section(sectionName), logicalID)
	return toObjects(matchSection(section, toSectionMatcher(props)).matches)
}

// TemplateMatches asserts that the whole template matches expected; a
// literal expected is matched as with Match.ObjectLike.
func (tp *Template) TemplateMatches(expected any) {
	tp.t.Helper()
	res := toSectionMatcher(expected).Test(tp.template)
	res.Finished()
	if !res.HasFailed() {
		return
	}
	lines, _ := res.mismatchLines()
	tp.t.Errorf("Template did not match as expected. The following mismatches were found:\n\t%s\n%s",
		strings.Join(lines, "\n\t"), res.RenderMismatch())
}

// resourceTypesHint lists the resource types of the template, for a failure
// that found no resource of the expected type.
func (tp *Template) resourceTypesHint() string {
	counts := map[string]int{}
	for _, r := range tp.section("Resources") {
		if m, ok := r.(map[string]any); ok {
			typ, _ := m["Type"].(string)
			counts[typ]++
		}
	}
	if len(counts) == 0 {
		return "The template has no resources."
	}
	var parts []string
	for _, typ := range sortedKeys(counts) {
		parts = append(parts, fmt.Sprintf("%s (%d)", typ, counts[typ]))
	}
	return "Resource types in the template: " + strings.Join(parts, ", ")
}

// toSectionMatcher turns the pattern given to an assertion into a matcher:
// a Matcher is used as is, a literal is matched as with Match.ObjectLike,
// and nil matches everything.
func toSectionMatcher(props any) Matcher {
	if props == nil {
		return Match.ObjectLike(map[string]any{})
	}
	return toMatcher("objectLike", normalize(props), true)
}

type idResult struct {
	id     string
	result *MatchResult
}

type sectionResult struct {
	matches  map[string]any
	analyzed []string   // logical IDs tested, sorted
	failures []idResult // non-matching entries, closest first
}

// matchSection tests every entry of section with m.
func matchSection(section map[string]any, m Matcher) sectionResult {
	res := sectionResult{matches: map[string]any{}}
	for _, id := range sortedKeys(section) {
		entry := section[id]
		res.analyzed = append(res.analyzed, id)
		r := m.Test(entry)
		r.Finished()
		if r.HasFailed() {
			res.failures = append(res.failures, idResult{id, r})
		} else {
			res.matches[id] = entry
		}
	}
	slices.SortStableFunc(res.failures, func(a, b idResult) int {
		return a.result.FailCost() - b.result.FailCost()
	})
	return res
}

// closestShown is how many of the closest candidates a failure lists.
const closestShown = 3

func formatSectionFailure(qualifier string, res sectionResult, hintIfEmpty string) string {
	var b strings.Builder
	if len(res.analyzed) == 0 {
		fmt.Fprintf(&b, "Template has 0 %s.", qualifier)
		if hintIfEmpty != "" {
			b.WriteString("\n" + hintIfEmpty)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "Template has %d %s, but none match as expected.", len(res.analyzed), qualifier)
	closest := res.failures[:min(len(res.failures), closestShown)]
	for i, f := range closest {
		lines, n := f.result.mismatchLines()
		switch i {
		case 0:
			fmt.Fprintf(&b, "\nThe closest match is %s (%s):", f.id, plural(n, "mismatch", "mismatches"))
		case 1:
			b.WriteString("\nThe next closest matches:")
			fallthrough
		default:
			fmt.Fprintf(&b, "\n%s (%s):", f.id, plural(n, "mismatch", "mismatches"))
		}
		for _, l := range lines {
			b.WriteString("\n\t" + l)
		}
		if i == 0 {
			fmt.Fprintf(&b, "\n%s :: %s", f.id, f.result.RenderMismatch())
		}
	}
	if rest := len(res.failures) - len(closest); rest > 0 {
		fmt.Fprintf(&b, "\n(%d more not shown)", rest)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func listIDs(m map[string]any) string {
	if len(m) == 0 {
		return ""
	}
	return ": " + strings.Join(sortedKeys(m), ", ")
}

func filterLogicalID(section map[string]any, logicalID string) map[string]any {
	if logicalID == "*" {
		return section
	}
	if v, ok := section[logicalID]; ok {
		return map[string]any{logicalID: v}
	}
	return map[string]any{}
}

func toObjects(m map[string]any) map[string]map[string]any {
	out := make(map[string]map[string]any, len(m))
	for id, v := range m {
		obj, _ := v.(map[string]any)
		out[id] = obj
	}
	return out
}

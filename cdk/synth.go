package cdk

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// SynthError lists every problem found while synthesizing, each with the
// construct path it concerns.
type SynthError struct {
	Problems []Problem
}

// Problem is one synthesis problem.
type Problem struct {
	// Path is the construct path ("" for the app).
	Path string
	// Message says what is wrong and what to do.
	Message string
}

func (e *SynthError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "synthesis found %d problem(s):", len(e.Problems))
	for _, p := range e.Problems {
		path := p.Path
		if path == "" {
			path = "(app)"
		}
		fmt.Fprintf(&b, "\n  [%s] %s", path, p.Message)
	}
	return b.String()
}

type problems struct{ list []Problem }

func (p *problems) add(path, format string, args ...any) {
	p.list = append(p.list, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (p *problems) addErr(path string, err error) {
	if err == nil {
		return
	}
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		for _, e := range joined.Unwrap() {
			p.addErr(path, e)
		}
		return
	}
	p.add(path, "%s", err.Error())
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &SynthError{Problems: p.list}
}

// recoverPanic turns a panic during synthesis into a problem on path.
func (p *problems) recoverPanic(path string) {
	if r := recover(); r != nil {
		p.add(path, "%v", r)
	}
}

// allStacks returns every stack in the tree, in tree order.
func allStacks(root *Node) []*Stack {
	var out []*Stack
	for _, c := range root.FindAll() {
		if sh, ok := c.(stackHolder); ok {
			out = append(out, sh.cdkStack())
		}
	}
	return out
}

func allElements(root *Node) []Element {
	var out []Element
	for _, c := range root.FindAll() {
		if e, ok := c.(Element); ok {
			out = append(out, e)
		}
	}
	return out
}

func synthesize(app *App) (*CloudAssembly, error) {
	var probs problems
	root := app.Node()

	func() {
		defer probs.recoverPanic("")
		invokeAspects(root)
	}()

	stacks := allStacks(root)
	for _, s := range stacks {
		if s.nestedParent == nil && s.assets == nil {
			s.assets = newAssetRegistry()
		}
	}

	func() {
		defer probs.recoverPanic("")
		prepareReferences(root, &probs)
	}()
	func() {
		defer probs.recoverPanic("")
		prepareDependencies(root, &probs)
	}()

	// Validate.
	for _, c := range root.FindAll() {
		n := c.Node()
		for _, m := range n.metadata {
			if m.Type == MetadataError {
				probs.add(n.Path(), "%v", m.Data)
			}
		}
		func() {
			defer probs.recoverPanic(n.Path())
			for _, msg := range n.Validate() {
				probs.add(n.Path(), "%s", msg)
			}
		}()
		if r, ok := c.(resourceHolder); ok {
			for _, msg := range r.cfnResource().errs {
				probs.add(n.Path(), "%s", msg)
			}
		}
	}
	checkStackCycles(stacks, &probs)
	checkStackNames(stacks, &probs)
	if err := probs.err(); err != nil {
		return nil, err
	}
	if fitTemplates(root, stacks) {
		// What moved may be granted in another stack (a role's policy):
		// wire any new reference, as for the rest of the tree.
		func() {
			defer probs.recoverPanic("")
			prepareReferences(root, &probs)
		}()
		if err := probs.err(); err != nil {
			return nil, err
		}
	}

	// The tree stays locked: constructs added after synthesis would not be
	// in the (cached) assembly, so adding them panics instead.
	root.lock()
	for _, s := range stacks {
		s.idCache = map[*CfnElement]string{}
	}
	defer func() {
		for _, s := range stacks {
			s.idCache = nil
		}
	}()

	asm := &CloudAssembly{templates: map[*Stack][]byte{}, stacks: stacks}
	// Nested stacks first (deepest first), so parents know their hashes.
	order := append([]*Stack(nil), stacks...)
	sort.SliceStable(order, func(i, j int) bool { return depth(order[i]) > depth(order[j]) })
	for _, s := range order {
		body, err := renderTemplate(s, &probs)
		if err != nil {
			continue
		}
		asm.templates[s] = body
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])
		top := s.topLevel()
		if s.nestedParent != nil {
			s.templateAssetHash = hash
			top.assets.add(FileAssetSource{
				SourceHash:  hash,
				Data:        body,
				FileName:    s.TemplateFile(),
				Packaging:   FileAssetPackagingFile,
				DisplayName: s.Node().ID() + " Nested Stack Template",
				Extension:   ".json",
				staged:      true,
			})
		} else {
			// The template itself is an asset of its stack.
			s.templateAssetHash = hash
			top.assets.add(FileAssetSource{SourceHash: hash, FileName: s.TemplateFile(), Packaging: FileAssetPackagingFile,
				DisplayName: s.stackName + " Template", Extension: ".json", staged: true})
		}
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	for _, s := range stacks {
		if s.nestedParent == nil {
			asm.Stacks = append(asm.Stacks, newStackArtifact(s, asm.templates[s]))
		}
	}
	return asm, nil
}

func depth(s *Stack) int {
	d := 0
	for p := s.nestedParent; p != nil; p = p.nestedParent {
		d++
	}
	return d
}

// renderTemplate renders and serialises the template of one stack and
// checks it against CloudFormation's limits.
func renderTemplate(s *Stack, probs *problems) ([]byte, error) {
	before := len(probs.list)
	r, err := renderStack(s, probs)
	if err != nil {
		return nil, err
	}
	checkTemplateLimits(s, r, probs)
	if len(probs.list) > before {
		return nil, errors.New("template limits exceeded")
	}
	return r.body, nil
}

// rendered is a stack's serialised template with its resources, by
// logical ID, and the construct path of each logical ID.
type rendered struct {
	body      []byte
	resources *object
	owner     map[string]string
}

// renderStack renders and serialises the template of one stack.
func renderStack(s *Stack, probs *problems) (*rendered, error) {
	before := len(probs.list)
	tmpl := newObject()
	if s.TemplateOptions.Description != "" {
		tmpl.set("Description", s.TemplateOptions.Description)
	}
	if s.TemplateOptions.TemplateFormatVersion != "" {
		tmpl.set("AWSTemplateFormatVersion", s.TemplateOptions.TemplateFormatVersion)
	}
	switch len(s.TemplateOptions.Transforms) {
	case 0:
	case 1:
		tmpl.set("Transform", s.TemplateOptions.Transforms[0])
	default:
		tmpl.set("Transform", s.TemplateOptions.Transforms)
	}
	if len(s.TemplateOptions.Metadata) > 0 {
		tmpl.set("Metadata", s.TemplateOptions.Metadata)
	}
	sections := map[string]*object{}
	sectionOrder := []string{"Conditions", "Mappings", "Resources", "Parameters", "Outputs", "Rules"}
	owner := map[string]string{} // logical ID → path, to find duplicates
	for _, e := range elementsOf(s) {
		path := e.Node().Path()
		func() {
			defer probs.recoverPanic(path)
			section, def := e.renderSection()
			if r, ok := e.(resourceHolder); ok && r.cfnResource().overrides != nil {
				def = applyOverrides(def, r.cfnResource().overrides)
			}
			ctx := &ResolveContext{Stack: s, Scope: e}
			id := s.logicalIDOf(e.cfnElement())
			resolved := ctx.resolve(def)
			probs.addErr(path, ctx.err())
			if prev, dup := owner[id]; dup {
				probs.add(path, "logical ID %q is already used by %q in stack %q; give one of them another id or call OverrideLogicalID", id, prev, s.Node().Path())
				return
			}
			owner[id] = path
			if sections[section] == nil {
				sections[section] = newObject()
			}
			sections[section].set(id, resolved)
		}()
	}
	if s.nestedParent == nil {
		s.synthesizer.addBootstrapRule(sections)
	}
	for _, name := range sectionOrder {
		if sec := sections[name]; sec != nil && sec.len() > 0 {
			tmpl.set(name, sec)
		}
	}
	checkResourceCycles(s, sections["Resources"], probs)
	if len(probs.list) > before {
		return nil, errors.New("render failed")
	}
	b, err := marshalIndent(tmpl)
	if err != nil {
		probs.add(s.Node().Path(), "cannot serialise the template: %v", err)
		return nil, err
	}
	return &rendered{body: b, resources: sections["Resources"], owner: owner}, nil
}

// elementsOf returns the elements whose template is s's, in tree order.
func elementsOf(s *Stack) []Element {
	var out []Element
	var walk func(n *Node)
	walk = func(n *Node) {
		if e, ok := n.host.(Element); ok && e.cfnElement().stack == s {
			out = append(out, e)
		}
		for _, c := range n.children {
			if sh, ok := c.host.(stackHolder); ok && sh.cdkStack() != s {
				continue // another stack's template
			}
			walk(c)
		}
	}
	walk(s.Node())
	return out
}

// checkResourceCycles reports DependsOn/Ref/GetAtt cycles between resources
// of one template.
func checkResourceCycles(s *Stack, resources *object, probs *problems) {
	if resources == nil {
		return
	}
	edges := map[string][]string{}
	for _, id := range resources.keys {
		seen := map[string]bool{}
		collectRefs(resources.vals[id], func(target string) {
			if _, ok := resources.vals[target]; ok && !seen[target] {
				seen[target] = true
				edges[id] = append(edges[id], target)
			}
		})
	}
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var cycle []string
	var visit func(id string) bool
	visit = func(id string) bool {
		color[id] = grey
		stack = append(stack, id)
		for _, t := range edges[id] {
			switch color[t] {
			case grey:
				for i, x := range stack {
					if x == t {
						cycle = append(append([]string(nil), stack[i:]...), t)
					}
				}
				return true
			case white:
				if visit(t) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[id] = black
		return false
	}
	for _, id := range resources.keys {
		if color[id] == white && visit(id) {
			probs.add(s.Node().Path(), "resources depend on each other in a cycle: %s; remove one of these dependencies or references", strings.Join(cycle, " -> "))
			return
		}
	}
}

// collectRefs calls f with every logical ID a resolved resource definition
// depends on (DependsOn, Ref, Fn::GetAtt, Fn::Sub ${X}).
func collectRefs(v any, f func(string)) {
	switch x := v.(type) {
	case *object:
		for _, k := range x.keys {
			if k == "DependsOn" {
				switch d := x.vals[k].(type) {
				case []any:
					for _, e := range d {
						if s, ok := e.(string); ok {
							f(s)
						}
					}
				case string:
					f(d)
				}
				continue
			}
			if k == "Metadata" {
				continue
			}
			collectRefs(x.vals[k], f)
		}
	case map[string]any:
		if len(x) == 1 {
			if r, ok := x["Ref"].(string); ok {
				f(r)
				return
			}
			if g, ok := x["Fn::GetAtt"].([]any); ok && len(g) == 2 {
				if s, ok := g[0].(string); ok {
					f(s)
				}
				return
			}
		}
		for _, k := range sortedKeys(x) {
			collectRefs(x[k], f)
		}
	case []any:
		for _, e := range x {
			collectRefs(e, f)
		}
	}
}

func checkStackCycles(stacks []*Stack, probs *problems) {
	color := map[*Stack]int{}
	var path []*Stack
	var visit func(s *Stack) []*Stack
	visit = func(s *Stack) []*Stack {
		color[s] = 1
		path = append(path, s)
		for _, d := range s.deps {
			switch color[d.target] {
			case 1:
				for i, x := range path {
					if x == d.target {
						return append(append([]*Stack(nil), path[i:]...), d.target)
					}
				}
			case 0:
				if c := visit(d.target); c != nil {
					return c
				}
			}
		}
		path = path[:len(path)-1]
		color[s] = 2
		return nil
	}
	for _, s := range stacks {
		if color[s] == 0 {
			if c := visit(s); c != nil {
				var names []string
				for _, x := range c {
					names = append(names, x.Node().Path())
				}
				probs.add(c[0].Node().Path(), "stacks depend on each other in a cycle: %s; a stack cannot both reference and be referenced by another (move the shared resources into one stack)", strings.Join(names, " -> "))
				return
			}
		}
	}
}

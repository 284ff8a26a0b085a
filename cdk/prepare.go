package cdk

import (
	"encoding/json"
	"fmt"
)

// prepareState collects the references found while rendering elements in
// the reference-collection pass.
type prepareState struct {
	edges []refEdge
	seen  map[refEdge]bool
}

type refEdge struct {
	consumer *Stack
	ref      *Reference
}

func (p *prepareState) record(ctx *ResolveContext, r *Reference) {
	if ctx.Stack == nil {
		return
	}
	e := refEdge{ctx.Stack, r}
	if !p.seen[e] {
		p.seen[e] = true
		p.edges = append(p.edges, e)
	}
}

// prepareReferences finds every reference used in a stack other than its
// target's and wires it through exports, nested-stack parameters or outputs
// — the AWS CDK's resolveReferences. New elements created on the way are
// scanned until nothing changes.
func prepareReferences(root *Node, probs *problems) {
	done := map[Element]bool{}
	for round := 0; ; round++ {
		if round > 50 {
			probs.add("", "cross-stack references did not settle after 50 rounds; this is a bug in eksforge")
			return
		}
		prep := &prepareState{seen: map[refEdge]bool{}}
		fresh := false
		for _, e := range allElements(root) {
			if done[e] {
				continue
			}
			done[e] = true
			fresh = true
			func() {
				defer probs.recoverPanic(e.Node().Path())
				_, def := e.renderSection()
				if r, ok := e.(resourceHolder); ok && r.cfnResource().overrides != nil {
					def = applyOverrides(def, r.cfnResource().overrides)
				}
				ctx := &ResolveContext{Stack: e.cfnElement().stack, Scope: e, prep: prep}
				ctx.resolve(def)
				// Errors are reported when the template is rendered.
			}()
		}
		if !fresh {
			return
		}
		for _, edge := range prep.edges {
			producer := edge.ref.target.stack
			if producer == edge.consumer {
				continue
			}
			if _, ok := edge.ref.byStack[edge.consumer]; ok {
				continue
			}
			func() {
				defer probs.recoverPanic(edge.consumer.Node().Path())
				v, err := resolveValue(edge.consumer, edge.ref)
				if err != nil {
					probs.add(edge.consumer.Node().Path(), "%v", err)
					return
				}
				edge.ref.assign(edge.consumer, v)
			}()
		}
	}
}

func isNestedIn(nested, parent *Stack) bool {
	for p := nested.nestedParent; p != nil; p = p.nestedParent {
		if p == parent {
			return true
		}
	}
	return false
}

// resolveValue returns what ref becomes in consumer's template.
func resolveValue(consumer *Stack, ref *Reference) (any, error) {
	producer := ref.target.stack
	if producer == consumer {
		return ref.value, nil
	}
	if producer.Node().Root() != consumer.Node().Root() {
		return nil, fmt.Errorf("cannot reference %s across apps: both stacks must be in the same app", ref)
	}
	pa, ca := producer.Account(), consumer.Account()
	pr, cr := producer.Region(), consumer.Region()
	if IsUnresolved(pa) {
		pa = "unknown-account"
	}
	if IsUnresolved(ca) {
		ca = "unknown-account"
	}
	if IsUnresolved(pr) {
		pr = "unknown-region"
	}
	if IsUnresolved(cr) {
		cr = "unknown-region"
	}
	if pa != ca {
		return nil, fmt.Errorf("stack %q cannot reference %s in stack %q: they deploy to different accounts (%s and %s); cross-stack references work only within one account and region, or between nested stacks and their parents — pass the value in another way (e.g. an SSM parameter)",
			consumer.Node().Path(), ref, producer.Node().Path(), ca, pa)
	}
	if pr != cr {
		return nil, fmt.Errorf("stack %q cannot reference %s in stack %q: they deploy to different regions (%s and %s); cross-stack references work only within one account and region, or between nested stacks and their parents",
			consumer.Node().Path(), ref, producer.Node().Path(), cr, pr)
	}

	// The consumer is nested in the producer: pass the value in as a
	// parameter, resolved in the consumer's parent.
	if consumer.nestedParent != nil && isNestedIn(consumer, producer) {
		outer, err := resolveValue(consumer.nestedParent, ref)
		if err != nil {
			return nil, err
		}
		return createNestedStackParameter(consumer, ref, outer), nil
	}

	// The producer is nested: publish through an output and resolve the
	// output's GetAtt from the consumer.
	if producer.nestedParent != nil {
		out := createNestedStackOutput(producer, ref)
		return resolveValue(consumer, out)
	}

	// Two top-level stacks: export and import.
	addStackDependency(consumer, producer, fmt.Sprintf("%s -> %s.%s", consumer.Node().Path(), ref.target.Node().Path(), ref.display))
	return createImportValue(ref)
}

// referenceID is the id of parameters and outputs created for ref.
func referenceID(ref *Reference, prefix string) string {
	var ids []string
	for _, c := range ref.target.Node().Scopes()[1:] {
		ids = append(ids, c.Node().ID())
	}
	return prefix + uniqueID(ids) + ref.display
}

func nestedHost(s *Stack) *NestedStack {
	if ns, ok := s.Node().Host().(*NestedStack); ok {
		return ns
	}
	panic(fmt.Sprintf("cdk: %q is nested but not a NestedStack", s.Node().Path()))
}

func createNestedStackParameter(nested *Stack, ref *Reference, value any) any {
	id := referenceID(ref, "reference-to-")
	p, _ := nested.Node().TryFindChild(id).(*CfnParameter)
	if p == nil {
		p = NewCfnParameter(nested, id, CfnParameterProps{Type: "String"})
		v := value
		if ref.list {
			p.props.Type = "CommaDelimitedList"
			v = map[string]any{"Fn::Join": []any{",", value}}
		}
		nestedHost(nested).SetParameter(nested.logicalIDOf(&p.CfnElement), AsString(NewIntrinsic(v)))
	}
	return map[string]any{"Ref": p.LogicalID()}
}

func createNestedStackOutput(producer *Stack, ref *Reference) *Reference {
	id := referenceID(ref, "")
	o, _ := producer.Node().TryFindChild(id).(*CfnOutput)
	if o == nil {
		var value string
		if ref.list {
			value = Fn.Join("||", AsList(ref))
		} else {
			value = AsString(ref)
		}
		o = NewCfnOutput(producer, id, CfnOutputProps{Value: value})
	}
	res := nestedHost(producer).nestedResource
	attr := "Outputs." + producer.logicalIDOf(&o.CfnElement)
	if ref.list {
		r := GetAtt(res, attr)
		return &Reference{target: r.target, display: r.display, list: true,
			value: map[string]any{"Fn::Split": []any{"||", r.value}}}
	}
	return GetAtt(res, attr)
}

func createImportValue(ref *Reference) (any, error) {
	exporting := ref.target.stack
	ref.target.locked = true
	ctx := &ResolveContext{Stack: exporting}
	resolved := ctx.resolve(ref.value)
	if err := ctx.err(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(resolved)
	if err != nil {
		return nil, err
	}
	scope := exporting.Node().TryFindChild("Exports")
	if scope == nil {
		scope = NewConstruct(exporting, "Exports")
	}
	id := "Output" + string(b)
	if ref.list {
		id = "Output" + string(b) + "List"
	}
	local := uniqueID([]string{"Exports", id})
	name := exporting.StackName() + ":" + local
	if len(name) > 255 {
		name = name[len(name)-255:]
	}
	if scope.Node().TryFindChild(id) == nil {
		value := AsString(ref)
		if ref.list {
			value = Fn.Join("||", AsList(ref))
		}
		NewCfnOutput(scope, id, CfnOutputProps{Value: value, ExportName: name})
	}
	imp := map[string]any{"Fn::ImportValue": name}
	if ref.list {
		return map[string]any{"Fn::Split": []any{"||", imp}}, nil
	}
	return imp, nil
}

// addStackDependency records that source deploys after target, at the
// level of the top-level stacks (nested stacks deploy with their parents).
func addStackDependency(source, target *Stack, reason string) {
	operateOnDependency(source, target, reason)
}

// prepareDependencies turns construct dependencies into DependsOn between
// resources of one template, or ordering between stacks.
func prepareDependencies(root *Node, probs *problems) {
	for _, c := range root.FindAll() {
		n := c.Node()
		for _, dep := range n.deps {
			func() {
				defer probs.recoverPanic(n.Path())
				sources := resourcesOrStacks(c)
				targets := resourcesOrStacks(dep)
				for _, s := range sources {
					for _, t := range targets {
						operateOnDependency(s, t, fmt.Sprintf("%q depends on %q", n.Path(), dep.Node().Path()))
					}
				}
			}()
		}
	}
}

// resourcesOrStacks returns the resources under c; a stack stands for
// itself (its own resources would only repeat the stack dependency).
func resourcesOrStacks(c Construct) []any {
	if sh, ok := c.(stackHolder); ok {
		return []any{sh.cdkStack()}
	}
	var out []any
	for _, x := range c.Node().FindAll() {
		if r, ok := x.(resourceHolder); ok {
			out = append(out, r.cfnResource())
		}
	}
	return out
}

func stackOfElement(x any) *Stack {
	switch v := x.(type) {
	case *Stack:
		return v
	case *CfnResource:
		return v.stack
	}
	return nil
}

// stackChain returns the stacks from the top-level stack down to s.
func stackChain(s *Stack) []*Stack {
	var out []*Stack
	for p := s; p != nil; p = p.nestedParent {
		out = append([]*Stack{p}, out...)
	}
	return out
}

// operateOnDependency makes source (a *CfnResource or *Stack) deploy after
// target, choosing DependsOn in the lowest common stack or a stack-level
// dependency between top-level stacks.
func operateOnDependency(source, target any, reason string) {
	if source == target {
		return
	}
	ss, ts := stackOfElement(source), stackOfElement(target)
	sc, tc := stackChain(ss), stackChain(ts)
	var common *Stack
	for i := 0; i < len(sc) && i < len(tc) && sc[i] == tc[i]; i++ {
		common = sc[i]
	}
	if common == nil {
		top, ttop := sc[0], tc[0]
		for _, d := range top.deps {
			if d.target == ttop {
				return
			}
		}
		top.deps = append(top.deps, stackDependency{target: ttop, reason: reason})
		return
	}
	if source == common {
		panic(fmt.Sprintf("cdk: stack %q cannot depend on %v, which it contains", common.Node().Path(), describeDep(target)))
	}
	if target == common {
		panic(fmt.Sprintf("cdk: %v cannot depend on stack %q, which contains it", describeDep(source), common.Node().Path()))
	}
	sr := resourceInStack(source, sc, common)
	tr := resourceInStack(target, tc, common)
	if sr == nil || tr == nil || sr == tr {
		return
	}
	sr.AddDependency(tr)
}

func describeDep(x any) string {
	switch v := x.(type) {
	case *Stack:
		return fmt.Sprintf("stack %q", v.Node().Path())
	case *CfnResource:
		return fmt.Sprintf("%q", v.Node().Path())
	}
	return fmt.Sprint(x)
}

// resourceInStack returns the resource of stack common that stands for x:
// x itself when it lives there, or the nested-stack resource holding it.
func resourceInStack(x any, chain []*Stack, common *Stack) *CfnResource {
	for i, s := range chain {
		if s == common {
			if i == len(chain)-1 {
				if r, ok := x.(*CfnResource); ok {
					return r
				}
				return nil
			}
			return nestedHost(chain[i+1]).nestedResource
		}
	}
	return nil
}

package cdk

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// CloudFormation's limits on one template, checked at synthesis so that a
// stack that would be refused fails here, with the sizes, not in the
// middle of a deployment.
const (
	// MaxTemplateBytes is the largest template CloudFormation accepts
	// (uploaded to S3, as the CLI does): 1 MB.
	MaxTemplateBytes = 1 << 20
	// MaxResources is how many resources one stack may have.
	MaxResources = 500
)

// A TemplateOffloader is a construct that can take part of its definition
// out of its stack's template, such as a Kubernetes manifest that can
// travel as an S3 asset instead of inline. Synthesis measures every
// template that holds one as CloudFormation would receive it (the rendered
// bytes); when a template is over MaxTemplateBytes it offloads the
// largest candidates first, renders again, and repeats until the template
// fits or no candidate is left. Whatever is still over is a synthesis
// error listing the largest resources, with sizes and paths.
type TemplateOffloader interface {
	Construct
	// OffloadableResource returns the resource whose rendered size
	// OffloadFromTemplate would remove from the template, or nil when it
	// has nothing (left) to offload. A non-empty whyNot says why the
	// resource cannot be offloaded; it is reported, with its size, when
	// the template stays too large.
	OffloadableResource() (r *CfnResource, whyNot string)
	// OffloadFromTemplate takes the content out of the template;
	// templateBytes is the rendered size that made it necessary. Called
	// during synthesis, before the tree is locked.
	OffloadFromTemplate(templateBytes int)
}

// fitTemplates measures the rendered template of every stack that holds a
// TemplateOffloader (and of the nested stacks below it, whose template
// hashes the parent names) and offloads, largest first, until each fits in
// MaxTemplateBytes. It reports whether anything moved.
func fitTemplates(root *Node, stacks []*Stack) bool {
	offloaders := map[*Stack][]TemplateOffloader{}
	for _, c := range root.FindAll() {
		o, ok := c.(TemplateOffloader)
		if !ok {
			continue
		}
		for _, sc := range reverse(o.Node().Scopes()) {
			if sh, ok := sc.(stackHolder); ok {
				s := sh.cdkStack()
				offloaders[s] = append(offloaders[s], o)
				break
			}
		}
	}
	if len(offloaders) == 0 {
		return false
	}
	measured := func(s *Stack) bool {
		for x := s; x != nil; x = x.nestedParent {
			if len(offloaders[x]) > 0 {
				return true
			}
		}
		return false
	}
	order := append([]*Stack(nil), stacks...)
	sort.SliceStable(order, func(i, j int) bool { return depth(order[i]) > depth(order[j]) })
	moved := false
	for _, s := range order {
		if !measured(s) {
			continue
		}
		s.unmovable = nil
		for round := 0; round <= len(offloaders[s]); round++ {
			var scratch problems
			r, err := renderStack(s, &scratch)
			if err != nil {
				break // the final rendering reports it
			}
			if s.nestedParent != nil {
				sum := sha256.Sum256(r.body)
				s.templateAssetHash = hex.EncodeToString(sum[:])
			}
			if len(r.body) <= MaxTemplateBytes {
				break
			}
			if !offload(s, r, offloaders[s]) {
				break
			}
			moved = true
		}
	}
	return moved
}

// offload takes the largest candidates of s out of its template r until
// their sizes add up to the excess, and reports whether any moved.
func offload(s *Stack, r *rendered, list []TemplateOffloader) bool {
	type candidate struct {
		o    TemplateOffloader
		size int
	}
	var cands []candidate
	stuck := map[string][]candidate{} // by reason
	var reasons []string
	for _, o := range list {
		res, why := o.OffloadableResource()
		if res == nil || r.resources == nil {
			continue
		}
		v, ok := r.resources.get(s.logicalIDOf(&res.CfnElement))
		if !ok {
			continue
		}
		b, err := marshalIndent(v)
		if err != nil {
			continue
		}
		if why != "" {
			if stuck[why] == nil {
				reasons = append(reasons, why)
			}
			stuck[why] = append(stuck[why], candidate{o, len(b)})
			continue
		}
		cands = append(cands, candidate{o, len(b)})
	}
	bySize := func(l []candidate) {
		sort.SliceStable(l, func(i, j int) bool { return l[i].size > l[j].size })
	}
	s.unmovable = nil
	for _, why := range reasons {
		l := stuck[why]
		bySize(l)
		var names []string
		for i, c := range l {
			if i == 5 {
				names = append(names, fmt.Sprintf("and %d more", len(l)-5))
				break
			}
			names = append(names, fmt.Sprintf("%s (%d bytes)", c.o.Node().Path(), c.size))
		}
		s.unmovable = append(s.unmovable, fmt.Sprintf("%s, because %s", strings.Join(names, ", "), why))
	}
	bySize(cands)
	// What an offloaded resource keeps in the template (an asset's bucket
	// and key), so that one round usually suffices; the next rendering
	// checks.
	const kept = 400
	excess := len(r.body) - MaxTemplateBytes
	n := 0
	for _, c := range cands {
		if excess <= 0 {
			break
		}
		c.o.OffloadFromTemplate(len(r.body))
		excess -= c.size - kept
		n++
	}
	return n > 0
}

// checkTemplateLimits reports a template over MaxTemplateBytes, naming its
// largest resources and what could not be offloaded, and a stack with more
// than MaxResources resources.
func checkTemplateLimits(s *Stack, r *rendered, probs *problems) {
	path := s.Node().Path()
	resources := r.resources
	if resources != nil && resources.len() > MaxResources {
		probs.add(path, "the stack has %d resources; CloudFormation allows at most %d per stack: move some constructs into a cdk.NestedStack or another stack", resources.len(), MaxResources)
	}
	if len(r.body) <= MaxTemplateBytes {
		return
	}
	type sized struct {
		id   string
		size int
	}
	var list []sized
	if resources != nil {
		for _, id := range resources.keys {
			v, _ := resources.get(id)
			b, err := marshalIndent(v)
			if err != nil {
				continue
			}
			list = append(list, sized{id, len(b)})
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].size > list[j].size })
	if len(list) > 5 {
		list = list[:5]
	}
	var parts []string
	for _, x := range list {
		name := x.id
		if p, ok := r.owner[x.id]; ok {
			name = p
		}
		parts = append(parts, fmt.Sprintf("%s (%d bytes)", name, x.size))
	}
	cannot := ""
	if len(s.unmovable) > 0 {
		cannot = "; these cannot leave the template: " + strings.Join(s.unmovable, "; ")
	}
	probs.add(path, "the template is %d bytes; CloudFormation accepts at most %d: the largest resources are %s%s; move some into a cdk.NestedStack or another stack, or make them smaller", len(r.body), MaxTemplateBytes, strings.Join(parts, ", "), cannot)
}

var (
	accountPattern = regexp.MustCompile(`^\d{12}$`)
	regionPattern  = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$`)
)

// checkEnvironment reports an account or region that AWS would not
// recognise.
func checkEnvironment(n *Node, env Environment) {
	if a := env.Account; a != "" && !IsUnresolved(a) && !accountPattern.MatchString(a) {
		n.AddError("Env.Account %q is not an AWS account ID: use the 12 digits of the account (leading zeros included), or leave it empty for an environment-agnostic stack", a)
	}
	if r := env.Region; r != "" && !IsUnresolved(r) && !regionPattern.MatchString(r) {
		n.AddError("Env.Region %q is not an AWS region name: use a region code such as \"us-east-1\" or \"eu-west-3\"", r)
	}
}

// checkStackNames reports two top-level stacks of the app that would
// deploy to the same CloudFormation stack (one name, one environment).
func checkStackNames(stacks []*Stack, probs *problems) {
	seen := map[string]*Stack{}
	for _, s := range stacks {
		if s.nestedParent != nil || IsUnresolved(s.stackName) {
			continue
		}
		key := s.stackName + "|" + s.props.Env.Account + "|" + s.props.Env.Region
		if prev, ok := seen[key]; ok {
			probs.add(s.Node().Path(), "stack name %q is already used by %s in the same environment: both would deploy to one CloudFormation stack; set StackProps.StackName to another name", s.stackName, prev.Node().Path())
			continue
		}
		seen[key] = s
	}
}

package cdk

import (
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

// checkTemplateLimits reports a template over MaxTemplateBytes, naming its
// largest resources, and a stack with more than MaxResources resources.
func checkTemplateLimits(s *Stack, resources *object, owner map[string]string, body []byte, probs *problems) {
	path := s.Node().Path()
	if resources != nil && resources.len() > MaxResources {
		probs.add(path, "the stack has %d resources; CloudFormation allows at most %d per stack: move some constructs into a cdk.NestedStack or another stack", resources.len(), MaxResources)
	}
	if len(body) <= MaxTemplateBytes {
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
	for _, r := range list {
		name := r.id
		if p, ok := owner[r.id]; ok {
			name = p
		}
		parts = append(parts, fmt.Sprintf("%s (%d bytes)", name, r.size))
	}
	probs.add(path, "the template is %d bytes; CloudFormation accepts at most %d: the largest resources are %s; move some into a cdk.NestedStack or another stack, or make them smaller", len(body), MaxTemplateBytes, strings.Join(parts, ", "))
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

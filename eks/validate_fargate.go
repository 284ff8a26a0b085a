package eks

// MaxFargateSelectorLabels is how many labels a Fargate selector may have.
const MaxFargateSelectorLabels = 5

// checkFargateProfileOptions reports problems of a Fargate profile's
// options and returns them with typed-nil references cleared.
func (p *FargateProfile) checkFargateProfileOptions(o FargateProfileOptions) FargateProfileOptions {
	n := p.Node()
	if isTypedNil(o.PodExecutionRole) {
		n.AddError("%s", nilRefMessage("PodExecutionRole", o.PodExecutionRole, "a new pod execution role"))
		o.PodExecutionRole = nil
	}
	if isTypedNil(o.Vpc) {
		n.AddError("%s", nilRefMessage("Vpc", o.Vpc, "the cluster's VPC"))
		o.Vpc = nil
	}
	o.SubnetSelection = checkSubnetSelection(n, "SubnetSelection", o.SubnetSelection)
	checkName(n, "FargateProfileName", o.FargateProfileName, 100)
	checkTags(n, "Tags", o.Tags)
	seen := map[string]int{}
	for i, s := range o.Selectors {
		if s.Namespace != "" {
			if e := validateDNSLabel("namespace", s.Namespace); e != "" {
				n.AddError("Selectors[%d]: %s", i, e)
			}
		}
		if len(s.Labels) > MaxFargateSelectorLabels {
			n.AddError("Selectors[%d] has %d labels; EKS allows at most %d per selector", i, len(s.Labels), MaxFargateSelectorLabels)
		}
		key := s.Namespace + "|" + labelsKey(s.Labels)
		if j, ok := seen[key]; ok {
			n.AddError("Selectors[%d] repeats Selectors[%d] (namespace %q): remove one", i, j, s.Namespace)
		}
		seen[key] = i
	}
	return o
}

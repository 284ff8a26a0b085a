package cdk

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/eksforge/eksforge/internal/uniqueid"
)

// Environment is the AWS account and region a stack deploys to. Leave both
// empty for an environment-agnostic stack, which uses the pseudo parameters
// AWS::AccountId and AWS::Region.
type Environment struct {
	// Account is the 12-digit AWS account ID.
	// Default: the account of the credentials used to deploy.
	Account string
	// Region is the AWS region, e.g. "us-east-1".
	// Default: the region of the deploy configuration.
	Region string
}

// StackProps configure a [Stack].
type StackProps struct {
	// Env is where the stack deploys.
	// Default: environment-agnostic.
	Env Environment
	// StackName is the CloudFormation stack name.
	// Default: the construct id for a stack directly under the app,
	// otherwise a name made from its path.
	StackName string
	// Description is the template's description.
	// Default: none.
	Description string
	// Tags are applied to the stack and every taggable resource in it.
	// Default: none.
	Tags map[string]string
	// TerminationProtection protects the stack from deletion.
	// Default: false.
	TerminationProtection bool
	// Synthesizer sets the bootstrap resources the stack uses.
	// Default: the default synthesizer with qualifier "hnb659fds".
	Synthesizer *DefaultSynthesizer
}

// Stack is a CloudFormation stack: the unit of deployment.
type Stack struct {
	Base
	props         StackProps
	stackName     string
	artifactID    string
	elementsDirty bool

	// Template-level settings.
	// TemplateOptions are the template's Description, Transforms and
	// Metadata.
	TemplateOptions TemplateOptions

	nestedParent   *Stack
	nestedResource *CfnResource
	nestedParams   map[string]string

	deps []stackDependency

	assets            *assetRegistry // top-level stacks only
	templateAssetHash string
	// unmovable describes the TemplateOffloaders of the stack that could
	// not leave an oversized template, for its limit error.
	unmovable   []string
	idCache     map[*CfnElement]string // while the tree is locked
	synthesizer *DefaultSynthesizer
}

// TemplateOptions are template-wide settings.
type TemplateOptions struct {
	// Description is the template's description.
	// Default: StackProps.Description.
	Description string
	// Transforms lists template macros, e.g. "AWS::Serverless-2016-10-31".
	// Default: none.
	Transforms []string
	// Metadata is the template's Metadata section.
	// Default: none.
	Metadata map[string]any
	// TemplateFormatVersion is AWSTemplateFormatVersion.
	// Default: none.
	TemplateFormatVersion string
}

type stackDependency struct {
	target *Stack
	reason string
}

func (s *Stack) cdkStack() *Stack { return s }

type stackHolder interface {
	Construct
	cdkStack() *Stack
}

var stackNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)

// NewStack adds a stack to scope (usually the [App]).
func NewStack(scope Construct, id string, props StackProps) *Stack {
	s := &Stack{}
	initStack(s, s, scope, id, props)
	return s
}

func initStack(host stackHolder, s *Stack, scope Construct, id string, props StackProps) {
	InitConstruct(host, scope, id)
	s.props = props
	s.TemplateOptions.Description = props.Description
	s.synthesizer = props.Synthesizer
	if s.synthesizer == nil {
		s.synthesizer = &DefaultSynthesizer{}
	}
	s.synthesizer.defaults()
	if len(props.Description) > 1024 {
		s.Node().AddError("the stack description is %d characters long; CloudFormation allows at most 1024", len(props.Description))
	}
	var ids []string
	for _, c := range s.Node().Scopes()[1:] {
		ids = append(ids, c.Node().ID())
	}
	// The AWS CDK names the artifact and the default stack name alike
	// (makeStackName): the id itself for a stack directly under the app.
	s.artifactID = uniqueid.MakeStackName(ids, "")
	s.stackName = props.StackName
	if s.stackName == "" {
		s.stackName = s.artifactID
	}
	if !IsUnresolved(s.stackName) && (!stackNamePattern.MatchString(s.stackName) || len(s.stackName) > 128) {
		s.Node().AddError("stack name %q is invalid: it must start with a letter, contain only letters, digits and hyphens, and be at most 128 characters; set StackProps.StackName", s.stackName)
	}
	checkEnvironment(s.Node(), props.Env)
	for _, k := range sortedKeys(props.Tags) {
		TagsOf(host).Add(k, props.Tags[k])
	}
}

func uniqueID(components []string) string {
	id, err := uniqueid.MakeUniqueID(components)
	if err != nil {
		panic(fmt.Sprintf("cdk: %v", err))
	}
	return id
}

// StackOf returns the stack that holds c (c itself when it is a stack). It
// panics when c is not inside a stack.
func StackOf(c Construct) *Stack {
	for _, s := range reverse(c.Node().Scopes()) {
		if sh, ok := s.(stackHolder); ok {
			return sh.cdkStack()
		}
	}
	panic(fmt.Sprintf("cdk: %q is not inside a Stack; create it under a cdk.NewStack", c.Node().Path()))
}

func reverse[T any](s []T) []T {
	out := make([]T, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// StackName is the CloudFormation stack name (a token for nested stacks).
func (s *Stack) StackName() string {
	if s.nestedParent != nil {
		return Aws.StackName
	}
	return s.stackName
}

// ArtifactID is the stack's id in the cloud assembly.
func (s *Stack) ArtifactID() string { return s.artifactID }

// TemplateFile is the name of the stack's template in the cloud assembly.
func (s *Stack) TemplateFile() string {
	if s.nestedParent != nil {
		return s.artifactID + ".nested.template.json"
	}
	return s.artifactID + ".template.json"
}

// Account is the stack's account: the literal when the environment is set,
// otherwise the AWS::AccountId token.
func (s *Stack) Account() string {
	if s.nestedParent != nil {
		return s.nestedParent.Account()
	}
	if s.props.Env.Account != "" {
		return s.props.Env.Account
	}
	return Aws.AccountID
}

// Region is the stack's region: the literal when the environment is set,
// otherwise the AWS::Region token.
func (s *Stack) Region() string {
	if s.nestedParent != nil {
		return s.nestedParent.Region()
	}
	if s.props.Env.Region != "" {
		return s.props.Env.Region
	}
	return Aws.Region
}

// Partition is the stack's partition ("aws", "aws-cn", …) when the region is
// known, otherwise the AWS::Partition token.
func (s *Stack) Partition() string {
	r := s.Region()
	switch {
	case IsUnresolved(r):
		return Aws.Partition
	case strings.HasPrefix(r, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(r, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(r, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(r, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(r, "eu-isoe-"):
		return "aws-iso-e"
	case strings.HasPrefix(r, "us-isof-"):
		return "aws-iso-f"
	}
	return "aws"
}

// URLSuffix is "amazonaws.com" (or the partition's), as a token when the
// region is unknown.
func (s *Stack) URLSuffix() string {
	switch s.Partition() {
	case "aws", "aws-us-gov":
		return "amazonaws.com"
	case "aws-cn":
		return "amazonaws.com.cn"
	}
	return Aws.URLSuffix
}

// EnvironmentAgnostic reports whether account or region are unknown at
// synthesis.
func (s *Stack) EnvironmentAgnostic() bool {
	return IsUnresolved(s.Account()) || IsUnresolved(s.Region())
}

// Environment returns "aws://account/region" with "unknown-account" and
// "unknown-region" standing for the agnostic parts.
func (s *Stack) Environment() string {
	acct, region := s.Account(), s.Region()
	if IsUnresolved(acct) {
		acct = "unknown-account"
	}
	if IsUnresolved(region) {
		region = "unknown-region"
	}
	return "aws://" + acct + "/" + region
}

// TerminationProtection reports whether the stack is protected.
func (s *Stack) TerminationProtection() bool { return s.props.TerminationProtection }

// Tags returns the stack-level tags.
func (s *Stack) Tags() map[string]string { return s.props.Tags }

// NestedStackParent is the parent of a nested stack, nil otherwise.
func (s *Stack) NestedStackParent() *Stack { return s.nestedParent }

// Nested reports whether the stack is a nested stack.
func (s *Stack) Nested() bool { return s.nestedParent != nil }

// AddDependency makes this stack deploy after target. Between a nested
// stack and another, the dependency is placed on the right resources.
func (s *Stack) AddDependency(target *Stack, reason ...string) {
	r := strings.Join(reason, "; ")
	addStackDependency(s, target, r)
}

// Dependencies returns the stacks this one must deploy after.
func (s *Stack) Dependencies() []*Stack {
	var out []*Stack
	for _, d := range s.deps {
		out = append(out, d.target)
	}
	return out
}

// Resolve resolves v in the context of this stack's template: tokens become
// CloudFormation expressions.
func (s *Stack) Resolve(v any) (any, error) {
	ctx := &ResolveContext{Stack: s, Scope: s}
	out := ctx.resolve(v)
	return out, ctx.err()
}

// ToJsonString renders v as a JSON string; tokens inside it are completed
// at deploy time.
func (s *Stack) ToJsonString(v any) string { return Fn.ToJsonString(v) }

// FormatArn builds an ARN in this stack's partition, region and account
// (unless the components say otherwise).
func (s *Stack) FormatArn(c ArnComponents) string {
	if c.Partition == "" {
		c.Partition = s.Partition()
	}
	if c.Region == "" && !c.NoRegion {
		c.Region = s.Region()
	}
	if c.Account == "" && !c.NoAccount {
		c.Account = s.Account()
	}
	return FormatArn(c)
}

func (s *Stack) logicalIDOf(e *CfnElement) string {
	if e.override != "" {
		return e.override
	}
	if s.idCache != nil {
		if id, ok := s.idCache[e]; ok {
			return id
		}
	}
	id := s.computeLogicalID(e)
	if s.idCache != nil {
		s.idCache[e] = id
	}
	return id
}

func (s *Stack) computeLogicalID(e *CfnElement) string {
	var ids []string
	scopes := e.Node().Scopes()
	i := len(scopes) - 1
	for ; i >= 0; i-- {
		if sh, ok := scopes[i].(stackHolder); ok && sh.cdkStack() == s {
			break
		}
	}
	for _, c := range scopes[i+1:] {
		ids = append(ids, c.Node().ID())
	}
	id, err := uniqueid.MakeUniqueID(ids)
	if err != nil {
		panic(fmt.Sprintf("cdk: cannot make a logical ID for %q: %v", e.Node().Path(), err))
	}
	return id
}

func (s *Stack) pathMetadata() bool {
	v := s.Node().TryGetContext("aws:cdk:disable-path-metadata")
	return v != true && v != "true"
}

// topLevel returns the top-level stack that deploys this one.
func (s *Stack) topLevel() *Stack {
	for s.nestedParent != nil {
		s = s.nestedParent
	}
	return s
}

// NestedStackProps configure a [NestedStack].
type NestedStackProps struct {
	// Parameters are values for the nested template's parameters.
	// Default: none.
	Parameters map[string]string
	// Timeout is how long CloudFormation waits for the nested stack, in
	// whole minutes.
	// Default: no timeout.
	Timeout Duration
	// NotificationARNs receive the nested stack's events.
	// Default: none.
	NotificationARNs []string
	// Description is the nested template's description.
	// Default: none.
	Description string
	// RemovalPolicy of the AWS::CloudFormation::Stack resource.
	// Default: RemovalPolicyDestroy.
	RemovalPolicy RemovalPolicy
}

// NestedStack is a stack deployed as an AWS::CloudFormation::Stack resource
// of its parent stack. References between parent and nested stack become
// parameters and outputs automatically.
type NestedStack struct {
	Stack
}

// NewNestedStack adds a nested stack to the stack that holds scope.
func NewNestedStack(scope Construct, id string, props NestedStackProps) *NestedStack {
	parent := StackOf(scope)
	ns := &NestedStack{}
	initStack(ns, &ns.Stack, scope, id, StackProps{Description: props.Description})
	ns.nestedParent = parent
	ns.nestedParams = map[string]string{}
	for k, v := range props.Parameters {
		ns.nestedParams[k] = v
	}
	holder := NewConstruct(scope, id+".NestedStack")
	res := NewCfnResource(holder, id+".NestedStackResource", CfnResourceProps{Type: "AWS::CloudFormation::Stack", Tagging: TagFormatStandard})
	rp := props.RemovalPolicy
	if rp == "" {
		rp = RemovalPolicyDestroy
	}
	res.ApplyRemovalPolicy(rp)
	ns.nestedResource = res
	res.Properties = map[string]any{
		"TemplateURL": LazyString(func() string { return ns.templateURL() }),
		"Parameters": LazyAny(func() any {
			if len(ns.nestedParams) == 0 {
				return nil
			}
			return ns.nestedParams
		}),
	}
	if !props.Timeout.IsZero() {
		m, err := props.Timeout.ToMinutes()
		if err != nil {
			ns.Node().AddError("nested stack Timeout: %v", err)
		}
		res.Properties["TimeoutInMinutes"] = m
	}
	if len(props.NotificationARNs) > 0 {
		res.Properties["NotificationARNs"] = props.NotificationARNs
	}
	return ns
}

// NestedStackResource is the AWS::CloudFormation::Stack resource in the
// parent stack.
func (ns *NestedStack) NestedStackResource() *CfnResource { return ns.nestedResource }

// SetParameter sets a parameter of the nested template.
func (ns *NestedStack) SetParameter(name, value string) { ns.nestedParams[name] = value }

func (ns *NestedStack) templateURL() string {
	top := ns.topLevel()
	loc := top.assets.locationOf(ns.templateAssetHash, top)
	return loc.HTTPURL
}

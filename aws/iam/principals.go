package iam

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/nilref"
)

// IGrantable is anything that can be granted permissions: a role, a user, a
// group, a principal, or a construct (a Lambda function, an instance) that
// acts through one of them.
type IGrantable interface {
	// GrantPrincipal is the principal to grant permissions to.
	GrantPrincipal() IPrincipal
}

// IPrincipal is an entity that can be named in the Principal element of a
// policy statement, and may have an identity policy of its own.
type IPrincipal interface {
	IGrantable
	// AssumeRoleAction is the action a trust policy allows this principal,
	// e.g. "sts:AssumeRole" or "sts:AssumeRoleWithWebIdentity".
	AssumeRoleAction() string
	// PolicyFragment is how the principal is written in a statement.
	PolicyFragment() *PrincipalPolicyFragment
	// PrincipalAccount is the AWS account the principal belongs to, or ""
	// when it is not known (a service principal). It may be a token.
	PrincipalAccount() string
	// AddToPrincipalPolicy adds a statement to the principal's own identity
	// policy, when it has one (a role, user or group); principals without
	// one (a service, an account) report StatementAdded false.
	AddToPrincipalPolicy(statement *PolicyStatement) AddToPrincipalPolicyResult
}

// IAssumeRolePrincipal is a principal that writes its own statements into a
// role's trust policy (a composite of principals with different assume-role
// actions does). Other principals get one statement allowing their
// AssumeRoleAction.
type IAssumeRolePrincipal interface {
	IPrincipal
	// AddToAssumeRolePolicy adds the statements trusting the principal to doc.
	AddToAssumeRolePolicy(doc *PolicyDocument)
}

// AddToPrincipalPolicyResult is the result of [IPrincipal.AddToPrincipalPolicy].
type AddToPrincipalPolicyResult struct {
	// StatementAdded reports whether the statement was added.
	StatementAdded bool
	// PolicyDependable is the construct that carries the statement (an
	// AWS::IAM::Policy, usually): resources using the permission should
	// depend on it. Set when StatementAdded is true.
	PolicyDependable cdk.Construct
}

// Conditions are the Condition element of a policy statement: a map from an
// operator ("StringEquals", "ArnLike", …) to a map of condition keys and
// values. A value may also be a token (for keys only known at deploy time).
type Conditions map[string]any

// PrincipalPolicyFragment is how a principal is written in a statement: the
// Principal element (a map from "AWS", "Service", "Federated", … to a list of
// values) and the conditions a statement naming the principal must carry.
type PrincipalPolicyFragment struct {
	// PrincipalJSON maps a principal type to its values.
	PrincipalJSON map[string][]string
	// Conditions are added to a statement naming the principal.
	// Default: none.
	Conditions Conditions
}

// dedupeKey identifies the fragment for statement merging.
func (f *PrincipalPolicyFragment) dedupeKey() string {
	b, _ := json.Marshal(struct {
		P map[string][]string
		C Conditions `json:",omitempty"`
	}{f.PrincipalJSON, f.Conditions})
	return string(b)
}

// principalBase implements the parts shared by principals without an
// identity policy of their own.
type principalBase struct{}

func (principalBase) AssumeRoleAction() string { return "sts:AssumeRole" }
func (principalBase) PrincipalAccount() string { return "" }
func (principalBase) AddToPrincipalPolicy(*PolicyStatement) AddToPrincipalPolicyResult {
	return AddToPrincipalPolicyResult{}
}

// stackDependent returns a string token computed for the stack whose
// template is being rendered (the AWS CDK's StackDependentToken).
func stackDependent(hint string, f func(s *cdk.Stack) string) string {
	return cdk.AsString(cdk.LazyWithContext(func(ctx *cdk.ResolveContext) any {
		if ctx.Stack == nil {
			ctx.Errorf("%s can only be rendered inside a stack's template", hint)
			return nil
		}
		return f(ctx.Stack)
	}))
}

// ServicePrincipal is an AWS service, such as "ec2.amazonaws.com".
type ServicePrincipal struct {
	principalBase
	service string
}

var servicePattern = regexp.MustCompile(`^([^.]+)(?:(?:\.amazonaws\.com(?:\.cn)?)|(?:\.c2s\.ic\.gov)|(?:\.sc2s\.sgov\.gov))?$`)

// NewServicePrincipal returns the principal of an AWS service. The name is
// written as the AWS CDK writes it today: "ec2", "ec2.amazonaws.com" and
// "ec2.amazonaws.com.cn" all become "ec2.amazonaws.com" (IAM maps it to the
// partition's own domain).
func NewServicePrincipal(service string) *ServicePrincipal {
	if service == "" {
		panic("iam: NewServicePrincipal needs a service name such as \"ec2.amazonaws.com\"")
	}
	if !cdk.IsUnresolved(service) {
		if m := servicePattern.FindStringSubmatch(service); m != nil {
			service = m[1] + ".amazonaws.com"
		}
	}
	return &ServicePrincipal{service: service}
}

// Service is the service name as written in policies.
func (p *ServicePrincipal) Service() string { return p.service }

// GrantPrincipal returns p.
func (p *ServicePrincipal) GrantPrincipal() IPrincipal { return p }

// PolicyFragment returns {"Service": [service]}.
func (p *ServicePrincipal) PolicyFragment() *PrincipalPolicyFragment {
	return &PrincipalPolicyFragment{PrincipalJSON: map[string][]string{"Service": {p.service}}}
}

// WithConditions returns the principal with conditions that statements
// naming it must carry.
func (p *ServicePrincipal) WithConditions(c Conditions) IPrincipal { return WithConditions(p, c) }

// String describes the principal.
func (p *ServicePrincipal) String() string { return "ServicePrincipal(" + p.service + ")" }

// ArnPrincipal is an IAM entity (a user, role, account root, …) named by
// its ARN.
type ArnPrincipal struct {
	principalBase
	arn     string
	account string
}

// NewArnPrincipal returns the principal with the given ARN.
func NewArnPrincipal(arn string) *ArnPrincipal {
	if arn == "" {
		panic("iam: NewArnPrincipal needs an ARN such as \"arn:aws:iam::123456789012:role/name\"")
	}
	p := &ArnPrincipal{arn: arn}
	if !cdk.IsUnresolved(arn) {
		if c, err := cdk.SplitArn(arn, cdk.ArnFormatSlashResourceName); err == nil {
			p.account = c.Account
		}
	}
	return p
}

// Arn is the principal's ARN.
func (p *ArnPrincipal) Arn() string { return p.arn }

// GrantPrincipal returns p.
func (p *ArnPrincipal) GrantPrincipal() IPrincipal { return p }

// PrincipalAccount is the account in the ARN, "" when the ARN is a token.
func (p *ArnPrincipal) PrincipalAccount() string { return p.account }

// PolicyFragment returns {"AWS": [arn]}.
func (p *ArnPrincipal) PolicyFragment() *PrincipalPolicyFragment {
	return &PrincipalPolicyFragment{PrincipalJSON: map[string][]string{"AWS": {p.arn}}}
}

// WithConditions returns the principal with conditions that statements
// naming it must carry.
func (p *ArnPrincipal) WithConditions(c Conditions) IPrincipal { return WithConditions(p, c) }

// String describes the principal.
func (p *ArnPrincipal) String() string { return "ArnPrincipal(" + p.arn + ")" }

// AccountPrincipal is the root of an AWS account: every IAM identity of the
// account that its own policies allow.
type AccountPrincipal struct {
	ArnPrincipal
}

// NewAccountPrincipal returns the principal of an account,
// arn:<partition>:iam::<account>:root, the partition being that of the
// stack the policy is rendered in.
func NewAccountPrincipal(accountID string) *AccountPrincipal {
	if accountID == "" {
		panic("iam: NewAccountPrincipal needs an account ID")
	}
	arn := stackDependent("AccountPrincipal", func(s *cdk.Stack) string {
		return "arn:" + s.Partition() + ":iam::" + accountID + ":root"
	})
	return &AccountPrincipal{ArnPrincipal{arn: arn, account: accountID}}
}

// GrantPrincipal returns p.
func (p *AccountPrincipal) GrantPrincipal() IPrincipal { return p }

// WithConditions returns the principal with conditions that statements
// naming it must carry.
func (p *AccountPrincipal) WithConditions(c Conditions) IPrincipal { return WithConditions(p, c) }

// String describes the principal.
func (p *AccountPrincipal) String() string { return "AccountPrincipal(" + p.account + ")" }

// AccountRootPrincipal is the root of the account of the stack the policy
// is rendered in.
type AccountRootPrincipal struct {
	ArnPrincipal
}

// NewAccountRootPrincipal returns the principal of the current account,
// arn:<partition>:iam::<account>:root for the stack the policy is rendered
// in (pseudo parameters in an environment-agnostic stack).
func NewAccountRootPrincipal() *AccountRootPrincipal {
	arn := stackDependent("AccountRootPrincipal", func(s *cdk.Stack) string {
		return "arn:" + s.Partition() + ":iam::" + s.Account() + ":root"
	})
	acct := stackDependent("AccountRootPrincipal", func(s *cdk.Stack) string { return s.Account() })
	return &AccountRootPrincipal{ArnPrincipal{arn: arn, account: acct}}
}

// GrantPrincipal returns p.
func (p *AccountRootPrincipal) GrantPrincipal() IPrincipal { return p }

// WithConditions returns the principal with conditions that statements
// naming it must carry.
func (p *AccountRootPrincipal) WithConditions(c Conditions) IPrincipal { return WithConditions(p, c) }

// String describes the principal.
func (p *AccountRootPrincipal) String() string { return "AccountRootPrincipal()" }

// NewAnyPrincipal returns the principal standing for everyone,
// {"AWS": "*"}.
func NewAnyPrincipal() *ArnPrincipal { return NewArnPrincipal("*") }

// FederatedPrincipal is an identity from a federated identity provider
// (web identity or SAML).
type FederatedPrincipal struct {
	federated  string
	conditions Conditions
	action     string
}

// NewFederatedPrincipal returns a federated principal. conditions are added
// to statements naming it; assumeRoleAction is the action a trust policy
// allows it.
// Default assumeRoleAction (when ""): "sts:AssumeRole".
func NewFederatedPrincipal(federated string, conditions Conditions, assumeRoleAction string) *FederatedPrincipal {
	if federated == "" {
		panic("iam: NewFederatedPrincipal needs the identity provider (an ARN or a domain such as \"cognito-identity.amazonaws.com\")")
	}
	if assumeRoleAction == "" {
		assumeRoleAction = "sts:AssumeRole"
	}
	return &FederatedPrincipal{federated: federated, conditions: conditions, action: assumeRoleAction}
}

// NewWebIdentityPrincipal returns a principal federated through a web
// identity provider; it assumes roles with sts:AssumeRoleWithWebIdentity.
func NewWebIdentityPrincipal(identityProvider string, conditions Conditions) *FederatedPrincipal {
	return NewFederatedPrincipal(identityProvider, conditions, "sts:AssumeRoleWithWebIdentity")
}

// IOpenIDConnectProvider is an IAM OpenID Connect identity provider, such as
// an EKS cluster's.
type IOpenIDConnectProvider interface {
	cdk.Construct
	// OpenIDConnectProviderArn is the provider's ARN.
	OpenIDConnectProviderArn() string
	// OpenIDConnectProviderIssuer is the issuer URL without "https://".
	OpenIDConnectProviderIssuer() string
}

// NewOpenIDConnectPrincipal returns a principal federated through an OpenID
// Connect provider (sts:AssumeRoleWithWebIdentity), e.g. a Kubernetes
// service account of an EKS cluster; conditions usually pin the audience
// and subject. A nil or typed-nil provider panics with a message (a
// programming error).
func NewOpenIDConnectPrincipal(provider IOpenIDConnectProvider, conditions Conditions) *FederatedPrincipal {
	if nilref.IsNil(provider) {
		panic("iam: NewOpenIDConnectPrincipal: the provider " + nilref.Describe(provider) + ": pass an OpenID Connect provider (iam.NewOpenIDConnectProvider or a cluster's OpenIdConnectProvider())")
	}
	return NewWebIdentityPrincipal(provider.OpenIDConnectProviderArn(), conditions)
}

// Federated is the identity provider.
func (p *FederatedPrincipal) Federated() string { return p.federated }

// GrantPrincipal returns p.
func (p *FederatedPrincipal) GrantPrincipal() IPrincipal { return p }

// AssumeRoleAction is the action given to NewFederatedPrincipal.
func (p *FederatedPrincipal) AssumeRoleAction() string { return p.action }

// PrincipalAccount is "": a federated identity has no account.
func (p *FederatedPrincipal) PrincipalAccount() string { return "" }

// AddToPrincipalPolicy does nothing: a federated principal has no policy.
func (p *FederatedPrincipal) AddToPrincipalPolicy(*PolicyStatement) AddToPrincipalPolicyResult {
	return AddToPrincipalPolicyResult{}
}

// PolicyFragment returns {"Federated": [provider]} with the conditions.
func (p *FederatedPrincipal) PolicyFragment() *PrincipalPolicyFragment {
	return &PrincipalPolicyFragment{PrincipalJSON: map[string][]string{"Federated": {p.federated}}, Conditions: copyConditions(p.conditions)}
}

// WithConditions returns the principal with more conditions that
// statements naming it must carry (merged with its own).
func (p *FederatedPrincipal) WithConditions(c Conditions) IPrincipal { return WithConditions(p, c) }

// String describes the principal.
func (p *FederatedPrincipal) String() string { return "FederatedPrincipal(" + p.federated + ")" }

// principalWithConditions wraps a principal and adds conditions.
type principalWithConditions struct {
	wrapped    IPrincipal
	conditions Conditions
}

// WithConditions returns p with conditions that every statement naming it
// must carry (merged with p's own, operator by operator). A nil or
// typed-nil p is a programming error: it panics with a message (there is
// no construct to report it on).
func WithConditions(p IPrincipal, conditions Conditions) IPrincipal {
	if nilref.IsNil(p) {
		panic("iam: WithConditions: the principal " + nilref.Describe(p) + ": pass a principal, such as iam.NewServicePrincipal(\"ec2.amazonaws.com\") or a role")
	}
	return &principalWithConditions{wrapped: p, conditions: copyConditions(conditions)}
}

func (p *principalWithConditions) GrantPrincipal() IPrincipal { return p }
func (p *principalWithConditions) AssumeRoleAction() string   { return p.wrapped.AssumeRoleAction() }
func (p *principalWithConditions) PrincipalAccount() string   { return p.wrapped.PrincipalAccount() }
func (p *principalWithConditions) AddToPrincipalPolicy(s *PolicyStatement) AddToPrincipalPolicyResult {
	return p.wrapped.AddToPrincipalPolicy(s)
}
func (p *principalWithConditions) PolicyFragment() *PrincipalPolicyFragment {
	f := p.wrapped.PolicyFragment()
	c := copyConditions(f.Conditions)
	if c == nil {
		c = Conditions{}
	}
	for _, op := range sortedKeys(p.conditions) {
		c[op] = mergeConditionValue(c[op], p.conditions[op])
	}
	return &PrincipalPolicyFragment{PrincipalJSON: f.PrincipalJSON, Conditions: c}
}
func (p *principalWithConditions) String() string {
	return fmt.Sprintf("%v with conditions", p.wrapped)
}

// CompositePrincipal stands for several principals at once: a role trusted
// by all of them, for example.
type CompositePrincipal struct {
	principals []IPrincipal
}

// NewCompositePrincipal combines principals; it panics without any, or
// with a nil or typed-nil one (programming errors: there is no construct
// to report them on). None of them may carry conditions.
func NewCompositePrincipal(principals ...IPrincipal) *CompositePrincipal {
	if len(principals) == 0 {
		panic("iam: NewCompositePrincipal needs at least one principal")
	}
	c := &CompositePrincipal{}
	c.AddPrincipals(principals...)
	return c
}

// AddPrincipals adds principals to the composite. It panics, with a
// message, on a nil or typed-nil principal.
func (c *CompositePrincipal) AddPrincipals(principals ...IPrincipal) *CompositePrincipal {
	for i, p := range principals {
		if nilref.IsNil(p) {
			panic(fmt.Sprintf("iam: CompositePrincipal: principal %d %s: pass a principal, such as iam.NewServicePrincipal(\"ec2.amazonaws.com\") or a role", i, nilref.Describe(p)))
		}
		if f := p.PolicyFragment(); len(f.Conditions) > 0 {
			panic(fmt.Sprintf("iam: the principals of a CompositePrincipal must not have conditions; %v has %v: use separate statements instead", p, f.Conditions))
		}
	}
	c.principals = append(c.principals, principals...)
	return c
}

// Principals returns the principals of the composite.
func (c *CompositePrincipal) Principals() []IPrincipal {
	return append([]IPrincipal(nil), c.principals...)
}

// GrantPrincipal returns c.
func (c *CompositePrincipal) GrantPrincipal() IPrincipal { return c }

// AssumeRoleAction is the first principal's.
func (c *CompositePrincipal) AssumeRoleAction() string { return c.principals[0].AssumeRoleAction() }

// PrincipalAccount is "".
func (c *CompositePrincipal) PrincipalAccount() string { return "" }

// AddToPrincipalPolicy does nothing: a composite has no policy of its own.
func (c *CompositePrincipal) AddToPrincipalPolicy(*PolicyStatement) AddToPrincipalPolicyResult {
	return AddToPrincipalPolicyResult{}
}

// PolicyFragment merges the principals' fragments.
func (c *CompositePrincipal) PolicyFragment() *PrincipalPolicyFragment {
	out := map[string][]string{}
	for _, p := range c.principals {
		mergePrincipalJSON(out, p.PolicyFragment().PrincipalJSON)
	}
	return &PrincipalPolicyFragment{PrincipalJSON: out}
}

// AddToAssumeRolePolicy adds one statement per principal, each with its own
// assume-role action; statement merging then combines those that agree.
func (c *CompositePrincipal) AddToAssumeRolePolicy(doc *PolicyDocument) {
	for _, p := range c.principals {
		addPrincipalToAssumeRole(p, doc)
	}
}

// String describes the principal.
func (c *CompositePrincipal) String() string {
	parts := make([]string, len(c.principals))
	for i, p := range c.principals {
		parts[i] = fmt.Sprint(p)
	}
	return "CompositePrincipal(" + strings.Join(parts, ",") + ")"
}

func addPrincipalToAssumeRole(p IPrincipal, doc *PolicyDocument) {
	if a, ok := p.(IAssumeRolePrincipal); ok {
		a.AddToAssumeRolePolicy(doc)
		return
	}
	doc.AddStatements(NewPolicyStatement(PolicyStatementProps{
		Actions:    []string{p.AssumeRoleAction()},
		Principals: []IPrincipal{p},
	}))
}

func mergePrincipalJSON(target, source map[string][]string) {
	for k, vs := range source {
		for _, v := range vs {
			if !contains(target[k], v) {
				target[k] = append(target[k], v)
			}
		}
	}
}

func copyConditions(c Conditions) Conditions {
	if c == nil {
		return nil
	}
	out := make(Conditions, len(c))
	for k, v := range c {
		out[k] = v
	}
	return out
}

// mergeConditionValue merges two values of the same condition operator:
// maps are combined key by key (b wins), anything else is replaced by b.
func mergeConditionValue(a, b any) any {
	am, aok := asStringMap(a)
	bm, bok := asStringMap(b)
	if !aok || !bok {
		return b
	}
	out := make(map[string]any, len(am)+len(bm))
	for k, v := range am {
		out[k] = v
	}
	for k, v := range bm {
		out[k] = v
	}
	return out
}

func asStringMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case map[string]string:
		out := make(map[string]any, len(m))
		for k, x := range m {
			out[k] = x
		}
		return out, true
	case map[string][]string:
		out := make(map[string]any, len(m))
		for k, x := range m {
			out[k] = x
		}
		return out, true
	}
	return nil, false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

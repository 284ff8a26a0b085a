package iam

import (
	"fmt"

	"github.com/eksforge/eksforge/cdk"
	cfniam "github.com/eksforge/eksforge/cfn/iam"
	"github.com/eksforge/eksforge/internal/nilref"
)

// IManagedPolicy is a managed policy, owned by AWS or by the account.
type IManagedPolicy interface {
	// ManagedPolicyArn is the policy's ARN.
	ManagedPolicyArn() string
}

type managedPolicyRef struct{ arn string }

func (m *managedPolicyRef) ManagedPolicyArn() string { return m.arn }
func (m *managedPolicyRef) String() string           { return "ManagedPolicy(" + m.arn + ")" }

// ManagedPolicyFromAwsManagedPolicyName returns an AWS managed policy by
// name, e.g. "AmazonEKSWorkerNodePolicy" or "service-role/AWSLambdaBasicExecutionRole".
// Its ARN is arn:<partition>:iam::aws:policy/<name>, the partition being that
// of the stack it is used in ({"Ref": "AWS::Partition"} in an
// environment-agnostic stack), as the AWS CDK renders it.
func ManagedPolicyFromAwsManagedPolicyName(name string) IManagedPolicy {
	if name == "" {
		panic("iam: ManagedPolicyFromAwsManagedPolicyName needs a policy name such as \"AmazonEKSClusterPolicy\"")
	}
	return &managedPolicyRef{arn: stackDependent("ManagedPolicy "+name, func(s *cdk.Stack) string {
		return "arn:" + s.Partition() + ":iam::aws:policy/" + name
	})}
}

// ManagedPolicyFromManagedPolicyArn returns an existing managed policy by
// ARN. scope and id are kept for symmetry with the AWS CDK; nothing is
// added to the tree.
func ManagedPolicyFromManagedPolicyArn(scope cdk.Construct, id string, arn string) IManagedPolicy {
	if arn == "" {
		panic(fmt.Sprintf("iam: %s/%s: ManagedPolicyFromManagedPolicyArn needs an ARN", scope.Node().Path(), id))
	}
	return &managedPolicyRef{arn: arn}
}

// ManagedPolicyFromManagedPolicyName returns a customer managed policy of
// the stack's account by name.
func ManagedPolicyFromManagedPolicyName(scope cdk.Construct, id string, name string) IManagedPolicy {
	s := cdk.StackOf(scope)
	return &managedPolicyRef{arn: s.FormatArn(cdk.ArnComponents{Service: "iam", NoRegion: true, Resource: "policy", ResourceName: name})}
}

// ManagedPolicyProps define a [ManagedPolicy].
type ManagedPolicyProps struct {
	// ManagedPolicyName is the policy's name.
	// Default: a name CloudFormation generates.
	ManagedPolicyName string
	// Description of the policy.
	// Default: none.
	Description string
	// Path of the policy.
	// Default: "/" (rendered, as the AWS CDK does).
	Path string
	// Statements of the policy.
	// Default: none (add some before synthesis).
	Statements []*PolicyStatement
	// Document is the policy's document; Statements are added to it.
	// Default: an empty document.
	Document *PolicyDocument
	// Roles to attach the policy to.
	// Default: none.
	Roles []IRole
	// Users to attach the policy to.
	// Default: none.
	Users []IUser
	// Groups to attach the policy to.
	// Default: none.
	Groups []IGroup
}

// ManagedPolicy is a customer managed policy (AWS::IAM::ManagedPolicy).
type ManagedPolicy struct {
	cdk.Base
	resource *cfniam.CfnManagedPolicy
	document *PolicyDocument
	roles    []IRole
	users    []IUser
	groups   []IGroup
}

// NewManagedPolicy adds a managed policy to scope.
func NewManagedPolicy(scope cdk.Construct, id string, props ManagedPolicyProps) *ManagedPolicy {
	m := &ManagedPolicy{document: props.Document}
	cdk.InitConstruct(m, scope, id)
	typedNils := nilref.Clear(&props, "ManagedPolicyProps")
	for _, e := range typedNils {
		m.Node().AddError("%s: pass a value, or leave the field unset", e)
	}
	if m.document == nil {
		m.document = NewPolicyDocument(PolicyDocumentProps{})
	}
	m.document.AddStatements(props.Statements...)
	if props.Path == "" {
		props.Path = "/"
	}
	m.resource = cfniam.NewCfnManagedPolicy(m, "Resource", cfniam.CfnManagedPolicyProps{
		PolicyDocument:    m.document,
		ManagedPolicyName: props.ManagedPolicyName,
		Description:       props.Description,
		Path:              props.Path,
	})
	if props.Description == "" {
		// The AWS CDK writes an empty description; so do we, for identical
		// templates.
		m.resource.AddPropertyOverride("Description", "")
	}
	for _, r := range props.Roles {
		m.AttachToRole(r)
	}
	for _, u := range props.Users {
		m.AttachToUser(u)
	}
	for _, g := range props.Groups {
		m.AttachToGroup(g)
	}
	m.Node().AddValidation(func() []string {
		var errs []string
		if m.document.IsEmpty() {
			errs = append(errs, "the managed policy has no statement: add statements (ManagedPolicyProps.Statements or AddStatements)")
		}
		return append(errs, m.document.ValidateForIdentityPolicy()...)
	})
	return m
}

// Resource is the AWS::IAM::ManagedPolicy resource.
func (m *ManagedPolicy) Resource() *cfniam.CfnManagedPolicy { return m.resource }

// ManagedPolicyArn is the policy's ARN ({"Ref": ...}).
func (m *ManagedPolicy) ManagedPolicyArn() string { return m.resource.Ref() }

// Document is the policy's document.
func (m *ManagedPolicy) Document() *PolicyDocument { return m.document }

// AddStatements adds statements to the policy.
func (m *ManagedPolicy) AddStatements(statements ...*PolicyStatement) {
	kept := statements[:0:0]
	for i, s := range statements {
		if !nilref.Report(m.Node(), fmt.Sprintf("ManagedPolicy.AddStatements: statement %d", i), "pass a statement made with iam.NewPolicyStatement", s) {
			kept = append(kept, s)
		}
	}
	statements = kept
	m.document.AddStatements(statements...)
}

// AttachToRole attaches the policy to a role.
func (m *ManagedPolicy) AttachToRole(r IRole) {
	if nilref.Report(m.Node(), "ManagedPolicy.AttachToRole: the role", "pass a role", r) {
		return
	}
	for _, x := range m.roles {
		if x == r {
			return
		}
	}
	m.roles = append(m.roles, r)
	m.resource.Props.Roles = append(m.resource.Props.Roles, r.RoleName())
}

// AttachToUser attaches the policy to a user.
func (m *ManagedPolicy) AttachToUser(u IUser) {
	if nilref.Report(m.Node(), "ManagedPolicy.AttachToUser: the user", "pass a user", u) {
		return
	}
	for _, x := range m.users {
		if x == u {
			return
		}
	}
	m.users = append(m.users, u)
	m.resource.Props.Users = append(m.resource.Props.Users, u.UserName())
}

// AttachToGroup attaches the policy to a group.
func (m *ManagedPolicy) AttachToGroup(g IGroup) {
	if nilref.Report(m.Node(), "ManagedPolicy.AttachToGroup: the group", "pass a group", g) {
		return
	}
	for _, x := range m.groups {
		if x == g {
			return
		}
	}
	m.groups = append(m.groups, g)
	m.resource.Props.Groups = append(m.resource.Props.Groups, g.GroupName())
}

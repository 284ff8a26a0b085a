package lambda

import (
	"fmt"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
)

// FunctionAttributes describe an existing function for
// [FunctionFromFunctionAttributes].
type FunctionAttributes struct {
	// FunctionArn is the function's ARN (a token is fine). Required.
	FunctionArn string
	// Role is the function's execution role; AddToRolePolicy and grants to
	// the function go to it.
	// Default: unknown; such grants add nothing (with a warning).
	Role iam.IRole
	// SecurityGroup is the function's security group, for Connections.
	// Default: none (Connections panics).
	SecurityGroup ec2.ISecurityGroup
	// SameEnvironment says the function is in this stack's account and
	// region, so its resource policy may be changed here (GrantInvoke to a
	// service, AddPermission).
	// Default: true when the ARN's account equals the stack's (both known).
	SameEnvironment bool
	// Architecture is the function's architecture.
	// Default: ArchitectureX8664.
	Architecture Architecture
}

// importedFunction is a function known by ARN.
type importedFunction struct {
	cdk.Base
	attrs     FunctionAttributes
	name      string
	account   string
	region    string
	canCreate bool
	conns     *ec2.Connections
	grants    map[string]*iam.Grant
}

// FunctionFromFunctionArn imports a function by ARN.
func FunctionFromFunctionArn(scope cdk.Construct, id, arn string) IFunction {
	return FunctionFromFunctionAttributes(scope, id, FunctionAttributes{FunctionArn: arn})
}

// FunctionFromFunctionAttributes imports a function. It panics when
// FunctionArn is empty or a literal that is not a function ARN.
func FunctionFromFunctionAttributes(scope cdk.Construct, id string, attrs FunctionAttributes) IFunction {
	f := &importedFunction{attrs: attrs, grants: map[string]*iam.Grant{}}
	cdk.InitConstruct(f, scope, id)
	if attrs.FunctionArn == "" {
		panic(fmt.Sprintf("lambda: imported function %q needs FunctionArn", f.Node().Path()))
	}
	if f.attrs.Architecture == "" {
		f.attrs.Architecture = ArchitectureX8664
	}
	stack := cdk.StackOf(f)
	if cdk.IsUnresolved(attrs.FunctionArn) {
		f.name = cdk.Fn.Select(6, cdk.Fn.Split(":", attrs.FunctionArn))
		f.account, f.region = stack.Account(), stack.Region()
	} else {
		c, err := cdk.SplitArn(attrs.FunctionArn, cdk.ArnFormatColonResourceName)
		if err != nil || c.Service != "lambda" || c.Resource != "function" || c.ResourceName == "" {
			panic(fmt.Sprintf("lambda: imported function %q: %q is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)", f.Node().Path(), attrs.FunctionArn))
		}
		f.name, f.account, f.region = c.ResourceName, c.Account, c.Region
	}
	f.canCreate = attrs.SameEnvironment
	if !f.canCreate {
		acct := stack.Account()
		f.canCreate = !cdk.IsUnresolved(acct) && !cdk.IsUnresolved(attrs.FunctionArn) && acct == f.account
	}
	if attrs.SecurityGroup != nil {
		f.conns = ec2.NewConnections(ec2.ConnectionsProps{SecurityGroups: []ec2.ISecurityGroup{attrs.SecurityGroup}})
	}
	return f
}

func (f *importedFunction) env() iam.ResourceEnvironment {
	return iam.ResourceEnvironment{Account: f.account, Region: f.region}
}

// FunctionArn is the imported ARN.
func (f *importedFunction) FunctionArn() string { return f.attrs.FunctionArn }

// FunctionName is the name part of the ARN.
func (f *importedFunction) FunctionName() string { return f.name }

// Role is the role given in the attributes, or nil.
func (f *importedFunction) Role() iam.IRole { return f.attrs.Role }

// Architecture is the architecture given in the attributes.
func (f *importedFunction) Architecture() Architecture { return f.attrs.Architecture }

// String returns the construct path.
func (f *importedFunction) String() string { return f.Node().Path() }

// GrantPrincipal is the role, or a principal that accepts no statements.
func (f *importedFunction) GrantPrincipal() iam.IPrincipal {
	if f.attrs.Role != nil {
		return f.attrs.Role.GrantPrincipal()
	}
	return &unknownPrincipal{f}
}

// Connections manages the security group given in the attributes; it
// panics without one.
func (f *importedFunction) Connections() *ec2.Connections {
	if f.conns == nil {
		panic(fmt.Sprintf("lambda: imported function %q has no security group; set FunctionAttributes.SecurityGroup", f.Node().Path()))
	}
	return f.conns
}

// GrantInvoke allows grantee to invoke the function.
func (f *importedFunction) GrantInvoke(grantee iam.IGrantable) *iam.Grant {
	return grantInvoke(f, f.grants, f.canCreate, grantee)
}

// AddPermission adds a permission when the function's resource policy may
// be changed here, and a warning otherwise.
func (f *importedFunction) AddPermission(id string, p Permission) {
	if !f.canCreate {
		f.Node().AddWarning("AddPermission(%q) has no effect on a function imported from another (or an unknown) account; set SameEnvironment if it is in this stack's account", id)
		return
	}
	addPermission(f, f, id, p)
}

// AddToRolePolicy adds to the role's policy, when the role is known.
func (f *importedFunction) AddToRolePolicy(statement *iam.PolicyStatement) {
	if f.attrs.Role != nil {
		f.attrs.Role.AddToPrincipalPolicy(statement)
	}
}

// unknownPrincipal stands for an imported function's unknown role: it
// accepts no statements, with a warning, as the AWS CDK's UnknownPrincipal.
type unknownPrincipal struct{ fn *importedFunction }

func (p *unknownPrincipal) GrantPrincipal() iam.IPrincipal { return p }
func (p *unknownPrincipal) AssumeRoleAction() string       { return "sts:AssumeRole" }
func (p *unknownPrincipal) PrincipalAccount() string       { return "" }
func (p *unknownPrincipal) String() string                 { return "UnknownPrincipal(" + p.fn.Node().Path() + ")" }
func (p *unknownPrincipal) PolicyFragment() *iam.PrincipalPolicyFragment {
	return &iam.PrincipalPolicyFragment{PrincipalJSON: map[string][]string{}}
}
func (p *unknownPrincipal) AddToPrincipalPolicy(s *iam.PolicyStatement) iam.AddToPrincipalPolicyResult {
	p.fn.Node().AddWarning("a permission for the imported function's role was not added (actions %v): its role is unknown; give FunctionAttributes.Role", s.Actions())
	return iam.AddToPrincipalPolicyResult{}
}

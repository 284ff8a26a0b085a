package iam_test

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
)

// printResources prints each resource of the stack's template as compact
// JSON, without metadata, in logical ID order.
func printResources(app *cdk.App, stack *cdk.Stack) {
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := asm.TemplateOf(stack)
	var tmpl struct{ Resources map[string]map[string]any }
	if err := json.Unmarshal(body, &tmpl); err != nil {
		fmt.Println(err)
		return
	}
	var ids []string
	for id := range tmpl.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		delete(tmpl.Resources[id], "Metadata")
		b, _ := json.Marshal(tmpl.Resources[id])
		fmt.Printf("%s %s\n", id, b)
	}
}

// A node role for EKS worker nodes: trusted by EC2, with an AWS managed
// policy and statements of its own in its default policy.
func ExampleNewRole() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	role := iam.NewRole(stack, "NodeRole", iam.RoleProps{
		AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com"),
		ManagedPolicies: []iam.IManagedPolicy{
			iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEKSWorkerNodePolicy"),
		},
	})
	role.AddToPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
		Actions:   []string{"s3:GetObject"},
		Resources: []string{"arn:aws:s3:::assets/*"},
	}))
	role.AddToPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
		Actions:   []string{"s3:PutObject"},
		Resources: []string{"arn:aws:s3:::assets/*"},
	}))
	printResources(app, stack)
	// Output:
	// NodeRoleB5643E21 {"Properties":{"AssumeRolePolicyDocument":{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"}}],"Version":"2012-10-17"},"ManagedPolicyArns":[{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonEKSWorkerNodePolicy"]]}]},"Type":"AWS::IAM::Role"}
	// NodeRoleDefaultPolicy84FA57C9 {"Properties":{"PolicyDocument":{"Statement":[{"Action":["s3:GetObject","s3:PutObject"],"Effect":"Allow","Resource":"arn:aws:s3:::assets/*"}],"Version":"2012-10-17"},"PolicyName":"NodeRoleDefaultPolicy84FA57C9","Roles":[{"Ref":"NodeRoleB5643E21"}]},"Type":"AWS::IAM::Policy"}
}

// A role for a Kubernetes service account (IRSA): trusted through the
// cluster's OpenID Connect provider, for one service account only.
func ExampleNewOpenIDConnectPrincipal() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	issuer := "oidc.eks.us-east-1.amazonaws.com/id/ABC"
	provider := iam.NewOpenIDConnectProvider(stack, "Provider", iam.OpenIDConnectProviderProps{
		URL:       "https://" + issuer,
		ClientIDs: []string{"sts.amazonaws.com"},
	})
	iam.NewRole(stack, "AppRole", iam.RoleProps{
		AssumedBy: iam.NewOpenIDConnectPrincipal(provider, iam.Conditions{
			"StringEquals": map[string]any{
				issuer + ":aud": "sts.amazonaws.com",
				issuer + ":sub": "system:serviceaccount:default:app",
			},
		}),
	})
	printResources(app, stack)
	// Output:
	// AppRoleDC883459 {"Properties":{"AssumeRolePolicyDocument":{"Statement":[{"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.us-east-1.amazonaws.com/id/ABC:aud":"sts.amazonaws.com","oidc.eks.us-east-1.amazonaws.com/id/ABC:sub":"system:serviceaccount:default:app"}},"Effect":"Allow","Principal":{"Federated":{"Ref":"Provider2281708E"}}}],"Version":"2012-10-17"}},"Type":"AWS::IAM::Role"}
	// Provider2281708E {"Properties":{"ClientIdList":["sts.amazonaws.com"],"Url":"https://oidc.eks.us-east-1.amazonaws.com/id/ABC"},"Type":"AWS::IAM::OIDCProvider"}
}

// Statements are rendered as the AWS CDK renders them: compatible ones are
// merged, values sorted, single values written without a list.
func ExamplePolicyDocument() {
	doc := iam.NewPolicyDocument(iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{
		iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"sqs:SendMessage"}, Resources: []string{"arn:aws:sqs:us-east-1:123456789012:q"}}),
		iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"sqs:DeleteMessage"}, Resources: []string{"arn:aws:sqs:us-east-1:123456789012:q"}}),
	}})
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	out, _ := stack.Resolve(doc)
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
	// Output:
	// {"Statement":[{"Action":["sqs:DeleteMessage","sqs:SendMessage"],"Effect":"Allow","Resource":"arn:aws:sqs:us-east-1:123456789012:q"}],"Version":"2012-10-17"}
}

// Resources grant access to a grantee; the grant adds a statement to the
// grantee's default policy.
func ExampleRole_GrantPassRole() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	nodeRole := iam.NewRole(stack, "NodeRole", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	operator := iam.NewUser(stack, "Operator", iam.UserProps{})
	grant := nodeRole.GrantPassRole(operator)
	fmt.Println(grant.Success(), len(grant.PrincipalStatements()))
	// Output:
	// true 1
}

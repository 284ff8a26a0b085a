// Package iam has the AWS Identity and Access Management constructs the EKS
// library and its users need: roles ([Role], [RoleFromRoleArn]), users,
// groups, policies ([Policy], [ManagedPolicy]), policy documents and
// statements, principals, and grants. It is a port of the AWS CDK's
// aws-iam module: the same construct ids, logical IDs and rendered
// policies, in Go.
//
// # Roles and policies
//
//	role := iam.NewRole(stack, "NodeRole", iam.RoleProps{
//		AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com"),
//		ManagedPolicies: []iam.IManagedPolicy{
//			iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEKSWorkerNodePolicy"),
//		},
//	})
//	role.AddToPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
//		Actions:   []string{"s3:GetObject"},
//		Resources: []string{"arn:aws:s3:::my-bucket/*"},
//	}))
//
// AddToPolicy (and every grant to the role) adds statements to one
// AWS::IAM::Policy, the role's "DefaultPolicy", attached to the role.
//
// # Policy documents
//
// A [PolicyDocument] renders as the AWS CDK renders it with the
// @aws-cdk/aws-iam:minimizePolicies feature flag that new AWS CDK projects
// set: statements that differ in only one of actions, resources and
// principals are merged, values are sorted and de-duplicated, and a list of
// one value is written as the value. Statements are checked when the app is
// synthesized: an action must read "service:Action", an identity policy's
// statements must not name principals, a resource or trust policy's must;
// every problem is reported with the path of the construct holding the
// policy.
//
// # Principals and grants
//
// [IPrincipal] is anything a statement can name: [NewServicePrincipal],
// [NewArnPrincipal], [NewAccountPrincipal], [NewAccountRootPrincipal],
// [NewFederatedPrincipal], [NewWebIdentityPrincipal],
// [NewOpenIDConnectPrincipal], [NewCompositePrincipal], and roles, users and
// groups themselves. [NewOpenIDConnectProvider] is the native IAM OpenID
// Connect provider an EKS cluster's service accounts are trusted through.
// [IGrantable] is anything permissions can be granted to.
// Resources grant access with [GrantAddToPrincipal] (the grantee's policy),
// [GrantAddToPrincipalOrResource] (the resource's policy across accounts)
// and [GrantOnPrincipalAndResource] (both), each returning a [Grant].
//
// This package is not for policies of other services' resources: a key
// policy or a bucket policy lives with its key or bucket (packages kms and
// s3), built from the same [PolicyStatement]s.
package iam

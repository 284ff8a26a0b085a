package iam_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cfnlint"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// TestGoldenTemplates compares whole templates with testdata (go test
// -update rewrites them) and checks each golden with cfn-lint.
func TestGoldenTemplates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file  string
		build func(stack *cdk.Stack)
	}{
		{"role-oidc.template.json", func(stack *cdk.Stack) {
			issuer := "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
			provider := newOIDCProvider(stack, "ClusterOidcProvider", issuer)
			role := iam.NewRole(stack, "ServiceAccountRole", iam.RoleProps{
				AssumedBy: iam.NewOpenIDConnectPrincipal(provider, iam.Conditions{"StringEquals": map[string]any{
					issuer + ":aud": "sts.amazonaws.com",
					issuer + ":sub": "system:serviceaccount:kube-system:aws-load-balancer-controller",
				}}),
				Description: "IRSA role of the AWS Load Balancer Controller",
				ManagedPolicies: []iam.IManagedPolicy{
					iam.ManagedPolicyFromAwsManagedPolicyName("ElasticLoadBalancingReadOnly"),
				},
			})
			role.AddToPolicy(allow([]string{"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:DeleteLoadBalancer"}, "*"))
			role.AddToPolicy(allow([]string{"ec2:DescribeVpcs", "ec2:DescribeSubnets"}, "*"))
		}},
		{"iam-parity.template.json", buildParityIAM},
	}
	paths := make([]string, len(tests))
	for i, tc := range tests {
		_, stack := synthtest.NewStack()
		tc.build(stack)
		paths[i] = synthtest.CheckGolden(t, tc.file, stack)
	}
	cfnlint.LintFiles(t, paths...)
}

package eks_test

import (
	"testing"

	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

func TestHybridNodesRoleWithSsm(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack, eks.ClusterProps{RemoteNodeNetworks: []string{"172.16.0.0/16"}})
	h := c.AddHybridNodesRole("HybridNodes")
	tmpl := assertions.FromStack(t, stack)
	roleID := logicalIDOf(t, stack, h.Role())
	tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action":    "sts:AssumeRole",
			"Principal": map[string]any{"Service": "ssm.amazonaws.com"},
			"Condition": map[string]any{
				"StringEquals": map[string]any{"aws:SourceAccount": map[string]any{"Ref": "AWS::AccountId"}},
				"ArnEquals":    map[string]any{"aws:SourceArn": Match.AnyValue()},
			},
		}}},
		"ManagedPolicyArns": []any{partitionArn(":iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"), partitionArn(":iam::aws:policy/AmazonSSMManagedInstanceCore")},
	})
	tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"Roles": []any{map[string]any{"Ref": roleID}},
		"PolicyDocument": map[string]any{"Statement": []any{
			map[string]any{"Action": "eks:DescribeCluster", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{"ClusterEB0386A7", "Arn"}}},
			map[string]any{"Action": []any{"ssm:DeregisterManagedInstance", "ssm:DescribeInstanceInformation"}, "Effect": "Allow", "Resource": "*"},
		}},
	})
	tmpl.HasResourceProperties("AWS::EKS::AccessEntry", map[string]any{
		"Type":           "HYBRID_LINUX",
		"PrincipalArn":   map[string]any{"Fn::GetAtt": []any{roleID, "Arn"}},
		"AccessPolicies": Match.Absent(),
	})
	if h.AccessEntry() == nil {
		t.Error("no access entry")
	}
}

func TestHybridNodesRoleWithRolesAnywhere(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack, eks.ClusterProps{RemoteNodeNetworks: []string{"172.16.0.0/16"}})
	anchor := "arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/a1b2c3"
	c.AddHybridNodesRole("HybridNodes", eks.HybridNodesRoleOptions{CredentialProvider: eks.HybridNodesCredentialProviderRolesAnywhere, TrustAnchorArn: anchor})
	tmpl := assertions.FromStack(t, stack)
	principal := map[string]any{"Service": "rolesanywhere.amazonaws.com"}
	cond := map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": anchor}}
	tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": Match.ArrayEquals([]any{
			map[string]any{"Action": []any{"sts:TagSession", "sts:SetSourceIdentity"}, "Effect": "Allow", "Principal": principal, "Condition": cond},
			map[string]any{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": principal, "Condition": map[string]any{
				"ArnEquals":    map[string]any{"aws:SourceArn": anchor},
				"StringEquals": map[string]any{"sts:RoleSessionName": "${aws:PrincipalTag/x509Subject/CN}"},
			}},
		})},
		"ManagedPolicyArns": []any{partitionArn(":iam::aws:policy/AmazonEC2ContainerRegistryPullOnly")},
	})
}

func TestHybridNodesValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		props eks.ClusterProps
		opts  eks.HybridNodesRoleOptions
		want  []string
	}{
		{"fails without remote node networks", eks.ClusterProps{}, eks.HybridNodesRoleOptions{},
			[]string{"Stack/Cluster/Hybrid", "the cluster has no RemoteNodeNetworks"}},
		{"fails in CONFIG_MAP mode", eks.ClusterProps{RemoteNodeNetworks: []string{"172.16.0.0/16"}, AuthenticationMode: eks.AuthenticationModeConfigMap}, eks.HybridNodesRoleOptions{},
			[]string{"Stack/Cluster/Hybrid", "the cluster's AuthenticationMode is CONFIG_MAP"}},
		{"fails with Roles Anywhere without trust anchor", eks.ClusterProps{RemoteNodeNetworks: []string{"172.16.0.0/16"}}, eks.HybridNodesRoleOptions{CredentialProvider: eks.HybridNodesCredentialProviderRolesAnywhere},
			[]string{"TrustAnchorArn is required with IAM Roles Anywhere"}},
		{"fails with a trust anchor for SSM", eks.ClusterProps{RemoteNodeNetworks: []string{"172.16.0.0/16"}}, eks.HybridNodesRoleOptions{TrustAnchorArn: "arn:aws:rolesanywhere:us-west-2:1:trust-anchor/x"},
			[]string{"TrustAnchorArn is for IAM Roles Anywhere"}},
		{"fails with a trust anchor that is not one", eks.ClusterProps{RemoteNodeNetworks: []string{"172.16.0.0/16"}}, eks.HybridNodesRoleOptions{CredentialProvider: eks.HybridNodesCredentialProviderRolesAnywhere, TrustAnchorArn: "arn:aws:iam::1:role/x"},
			[]string{`TrustAnchorArn "arn:aws:iam::1:role/x" is not an IAM Roles Anywhere trust anchor ARN`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			clusterWithoutCapacity(stack, tc.props).AddHybridNodesRole("Hybrid", tc.opts)
			wantError(t, app, tc.want...)
		})
	}
}

package eks_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

func TestCapabilities(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	argo := c.AddCapability("ArgoCd", eks.CapabilityOptions{
		Type: eks.CapabilityTypeArgoCd,
		ArgoCd: &eks.ArgoCdOptions{
			IdentityCenterInstanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef",
			IdentityCenterRegion:      "us-east-1",
			RbacRoleMappings:          []eks.ArgoCdRoleMapping{{Role: eks.ArgoCdRoleAdmin, Groups: []string{"g-admins"}, Users: []string{"u-alice"}}},
			VpcEndpointIds:            []string{"vpce-0123"},
		},
	})
	ack := c.AddCapability("Ack", eks.CapabilityOptions{Type: eks.CapabilityTypeAck, Tags: map[string]string{"team": "platform"}})
	s3.NewBucket(stack, "Bucket", s3.BucketProps{}).GrantReadWrite(ack)
	c.AddCapability("Kro", eks.CapabilityOptions{Type: eks.CapabilityTypeKro, CapabilityName: "compositions"})

	tmpl := assertions.FromStack(t, stack)
	tmpl.ResourceCountIs("AWS::EKS::Capability", 3)
	tmpl.HasResourceProperties("AWS::EKS::Capability", map[string]any{
		"CapabilityName":          "argocd",
		"ClusterName":             map[string]any{"Ref": "ClusterEB0386A7"},
		"Type":                    "ARGOCD",
		"DeletePropagationPolicy": "RETAIN",
		"RoleArn":                 map[string]any{"Fn::GetAtt": []any{logicalIDOf(t, stack, argo.Role()), "Arn"}},
		"Configuration": map[string]any{"ArgoCd": map[string]any{
			"AwsIdc":        map[string]any{"IdcInstanceArn": "arn:aws:sso:::instance/ssoins-1234567890abcdef", "IdcRegion": "us-east-1"},
			"NetworkAccess": map[string]any{"VpceIds": []any{"vpce-0123"}},
			"RbacRoleMappings": []any{map[string]any{"Role": "ADMIN", "Identities": []any{
				map[string]any{"Id": "u-alice", "Type": "SSO_USER"}, map[string]any{"Id": "g-admins", "Type": "SSO_GROUP"},
			}}},
		}},
	})
	tmpl.HasResourceProperties("AWS::EKS::Capability", map[string]any{"CapabilityName": "ack", "Type": "ACK", "Configuration": Match.Absent(),
		"Tags": []any{map[string]any{"Key": "team", "Value": "platform"}}})
	tmpl.HasResourceProperties("AWS::EKS::Capability", map[string]any{"CapabilityName": "compositions", "Type": "KRO"})
	tmpl.ResourcePropertiesCountIs("AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": []any{"sts:AssumeRole", "sts:TagSession"}, "Principal": map[string]any{"Service": "capabilities.eks.amazonaws.com"},
		}}},
	}, 3)
	// Grants to ACK go to its role.
	tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{"Roles": []any{map[string]any{"Ref": logicalIDOf(t, stack, ack.Role())}}})
	if argo.CapabilityName() != "argocd" || !cdk.IsUnresolved(argo.CapabilityArn()) || !cdk.IsUnresolved(argo.ArgoCdServerUrl()) {
		t.Error("accessors")
	}
}

func TestCapabilityValidation(t *testing.T) {
	t.Parallel()
	idc := "arn:aws:sso:::instance/ssoins-1"
	cases := []struct {
		name string
		mode eks.AuthenticationMode
		opts []eks.CapabilityOptions
		want []string
	}{
		{"fails without type", "", []eks.CapabilityOptions{{}}, []string{"Stack/Cluster/Cap0", "Type is required"}},
		{"fails with an unknown type", "", []eks.CapabilityOptions{{Type: "FLUX"}}, []string{`Type "FLUX" is not a capability type`}},
		{"fails with Argo CD without options", "", []eks.CapabilityOptions{{Type: eks.CapabilityTypeArgoCd}}, []string{"the Argo CD capability needs ArgoCd options"}},
		{"fails with Argo CD options on kro", "", []eks.CapabilityOptions{{Type: eks.CapabilityTypeKro, ArgoCd: &eks.ArgoCdOptions{IdentityCenterInstanceArn: idc}}},
			[]string{"ArgoCd options are only for the Argo CD capability, but Type is KRO"}},
		{"fails with a bad Identity Center ARN", "", []eks.CapabilityOptions{{Type: eks.CapabilityTypeArgoCd, ArgoCd: &eks.ArgoCdOptions{IdentityCenterInstanceArn: "ssoins-1"}}},
			[]string{`ArgoCd.IdentityCenterInstanceArn "ssoins-1" is not an IAM Identity Center instance ARN`}},
		{"fails with a bad Argo CD role or empty mapping", "", []eks.CapabilityOptions{{Type: eks.CapabilityTypeArgoCd, ArgoCd: &eks.ArgoCdOptions{IdentityCenterInstanceArn: idc,
			RbacRoleMappings: []eks.ArgoCdRoleMapping{{Role: "OWNER", Users: []string{"u"}}, {Role: eks.ArgoCdRoleViewer}}}}},
			[]string{`ArgoCd.RbacRoleMappings[0].Role "OWNER" is not ADMIN, EDITOR or VIEWER`, "ArgoCd.RbacRoleMappings[1] names no users or groups"}},
		{"fails with two capabilities of one name", "", []eks.CapabilityOptions{{Type: eks.CapabilityTypeAck}, {Type: eks.CapabilityTypeAck}},
			[]string{"Stack/Cluster/Cap1", `capability name "ack" is already used on the cluster by Stack/Cluster/Cap0`}},
		{"fails in CONFIG_MAP mode", eks.AuthenticationModeConfigMap, []eks.CapabilityOptions{{Type: eks.CapabilityTypeKro}},
			[]string{"the cluster's AuthenticationMode is CONFIG_MAP"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			c := clusterWithoutCapacity(stack, eks.ClusterProps{AuthenticationMode: tc.mode})
			for i, o := range tc.opts {
				c.AddCapability("Cap"+string(rune('0'+i)), o)
			}
			wantError(t, app, tc.want...)
		})
	}
}

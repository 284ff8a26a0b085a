package eks_test

import (
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

func TestGrantAccess(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	view := eks.AccessPolicyFromAccessPolicyName("AmazonEKSViewPolicy", eks.AccessScope{Type: eks.AccessScopeTypeNamespace, Namespaces: []string{"a", "b"}})
	e := c.GrantAccess("Dev", "arn:aws:iam::123456789012:role/dev", view)
	// A second grant to the same principal adds to the same entry.
	e2 := c.GrantClusterAdmin("DevAdmin", "arn:aws:iam::123456789012:role/dev")
	if e != e2 {
		t.Error("a second grant to the same principal made another entry")
	}
	tmpl := assertions.FromStack(t, stack)
	tmpl.ResourceCountIs("AWS::EKS::AccessEntry", 1)
	tmpl.HasResourceProperties("AWS::EKS::AccessEntry", map[string]any{
		"ClusterName":  map[string]any{"Ref": "ClusterEB0386A7"},
		"PrincipalArn": "arn:aws:iam::123456789012:role/dev",
		"Type":         Match.Absent(),
		"AccessPolicies": []any{
			map[string]any{"PolicyArn": partitionArn(":eks::aws:cluster-access-policy/AmazonEKSViewPolicy"), "AccessScope": map[string]any{"Type": "namespace", "Namespaces": []any{"a", "b"}}},
			map[string]any{"PolicyArn": partitionArn(":eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"), "AccessScope": map[string]any{"Type": "cluster"}},
		},
	})
	if !cdk.IsUnresolved(e.AccessEntryArn()) || e.Cluster() != c {
		t.Error("accessors")
	}
}

func TestAccessEntryConstruct(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	eks.NewAccessEntry(stack, "Entry", eks.AccessEntryProps{
		Cluster: c, Principal: "arn:aws:iam::123456789012:role/x", AccessEntryType: eks.AccessEntryTypeStandard,
		KubernetesGroups: []string{"viewers"}, Username: "x",
		AccessPolicies: []eks.AccessPolicy{eks.AccessPolicyFromAccessPolicyArn("arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", eks.AccessScope{Type: eks.AccessScopeTypeCluster})},
	})
	eks.NewAccessEntry(stack, "Nodes", eks.AccessEntryProps{Cluster: c, Principal: "arn:aws:iam::123456789012:role/nodes", AccessEntryType: eks.AccessEntryTypeEc2Linux})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::EKS::AccessEntry", map[string]any{
		"KubernetesGroups": []any{"viewers"}, "Username": "x",
		"AccessPolicies": []any{map[string]any{"PolicyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"}},
	})
	tmpl.HasResourceProperties("AWS::EKS::AccessEntry", map[string]any{"Type": "EC2_LINUX", "AccessPolicies": Match.Absent()})
}

func TestAccessEntryValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		mode  eks.AuthenticationMode
		props eks.AccessEntryProps
		want  string
	}{
		{"fails in CONFIG_MAP mode", eks.AuthenticationModeConfigMap, eks.AccessEntryProps{Principal: "arn:aws:iam::1:role/x"}, "the cluster's AuthenticationMode is CONFIG_MAP"},
		{"fails without principal", "", eks.AccessEntryProps{}, "Principal is required"},
		{"fails with policies on an EC2 entry", "", eks.AccessEntryProps{Principal: "arn:aws:iam::1:role/x", AccessEntryType: eks.AccessEntryTypeEc2Linux,
			AccessPolicies: []eks.AccessPolicy{eks.AccessPolicyFromAccessPolicyName("AmazonEKSViewPolicy", eks.AccessScope{Type: eks.AccessScopeTypeCluster})}}, "access entries of type EC2_LINUX cannot have access policies"},
		{"fails with a namespace scope without namespaces", "", eks.AccessEntryProps{Principal: "arn:aws:iam::1:role/x",
			AccessPolicies: []eks.AccessPolicy{eks.AccessPolicyFromAccessPolicyName("AmazonEKSViewPolicy", eks.AccessScope{Type: eks.AccessScopeTypeNamespace})}}, "has a namespace scope without namespaces"},
		{"fails with a cluster scope with namespaces", "", eks.AccessEntryProps{Principal: "arn:aws:iam::1:role/x",
			AccessPolicies: []eks.AccessPolicy{eks.AccessPolicyFromAccessPolicyName("AmazonEKSViewPolicy", eks.AccessScope{Type: eks.AccessScopeTypeCluster, Namespaces: []string{"a"}})}}, "has a cluster scope with namespaces"},
		{"fails without a scope type", "", eks.AccessEntryProps{Principal: "arn:aws:iam::1:role/x",
			AccessPolicies: []eks.AccessPolicy{eks.AccessPolicyFromAccessPolicyName("AmazonEKSViewPolicy", eks.AccessScope{})}}, "has no AccessScope.Type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			c := clusterWithoutCapacity(stack, eks.ClusterProps{AuthenticationMode: tc.mode})
			tc.props.Cluster = c
			eks.NewAccessEntry(stack, "Entry", tc.props)
			wantError(t, app, "Stack/Entry", tc.want)
		})
	}
}

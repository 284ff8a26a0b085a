package eks_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

func warningsOf(c cdk.Construct) []string {
	var out []string
	for _, m := range c.Node().Metadata() {
		if m.Type == cdk.MetadataWarning {
			out = append(out, m.Data.(string))
		}
	}
	return out
}

func TestNoCreatorAdminByDefault(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		props eks.ClusterProps
		want  any
	}{
		{"false with access entries (the default mode)", eks.ClusterProps{}, false},
		{"false in API mode", eks.ClusterProps{AuthenticationMode: eks.AuthenticationModeApi}, false},
		{"true only when asked", eks.ClusterProps{BootstrapClusterCreatorAdminPermissions: cdk.Ptr(true)}, true},
		{"EKS's default in CONFIG_MAP mode, where the creator is the only way in", eks.ClusterProps{AuthenticationMode: eks.AuthenticationModeConfigMap}, Match.Absent()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := newStack()
			clusterWithoutCapacity(stack, tc.props)
			assertions.FromStack(t, stack).HasResourceProperties("AWS::EKS::Cluster", map[string]any{
				"AccessConfig": Match.ObjectLike(map[string]any{"BootstrapClusterCreatorAdminPermissions": tc.want}),
			})
		})
	}
}

func TestSelfManagedNodesRequireImdsv2(t *testing.T) {
	t.Parallel()
	t.Run("required with a hop limit of 2 by default", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		c := clusterWithoutCapacity(stack)
		c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
		assertions.FromStack(t, stack).HasResourceProperties("AWS::EC2::LaunchTemplate", map[string]any{
			"LaunchTemplateData": Match.ObjectLike(map[string]any{
				"MetadataOptions": map[string]any{"HttpTokens": "required", "HttpPutResponseHopLimit": 2},
			}),
		})
	})
	t.Run("hop limit configurable", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		c := clusterWithoutCapacity(stack)
		c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large", func(o *eks.AutoScalingGroupCapacityOptions) { o.HttpPutResponseHopLimit = 1 }))
		assertions.FromStack(t, stack).HasResourceProperties("AWS::EC2::LaunchTemplate", map[string]any{
			"LaunchTemplateData": Match.ObjectLike(map[string]any{
				"MetadataOptions": map[string]any{"HttpTokens": "required", "HttpPutResponseHopLimit": 1},
			}),
		})
	})
	t.Run("IMDSv1 when asked", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		c := clusterWithoutCapacity(stack)
		c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large", func(o *eks.AutoScalingGroupCapacityOptions) { o.AllowImdsv1 = true }))
		assertions.FromStack(t, stack).HasResourceProperties("AWS::EC2::LaunchTemplate", map[string]any{
			"LaunchTemplateData": Match.ObjectLike(map[string]any{"MetadataOptions": Match.Absent()}),
		})
	})
	t.Run("fails with AllowImdsv1 and RequireImdsv2", func(t *testing.T) {
		t.Parallel()
		app, stack := newStack()
		c := clusterWithoutCapacity(stack)
		c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large", func(o *eks.AutoScalingGroupCapacityOptions) {
			o.AllowImdsv1, o.RequireImdsv2 = true, true
		}))
		wantError(t, app, "[Stack/Cluster]", "Nodes: AllowImdsv1 and RequireImdsv2 are both set")
	})
}

func TestSecretsInTemplatesWarn(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	m := c.AddManifest("app",
		map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "db", "namespace": "app"}, "stringData": map[string]any{"password": "hunter2"}},
		map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "empty"}, "type": "kubernetes.io/service-account-token"},
		map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "cfg"}, "data": map[string]any{"password": "not a secret kind"}})
	got := warningsOf(m)
	if len(got) != 1 || !strings.Contains(got[0], "the manifest holds v1 Secret app/db with data, which is written into the template") ||
		!strings.Contains(got[0], "Secrets Manager") || strings.Contains(got[0], "hunter2") {
		t.Errorf("manifest warnings = %q, want one naming v1 Secret app/db and the alternatives, without its value", got)
	}
	h := c.AddHelmChart("Chart", eks.HelmChartOptions{Chart: "app", Repository: "https://charts.example.com", Values: map[string]any{
		"db":       map[string]any{"password": "hunter2", "host": "db"},
		"apiKey":   "k-123",
		"tokenTo":  c.ClusterName(), // a token (late-bound) is not a literal secret
		"replicas": 2,
	}})
	got = warningsOf(h)
	if len(got) != 2 || !strings.Contains(got[0], "the Helm value apiKey looks like a password or token") ||
		!strings.Contains(got[1], "the Helm value db.password looks like a password or token") || strings.Contains(strings.Join(got, ""), "hunter2") {
		t.Errorf("Helm warnings = %q, want apiKey and db.password", got)
	}
}

// TestNodeRulesStayOffTheClusterSecurityGroup checks that self-managed
// nodes join the EKS cluster security group without their rules (their own,
// and rules added later such as SSH) being copied onto it.
func TestNodeRulesStayOffTheClusterSecurityGroup(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	asg := c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
	asg.Connections().AllowFrom(ec2.PeerIpv4("10.0.0.0/16"), ec2.PortTcp(22), "SSH")
	tmpl := templateOf(t, stack)
	clusterSG := map[string]any{"Fn::GetAtt": []any{"ClusterEB0386A7", "ClusterSecurityGroupId"}}
	nodeSG := map[string]any{"Fn::GetAtt": []any{"ClusterNodesInstanceSecurityGroup899246BD", "GroupId"}}
	for id, r := range resourcesOfType(tmpl, "AWS::EC2::SecurityGroupIngress") {
		p := r["Properties"].(map[string]any)
		if !cmp.Equal(p["GroupId"], clusterSG) {
			continue
		}
		// The one rule nodes need on it: HTTPS to the control plane's
		// interfaces, from the nodes' own group.
		if !cmp.Equal(p["SourceSecurityGroupId"], nodeSG) || p["FromPort"] != 443.0 || p["ToPort"] != 443.0 {
			t.Errorf("%s adds a rule to the EKS cluster security group other than HTTPS from the nodes: %v", id, p)
		}
	}
	tp := assertions.FromStack(t, stack)
	tp.HasResourceProperties("AWS::EC2::LaunchTemplate", map[string]any{"LaunchTemplateData": Match.ObjectLike(map[string]any{
		"SecurityGroupIds": []any{map[string]any{"Fn::GetAtt": []any{Match.StringLikeRegexp("^ClusterNodesInstanceSecurityGroup"), "GroupId"}}, clusterSG},
	})})
	tp.HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{
		"SecurityGroupIngress": Match.ArrayWith([]any{Match.ObjectLike(map[string]any{"CidrIp": "10.0.0.0/16", "FromPort": 22})}),
	})
}

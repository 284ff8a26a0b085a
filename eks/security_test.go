package eks_test

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/aws/autoscaling"
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
	for _, tc := range []struct {
		name    string
		require bool
		want    int
	}{
		{"a connected group without IMDSv2 warns", false, 1},
		{"a connected group with IMDSv2 does not warn", true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := newStack()
			c := clusterWithoutCapacity(stack)
			asg := autoscaling.NewAutoScalingGroup(stack, "Asg", autoscaling.AutoScalingGroupProps{
				Vpc: c.Vpc(), InstanceType: ec2.InstanceTypeOf("t3.large"), MachineImage: ec2.EksOptimizedAmi("1.34", ec2.NodeTypeStandard), RequireImdsv2: tc.require,
			})
			c.ConnectAutoScalingGroupCapacity(asg)
			got := 0
			for _, w := range warningsOf(asg) {
				if strings.Contains(w, "does not require IMDSv2") && strings.Contains(w, "RequireImdsv2") {
					got++
				}
			}
			if got != tc.want {
				t.Errorf("IMDSv1 warnings %d, want %d: %q", got, tc.want, warningsOf(asg))
			}
		})
	}
	t.Run("added capacity that allows IMDSv1 does not warn", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		c := clusterWithoutCapacity(stack)
		asg := c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large", func(o *eks.AutoScalingGroupCapacityOptions) { o.AllowImdsv1 = true }))
		if w := warningsOf(asg); len(w) != 0 {
			t.Errorf("warnings %q", w)
		}
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

// TestEcrPullOnlyFromUsedRepositories checks that the kubectl handler may
// pull charts from the private ECR repositories the app's charts name and
// from no other: no AmazonEC2ContainerRegistryReadOnly (every repository of
// every account), no permission at all for public or non-ECR registries.
func TestEcrPullOnlyFromUsedRepositories(t *testing.T) {
	t.Parallel()
	const (
		acct = "123456789012"
		host = acct + ".dkr.ecr.eu-west-1.amazonaws.com"
	)
	for _, tc := range []struct {
		name    string
		charts  []eks.HelmChartOptions
		repos   []string // the ARNs granted, sorted; nil: none
		token   bool     // ecr:GetAuthorizationToken granted
		warning string
	}{
		{"a public ECR chart needs nothing", []eks.HelmChartOptions{{Chart: "karpenter", Repository: "oci://public.ecr.aws/karpenter"}}, nil, false, ""},
		{"an https repository needs nothing", []eks.HelmChartOptions{{Chart: "nginx", Repository: "https://helm.nginx.com/stable"}}, nil, false, ""},
		{"another OCI registry needs nothing", []eks.HelmChartOptions{{Chart: "oci://ghcr.io/org/charts/app"}}, nil, false, ""},
		{"a private chart by full reference", []eks.HelmChartOptions{{Chart: "oci://" + host + "/charts/app"}},
			[]string{"arn:aws:ecr:eu-west-1:" + acct + ":repository/charts/app"}, true, ""},
		{"registry prefix and name", []eks.HelmChartOptions{{Chart: "app", Repository: "oci://" + host + "/charts/"}},
			[]string{"arn:aws:ecr:eu-west-1:" + acct + ":repository/charts/app"}, true, ""},
		{"a repository ending in the chart's name may be the chart itself", []eks.HelmChartOptions{{Chart: "app", Repository: "oci://" + host + "/app"}},
			[]string{"arn:aws:ecr:eu-west-1:" + acct + ":repository/app", "arn:aws:ecr:eu-west-1:" + acct + ":repository/app/app"}, true, ""},
		{"two charts, one statement each, one token grant", []eks.HelmChartOptions{
			{Chart: "oci://" + host + "/a", Release: "a"}, {Chart: "oci://" + acct + ".dkr.ecr.cn-north-1.amazonaws.com.cn/b", Release: "b"},
			{Chart: "oci://" + host + "/a", Release: "again"}},
			[]string{"arn:aws-cn:ecr:cn-north-1:" + acct + ":repository/b", "arn:aws:ecr:eu-west-1:" + acct + ":repository/a"}, true, ""},
		{"a token reference falls back to the managed policy with a warning", nil, nil, false, "AmazonEC2ContainerRegistryReadOnly"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := newStack()
			c := clusterWithoutCapacity(stack)
			charts := tc.charts
			if charts == nil {
				repo := cdk.NewCfnParameter(stack, "Repo", cdk.CfnParameterProps{Type: "String"}).ValueAsString()
				charts = []eks.HelmChartOptions{{Chart: "app", Repository: "oci://" + repo}}
			}
			var last cdk.Construct
			for i, o := range charts {
				last = c.AddHelmChart(string(rune('a'+i)), o)
			}
			tmpl := assertions.FromStack(t, stack)
			var ecr []string
			token := false
			for _, p := range tmpl.FindResources("AWS::IAM::Policy", nil) {
				for _, st := range p["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
					st := st.(map[string]any)
					actions := asStrings(st["Action"])
					if slices.Contains(actions, "ecr:GetAuthorizationToken") {
						token = true
					}
					if cmp.Equal(actions, eks.EcrPullActions) {
						ecr = append(ecr, asStrings(st["Resource"])...)
					}
				}
			}
			sort.Strings(ecr)
			if token != tc.token {
				t.Errorf("ecr:GetAuthorizationToken granted %v, want %v", token, tc.token)
			}
			if diff := cmp.Diff(tc.repos, ecr); diff != "" {
				t.Errorf("ECR repositories granted (-want +got):\n%s", diff)
			}
			roles, _ := json.Marshal(tmpl.FindResources("AWS::IAM::Role", nil))
			if got, want := strings.Contains(string(roles), "AmazonEC2ContainerRegistryReadOnly"), tc.warning != ""; got != want {
				t.Errorf("AmazonEC2ContainerRegistryReadOnly granted: %v, want %v", got, want)
			}
			if w := strings.Join(warningsOf(last), "\n"); (tc.warning == "") != (w == "") || !strings.Contains(w, tc.warning) {
				t.Errorf("warnings %q, want one with %q", w, tc.warning)
			}
		})
	}
}

// asStrings reads a policy statement's Action or Resource, a string or a
// list of them.
func asStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

package eks

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// TestNodeConfigIsValidYaml parses the rendered NodeConfig as nodeadm
// would (YAML) and checks every field lands where nodeadm reads it.
func TestNodeConfigIsValidYaml(t *testing.T) {
	t.Parallel()
	n := nodeConfig{
		name: "prod", endpoint: "https://ABC.gr7.us-east-1.eks.amazonaws.com", ca: "Q0EK", cidr: "172.20.0.0/16",
		flags:   append([]string{"--node-labels=lifecycle=Ec2Spot", "--register-with-taints=spotInstance=true:PreferNoSchedule"}, splitKubeletArgs(`--node-labels foo=bar,goo=far --max-pods=20 -v 2 --feature-gates "A=true"`)...),
		maxPods: 110, clusterDNS: "172.20.0.10",
	}
	var got map[string]any
	if err := yaml.Unmarshal([]byte(n.render()), &got); err != nil {
		t.Fatalf("%v:\n%s", err, n.render())
	}
	want := map[string]any{
		"apiVersion": "node.eks.aws/v1alpha1",
		"kind":       "NodeConfig",
		"spec": map[string]any{
			"cluster": map[string]any{"name": "prod", "apiServerEndpoint": "https://ABC.gr7.us-east-1.eks.amazonaws.com", "certificateAuthority": "Q0EK", "cidr": "172.20.0.0/16"},
			"kubelet": map[string]any{
				"config": map[string]any{"maxPods": 110, "clusterDNS": []any{"172.20.0.10"}},
				"flags": []any{"--node-labels=lifecycle=Ec2Spot", "--register-with-taints=spotInstance=true:PreferNoSchedule",
					"--node-labels=foo=bar,goo=far", "--max-pods=20", "-v=2", "--feature-gates=A=true"},
			},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NodeConfig (-want +got):\n%s\n%s", diff, n.render())
	}

	// Only the cluster part when there is nothing else.
	minimal := nodeConfig{name: "a", endpoint: "https://b", ca: "c"}
	got = nil
	if err := yaml.Unmarshal([]byte(minimal.render()), &got); err != nil {
		t.Fatal(err)
	}
	if _, ok := got["spec"].(map[string]any)["kubelet"]; ok {
		t.Errorf("kubelet section without kubelet settings:\n%s", minimal.render())
	}
}

func TestSplitKubeletArgs(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]string{
		"":                      nil,
		"--node-labels foo=bar": {"--node-labels=foo=bar"},
		"--a=1 --b 2 --c":       {"--a=1", "--b=2", "--c"},
		"--flag --other value":  {"--flag", "--other=value"},
		"  --register-with-taints  k=v:NoSchedule ": {"--register-with-taints=k=v:NoSchedule"},
	} {
		if diff := cmp.Diff(want, splitKubeletArgs(in)); diff != "" {
			t.Errorf("splitKubeletArgs(%q) (-want +got):\n%s", in, diff)
		}
	}
}

package kubectl

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/eksforge/eksforge/handlers/kubectl/auth"
	"github.com/eksforge/eksforge/handlers/provider"
)

// EnvClusters is the environment variable through which the library tells
// its kubectl handler, at synthesis, which clusters it serves: a JSON list
// of [ServedCluster]. The handler refuses events that name any other cluster,
// endpoint, CA or role (see [Handler.Clusters]).
const EnvClusters = "EKSFORGE_KUBECTL_CLUSTERS"

// ServedCluster is one cluster a handler serves, as the library writes it
// into [EnvClusters].
type ServedCluster struct {
	// Name is the EKS cluster's name.
	Name string `json:"name"`
	// Arn is the cluster's ARN; eks:DescribeCluster must report it.
	// Default: not checked (the handler's IAM policy still limits it to the
	// clusters it was granted).
	Arn string `json:"arn,omitempty"`
	// RoleArn is the role the handler assumes to reach the cluster; an
	// event's RoleArn must equal it.
	// Default: none (the handler's own role; events must name no role).
	RoleArn string `json:"roleArn,omitempty"`
	// Endpoint is the API server URL to use. An event may repeat it but not
	// name another.
	// Default: none (read with eks:DescribeCluster; events must name none).
	Endpoint string `json:"endpoint,omitempty"`
	// CAData is the cluster's CA bundle, base64, used with Endpoint. An
	// event may repeat it but not name another.
	// Default: none (read with eks:DescribeCluster).
	CAData string `json:"caData,omitempty"`
}

// ServedClustersFromEnv reads [EnvClusters]. It returns nil and no error
// when the variable is unset (a handler not made by the library: it serves
// any cluster its role may reach), and an error when it is set but not a
// non-empty JSON list of clusters with names.
func ServedClustersFromEnv() ([]ServedCluster, error) {
	v, ok := os.LookupEnv(EnvClusters)
	if !ok {
		return nil, nil
	}
	return ParseServedClusters(v)
}

// ParseServedClusters reads the value of [EnvClusters].
func ParseServedClusters(v string) ([]ServedCluster, error) {
	var out []ServedCluster
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return nil, fmt.Errorf("%s is not a JSON list of clusters: %w", EnvClusters, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s lists no cluster, so the handler would serve none", EnvClusters)
	}
	for i, c := range out {
		if c.Name == "" {
			return nil, fmt.Errorf("%s: cluster %d has no name", EnvClusters, i)
		}
	}
	return out, nil
}

// served checks that an event names one of h.Clusters, with that cluster's
// role and no other endpoint or CA, and returns the cluster; a nil h.Clusters
// serves any cluster.
func (h *Handler) served(e provider.Event) (*ServedCluster, error) {
	if h.Clusters == nil {
		return nil, nil
	}
	p := props(e.ResourceProperties)
	name := p.str("ClusterName")
	var c *ServedCluster
	names := make([]string, 0, len(h.Clusters))
	for i := range h.Clusters {
		names = append(names, h.Clusters[i].Name)
		if h.Clusters[i].Name == name {
			c = &h.Clusters[i]
		}
	}
	refuse := func(what string) error {
		return fmt.Errorf("refused: %s; this kubectl handler serves only the clusters it was synthesized for (%s) and applies nothing else. "+
			"Give the resource the cluster's own handler, or list the cluster on this one (eks.KubectlProvider.ServeCluster)", what, strings.Join(names, ", "))
	}
	if c == nil {
		return nil, refuse(fmt.Sprintf("ClusterName %q is not a cluster this handler serves", name))
	}
	if got := p.str("RoleArn"); got != c.RoleArn {
		want := c.RoleArn
		if want == "" {
			want = "none (the handler's own role)"
		}
		return nil, refuse(fmt.Sprintf("RoleArn %q is not the role configured for cluster %s (%s)", got, name, want))
	}
	if got := p.str("ClusterEndpoint"); got != "" && got != c.Endpoint {
		return nil, refuse(fmt.Sprintf("ClusterEndpoint %q is not the endpoint of cluster %s", got, name))
	}
	if got := p.str("ClusterCertificateAuthorityData"); got != "" && got != c.CAData {
		return nil, refuse(fmt.Sprintf("ClusterCertificateAuthorityData is not the CA of cluster %s", name))
	}
	return c, nil
}

// pinned completes c with what the handler's configuration says of it: its
// ARN, and its endpoint and CA when configured.
func (h *Handler) pinned(c auth.Cluster) auth.Cluster {
	for _, s := range h.Clusters {
		if s.Name == c.Name {
			c.Arn = s.Arn
			if s.Endpoint != "" {
				c.Endpoint, c.CAData = s.Endpoint, s.CAData
			}
		}
	}
	return c
}

package eks

import (
	"github.com/eksforge/eksforge/cdk"
)

// KubectlClustersEnvironmentVariable is the environment variable through
// which the kubectl handler learns, at synthesis, the clusters it serves (a
// JSON list of {"name", "arn", "roleArn"}); the handler refuses events that
// name any other cluster or role (docs/guide/security.md). It is the
// handler's kubectl.EnvClusters.
const KubectlClustersEnvironmentVariable = "EKSFORGE_KUBECTL_CLUSTERS"

// ServedCluster names a cluster a kubectl handler serves besides its own.
type ServedCluster struct {
	// ClusterName is the EKS cluster's name. Required.
	ClusterName string
	// ClusterArn is the cluster's ARN, which the handler checks against
	// eks:DescribeCluster.
	// Default: not checked.
	ClusterArn string
	// RoleArn is the role the handler assumes for this cluster (the
	// KubectlProviderAttributes.RoleArn of the clusters that share it).
	// Default: none, the handler's own role.
	RoleArn string
}

// ServeCluster lets the handler serve another cluster: one of another app
// or account that imports it with [KubectlProviderFromArn]. Clusters of the
// same app that take it as KubectlOptions.Provider are added by the library.
// Anything not listed is refused at deploy time.
func (p *KubectlProvider) ServeCluster(c ServedCluster) {
	if c.ClusterName == "" {
		panic(p.Node().Path() + ": ServeCluster needs a ClusterName")
	}
	for _, s := range p.served {
		if s.ClusterName == c.ClusterName && s.RoleArn == c.RoleArn {
			return
		}
	}
	p.served = append(p.served, c)
}

// serveOwnCluster lists c, a cluster of this app, on the handler. A cluster
// of another stack is listed by its literal name only: its Ref would make
// the handler's stack depend on the cluster's, which depends on the
// handler's (its resources use the handler's ARN).
func (p *KubectlProvider) serveOwnCluster(c ICluster, roleArn string) {
	if cdk.StackOf(c) == cdk.StackOf(p) {
		p.ServeCluster(ServedCluster{ClusterName: c.ClusterName(), ClusterArn: c.ClusterArn(), RoleArn: roleArn})
		return
	}
	name := ""
	switch x := c.(type) {
	case *Cluster:
		name = x.props.ClusterName
	case *importedCluster:
		name = x.attrs.ClusterName
	}
	if name == "" || cdk.IsUnresolved(name) {
		c.Node().AddError("the kubectl handler %s is in another stack, so it can only be told to serve this cluster by a literal name: set ClusterName (or give the cluster a handler of its own)", p.Node().Path())
		return
	}
	p.ServeCluster(ServedCluster{ClusterName: name, RoleArn: roleArn})
}

// servedClustersJSON is the value of KubectlClustersEnvironmentVariable,
// rendered at synthesis so that clusters sharing the handler after it was
// made are listed.
func (p *KubectlProvider) servedClustersJSON() string {
	return cdk.LazyString(func() string {
		list := make([]any, 0, len(p.served))
		for _, s := range p.served {
			m := map[string]any{"name": s.ClusterName}
			if s.ClusterArn != "" {
				m["arn"] = s.ClusterArn
			}
			if s.RoleArn != "" {
				m["roleArn"] = s.RoleArn
			}
			list = append(list, m)
		}
		return cdk.Fn.ToJsonString(list)
	})
}

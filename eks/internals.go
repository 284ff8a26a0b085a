package eks

import (
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
)

// clusterInternals is the per-cluster registry behind every ICluster, owned
// or imported. Part 1 (capacity, Fargate, access entries) records what the
// Kubernetes side must do; part 2 (KubernetesManifest, HelmChart, AwsAuth,
// the kubectl provider) completes it through the two hooks below, without
// changing capacity code:
//
//   - roleMappings: IAM roles that need an aws-auth entry when the
//     cluster reads the ConfigMap (node roles of self-managed capacity with
//     groups system:bootstrappers and system:nodes, the masters role with
//     system:masters). Each is also passed to every function in
//     onRoleMapping at the time it is added, so AwsAuth can subscribe when
//     it is created and replay the slice for earlier ones.
//   - helmCharts: charts capacity needs (the AWS Node Termination Handler
//     for spot capacity), installed once per cluster by requestHelmChart.
type clusterInternals struct {
	cluster ICluster

	accessEntries   map[string]*AccessEntry
	accessEntryList []*AccessEntry

	fargateProfiles []*FargateProfile

	mastersRoles  []iam.IRole
	roleMappings  []AwsAuthRoleMapping
	onRoleMapping []func(AwsAuthRoleMapping)

	helmCharts map[string]cdk.Construct

	spotHandler bool
	// nodeTraffic is the security group state of self-managed capacity
	// (node_traffic.go).
	nodeTraffic nodeTraffic
	coreDns     cdk.Construct

	// addons are the cluster's managed add-ons and their ordering against
	// its capacity (addon.go), made on first use.
	addons *addonState

	// identityProvider is the cluster's OIDC identity provider (one per
	// cluster; identity_provider.go).
	identityProvider *OidcIdentityProvider

	// capabilities are the cluster's EKS Capabilities by name
	// (capability.go).
	capabilities map[string]*Capability

	// k8s is part 2's per-cluster state (kubectl provider, manifests,
	// aws-auth, OIDC provider), made on first use (kubernetes_state.go).
	k8s *kubernetesState
}

// AwsAuthRoleMapping is an entry of the aws-auth ConfigMap's mapRoles that
// the cluster needs (for example for a self-managed node group's role). The
// cluster records it; the AwsAuth construct renders it.
type AwsAuthRoleMapping struct {
	// Role is the mapped IAM role.
	Role iam.IRole
	// Username is the Kubernetes user name.
	Username string
	// Groups are the Kubernetes groups.
	Groups []string
}

// HelmChartRequest is a Helm release the cluster's capacity needs, such as
// the AWS Node Termination Handler for spot instances. The HelmChart
// construct installs it.
type HelmChartRequest struct {
	// ID is the construct id of the chart under the cluster.
	ID string
	// Chart, Repository, Version, Release and Namespace locate and name the
	// release.
	Chart, Repository, Version, Release, Namespace string
	// Values are the chart's values.
	Values map[string]any
}

func newClusterInternals(c ICluster) *clusterInternals {
	return &clusterInternals{cluster: c, accessEntries: map[string]*AccessEntry{}, helmCharts: map[string]cdk.Construct{}}
}

// addRoleMapping records an aws-auth role mapping.
func (in *clusterInternals) addRoleMapping(m AwsAuthRoleMapping) {
	in.roleMappings = append(in.roleMappings, m)
	for _, f := range in.onRoleMapping {
		f(m)
	}
}

// requestHelmChart installs a chart once per id.
func (in *clusterInternals) requestHelmChart(req HelmChartRequest) {
	if _, ok := in.helmCharts[req.ID]; ok {
		return
	}
	in.helmCharts[req.ID] = AddHelmChart(in.cluster, req.ID, HelmChartOptions{
		Chart:      req.Chart,
		Repository: req.Repository,
		Version:    req.Version,
		Release:    req.Release,
		Namespace:  req.Namespace,
		Values:     req.Values,
	})
}

// AwsAuthRoleMappings are the aws-auth role mappings the cluster's capacity
// and masters role need, in the order they were added. The AwsAuth construct
// renders them when the cluster's authentication mode reads the ConfigMap.
func AwsAuthRoleMappings(c ICluster) []AwsAuthRoleMapping {
	return append([]AwsAuthRoleMapping(nil), c.internals().roleMappings...)
}

package karpenter

import (
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

// installCharts installs the karpenter-crd chart, then the karpenter chart
// without its crds/ directory: Helm installs a chart's crds/ once and
// never upgrades them, so a later Version would leave old CRDs behind;
// the karpenter-crd chart keeps them as templates, upgraded with the
// release (Karpenter's upgrade guide).
func (k *Karpenter) installCharts(props Props) {
	k.crdChart = eks.NewHelmChart(k, "CrdChart", eks.HelmChartProps{
		Cluster: k.cluster,
		HelmChartOptions: eks.HelmChartOptions{
			Chart:                  ChartRepository + "/karpenter-crd",
			Version:                props.Version,
			Namespace:              k.namespace,
			DisableCreateNamespace: true,
			Release:                "karpenter-crd",
			Atomic:                 true,
		},
	})
	if k.namespaceObj != nil {
		k.crdChart.Node().AddDependency(k.namespaceObj)
	}

	k.chart = eks.NewHelmChart(k, "Chart", eks.HelmChartProps{
		Cluster: k.cluster,
		HelmChartOptions: eks.HelmChartOptions{
			Chart:                  ChartRepository + "/karpenter",
			Version:                props.Version,
			Namespace:              k.namespace,
			DisableCreateNamespace: true,
			Release:                "karpenter",
			Values:                 mergeValues(k.chartValues(), props.Values),
			SkipCrds:               true,
			Wait:                   true,
			Atomic:                 true,
			Timeout:                props.Timeout,
		},
	})
	// The controller starts with its CRDs, its service account and
	// credentials (the Pod Identity association or IRSA role), its
	// policies and its Fargate profile if any (the queue is referenced by
	// the values).
	deps := []cdk.Construct{k.crdChart, k.serviceAccount}
	for _, p := range k.policies {
		deps = append(deps, p)
	}
	if k.fargateProfile != nil {
		deps = append(deps, k.fargateProfile)
	}
	k.chart.Node().AddDependency(deps...)
	cdk.AspectsOf(k.chart).Add(afterNodegroups{k: k})
}

// afterNodegroups makes the controller chart, which waits for the
// controller's pods, depend on the cluster's managed node groups wherever
// and whenever they were added: without nodes (or a Fargate profile) the
// pods cannot be scheduled.
type afterNodegroups struct{ k *Karpenter }

// Visit adds the dependencies once, on the chart itself.
func (a afterNodegroups) Visit(c cdk.Construct) {
	if c != cdk.Construct(a.k.chart) {
		return
	}
	for _, n := range a.k.Node().Root().Node().FindAll() {
		if ng, ok := n.(*eks.Nodegroup); ok && ng.Cluster() == a.k.cluster {
			a.k.chart.Node().AddDependency(ng)
		}
	}
}

// chartValues are the values Karpenter's getting-started guide sets, bound
// to this app's cluster and queue.
func (k *Karpenter) chartValues() map[string]any {
	return map[string]any{
		"settings": map[string]any{
			"clusterName":       k.cluster.ClusterName(),
			"clusterEndpoint":   k.cluster.ClusterEndpoint(),
			"interruptionQueue": k.queue.GetAttString("QueueName"),
		},
		"serviceAccount": map[string]any{
			"create": false,
			"name":   ServiceAccountName,
		},
		"controller": map[string]any{
			"resources": map[string]any{
				"requests": map[string]any{"cpu": "1", "memory": "1Gi"},
				"limits":   map[string]any{"cpu": "1", "memory": "1Gi"},
			},
		},
	}
}

// mergeValues returns base with over merged in: maps key by key, other
// values replaced. Neither argument is changed.
func mergeValues(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for key, v := range base {
		out[key] = v
	}
	for key, v := range over {
		bm, ok1 := out[key].(map[string]any)
		om, ok2 := v.(map[string]any)
		if ok1 && ok2 {
			out[key] = mergeValues(bm, om)
			continue
		}
		out[key] = v
	}
	return out
}

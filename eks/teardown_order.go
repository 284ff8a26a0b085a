package eks

import (
	"strings"

	"github.com/eksforge/eksforge/cdk"
)

// Teardown order between a cluster's manifests and the controllers that
// delete the cloud resources of their objects (docs/custom-resources.md,
// "Teardown order"): a manifest holding Services of type LoadBalancer,
// Ingresses or Gateways depends on the cluster's AWS Load Balancer
// Controller chart, and one holding PersistentVolumeClaims on the
// cluster's EBS or EFS CSI driver (chart or EKS add-on), whatever order
// they were defined in. CloudFormation then deletes the manifest — whose
// Delete waits for the load balancers and volumes — before the controller
// that deletes them (and creates the manifest after it, so the controller's
// webhooks serve the objects from the start).

// cloudNeeds says which controllers delete cloud resources made for
// Kubernetes objects.
type cloudNeeds struct {
	// loadBalancers: the AWS Load Balancer Controller (Services of type
	// LoadBalancer, Ingresses, Gateways).
	loadBalancers bool
	// volumes: a CSI driver (PersistentVolumeClaims).
	volumes bool
}

// meets reports whether a controller that deletes what c says deletes
// some of what n needs.
func (n cloudNeeds) meets(c cloudNeeds) bool {
	return (n.loadBalancers && c.loadBalancers) || (n.volumes && c.volumes)
}

// objectsCloudNeeds returns which controllers the cloud resources of
// objects need.
func objectsCloudNeeds(objects []map[string]any) cloudNeeds {
	var n cloudNeeds
	for _, o := range objects {
		av, _ := o["apiVersion"].(string)
		kind, _ := o["kind"].(string)
		group := ""
		if i := strings.LastIndex(av, "/"); i > 0 {
			group = av[:i]
		}
		switch {
		case group == "" && kind == "Service":
			spec, _ := o["spec"].(map[string]any)
			if t, _ := spec["type"].(string); t == "LoadBalancer" {
				n.loadBalancers = true
			}
		case (group == "networking.k8s.io" || group == "extensions") && kind == "Ingress",
			group == "gateway.networking.k8s.io" && kind == "Gateway":
			n.loadBalancers = true
		case group == "" && kind == "PersistentVolumeClaim":
			n.volumes = true
		}
	}
	return n
}

// chartControls returns what the controller a chart installs deletes,
// known by the chart's name (the last element of Chart, also of an
// oci:// reference).
func chartControls(chart string) cloudNeeds {
	name := chart[strings.LastIndex(chart, "/")+1:]
	switch name {
	case "aws-load-balancer-controller":
		return cloudNeeds{loadBalancers: true}
	case "aws-ebs-csi-driver", "aws-efs-csi-driver":
		return cloudNeeds{volumes: true}
	}
	return cloudNeeds{}
}

// addonControls returns what the controller an EKS add-on runs deletes.
func addonControls(name string) cloudNeeds {
	switch name {
	case "aws-ebs-csi-driver", "aws-efs-csi-driver":
		return cloudNeeds{volumes: true}
	}
	return cloudNeeds{}
}

// orderManifestTeardown makes m depend on the charts and add-ons of its
// cluster whose controllers delete its objects' cloud resources.
func orderManifestTeardown(m *KubernetesManifest) {
	if !m.cloud.meets(cloudNeeds{true, true}) {
		return
	}
	for _, h := range stateOf(m.cluster).charts {
		if m.cloud.meets(h.controls) {
			order(m, h)
		}
	}
	st := addonsOf(m.cluster)
	for _, a := range append(append([]*Addon(nil), st.before...), st.after...) {
		if m.cloud.meets(addonControls(a.name)) {
			order(m, a)
		}
	}
}

// orderControllerTeardown makes the manifests of c whose objects' cloud
// resources ctl's controller deletes (what controls says) depend on ctl.
func orderControllerTeardown(c ICluster, ctl cdk.Construct, controls cloudNeeds) {
	if !controls.meets(cloudNeeds{true, true}) {
		return
	}
	for _, m := range stateOf(c).manifests {
		if m.cloud.meets(controls) {
			order(m, ctl)
		}
	}
}

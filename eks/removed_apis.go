package eks

import (
	"fmt"
)

// RemovedAPI is an API version of a Kubernetes kind that Kubernetes
// deprecated and stopped serving (or will stop serving), as listed by the
// Kubernetes deprecated API migration guide
// (https://kubernetes.io/docs/reference/using-api/deprecation-guide/).
type RemovedAPI struct {
	// APIVersion is the group/version no longer served ("batch/v1beta1").
	APIVersion string
	// Kind is the kind it no longer serves ("CronJob").
	Kind string
	// Deprecated is the first Kubernetes version in which it is superseded
	// (see the table's notes): from then on it is reported as a warning.
	Deprecated KubernetesVersion
	// Removed is the first Kubernetes version that no longer serves it, or
	// "" when no removal is scheduled.
	Removed KubernetesVersion
	// Replacement is the API version to use instead ("batch/v1"), or ""
	// when the kind itself is gone (see Note).
	Replacement string
	// ReplacementKind is the kind to use instead when it differs from Kind
	// ("EndpointSlice" for v1 Endpoints), else "".
	ReplacementKind string
	// Note says what else to change when migrating, or what replaces a kind
	// that has no successor.
	Note string
}

// removedAPIs is the data of the migration guide: every removal from
// Kubernetes 1.16 on (plus ControllerRevision and SelfSubjectRulesReview,
// which went with their group versions although the guide does not list
// them), and deprecations the API server announces without a removal date.
// The guide gives no deprecation versions: Deprecated is the first release
// that served the replacement (the guide's "available since"), from which
// the old version is superseded; for a kind without a successor it is the
// release that deprecated it. Replacement is today's stable successor.
var removedAPIs = []RemovedAPI{
	// v1.16
	{APIVersion: "extensions/v1beta1", Kind: "NetworkPolicy", Deprecated: "1.8", Removed: "1.16", Replacement: "networking.k8s.io/v1"},
	{APIVersion: "extensions/v1beta1", Kind: "PodSecurityPolicy", Deprecated: "1.10", Removed: "1.16", Replacement: "policy/v1beta1", Note: "policy/v1beta1 PodSecurityPolicy was itself removed in 1.25: use Pod Security Admission"},
	{APIVersion: "extensions/v1beta1", Kind: "DaemonSet", Deprecated: "1.9", Removed: "1.16", Replacement: "apps/v1", Note: "spec.selector is required; spec.updateStrategy.type defaults to RollingUpdate"},
	{APIVersion: "apps/v1beta2", Kind: "DaemonSet", Deprecated: "1.9", Removed: "1.16", Replacement: "apps/v1", Note: "spec.selector is required"},
	{APIVersion: "extensions/v1beta1", Kind: "Deployment", Deprecated: "1.9", Removed: "1.16", Replacement: "apps/v1", Note: "spec.selector is required; spec.rollbackTo is removed"},
	{APIVersion: "apps/v1beta1", Kind: "Deployment", Deprecated: "1.9", Removed: "1.16", Replacement: "apps/v1", Note: "spec.selector is required; spec.rollbackTo is removed"},
	{APIVersion: "apps/v1beta2", Kind: "Deployment", Deprecated: "1.9", Removed: "1.16", Replacement: "apps/v1", Note: "spec.selector is required"},
	{APIVersion: "apps/v1beta1", Kind: "StatefulSet", Deprecated: "1.9", Removed: "1.16", Replacement: "apps/v1", Note: "spec.selector is required; spec.updateStrategy.type defaults to RollingUpdate"},
	{APIVersion: "apps/v1beta2", Kind: "StatefulSet", Deprecated: "1.9", Removed: "1.16", Replacement: "apps/v1", Note: "spec.selector is required"},
	{APIVersion: "extensions/v1beta1", Kind: "ReplicaSet", Deprecated: "1.9", Removed: "1.16", Replacement: "apps/v1", Note: "spec.selector is required"},
	{APIVersion: "apps/v1beta1", Kind: "ReplicaSet", Deprecated: "1.9", Removed: "1.16", Replacement: "apps/v1", Note: "spec.selector is required"},
	{APIVersion: "apps/v1beta2", Kind: "ReplicaSet", Deprecated: "1.9", Removed: "1.16", Replacement: "apps/v1", Note: "spec.selector is required"},
	{APIVersion: "apps/v1beta1", Kind: "ControllerRevision", Deprecated: "1.9", Removed: "1.16", Replacement: "apps/v1"},
	{APIVersion: "apps/v1beta2", Kind: "ControllerRevision", Deprecated: "1.9", Removed: "1.16", Replacement: "apps/v1"},
	// v1.22
	{APIVersion: "admissionregistration.k8s.io/v1beta1", Kind: "MutatingWebhookConfiguration", Deprecated: "1.16", Removed: "1.22", Replacement: "admissionregistration.k8s.io/v1", Note: "webhooks[*].sideEffects and admissionReviewVersions are required; failurePolicy defaults to Fail"},
	{APIVersion: "admissionregistration.k8s.io/v1beta1", Kind: "ValidatingWebhookConfiguration", Deprecated: "1.16", Removed: "1.22", Replacement: "admissionregistration.k8s.io/v1", Note: "webhooks[*].sideEffects and admissionReviewVersions are required; failurePolicy defaults to Fail"},
	{APIVersion: "apiextensions.k8s.io/v1beta1", Kind: "CustomResourceDefinition", Deprecated: "1.16", Removed: "1.22", Replacement: "apiextensions.k8s.io/v1", Note: "spec.scope is required; schemas move to spec.versions[*].schema.openAPIV3Schema and must be structural"},
	{APIVersion: "apiregistration.k8s.io/v1beta1", Kind: "APIService", Deprecated: "1.10", Removed: "1.22", Replacement: "apiregistration.k8s.io/v1"},
	{APIVersion: "authentication.k8s.io/v1beta1", Kind: "TokenReview", Deprecated: "1.6", Removed: "1.22", Replacement: "authentication.k8s.io/v1"},
	{APIVersion: "authorization.k8s.io/v1beta1", Kind: "LocalSubjectAccessReview", Deprecated: "1.6", Removed: "1.22", Replacement: "authorization.k8s.io/v1", Note: "spec.group is renamed spec.groups"},
	{APIVersion: "authorization.k8s.io/v1beta1", Kind: "SelfSubjectAccessReview", Deprecated: "1.6", Removed: "1.22", Replacement: "authorization.k8s.io/v1", Note: "spec.group is renamed spec.groups"},
	{APIVersion: "authorization.k8s.io/v1beta1", Kind: "SubjectAccessReview", Deprecated: "1.6", Removed: "1.22", Replacement: "authorization.k8s.io/v1", Note: "spec.group is renamed spec.groups"},
	{APIVersion: "authorization.k8s.io/v1beta1", Kind: "SelfSubjectRulesReview", Deprecated: "1.8", Removed: "1.22", Replacement: "authorization.k8s.io/v1"},
	{APIVersion: "certificates.k8s.io/v1beta1", Kind: "CertificateSigningRequest", Deprecated: "1.19", Removed: "1.22", Replacement: "certificates.k8s.io/v1", Note: "spec.signerName and spec.usages are required"},
	{APIVersion: "coordination.k8s.io/v1beta1", Kind: "Lease", Deprecated: "1.14", Removed: "1.22", Replacement: "coordination.k8s.io/v1"},
	{APIVersion: "extensions/v1beta1", Kind: "Ingress", Deprecated: "1.19", Removed: "1.22", Replacement: "networking.k8s.io/v1", Note: "spec.backend is renamed spec.defaultBackend; serviceName/servicePort become service.name and service.port.number or .name; pathType is required"},
	{APIVersion: "networking.k8s.io/v1beta1", Kind: "Ingress", Deprecated: "1.19", Removed: "1.22", Replacement: "networking.k8s.io/v1", Note: "spec.backend is renamed spec.defaultBackend; serviceName/servicePort become service.name and service.port.number or .name; pathType is required"},
	{APIVersion: "networking.k8s.io/v1beta1", Kind: "IngressClass", Deprecated: "1.19", Removed: "1.22", Replacement: "networking.k8s.io/v1"},
	{APIVersion: "rbac.authorization.k8s.io/v1beta1", Kind: "ClusterRole", Deprecated: "1.8", Removed: "1.22", Replacement: "rbac.authorization.k8s.io/v1"},
	{APIVersion: "rbac.authorization.k8s.io/v1beta1", Kind: "ClusterRoleBinding", Deprecated: "1.8", Removed: "1.22", Replacement: "rbac.authorization.k8s.io/v1"},
	{APIVersion: "rbac.authorization.k8s.io/v1beta1", Kind: "Role", Deprecated: "1.8", Removed: "1.22", Replacement: "rbac.authorization.k8s.io/v1"},
	{APIVersion: "rbac.authorization.k8s.io/v1beta1", Kind: "RoleBinding", Deprecated: "1.8", Removed: "1.22", Replacement: "rbac.authorization.k8s.io/v1"},
	{APIVersion: "scheduling.k8s.io/v1beta1", Kind: "PriorityClass", Deprecated: "1.14", Removed: "1.22", Replacement: "scheduling.k8s.io/v1"},
	{APIVersion: "storage.k8s.io/v1beta1", Kind: "CSIDriver", Deprecated: "1.19", Removed: "1.22", Replacement: "storage.k8s.io/v1"},
	{APIVersion: "storage.k8s.io/v1beta1", Kind: "CSINode", Deprecated: "1.17", Removed: "1.22", Replacement: "storage.k8s.io/v1"},
	{APIVersion: "storage.k8s.io/v1beta1", Kind: "StorageClass", Deprecated: "1.6", Removed: "1.22", Replacement: "storage.k8s.io/v1"},
	{APIVersion: "storage.k8s.io/v1beta1", Kind: "VolumeAttachment", Deprecated: "1.13", Removed: "1.22", Replacement: "storage.k8s.io/v1"},
	// v1.25
	{APIVersion: "batch/v1beta1", Kind: "CronJob", Deprecated: "1.21", Removed: "1.25", Replacement: "batch/v1"},
	{APIVersion: "discovery.k8s.io/v1beta1", Kind: "EndpointSlice", Deprecated: "1.21", Removed: "1.25", Replacement: "discovery.k8s.io/v1", Note: "use each endpoint's nodeName and zone instead of topology"},
	{APIVersion: "events.k8s.io/v1beta1", Kind: "Event", Deprecated: "1.19", Removed: "1.25", Replacement: "events.k8s.io/v1", Note: "involvedObject is renamed regarding; action, reason, reportingComponent and reportingInstance are required"},
	{APIVersion: "autoscaling/v2beta1", Kind: "HorizontalPodAutoscaler", Deprecated: "1.23", Removed: "1.25", Replacement: "autoscaling/v2", Note: "targetAverageUtilization becomes target.averageUtilization with target.type Utilization"},
	{APIVersion: "policy/v1beta1", Kind: "PodDisruptionBudget", Deprecated: "1.21", Removed: "1.25", Replacement: "policy/v1", Note: "an empty spec.selector selects every pod of the namespace in policy/v1"},
	{APIVersion: "policy/v1beta1", Kind: "PodSecurityPolicy", Deprecated: "1.21", Removed: "1.25", Note: "PodSecurityPolicy has no successor: use Pod Security Admission (pod-security.kubernetes.io labels on namespaces) or a policy engine"},
	{APIVersion: "node.k8s.io/v1beta1", Kind: "RuntimeClass", Deprecated: "1.20", Removed: "1.25", Replacement: "node.k8s.io/v1"},
	// v1.26
	{APIVersion: "flowcontrol.apiserver.k8s.io/v1beta1", Kind: "FlowSchema", Deprecated: "1.23", Removed: "1.26", Replacement: "flowcontrol.apiserver.k8s.io/v1"},
	{APIVersion: "flowcontrol.apiserver.k8s.io/v1beta1", Kind: "PriorityLevelConfiguration", Deprecated: "1.23", Removed: "1.26", Replacement: "flowcontrol.apiserver.k8s.io/v1"},
	{APIVersion: "autoscaling/v2beta2", Kind: "HorizontalPodAutoscaler", Deprecated: "1.23", Removed: "1.26", Replacement: "autoscaling/v2"},
	// v1.27
	{APIVersion: "storage.k8s.io/v1beta1", Kind: "CSIStorageCapacity", Deprecated: "1.24", Removed: "1.27", Replacement: "storage.k8s.io/v1"},
	// v1.29
	{APIVersion: "flowcontrol.apiserver.k8s.io/v1beta2", Kind: "FlowSchema", Deprecated: "1.26", Removed: "1.29", Replacement: "flowcontrol.apiserver.k8s.io/v1"},
	{APIVersion: "flowcontrol.apiserver.k8s.io/v1beta2", Kind: "PriorityLevelConfiguration", Deprecated: "1.26", Removed: "1.29", Replacement: "flowcontrol.apiserver.k8s.io/v1", Note: "spec.limited.assuredConcurrencyShares is renamed spec.limited.nominalConcurrencyShares"},
	// v1.32
	{APIVersion: "flowcontrol.apiserver.k8s.io/v1beta3", Kind: "FlowSchema", Deprecated: "1.29", Removed: "1.32", Replacement: "flowcontrol.apiserver.k8s.io/v1"},
	{APIVersion: "flowcontrol.apiserver.k8s.io/v1beta3", Kind: "PriorityLevelConfiguration", Deprecated: "1.29", Removed: "1.32", Replacement: "flowcontrol.apiserver.k8s.io/v1", Note: "spec.limited.nominalConcurrencyShares defaults to 30 only when unset; an explicit 0 stays 0"},
	// Deprecated, still served, no removal scheduled.
	{APIVersion: "v1", Kind: "Endpoints", Deprecated: "1.33", Replacement: "discovery.k8s.io/v1", ReplacementKind: "EndpointSlice", Note: "Services keep their endpoints without it; only objects written by hand need to move"},
}

// RemovedAPIs returns the table of deprecated and removed API versions,
// ordered by the release that removes them.
func RemovedAPIs() []RemovedAPI { return append([]RemovedAPI(nil), removedAPIs...) }

// LookupRemovedAPI returns the table's entry for an object's apiVersion and
// kind, if Kubernetes deprecated or removed that version of the kind.
func LookupRemovedAPI(apiVersion, kind string) (RemovedAPI, bool) {
	for _, r := range removedAPIs {
		if r.APIVersion == apiVersion && r.Kind == kind {
			return r, true
		}
	}
	return RemovedAPI{}, false
}

// RemovedIn says whether a cluster of version v no longer serves the API.
func (r RemovedAPI) RemovedIn(v KubernetesVersion) bool {
	return r.Removed != "" && compareVersions(v, r.Removed) >= 0
}

// DeprecatedIn says whether a cluster of version v serves the API but
// deprecates it.
func (r RemovedAPI) DeprecatedIn(v KubernetesVersion) bool {
	return r.Deprecated != "" && compareVersions(v, r.Deprecated) >= 0 && !r.RemovedIn(v)
}

// Instead says what to use instead ("batch/v1 CronJob", or the note when
// the kind has no successor).
func (r RemovedAPI) Instead() string {
	if r.Replacement == "" {
		return r.Note
	}
	kind := r.Kind
	if r.ReplacementKind != "" {
		kind = r.ReplacementKind
	}
	s := "use " + r.Replacement + " " + kind
	if r.Note != "" {
		s += " (" + r.Note + ")"
	}
	return s
}

// Problem describes the API's status at version v for an object desc
// ("batch/v1beta1 CronJob default/report"), and whether it is an error
// (removed) rather than a warning (deprecated). It returns "" when v serves
// the API without deprecation.
func (r RemovedAPI) Problem(desc string, v KubernetesVersion) (msg string, removed bool) {
	switch {
	case r.RemovedIn(v):
		return fmt.Sprintf("%s: %s %s is not served by Kubernetes %s (removed in %s): %s", desc, r.APIVersion, r.Kind, v, r.Removed, r.Instead()), true
	case r.DeprecatedIn(v):
		until := "no removal is scheduled"
		if r.Removed != "" {
			until = "removed in " + string(r.Removed)
		}
		return fmt.Sprintf("%s: %s %s is deprecated in Kubernetes %s (%s): %s", desc, r.APIVersion, r.Kind, v, until, r.Instead()), false
	}
	return "", false
}

// compareVersions orders "1.<minor>" versions; versions not of that form
// sort first.
func compareVersions(a, b KubernetesVersion) int {
	return minorOf(a) - minorOf(b)
}

// checkRemovedAPIs reports the manifest's objects that the cluster's
// version no longer serves (errors) or deprecates (warnings).
func (m *KubernetesManifest) checkRemovedAPIs() {
	v := m.cluster.KubernetesVersion()
	if minorOf(v) < 0 {
		return
	}
	for i, o := range m.objects {
		av, _ := o["apiVersion"].(string)
		kind, _ := o["kind"].(string)
		r, ok := LookupRemovedAPI(av, kind)
		if !ok {
			continue
		}
		msg, removed := r.Problem(fmt.Sprintf("object %d (%s)", i+1, describeObject(o)), v)
		switch {
		case msg == "":
		case removed:
			m.Node().AddError("%s", msg)
		default:
			m.Node().AddWarning("%s", msg)
		}
	}
}

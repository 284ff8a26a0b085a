package eks_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

// guideRemovals is every removal of the Kubernetes deprecated API migration
// guide (https://kubernetes.io/docs/reference/using-api/deprecation-guide/),
// release by release, as "apiVersion Kind -> replacement".
var guideRemovals = map[eks.KubernetesVersion][]string{
	"1.16": {
		"extensions/v1beta1 NetworkPolicy -> networking.k8s.io/v1",
		"extensions/v1beta1 PodSecurityPolicy -> policy/v1beta1",
		"extensions/v1beta1 DaemonSet -> apps/v1",
		"apps/v1beta2 DaemonSet -> apps/v1",
		"extensions/v1beta1 Deployment -> apps/v1",
		"apps/v1beta1 Deployment -> apps/v1",
		"apps/v1beta2 Deployment -> apps/v1",
		"apps/v1beta1 StatefulSet -> apps/v1",
		"apps/v1beta2 StatefulSet -> apps/v1",
		"extensions/v1beta1 ReplicaSet -> apps/v1",
		"apps/v1beta1 ReplicaSet -> apps/v1",
		"apps/v1beta2 ReplicaSet -> apps/v1",
	},
	"1.22": {
		"admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration -> admissionregistration.k8s.io/v1",
		"admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration -> admissionregistration.k8s.io/v1",
		"apiextensions.k8s.io/v1beta1 CustomResourceDefinition -> apiextensions.k8s.io/v1",
		"apiregistration.k8s.io/v1beta1 APIService -> apiregistration.k8s.io/v1",
		"authentication.k8s.io/v1beta1 TokenReview -> authentication.k8s.io/v1",
		"authorization.k8s.io/v1beta1 LocalSubjectAccessReview -> authorization.k8s.io/v1",
		"authorization.k8s.io/v1beta1 SelfSubjectAccessReview -> authorization.k8s.io/v1",
		"authorization.k8s.io/v1beta1 SubjectAccessReview -> authorization.k8s.io/v1",
		"certificates.k8s.io/v1beta1 CertificateSigningRequest -> certificates.k8s.io/v1",
		"coordination.k8s.io/v1beta1 Lease -> coordination.k8s.io/v1",
		"extensions/v1beta1 Ingress -> networking.k8s.io/v1",
		"networking.k8s.io/v1beta1 Ingress -> networking.k8s.io/v1",
		"networking.k8s.io/v1beta1 IngressClass -> networking.k8s.io/v1",
		"rbac.authorization.k8s.io/v1beta1 ClusterRole -> rbac.authorization.k8s.io/v1",
		"rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding -> rbac.authorization.k8s.io/v1",
		"rbac.authorization.k8s.io/v1beta1 Role -> rbac.authorization.k8s.io/v1",
		"rbac.authorization.k8s.io/v1beta1 RoleBinding -> rbac.authorization.k8s.io/v1",
		"scheduling.k8s.io/v1beta1 PriorityClass -> scheduling.k8s.io/v1",
		"storage.k8s.io/v1beta1 CSIDriver -> storage.k8s.io/v1",
		"storage.k8s.io/v1beta1 CSINode -> storage.k8s.io/v1",
		"storage.k8s.io/v1beta1 StorageClass -> storage.k8s.io/v1",
		"storage.k8s.io/v1beta1 VolumeAttachment -> storage.k8s.io/v1",
	},
	"1.25": {
		"batch/v1beta1 CronJob -> batch/v1",
		"discovery.k8s.io/v1beta1 EndpointSlice -> discovery.k8s.io/v1",
		"events.k8s.io/v1beta1 Event -> events.k8s.io/v1",
		"autoscaling/v2beta1 HorizontalPodAutoscaler -> autoscaling/v2",
		"policy/v1beta1 PodDisruptionBudget -> policy/v1",
		"policy/v1beta1 PodSecurityPolicy -> ",
		"node.k8s.io/v1beta1 RuntimeClass -> node.k8s.io/v1",
	},
	"1.26": {
		"flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema -> flowcontrol.apiserver.k8s.io/v1",
		"flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration -> flowcontrol.apiserver.k8s.io/v1",
		"autoscaling/v2beta2 HorizontalPodAutoscaler -> autoscaling/v2",
	},
	"1.27": {
		"storage.k8s.io/v1beta1 CSIStorageCapacity -> storage.k8s.io/v1",
	},
	"1.29": {
		"flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema -> flowcontrol.apiserver.k8s.io/v1",
		"flowcontrol.apiserver.k8s.io/v1beta2 PriorityLevelConfiguration -> flowcontrol.apiserver.k8s.io/v1",
	},
	"1.32": {
		"flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema -> flowcontrol.apiserver.k8s.io/v1",
		"flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration -> flowcontrol.apiserver.k8s.io/v1",
	},
}

func TestRemovedAPIsCoverTheMigrationGuide(t *testing.T) {
	t.Parallel()
	for release, removals := range guideRemovals {
		for _, want := range removals {
			api, replacement, _ := strings.Cut(want, " -> ")
			av, kind, _ := strings.Cut(api, " ")
			r, ok := eks.LookupRemovedAPI(av, kind)
			if !ok {
				t.Errorf("%s (removed in %s) is not in the table", api, release)
				continue
			}
			if r.Removed != release {
				t.Errorf("%s: Removed %q, the guide says %s", api, r.Removed, release)
			}
			if r.Replacement != replacement {
				t.Errorf("%s: Replacement %q, the guide says %q", api, r.Replacement, replacement)
			}
			if r.Replacement == "" && r.Note == "" {
				t.Errorf("%s has neither a replacement nor a note saying what to do", api)
			}
		}
	}
}

func TestRemovedAPIsTableIsOrderedAndConsistent(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	last := 0
	for _, r := range eks.RemovedAPIs() {
		key := r.APIVersion + " " + r.Kind
		if seen[key] {
			t.Errorf("%s is listed twice", key)
		}
		seen[key] = true
		if r.Deprecated == "" {
			t.Errorf("%s has no Deprecated version", key)
		}
		if r.Removed == "" {
			continue
		}
		var minor int
		if _, err := fmt.Sscanf(string(r.Removed), "1.%d", &minor); err != nil {
			t.Errorf("%s: Removed %q is not 1.<minor>", key, r.Removed)
		}
		if minor < last {
			t.Errorf("%s (removed in %s) is listed after a later removal", key, r.Removed)
		}
		last = minor
		if r.RemovedIn(r.Deprecated) {
			t.Errorf("%s is removed (%s) no later than it is deprecated (%s)", key, r.Removed, r.Deprecated)
		}
	}
}

func TestRemovedAPIStatusByVersion(t *testing.T) {
	t.Parallel()
	flow, _ := eks.LookupRemovedAPI("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema")
	endpoints, _ := eks.LookupRemovedAPI("v1", "Endpoints")
	cases := []struct {
		name                string
		api                 eks.RemovedAPI
		version             eks.KubernetesVersion
		removed, deprecated bool
	}{
		{"served before its deprecation", flow, "1.28", false, false},
		{"deprecated from the release that serves v1", flow, "1.29", false, true},
		{"deprecated the release before removal", flow, "1.31", false, true},
		{"removed in its release", flow, "1.32", true, false},
		{"removed in later releases", flow, "1.37", true, false},
		{"removed in two-digit minors past 1.99", flow, "1.100", true, false},
		{"deprecation without removal stays a deprecation", endpoints, "1.40", false, true},
		{"not deprecated before", endpoints, "1.32", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.api.RemovedIn(tc.version); got != tc.removed {
				t.Errorf("RemovedIn(%s) = %v, want %v", tc.version, got, tc.removed)
			}
			if got := tc.api.DeprecatedIn(tc.version); got != tc.deprecated {
				t.Errorf("DeprecatedIn(%s) = %v, want %v", tc.version, got, tc.deprecated)
			}
		})
	}
}

func TestManifestOnRemovedAPI(t *testing.T) {
	t.Parallel()
	obj := func(av, kind string) map[string]any {
		return map[string]any{"apiVersion": av, "kind": kind, "metadata": map[string]any{"name": "x", "namespace": "apps"}}
	}
	cases := []struct {
		name     string
		version  eks.KubernetesVersion
		objects  []any
		errors   []string // fragments of the synthesis error, nil when it succeeds
		warnings []string
	}{
		{
			name:    "fails on a CronJob of batch/v1beta1",
			version: eks.V1_34,
			objects: []any{obj("batch/v1", "Job"), obj("batch/v1beta1", "CronJob")},
			errors: []string{
				"[Stack/Cluster/manifest-app] object 2 (batch/v1beta1 CronJob apps/x): batch/v1beta1 CronJob is not served by Kubernetes 1.34 (removed in 1.25): use batch/v1 CronJob",
			},
		},
		{
			name:    "fails on every removed object, with notes and no-successor kinds",
			version: eks.V1_30,
			objects: []any{obj("extensions/v1beta1", "Ingress"), obj("policy/v1beta1", "PodSecurityPolicy"), eks.YAML("apiVersion: flowcontrol.apiserver.k8s.io/v1beta2\nkind: FlowSchema\nmetadata:\n  name: fs\n")},
			errors: []string{
				"object 1 (extensions/v1beta1 Ingress apps/x): extensions/v1beta1 Ingress is not served by Kubernetes 1.30 (removed in 1.22): use networking.k8s.io/v1 Ingress (spec.backend is renamed spec.defaultBackend",
				"object 2 (policy/v1beta1 PodSecurityPolicy apps/x): policy/v1beta1 PodSecurityPolicy is not served by Kubernetes 1.30 (removed in 1.25): PodSecurityPolicy has no successor: use Pod Security Admission",
				"object 3 (flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema fs): flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema is not served by Kubernetes 1.30 (removed in 1.29)",
			},
		},
		{
			name:     "warns on an API deprecated but still served",
			version:  eks.V1_31,
			objects:  []any{obj("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration")},
			warnings: []string{"object 1 (flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration apps/x): flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration is deprecated in Kubernetes 1.31 (removed in 1.32): use flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration"},
		},
		{
			name:     "warns on v1 Endpoints from 1.33 with the replacement kind",
			version:  eks.V1_33,
			objects:  []any{obj("v1", "Endpoints")},
			warnings: []string{"v1 Endpoints is deprecated in Kubernetes 1.33 (no removal is scheduled): use discovery.k8s.io/v1 EndpointSlice"},
		},
		{
			name:    "accepts current APIs and custom kinds",
			version: eks.V1_34,
			objects: []any{obj("apps/v1", "Deployment"), obj("example.com/v1beta1", "CronJob"), obj("v1", "Service")},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			c := eks.ClusterFromClusterAttributes(stack, "Cluster", eks.ClusterAttributes{ClusterName: "c", KubernetesVersion: tc.version})
			m := eks.AddManifest(c, "app", tc.objects...)
			var warnings []string
			for _, e := range m.Node().Metadata() {
				if e.Type == cdk.MetadataWarning {
					warnings = append(warnings, e.Data.(string))
				}
			}
			if len(warnings) != len(tc.warnings) {
				t.Errorf("warnings %q, want %d like %q", warnings, len(tc.warnings), tc.warnings)
			}
			for i := range min(len(warnings), len(tc.warnings)) {
				if !strings.Contains(warnings[i], tc.warnings[i]) {
					t.Errorf("warning %d is\n%s\nwant it to contain\n%s", i, warnings[i], tc.warnings[i])
				}
			}
			if tc.errors == nil {
				if err := synthError(t, app); err != "" {
					t.Fatalf("synthesis failed: %s", err)
				}
				return
			}
			wantError(t, app, tc.errors...)
		})
	}
}

func TestManifestOfImportedClusterWithoutVersionIsNotChecked(t *testing.T) {
	t.Parallel()
	app, stack := newStack()
	c := eks.ClusterFromClusterAttributes(stack, "Cluster", eks.ClusterAttributes{ClusterName: "c"})
	eks.AddManifest(c, "app", map[string]any{"apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": map[string]any{"name": "x"}})
	if err := synthError(t, app); err != "" {
		t.Fatalf("synthesis failed although the cluster's version is unknown: %s", err)
	}
}

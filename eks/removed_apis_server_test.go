package eks_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"

	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
)

// offByDefault are beta API versions ("apiVersion Kind") that client-go
// knows and that the test's kube-apiserver does not serve, and that the
// migration guide does not list: betas introduced after 1.24, off by
// default (KEP-3136) unless --runtime-config enables them, and the
// resource.k8s.io betas and authentication.k8s.io/v1beta1 SelfSubjectReview,
// superseded by v1 without a guide entry. The table holds no release for
// them, so a manifest using them fails at deploy rather than at synthesis.
// A version that stops being served and is not listed here or in the table
// fails this test.
var offByDefault = map[string]bool{
	"admissionregistration.k8s.io/v1beta1 MutatingAdmissionPolicy":          true,
	"admissionregistration.k8s.io/v1beta1 MutatingAdmissionPolicyBinding":   true,
	"admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy":        true,
	"admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicyBinding": true,
	"authentication.k8s.io/v1beta1 SelfSubjectReview":                       true,
	"certificates.k8s.io/v1beta1 ClusterTrustBundle":                        true,
	"certificates.k8s.io/v1beta1 PodCertificateRequest":                     true,
	"networking.k8s.io/v1beta1 IPAddress":                                   true,
	"networking.k8s.io/v1beta1 ServiceCIDR":                                 true,
	"resource.k8s.io/v1beta1 DeviceClass":                                   true,
	"resource.k8s.io/v1beta1 ResourceClaim":                                 true,
	"resource.k8s.io/v1beta1 ResourceClaimTemplate":                         true,
	"resource.k8s.io/v1beta1 ResourceSlice":                                 true,
	"resource.k8s.io/v1beta2 DeviceClass":                                   true,
	"resource.k8s.io/v1beta2 DeviceTaintRule":                               true,
	"resource.k8s.io/v1beta2 ResourceClaim":                                 true,
	"resource.k8s.io/v1beta2 ResourceClaimTemplate":                         true,
	"resource.k8s.io/v1beta2 ResourceSlice":                                 true,
	"storage.k8s.io/v1beta1 VolumeAttributesClass":                          true,
	"storagemigration.k8s.io/v1beta1 StorageVersionMigration":               true,
}

// TestRemovedAPIsMatchTheAPIServer checks the table against a real
// kube-apiserver (kubeenv.KubernetesVersion): every API version it lists as
// removed by that release is not served and its replacement is; and every
// non-alpha version of a kind that client-go's scheme knows, which the
// server does not serve while it serves the kind in another version, is in
// the table. A removal the table misses fails here when the test binaries
// move to a release that makes it.
func TestRemovedAPIsMatchTheAPIServer(t *testing.T) {
	t.Parallel()
	env := kubeenv.Start(t)
	cs, err := kubernetes.NewForConfig(env.RestConfig())
	if err != nil {
		t.Fatal(err)
	}
	_, lists, err := cs.Discovery().ServerGroupsAndResources()
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	served := map[string]bool{}     // "apiVersion Kind"
	servedKind := map[string]bool{} // Kind
	for _, l := range lists {
		for _, r := range l.APIResources {
			if strings.Contains(r.Name, "/") {
				continue // subresources
			}
			served[l.GroupVersion+" "+r.Kind] = true
			servedKind[r.Kind] = true
		}
	}
	var minor int
	if _, err := fmt.Sscanf(strings.TrimPrefix(kubeenv.KubernetesVersion, "v"), "1.%d", &minor); err != nil {
		t.Fatal(err)
	}
	server := eks.KubernetesVersionOf(fmt.Sprintf("1.%d", minor))

	for _, r := range eks.RemovedAPIs() {
		key := r.APIVersion + " " + r.Kind
		switch {
		case r.RemovedIn(server) && served[key]:
			t.Errorf("the table says Kubernetes %s removed %s, but the %s API server serves it", r.Removed, key, kubeenv.KubernetesVersion)
		case !r.RemovedIn(server) && !served[key]:
			t.Errorf("the table says %s is served by Kubernetes %s, but the %s API server does not serve it", key, server, kubeenv.KubernetesVersion)
		}
		if chained, ok := eks.LookupRemovedAPI(r.Replacement, r.Kind); ok && chained.RemovedIn(server) {
			continue // the replacement was removed too (extensions PodSecurityPolicy)
		}
		if r.Replacement != "" {
			kind := r.Kind
			if r.ReplacementKind != "" {
				kind = r.ReplacementKind
			}
			if !served[r.Replacement+" "+kind] {
				t.Errorf("%s: the replacement %s %s is not served by the %s API server", key, r.Replacement, kind, kubeenv.KubernetesVersion)
			}
		}
	}

	var missing []string
	for gvk := range scheme.Scheme.AllKnownTypes() {
		if gvk.Version == "__internal" || strings.Contains(gvk.Version, "alpha") || !servedKind[gvk.Kind] {
			continue
		}
		av := gvk.GroupVersion().String()
		key := av + " " + gvk.Kind
		if served[key] {
			continue
		}
		if r, ok := eks.LookupRemovedAPI(av, gvk.Kind); ok && r.RemovedIn(server) {
			continue
		}
		if !offByDefault[key] {
			missing = append(missing, key)
		}
	}
	sort.Strings(missing)
	for _, key := range missing {
		t.Errorf("the %s API server does not serve %s, which client-go knows, and the table does not list it as removed", kubeenv.KubernetesVersion, key)
	}
}

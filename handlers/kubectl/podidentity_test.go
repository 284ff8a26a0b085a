package kubectl_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// TestPodIdentityFlowThroughTheHandler follows EKS Pod Identity from the
// app to the API server: a service account with IdentityTypePodIdentity, an
// add-on with a Pod Identity association and a Deployment running as the
// service account are synthesized; the template's Kubernetes resources are
// applied through the kubectl handler to a real kube-apiserver, exactly as
// synthesized. What links the pieces at deploy time is checked: the native
// association names the namespace and name of the service account the
// handler created, waits for the agent add-on, and the service account
// carries no IRSA annotation (which would make the EKS webhook inject web
// identity credentials that the role, trusting pods.eks.amazonaws.com only,
// refuses). The add-on's service account is EKS's: no resource of the app
// applies it. Deleting the service account through the handler removes it.
func TestPodIdentityFlowThroughTheHandler(t *testing.T) {
	h, env := newHandler(t)
	ns := namespace(t, env)

	_, stack := synthtest.NewStack()
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	sa := cluster.AddServiceAccount("Reports", eks.ServiceAccountOptions{Name: "reports", Namespace: ns, IdentityType: eks.IdentityTypePodIdentity})
	cluster.AddAddon("EbsCsiDriver", eks.AddonOptions{
		AddonName: eks.AddonNameEbsCsiDriver,
		PodIdentityAssociations: []eks.AddonPodIdentityAssociation{{
			ServiceAccount:  "ebs-csi-controller-sa",
			ManagedPolicies: []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("service-role/AmazonEBSCSIDriverPolicy")},
		}},
	})
	app := deployment(ns, "reports")
	app["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["serviceAccountName"] = sa.ServiceAccountName()
	cluster.AddManifest("ReportsApp", app)
	tmpl := synthtest.Template(t, stack)
	resources := tmpl["Resources"].(map[string]any)

	// The template: one agent, the association after it, naming the
	// service account the manifest creates.
	var agent, assoc, addon string
	manifests := map[string][]map[string]any{} // logical ID -> objects
	for id, r := range resources {
		rm := r.(map[string]any)
		props, _ := rm["Properties"].(map[string]any)
		switch rm["Type"] {
		case "AWS::EKS::Addon":
			switch props["AddonName"] {
			case "eks-pod-identity-agent":
				if agent != "" {
					t.Errorf("two Pod Identity Agent add-ons: %s and %s", agent, id)
				}
				agent = id
			case "aws-ebs-csi-driver":
				addon = id
			}
		case "AWS::EKS::PodIdentityAssociation":
			if assoc != "" {
				t.Errorf("two associations for one service account: %s and %s", assoc, id)
			}
			assoc = id
		case kubectl.TypeManifest:
			var objs []map[string]any
			if err := json.Unmarshal([]byte(flattenValue(t, props["Manifest"])), &objs); err != nil {
				t.Fatalf("%s: manifest: %v", id, err)
			}
			manifests[id] = objs
		}
	}
	if agent == "" || assoc == "" || addon == "" {
		t.Fatalf("agent %q, association %q, add-on %q: want all three", agent, assoc, addon)
	}
	ap := resources[assoc].(map[string]any)
	if p := ap["Properties"].(map[string]any); p["Namespace"] != ns || p["ServiceAccount"] != "reports" {
		t.Errorf("association names %v/%v, want %s/reports", p["Namespace"], p["ServiceAccount"], ns)
	}
	if !dependsOn(ap, agent) {
		t.Errorf("association %s does not wait for the agent %s: %v", assoc, agent, ap["DependsOn"])
	}
	addonAssocs := resources[addon].(map[string]any)["Properties"].(map[string]any)["PodIdentityAssociations"].([]any)
	if len(addonAssocs) != 1 || addonAssocs[0].(map[string]any)["ServiceAccount"] != "ebs-csi-controller-sa" {
		t.Errorf("add-on associations %v", addonAssocs)
	}
	if !dependsOn(resources[addon].(map[string]any), agent) {
		t.Errorf("add-on %s does not wait for the agent %s", addon, agent)
	}
	var saManifest, appManifest string
	for id, objs := range manifests {
		for _, o := range objs {
			md := o["metadata"].(map[string]any)
			switch {
			case o["kind"] == "ServiceAccount" && md["name"] == "ebs-csi-controller-sa":
				t.Errorf("%s applies the add-on's service account, which EKS manages", id)
			case o["kind"] == "ServiceAccount" && md["name"] == "reports":
				saManifest = id
				if a, ok := md["annotations"].(map[string]any); ok && a["eks.amazonaws.com/role-arn"] != nil {
					t.Errorf("the Pod Identity service account is annotated for IRSA: %v", a)
				}
			case o["kind"] == "Deployment":
				appManifest = id
			}
		}
	}
	if saManifest == "" || appManifest == "" {
		t.Fatalf("service account manifest %q, app manifest %q", saManifest, appManifest)
	}

	// Deploy the Kubernetes side through the handler, in the template's
	// order (the service account before the app that runs as it).
	if !dependsOn(resources[appManifest].(map[string]any), saManifest) {
		t.Errorf("the app %s is not ordered after its service account %s", appManifest, saManifest)
	}
	saProps := handlerProps(t, resources, saManifest)
	mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, saProps, nil))
	mustRun(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, handlerProps(t, resources, appManifest), nil))

	cs := clientset(t, env)
	ctx := context.Background()
	got, err := cs.CoreV1().ServiceAccounts(ns).Get(ctx, "reports", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("the service account the association names is not on the cluster: %v", err)
	}
	if got.Annotations["eks.amazonaws.com/role-arn"] != "" {
		t.Errorf("applied service account has an IRSA annotation: %v", got.Annotations)
	}
	if got.Labels["app.kubernetes.io/name"] != "reports" {
		t.Errorf("service account labels %v", got.Labels)
	}
	d, err := cs.AppsV1().Deployments(ns).Get(ctx, "reports", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Spec.Template.Spec.ServiceAccountName != "reports" {
		t.Errorf("the app runs as %q, want the associated service account", d.Spec.Template.Spec.ServiceAccountName)
	}

	// Removing the service account from the app deletes it.
	e := ev(t, kubectl.TypeManifest, cfnresponse.Delete, saProps, nil)
	e.PhysicalResourceId = saManifest
	mustRun(t, h, e)
	if _, err := cs.CoreV1().ServiceAccounts(ns).Get(ctx, "reports", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("service account still there after delete: %v", err)
	}
}

// handlerProps are the properties CloudFormation sends the handler for the
// synthesized resource id: tokens resolved (the cluster is "test"), scalars
// as strings.
func handlerProps(t *testing.T, resources map[string]any, id string) map[string]any {
	t.Helper()
	out := map[string]any{}
	for k, v := range resources[id].(map[string]any)["Properties"].(map[string]any) {
		if k == "ServiceToken" || k == "RoleArn" || k == "StackObjects" {
			// StackObjects (ownership of moved objects, a Fn::FindInMap) is
			// not what this test is about; without it the handler guards
			// by its own owner mark alone.
			continue
		}
		if k == "ClusterName" {
			out[k] = "test"
			continue
		}
		out[k] = flattenValue(t, v)
	}
	return out
}

// flattenValue renders a template value as CloudFormation passes it: a
// string, Fn::Join joined; other intrinsic functions are not expected in
// the manifests of this test.
func flattenValue(t *testing.T, v any) string {
	t.Helper()
	switch x := v.(type) {
	case string:
		return x
	case float64, bool:
		return fmt.Sprint(x)
	case map[string]any:
		if j, ok := x["Fn::Join"].([]any); ok {
			var parts []string
			for _, p := range j[1].([]any) {
				parts = append(parts, flattenValue(t, p))
			}
			return strings.Join(parts, j[0].(string))
		}
	}
	t.Fatalf("unexpected value %#v", v)
	return ""
}

// dependsOn says whether a template resource lists id in DependsOn.
func dependsOn(r map[string]any, id string) bool {
	deps, _ := r["DependsOn"].([]any)
	for _, d := range deps {
		if d == id {
			return true
		}
	}
	return false
}

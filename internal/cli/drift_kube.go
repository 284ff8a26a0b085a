package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/internal/cfndiff"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"

	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/kubectl/ownermark"
)

// The custom resource types whose Kubernetes state drift compares.
const (
	manifestType = "Custom::AWSCDK-EKS-KubernetesResource"
	helmType     = "Custom::AWSCDK-EKS-HelmChart"
)

// driftFinding is one difference between what a stack applied and the
// live cluster.
type driftFinding struct {
	marker  string // "[~]" differs, "[-]" missing, "[?]" not compared
	subject string // "apps/v1 Deployment shop/web"
	source  string // the construct path or logical ID of the custom resource
	summary string
	detail  []string
}

func (f driftFinding) drifted() bool { return f.marker != "[?]" }

// kubeChecker compares objects and Helm releases with one cluster.
type kubeChecker struct {
	client  *apply.Client
	clients kubernetes.Interface
	manager string
}

func newKubeChecker(rc *rest.Config) (*kubeChecker, error) {
	c, err := apply.New(rc)
	if err != nil {
		return nil, err
	}
	cs, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return nil, fmt.Errorf("unable to create a Kubernetes client: %w", err)
	}
	return &kubeChecker{client: c, clients: cs, manager: ownermark.LegacyFieldManager}, nil
}

// checkObject compares one object of a deployed manifest with the
// cluster: a server-side apply dry run with the field manager and owner
// mark the handler applied it with (see managerFor), without force, so only fields the stack owns count. A conflict means
// another manager changed fields the stack applied; a dry-run result that
// differs from the live object means applying again would change it.
func (k *kubeChecker) checkObject(ctx context.Context, obj map[string]any, pruneLabel string, own objectOwner, source string) *driftFinding {
	u := &unstructured.Unstructured{Object: obj}
	name := apply.Describe(u)
	find := func(marker, summary string, detail ...string) *driftFinding {
		return &driftFinding{marker: marker, subject: name, source: source, summary: summary, detail: detail}
	}
	if pruneLabel != "" {
		labels := u.GetLabels()
		if _, ok := labels[pruneLabel]; !ok {
			if labels == nil {
				labels = map[string]string{}
			}
			labels[pruneLabel] = ""
			u.SetLabels(labels)
		}
	}
	m, err := k.client.Mapping(ctx, u.GroupVersionKind())
	if err != nil {
		if meta.IsNoMatchError(errors.Unwrap(err)) || meta.IsNoMatchError(err) {
			return find("[-]", "missing: the cluster does not serve "+u.GetAPIVersion()+" "+u.GetKind())
		}
		return find("[?]", fmt.Sprintf("not compared: %v", err))
	}
	ri := k.client.Dynamic.Resource(m.Resource)
	var res interface {
		Get(context.Context, string, metav1.GetOptions, ...string) (*unstructured.Unstructured, error)
		Patch(context.Context, string, types.PatchType, []byte, metav1.PatchOptions, ...string) (*unstructured.Unstructured, error)
	} = ri
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		ns := u.GetNamespace()
		if ns == "" {
			ns = "default"
			u.SetNamespace(ns)
			name = apply.Describe(u)
		}
		res = ri.Namespace(ns)
	}
	live, err := res.Get(ctx, u.GetName(), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return find("[-]", "missing: deleted from the cluster")
	}
	if err != nil {
		return find("[?]", fmt.Sprintf("not compared: %v", err))
	}
	manager, mark, other := k.managerFor(live, own)
	if other != "" {
		return find("[~]", fmt.Sprintf("owned by %s, not by this resource (%s): another resource applied it since (annotation %s)", other, own.name, ownermark.Annotation))
	}
	if mark != "" {
		ann := u.GetAnnotations()
		if ann == nil {
			ann = map[string]string{}
		}
		ann[ownermark.Annotation] = mark
		u.SetAnnotations(ann)
	}
	body, err := json.Marshal(u.Object)
	if err != nil {
		return find("[?]", fmt.Sprintf("not compared: %v", err))
	}
	force := false
	dry, err := res.Patch(ctx, u.GetName(), types.ApplyPatchType, body, metav1.PatchOptions{
		FieldManager: manager, Force: &force, DryRun: []string{metav1.DryRunAll},
	})
	if apierrors.IsConflict(err) {
		return find("[~]", "fields the stack applied were changed by another field manager", conflictLines(err)...)
	}
	if err != nil {
		return find("[?]", fmt.Sprintf("not compared: the dry-run apply failed: %v", err))
	}
	a, b := comparable(live), comparable(dry)
	if reflect.DeepEqual(a, b) {
		return nil
	}
	return find("[~]", "differs from what the stack applied (- live, + as deployed)", lineDiffOf(a, b)...)
}

// objectOwner is the custom resource that applied a manifest's objects.
type objectOwner struct {
	name string // its Owner property, else its logical ID
	mark string // its owner mark, "" when the stack ID is not known
}

// managerFor returns the field manager and owner mark the kubectl handler
// applied live with: those of the owner's mark (the live object's own mark
// when the stack ID is not known); the legacy shared manager, without a
// mark, for an object applied before each resource had its own. other is
// the mark of another resource when that one owns the object now.
func (k *kubeChecker) managerFor(live *unstructured.Unstructured, own objectOwner) (manager, mark, other string) {
	liveMark := live.GetAnnotations()[ownermark.Annotation]
	mark = own.mark
	switch {
	case liveMark == "":
	case mark != "" && liveMark != mark, mark == "" && ownermark.Name(liveMark) != own.name:
		return "", "", liveMark
	default:
		mark = liveMark
	}
	if mark == "" {
		return k.manager, "", ""
	}
	m := ownermark.FieldManager(mark)
	if liveMark == "" && !appliedBy(live, m) {
		return k.manager, "", "" // applied before owner marks
	}
	return m, mark, ""
}

// appliedBy reports whether manager holds applied fields of u.
func appliedBy(u *unstructured.Unstructured, manager string) bool {
	for _, e := range u.GetManagedFields() {
		if e.Manager == manager && e.Operation == metav1.ManagedFieldsOperationApply {
			return true
		}
	}
	return false
}

// conflictLines lists the fields of a server-side apply conflict.
func conflictLines(err error) []string {
	var se apierrors.APIStatus
	if errors.As(err, &se) && se.Status().Details != nil {
		var out []string
		for _, c := range se.Status().Details.Causes {
			out = append(out, strings.TrimSpace(c.Field+" "+c.Message))
		}
		if len(out) > 0 {
			return out
		}
	}
	return []string{err.Error()}
}

// comparable drops what the API server writes on every change.
func comparable(u *unstructured.Unstructured) map[string]any {
	o := u.DeepCopy().Object
	md, _ := o["metadata"].(map[string]any)
	for _, k := range []string{"managedFields", "resourceVersion", "generation", "uid", "creationTimestamp"} {
		delete(md, k)
	}
	delete(o, "status")
	return o
}

func lineDiffOf(a, b map[string]any) []string {
	ya, _ := yaml.Marshal(a)
	yb, _ := yaml.Marshal(b)
	return cfndiff.LineDiff(string(ya), string(yb))
}

// helmRelease is what drift reads of a release (Helm's storage format).
type helmRelease struct {
	Name    string         `json:"name"`
	Version int            `json:"version"`
	Config  map[string]any `json:"config"`
	Info    struct {
		Status string `json:"status"`
	} `json:"info"`
	Chart struct {
		Metadata struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"metadata"`
	} `json:"chart"`
}

// checkRelease compares a Helm release with the values the stack gave:
// the latest revision must be deployed and carry those values (and the
// chart version, when the stack pins one).
func (k *kubeChecker) checkRelease(ctx context.Context, release, namespace, version string, values map[string]any, source string) *driftFinding {
	subject := "Helm release " + namespace + "/" + release
	find := func(marker, summary string, detail ...string) *driftFinding {
		return &driftFinding{marker: marker, subject: subject, source: source, summary: summary, detail: detail}
	}
	secrets, err := k.clients.CoreV1().Secrets(namespace).List(ctx, metav1.ListOptions{LabelSelector: "owner=helm,name=" + release})
	if err != nil {
		return find("[?]", fmt.Sprintf("not compared: %v", err))
	}
	var latest *helmRelease
	for _, s := range secrets.Items {
		r, err := decodeRelease(s.Data["release"])
		if err != nil {
			return find("[?]", fmt.Sprintf("not compared: secret %s: %v", s.Name, err))
		}
		if latest == nil || r.Version > latest.Version {
			latest = r
		}
	}
	if latest == nil {
		return find("[-]", "missing: no release in the cluster")
	}
	var problems, detail []string
	if latest.Info.Status != "deployed" {
		problems = append(problems, fmt.Sprintf("revision %d is %s", latest.Version, latest.Info.Status))
	}
	if version != "" && latest.Chart.Metadata.Version != version {
		problems = append(problems, fmt.Sprintf("chart %s %s, the stack gave %s", latest.Chart.Metadata.Name, latest.Chart.Metadata.Version, version))
	}
	if values == nil {
		values = map[string]any{}
	}
	cfg := latest.Config
	if cfg == nil {
		cfg = map[string]any{}
	}
	if !reflect.DeepEqual(normalizeJSON(cfg), normalizeJSON(values)) {
		problems = append(problems, fmt.Sprintf("the values of revision %d differ (- live, + as deployed)", latest.Version))
		detail = lineDiffOf(cfg, values)
	}
	if len(problems) == 0 {
		return nil
	}
	return find("[~]", strings.Join(problems, "; "), detail...)
}

// decodeRelease reads Helm's secret storage: base64 of gzip of JSON.
func decodeRelease(data []byte) (*helmRelease, error) {
	raw, err := base64.StdEncoding.DecodeString(string(data))
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(raw, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		if raw, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	}
	var r helmRelease
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

func normalizeJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// sortFindings orders findings by source, then subject.
func sortFindings(fs []driftFinding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].source != fs[j].source {
			return fs[i].source < fs[j].source
		}
		return fs[i].subject < fs[j].subject
	})
}

package kubectl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
)

// TestManifestFailedCreateUndoesWhatTheServerApplied fails a Create at an
// object the API server did apply while the handler could not know it: the
// answer to its apply is lost (a client-side deadline, or an error answered
// after the write), a step after the apply fails (taking over the fields of
// the legacy field manager), or its CRD is never seen Established. The
// failure happens at a fixed request, whatever the machine's speed: a
// lostAnswer wrapped around the handler's client forwards that request to
// the API server and then fails it. Either the failed Create leaves nothing
// marked as its own, or it answers with a physical ID and CloudFormation's
// rollback Delete of that ID removes it.
func TestManifestFailedCreateUndoesWhatTheServerApplied(t *testing.T) {
	t.Parallel()
	crd := func(ns string) map[string]any {
		return map[string]any{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
			"metadata": map[string]any{"name": "gadgets." + ns + ".eksforge.io"},
			"spec": map[string]any{"group": ns + ".eksforge.io", "scope": "Namespaced",
				"names": map[string]any{"plural": "gadgets", "singular": "gadget", "kind": "Gadget"},
				"versions": []any{map[string]any{"name": "v1", "served": true, "storage": true,
					"schema": map[string]any{"openAPIV3Schema": map[string]any{"type": "object"}}}}}}
	}
	tests := []struct {
		name string
		// objs is the manifest; legacy, when set, is applied first by the
		// shared field manager of the handlers before owner marks.
		objs   func(ns string) []map[string]any
		legacy func(ns string) map[string]any
		// fail picks the request to lose; how loses its answer.
		fail func(ns string, r *http.Request) bool
		how  lossKind
	}{
		{
			name: "apply answer lost at the deadline",
			objs: func(ns string) []map[string]any {
				return []map[string]any{configMap(ns, "first", nil), configMap(ns, "second", nil), configMap(ns, "third", nil)}
			},
			fail: func(ns string, r *http.Request) bool { return isApply(r, "configmaps", ns, "second") },
			how:  lossDeadline,
		},
		{
			name: "apply answered with an error after the write",
			objs: func(ns string) []map[string]any {
				return []map[string]any{configMap(ns, "first", nil), configMap(ns, "second", nil)}
			},
			fail: func(ns string, r *http.Request) bool { return isApply(r, "configmaps", ns, "second") },
			how:  lossServerError,
		},
		{
			name: "taking over the legacy manager's fields fails",
			objs: func(ns string) []map[string]any {
				return []map[string]any{configMap(ns, "first", nil), configMap(ns, "legacy", map[string]any{"k": "1"})}
			},
			// Applied without conflict (the same value), then the legacy
			// manager's fields are taken over: that write fails.
			legacy: func(ns string) map[string]any {
				return configMap(ns, "legacy", map[string]any{"k": "1", "dropped": "yes"})
			},
			fail: func(ns string, r *http.Request) bool {
				return r.Method == http.MethodPatch && r.Header.Get("Content-Type") == string(types.MergePatchType) &&
					strings.HasSuffix(r.URL.Path, "/namespaces/"+ns+"/configmaps/legacy")
			},
			how: lossServerError,
		},
		{
			name: "CRD never seen Established",
			objs: func(ns string) []map[string]any { return []map[string]any{configMap(ns, "first", nil), crd(ns)} },
			fail: func(ns string, r *http.Request) bool {
				return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/customresourcedefinitions/gadgets."+ns+".eksforge.io")
			},
			how: lossUnestablished,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, env := newHandler(t)
			ns := namespace(t, env)
			if tt.legacy != nil {
				force := true
				u := unstructured.Unstructured{Object: tt.legacy(ns)}
				if _, err := dyn(t, env).Resource(cmGVR).Namespace(ns).Patch(context.Background(), u.GetName(),
					types.ApplyPatchType, []byte(jsonString(t, u.Object)), metav1.PatchOptions{FieldManager: "eksforge", Force: &force}); err != nil {
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			loss := &lostAnswer{match: func(r *http.Request) bool { return tt.fail(ns, r) }, how: tt.how, cancel: cancel}
			wrapTransport(h, loss.wrap)
			objs := tt.objs(ns)
			list := make([]any, len(objs))
			for i, o := range objs {
				list[i] = o
			}
			p := map[string]any{"Manifest": jsonString(t, list)}
			e := ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil)
			r, err := h.OnEvent(ctx, e)
			if !loss.fired.Load() {
				t.Fatalf("the request to fail was never made (Create: %v)", err)
			}
			if err == nil {
				t.Fatal("the Create succeeded though an answer was lost")
			}
			t.Logf("Create failed with ID %q: %v", r.PhysicalResourceId, err)
			if r.PhysicalResourceId != "" {
				// CloudFormation's rollback Delete finishes the job.
				del := ev(t, kubectl.TypeManifest, cfnresponse.Delete, p, nil)
				del.PhysicalResourceId = r.PhysicalResourceId
				mustRun(t, h, del)
			}
			for _, o := range objs {
				u := unstructured.Unstructured{Object: o}
				gvr, ns := cmGVR, ns
				if u.GetKind() == "CustomResourceDefinition" {
					gvr, ns = crdGVR, ""
				}
				if live := get(t, env, gvr, ns, u.GetName()); live != nil && live.GetDeletionTimestamp() == nil &&
					strings.HasSuffix(live.GetAnnotations()[kubectl.OwnerAnnotation], "/"+e.LogicalResourceId) {
					t.Errorf("the failed Create (ID %q) left %s %s marked as its own (%s)", r.PhysicalResourceId, u.GetKind(), u.GetName(),
						live.GetAnnotations()[kubectl.OwnerAnnotation])
				}
			}
		})
	}
}

// TestManifestFailedCreateLeavesOthersObjects fails a Create at an object
// it does not own: the API server refused the apply (a conflict), so the
// object is as its owner left it, and the undo of the Create must leave it
// so — with another stack's owner mark, or with none (a user's own).
func TestManifestFailedCreateLeavesOthersObjects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, manager, mark string
	}{
		{name: "owned by another stack", manager: "eksforge-0123456789abcdef", mark: "0badf00d/Other"},
		{name: "made by a user", manager: "kubectl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, env := newHandler(t)
			ns := namespace(t, env)
			theirs := configMap(ns, "theirs", map[string]any{"k": "theirs"})
			if tt.mark != "" {
				theirs["metadata"].(map[string]any)["annotations"] = map[string]any{kubectl.OwnerAnnotation: tt.mark}
			}
			force := true
			if _, err := dyn(t, env).Resource(cmGVR).Namespace(ns).Patch(context.Background(), "theirs", types.ApplyPatchType,
				[]byte(jsonString(t, theirs)), metav1.PatchOptions{FieldManager: tt.manager, Force: &force}); err != nil {
				t.Fatal(err)
			}
			uid := uidOf(t, env, ns, "theirs")
			p := map[string]any{"Manifest": jsonString(t, []any{configMap(ns, "first", nil), configMap(ns, "theirs", map[string]any{"k": "ours"})})}
			r, err := run(t, h, ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil))
			if err == nil || !strings.Contains(err.Error(), "ConfigMap "+ns+"/theirs") {
				t.Fatalf("Create: %v, want a conflict naming the ConfigMap", err)
			}
			if r.PhysicalResourceId != "" {
				t.Errorf("a cleaned-up failed Create returned ID %q", r.PhysicalResourceId)
			}
			if get(t, env, cmGVR, ns, "first") != nil {
				t.Error("the object applied before the failure was left behind")
			}
			cm := checkCM(t, env, ns, "theirs", cmState{uid: uid, data: map[string]any{"k": "theirs"}})
			if got := cm.GetAnnotations()[kubectl.OwnerAnnotation]; got != tt.mark {
				t.Errorf("owner mark %q, want %q", got, tt.mark)
			}
		})
	}
}

// isApply reports whether r is a server-side apply of the object name of
// resource in namespace ns.
func isApply(r *http.Request, resource, ns, name string) bool {
	return r.Method == http.MethodPatch && r.Header.Get("Content-Type") == string(types.ApplyPatchType) &&
		strings.HasSuffix(r.URL.Path, "/namespaces/"+ns+"/"+resource+"/"+name)
}

// lossKind is how a lostAnswer fails the request it forwarded.
type lossKind int

const (
	// lossDeadline ends the handler's context (its deadline passed while
	// the answer was on its way) and fails the request with it.
	lossDeadline lossKind = iota
	// lossServerError answers 500 in place of the API server's answer.
	lossServerError
	// lossUnestablished passes a CRD on without its status (not yet
	// Established) and ends the handler's context: the wait for it ends.
	lossUnestablished
)

// lostAnswer forwards the first request match accepts to the API server
// and then fails it for the client as how says; every other request passes.
type lostAnswer struct {
	match  func(*http.Request) bool
	how    lossKind
	cancel context.CancelFunc
	fired  atomic.Bool
}

func (l *lostAnswer) wrap(next http.RoundTripper) http.RoundTripper {
	return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		if !l.match(req) || !l.fired.CompareAndSwap(false, true) {
			return next.RoundTrip(req)
		}
		resp, err := next.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		switch l.how {
		case lossDeadline:
			l.cancel()
			return nil, req.Context().Err()
		case lossServerError:
			status := metav1.Status{TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"}, Status: metav1.StatusFailure,
				Message: "the answer was lost", Reason: metav1.StatusReasonInternalError, Code: http.StatusInternalServerError}
			b, _ := json.Marshal(status)
			return &http.Response{StatusCode: http.StatusInternalServerError, Status: "500 Internal Server Error", Proto: resp.Proto,
				ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor, Request: req,
				Header: http.Header{"Content-Type": []string{"application/json"}}, Body: io.NopCloser(bytes.NewReader(b)), ContentLength: int64(len(b))}, nil
		default:
			var u map[string]any
			if err := json.Unmarshal(body, &u); err != nil {
				return nil, err
			}
			delete(u, "status")
			b, _ := json.Marshal(u)
			l.cancel()
			resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
			resp.Header.Del("Content-Length")
			return resp, nil
		}
	})
}

// TestPatchFailedCreateKeepsItsID fails a patch's Create after the API
// server applied the patch: the answer to the patch is lost, or recording
// the patch's mark on the object fails. The object is patched, so the
// Create must keep its physical ID for CloudFormation's rollback Delete to
// restore it; an empty ID would leave the user's object patched for good.
func TestPatchFailedCreateKeepsItsID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		patchType types.PatchType
	}{
		{"the answer to the patch is lost", types.StrategicMergePatchType},
		{"marking the object fails", types.MergePatchType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, env := newHandler(t)
			ns := namespace(t, env)
			value := patchTarget(t, env, ns)
			loss := &lostAnswer{how: lossServerError, match: func(r *http.Request) bool {
				return r.Method == http.MethodPatch && r.Header.Get("Content-Type") == string(tt.patchType) &&
					strings.HasSuffix(r.URL.Path, "/namespaces/"+ns+"/configmaps/target") && r.URL.Query().Get("dryRun") == ""
			}}
			wrapTransport(h, loss.wrap)
			p := map[string]any{"ResourceName": "configmap/target", "ResourceNamespace": ns,
				"ApplyPatchJson": `{"data":{"k":"patched"}}`, "RestorePatchJson": `{"data":{"k":"orig"}}`}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			r, err := h.OnEvent(ctx, ev(t, kubectl.TypePatch, cfnresponse.Create, p, nil))
			if !loss.fired.Load() {
				t.Fatalf("the request to fail was never made (Create: %v)", err)
			}
			if err == nil {
				t.Fatal("the Create succeeded though an answer was lost")
			}
			t.Logf("Create failed with ID %q: %v", r.PhysicalResourceId, err)
			if r.PhysicalResourceId == "" {
				if got := value(); got != "orig" {
					t.Fatalf("the failed Create answered no ID and left the object patched (k=%q)", got)
				}
				return
			}
			del := ev(t, kubectl.TypePatch, cfnresponse.Delete, p, nil)
			del.PhysicalResourceId = r.PhysicalResourceId
			mustRun(t, h, del)
			if got := value(); got != "orig" {
				t.Errorf("after the rollback Delete k=%q, want orig", got)
			}
		})
	}
}

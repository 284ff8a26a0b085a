package kubectl_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/handlers/provider"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// TestAnswersCloudFormation runs events through provider.InProcess, as the
// Lambda main does, and reads the answers PUT to the response URL.
func TestAnswersCloudFormation(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	answers := make(chan []byte, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		answers <- b
	}))
	defer srv.Close()
	fn := provider.InProcess(h, provider.Options{})
	deliver := func(e provider.Event) cfnresponse.Response {
		t.Helper()
		e.ResponseURL = srv.URL + "/answer"
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := fn(ctx, e); err != nil {
			t.Fatal(err)
		}
		b := <-answers
		if len(b) > 4096 {
			t.Errorf("answer is %d bytes, over CloudFormation's 4 KB", len(b))
		}
		var r cfnresponse.Response
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}

	// 300 invalid objects: a long error, cut to fit.
	var objs []any
	objs = append(objs, configMap(ns, "ok", nil))
	for i := range 300 {
		objs = append(objs, map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
			"metadata": map[string]any{"name": fmt.Sprintf("BAD_%s_%d", strings.Repeat("x", 40), i), "namespace": ns}})
	}
	r := deliver(ev(t, kubectl.TypeManifest, cfnresponse.Create, map[string]any{"Manifest": jsonString(t, objs)}, nil))
	if r.Status != cfnresponse.Failed || !strings.Contains(r.Reason, "unable to apply v1 ConfigMap "+ns+"/BAD_") {
		t.Errorf("answer %+v, want FAILED naming the object", r)
	}
	// A failed Create deletes what it applied and answers with no ID of its
	// own (the provider's CREATE_FAILED stand-in); were its clean-up to
	// fail, it would keep its ID for the rollback Delete to finish the job.
	cleaned := strings.HasPrefix(r.PhysicalResourceId, provider.CreateFailedPhysicalIDPrefix)
	if cleaned && get(t, env, cmGVR, ns, "ok") != nil {
		t.Error("a failed Create left what it applied")
	}
	// The rollback Delete of that Create: with the stand-in ID, answered
	// without touching anything.
	del := ev(t, kubectl.TypeManifest, cfnresponse.Delete, map[string]any{"Manifest": jsonString(t, objs)}, nil)
	del.PhysicalResourceId = r.PhysicalResourceId
	if r := deliver(del); r.Status != cfnresponse.Success {
		t.Errorf("rollback Delete answered %+v", r)
	}
	if !cleaned {
		t.Logf("the failed Create kept its ID %q: %s", r.PhysicalResourceId, r.Reason)
		if get(t, env, cmGVR, ns, "ok") != nil {
			t.Error("a failed Create and its rollback Delete left what the Create applied")
		}
	}

	good := ev(t, kubectl.TypeManifest, cfnresponse.Create, map[string]any{"Manifest": jsonString(t, objs[:1])}, nil)
	if r := deliver(good); r.Status != cfnresponse.Success || r.Data["Objects"] != "1" || !strings.HasPrefix(r.PhysicalResourceId, "manifest/test/") {
		t.Errorf("answer %+v", r)
	}
	unknown := ev(t, "Custom::Nope", cfnresponse.Create, map[string]any{}, nil)
	if r := deliver(unknown); r.Status != cfnresponse.Failed || !strings.Contains(r.Reason, "Custom::Nope") {
		t.Errorf("unknown type answered %+v", r)
	}
}

func TestDeleteOnAGoneClusterSucceeds(t *testing.T) {
	t.Parallel()
	cfg, err := motoserver.Shared(t).AWSConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h := kubectl.New(cfg) // reaches clusters through eks:DescribeCluster on moto
	types := []string{kubectl.TypeManifest, kubectl.TypePatch, kubectl.TypeAwsAuth}
	if withHelm { // the nohelm handler refuses charts (TestNoHelmRefusesCharts)
		types = append(types, kubectl.TypeHelmChart)
	}
	for _, typ := range types {
		p := map[string]any{"ClusterName": "deleted-cluster", "Manifest": `[]`, "Release": "r", "ResourceName": "cm/x",
			"ApplyPatchJson": "{}", "RestorePatchJson": "{}"}
		del := ev(t, typ, cfnresponse.Delete, p, nil)
		del.PhysicalResourceId = "x/deleted-cluster/y"
		if _, err := run(t, h, del); err != nil {
			t.Errorf("%s Delete on a gone cluster: %v", typ, err)
		}
		cr := ev(t, typ, cfnresponse.Create, p, nil)
		if _, err := h.OnEvent(context.Background(), cr); err == nil || !strings.Contains(err.Error(), "deleted-cluster") {
			t.Errorf("%s Create on a gone cluster: error %v, want one naming it", typ, err)
		}
	}
}

package kubectl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/handlers/provider"
)

// syncBuffer is a bytes.Buffer safe for the log handler's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogsHoldNoSecrets runs a manifest with a Secret, an object value that
// reads it back, and a Helm release with a password value through
// provider.InProcess as the Lambda main does (its JSON log handler
// included), and checks that the log names every request but holds none of
// the secret material. Not parallel: it replaces the default logger, and
// the package's parallel tests wait until it is done.
func TestLogsHoldNoSecrets(t *testing.T) {
	var logs syncBuffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, nil)))
	defer slog.SetDefault(prev)

	h, env := newHandler(t)
	ns := namespace(t, env)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.Copy(io.Discard, r.Body) }))
	defer srv.Close()
	fn := provider.InProcess(h, provider.Options{})
	deliver := func(e provider.Event) {
		t.Helper()
		e.ResponseURL = srv.URL + "/answer?X-Amz-Signature=response-url-signature"
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := fn(ctx, e); err != nil {
			t.Fatal(err)
		}
	}

	const (
		stringData = "hunter2-string-data"
		dataPlain  = "s3cr3t-data-value"
		dataB64    = "czNjcjN0LWRhdGEtdmFsdWU=" // base64 of dataPlain
		helmSecret = "helm-values-password"
	)
	secret := map[string]any{"apiVersion": "v1", "kind": "Secret",
		"metadata":   map[string]any{"name": "db", "namespace": ns},
		"data":       map[string]any{"password": dataB64},
		"stringData": map[string]any{"token": stringData}}
	mf := ev(t, kubectl.TypeManifest, cfnresponse.Create, map[string]any{"Manifest": jsonString(t, []any{secret})}, nil)
	deliver(mf)
	value := ev(t, kubectl.TypeObjectValue, cfnresponse.Create, map[string]any{"ObjectType": "secret", "ObjectName": "db",
		"ObjectNamespace": ns, "JsonPath": ".data.password"}, nil)
	value.LogicalResourceId += "Value"
	deliver(value)
	repo := testChartRepo(t)
	helm := ev(t, kubectl.TypeHelmChart, cfnresponse.Create, map[string]any{"Release": "logs", "Chart": "demo", "Repository": repo,
		"Namespace": ns, "Values": `{"v":"x","password":"` + helmSecret + `"}`}, nil)
	helm.LogicalResourceId += "Helm"
	deliver(helm)
	broken := ev(t, kubectl.TypeManifest, cfnresponse.Create, map[string]any{"Manifest": jsonString(t, []any{map[string]any{
		"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "BAD_NAME", "namespace": ns},
		"stringData": map[string]any{"token": stringData}}})}, nil)
	broken.LogicalResourceId += "Broken"
	deliver(broken)

	out := logs.String()
	for _, s := range []string{stringData, dataPlain, dataB64, helmSecret, "response-url-signature"} {
		if strings.Contains(out, s) {
			t.Errorf("the log holds %q:\n%s", s, out)
		}
	}
	// Every request is still traceable: its type, logical ID, request ID
	// and outcome.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, e := range []provider.Event{mf, value, helm, broken} {
		var seen, answered bool
		for _, l := range lines {
			var rec map[string]any
			if json.Unmarshal([]byte(l), &rec) != nil {
				continue
			}
			if rec["requestId"] == e.RequestId && rec["logicalResourceId"] == e.LogicalResourceId {
				seen = seen || (rec["requestType"] == string(e.RequestType) && rec["resourceType"] == e.ResourceType)
				answered = answered || rec["status"] != nil
			}
		}
		if !seen || !answered {
			t.Errorf("%s %s: logged request %v, logged outcome %v:\n%s", e.ResourceType, e.LogicalResourceId, seen, answered, out)
		}
	}
	if !strings.Contains(out, `"dataKeys":["Value"]`) {
		t.Errorf("the object value's answer is not logged with its Data key names:\n%s", out)
	}
}

package kubectl_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/handlers/provider"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// TestSecretValuesFromSsmAndSecretsManager runs a manifest whose Secret's
// values come from an SSM SecureString parameter and Secrets Manager
// secrets (moto) through provider.InProcess, as the Lambda main does,
// against the local API server: the Secret gets the values, an Update
// reads them again, a missing source or JSON key fails the Create without
// applying anything, and neither the log nor the answers to CloudFormation
// hold any value. Not parallel: it replaces the default logger.
func TestSecretValuesFromSsmAndSecretsManager(t *testing.T) {
	var logs syncBuffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, nil)))
	defer slog.SetDefault(prev)

	h, env := newHandler(t)
	ns := namespace(t, env)
	ctx := context.Background()
	cfg, err := motoserver.Shared(t).AWSConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sm, ps := secretsmanager.NewFromConfig(cfg), ssm.NewFromConfig(cfg)
	suffix := fmt.Sprint(time.Now().UnixNano())
	const (
		dbPassword  = "ssm-secure-string-value-1"
		dbPassword2 = "ssm-secure-string-value-2"
		apiToken    = "secrets-manager-plain-token"
		rdsUser     = "rds-json-username"
		rdsPassword = "rds-json-password-not-used"
	)
	param := "/eksforge/" + suffix + "/db-password"
	putParam := func(v string) {
		t.Helper()
		if _, err := ps.PutParameter(ctx, &ssm.PutParameterInput{Name: &param, Value: &v, Type: ssmtypes.ParameterTypeSecureString, Overwrite: aws.Bool(true)}); err != nil {
			t.Fatal(err)
		}
	}
	putParam(dbPassword)
	token, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("token-" + suffix), SecretString: aws.String(apiToken)})
	if err != nil {
		t.Fatal(err)
	}
	rdsJSON, _ := json.Marshal(map[string]string{"username": rdsUser, "password": rdsPassword})
	rds, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("rds-" + suffix), SecretString: aws.String(string(rdsJSON))})
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var answers []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		answers = append(answers, string(b))
		mu.Unlock()
	}))
	defer srv.Close()
	fn := provider.InProcess(h, provider.Options{})
	deliver := func(e provider.Event) cfnresponse.Response {
		t.Helper()
		e.ResponseURL = srv.URL + "/answer"
		cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		if err := fn(cctx, e); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		var r cfnresponse.Response
		if err := json.Unmarshal([]byte(answers[len(answers)-1]), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	secret := func(name string) map[string]any {
		return map[string]any{"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": map[string]any{"name": name, "namespace": ns}}
	}
	source := func(name, key string, src map[string]any) map[string]any {
		src["Namespace"], src["Name"], src["Key"] = ns, name, key
		return src
	}
	props := func(name string, sources ...map[string]any) map[string]any {
		list := make([]any, len(sources))
		for i, s := range sources {
			list[i] = s
		}
		return map[string]any{"Manifest": jsonString(t, []any{secret(name)}), kubectl.SecretValuesProperty: list}
	}
	data := func(name string) map[string]string {
		t.Helper()
		u := get(t, env, secretGVR, ns, name)
		if u == nil {
			return nil
		}
		out := map[string]string{}
		d, _ := u.Object["data"].(map[string]any)
		for k, v := range d {
			b, err := base64.StdEncoding.DecodeString(v.(string))
			if err != nil {
				t.Fatal(err)
			}
			out[k] = string(b)
		}
		return out
	}

	p := props("db",
		source("db", "password", map[string]any{"SsmParameter": param}),
		source("db", "token", map[string]any{"SecretsManagerSecret": *token.Name}),
		source("db", "username", map[string]any{"SecretsManagerSecret": *rds.ARN, "JsonKey": "username"}))
	create := ev(t, kubectl.TypeManifest, cfnresponse.Create, p, nil)
	r := deliver(create)
	if r.Status != cfnresponse.Success {
		t.Fatalf("Create answered %+v", r)
	}
	want := map[string]string{"password": dbPassword, "token": apiToken, "username": rdsUser}
	if got := data("db"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Secret data after Create = %v, want %v", got, want)
	}

	// An Update reads the values again: a rotated parameter reaches the
	// Secret.
	putParam(dbPassword2)
	update := ev(t, kubectl.TypeManifest, cfnresponse.Update, p, p)
	update.PhysicalResourceId = r.PhysicalResourceId
	update.RequestId += "-update"
	if r := deliver(update); r.Status != cfnresponse.Success {
		t.Fatalf("Update answered %+v", r)
	}
	if got := data("db")["password"]; got != dbPassword2 {
		t.Errorf("after the Update the password is %q, want the rotated parameter's value", got)
	}

	// A source that cannot be read fails the Create before anything is
	// applied, naming the source but no value.
	for _, tc := range []struct {
		name, want string
		src        map[string]any
	}{
		{"missing-param", "/eksforge/" + suffix + "/nothing", map[string]any{"SsmParameter": "/eksforge/" + suffix + "/nothing"}},
		{"missing-secret", "nothing-" + suffix, map[string]any{"SecretsManagerSecret": "nothing-" + suffix}},
		{"missing-json-key", "has no JSON key port", map[string]any{"SecretsManagerSecret": *rds.ARN, "JsonKey": "port"}},
		{"not-json", "is not a JSON object", map[string]any{"SecretsManagerSecret": *token.ARN, "JsonKey": "x"}},
	} {
		e := ev(t, kubectl.TypeManifest, cfnresponse.Create, props(tc.name, source(tc.name, "k", tc.src)), nil)
		e.LogicalResourceId += strings.ReplaceAll(tc.name, "-", "")
		r := deliver(e)
		if r.Status != cfnresponse.Failed || !strings.Contains(r.Reason, tc.want) || !strings.Contains(r.Reason, "Secret "+ns+"/"+tc.name+" key k") {
			t.Errorf("%s: answered %s %q, want FAILED naming %q and the Secret", tc.name, r.Status, r.Reason, tc.want)
		}
		if get(t, env, secretGVR, ns, tc.name) != nil {
			t.Errorf("%s: the Secret was applied although its value could not be read", tc.name)
		}
	}

	del := ev(t, kubectl.TypeManifest, cfnresponse.Delete, p, nil)
	del.PhysicalResourceId = r.PhysicalResourceId
	if r := deliver(del); r.Status != cfnresponse.Success || get(t, env, secretGVR, ns, "db") != nil {
		t.Errorf("Delete answered %+v; Secret left: %v", r, get(t, env, secretGVR, ns, "db") != nil)
	}

	out := logs.String()
	mu.Lock()
	all := out + strings.Join(answers, "\n")
	mu.Unlock()
	for _, v := range []string{dbPassword, dbPassword2, apiToken, rdsUser, rdsPassword} {
		if strings.Contains(all, v) || strings.Contains(all, base64.StdEncoding.EncodeToString([]byte(v))) {
			t.Errorf("the log or an answer holds the value %q:\n%s", v, all)
		}
	}
}

package auth_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/eksforge/eksforge/handlers/kubectl/auth"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

func TestMain(m *testing.M) {
	code := m.Run()
	motoserver.StopShared()
	os.Exit(code)
}

func TestNewTokenIsAPresignedGetCallerIdentity(t *testing.T) {
	t.Parallel()
	srv := motoserver.Shared(t)
	cfg, err := srv.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := auth.NewToken(t.Context(), cfg, "my-cluster")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok.Value, "k8s-aws-v1.") || strings.ContainsAny(tok.Value, "=+/") {
		t.Fatalf("token %q is not k8s-aws-v1. + unpadded base64url", tok.Value)
	}
	if d := time.Until(tok.Expiration); d < 13*time.Minute || d > 15*time.Minute {
		t.Errorf("expires in %s, want about 14 minutes", d)
	}
	raw, err := auth.DecodeToken(tok.Value)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("Action") != "GetCallerIdentity" || q.Get("X-Amz-Expires") != "60" || q.Get("X-Amz-Signature") == "" {
		t.Errorf("presigned URL query %v", q)
	}
	if sh := strings.Split(q.Get("X-Amz-SignedHeaders"), ";"); !contains(sh, "x-k8s-aws-id") || !contains(sh, "host") {
		t.Errorf("X-Amz-SignedHeaders = %v, want host and x-k8s-aws-id", sh)
	}
	if !strings.HasPrefix(raw, srv.Endpoint()) {
		t.Errorf("URL %s is not on the STS endpoint %s", raw, srv.Endpoint())
	}
	// What the EKS authenticator does with it: GET with the header.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, raw, nil)
	req.Header.Set("x-k8s-aws-id", "my-cluster")
	// moto's single server picks the service from the Authorization
	// header's credential scope, which a presigned request does not have
	// (it is in the query): give it one naming STS. moto checks no
	// signature, so this shows the request is a well-formed
	// GetCallerIdentity, not that the signature is right.
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+q.Get("X-Amz-Credential")+", SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), motoserver.AccountID) {
		t.Errorf("STS answered %d %s", resp.StatusCode, body)
	}
}

func TestNewTokenFailsWithoutCluster(t *testing.T) {
	t.Parallel()
	if _, err := auth.NewToken(context.Background(), aws.Config{}, ""); err == nil {
		t.Error("no error for an empty cluster name")
	}
}

func TestRestConfigFromDescribeCluster(t *testing.T) {
	t.Parallel()
	srv := motoserver.Shared(t)
	cfg, err := srv.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// An API server stand-in that records the bearer token it gets.
	got := make(chan string, 1)
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case got <- r.Header.Get("Authorization"):
		default:
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"major":"1","minor":"37","gitVersion":"v1.37.2"}`)
	}))
	defer api.Close()
	name := "cluster-" + strings.ReplaceAll(t.Name(), "/", "-")
	ec := eks.NewFromConfig(cfg)
	if _, err := ec.CreateCluster(t.Context(), &eks.CreateClusterInput{Name: &name, RoleArn: aws.String("arn:aws:iam::" + motoserver.AccountID + ":role/eks"),
		ResourcesVpcConfig: &ekstypes.VpcConfigRequest{SubnetIds: []string{"subnet-1", "subnet-2"}}}); err != nil {
		t.Fatal(err)
	}
	rc, err := auth.RestConfig(t.Context(), cfg, auth.Cluster{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	if rc.Host == "" || len(rc.TLSClientConfig.CAData) == 0 || rc.QPS < 100 || rc.Proxy == nil {
		t.Errorf("rest.Config from DescribeCluster: host %q, CA %d bytes, QPS %v", rc.Host, len(rc.TLSClientConfig.CAData), rc.QPS)
	}
	// Point it at the stand-in to see the token on the wire.
	rc.Host = api.URL
	rc.TLSClientConfig.CAData = nil
	rc.TLSClientConfig.Insecure = true
	cs, err := kubernetes.NewForConfig(rc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Discovery().ServerVersion(); err != nil {
		t.Fatal(err)
	}
	if a := <-got; !strings.HasPrefix(a, "Bearer k8s-aws-v1.") {
		t.Errorf("Authorization = %q, want an EKS bearer token", a)
	}

	t.Run("endpoint and CA from the properties", func(t *testing.T) {
		ca := base64.StdEncoding.EncodeToString([]byte("-----BEGIN CERTIFICATE-----\n"))
		rc, err := auth.RestConfig(t.Context(), cfg, auth.Cluster{Name: "no-such-cluster", Endpoint: "https://example.com", CAData: ca})
		if err != nil || rc.Host != "https://example.com" {
			t.Errorf("RestConfig = %v, %v", rc, err)
		}
	})
	t.Run("fails naming a missing cluster", func(t *testing.T) {
		_, err := auth.RestConfig(t.Context(), cfg, auth.Cluster{Name: "no-such-cluster"})
		if err == nil || !strings.Contains(err.Error(), "no-such-cluster") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("assumes the role for the token", func(t *testing.T) {
		own, err := cfg.Credentials.Retrieve(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			roleArn string
			assumed bool
		}{{"", false}, {"arn:aws:iam::" + motoserver.AccountID + ":role/kubectl", true}} {
			rc, err := auth.RestConfig(t.Context(), cfg, auth.Cluster{Name: name, RoleArn: tt.roleArn})
			if err != nil || rc.Host == "" {
				t.Fatalf("RestConfig with RoleArn %q = %v, %v", tt.roleArn, rc, err)
			}
			key := tokenAccessKey(t, rc)
			if (key != own.AccessKeyID) != tt.assumed {
				t.Errorf("RoleArn %q: the token is signed by %s (the handler's own key is %s), want assumed=%v", tt.roleArn, key, own.AccessKeyID, tt.assumed)
			}
		}
	})
}

// tokenAccessKey returns the access key that signed the bearer token rc
// sends (the X-Amz-Credential of the presigned URL inside it).
func tokenAccessKey(t *testing.T, rc *rest.Config) string {
	t.Helper()
	got := make(chan string, 1)
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case got <- strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "):
		default:
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"major":"1","minor":"37","gitVersion":"v1.37.2"}`)
	}))
	defer api.Close()
	rc = rest.CopyConfig(rc)
	rc.Host = api.URL
	rc.TLSClientConfig = rest.TLSClientConfig{Insecure: true}
	cs, err := kubernetes.NewForConfig(rc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Discovery().ServerVersion(); err != nil {
		t.Fatal(err)
	}
	presigned, err := auth.DecodeToken(<-got)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(presigned)
	if err != nil {
		t.Fatal(err)
	}
	key, _, _ := strings.Cut(u.Query().Get("X-Amz-Credential"), "/")
	if key == "" {
		t.Fatalf("no X-Amz-Credential in %s", presigned)
	}
	return key
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

package cli_test

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/eksforge/eksforge/handlers/kubectl/auth"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// TestKubeconfigAndToken creates an EKS cluster in moto, merges its entry
// into a kubeconfig that already has another one, reads the file back with
// client-go's clientcmd, and runs the exec plugin it names (eksforge
// token): an ExecCredential whose token is the presigned GetCallerIdentity
// URL that EKS checks.
func TestKubeconfigAndToken(t *testing.T) {
	t.Parallel()
	srv := motoserver.Shared(t)
	const region = "ap-northeast-2"
	cfg, err := srv.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Region = region
	name := strings.ToLower(unique("kubecfg"))
	out, err := eks.NewFromConfig(cfg).CreateCluster(t.Context(), &eks.CreateClusterInput{
		Name: aws.String(name), RoleArn: aws.String("arn:aws:iam::123456789012:role/eks"),
		ResourcesVpcConfig: &ekstypes.VpcConfigRequest{SubnetIds: []string{"subnet-1", "subnet-2"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.Cluster.Arn)

	file := filepath.Join(t.TempDir(), "config")
	existing := clientcmdapi.NewConfig()
	existing.Clusters["other"] = &clientcmdapi.Cluster{Server: "https://other.example"}
	existing.AuthInfos["other"] = &clientcmdapi.AuthInfo{Token: "secret"}
	existing.Contexts["other"] = &clientcmdapi.Context{Cluster: "other", AuthInfo: "other"}
	existing.CurrentContext = "other"
	if err := clientcmd.WriteToFile(*existing, file); err != nil {
		t.Fatal(err)
	}

	ep := "--endpoint-url=" + srv.Endpoint()
	res := run(t, runner(srv, region), "kubeconfig", "--cluster-name", name, "--kubeconfig", file, ep)
	res.expect(t, 0, "stderr", "Added context "+arn+" for EKS cluster "+name)
	kc, err := clientcmd.LoadFromFile(file)
	if err != nil {
		t.Fatalf("clientcmd cannot read the kubeconfig: %v", err)
	}
	if kc.CurrentContext != arn || kc.Contexts["other"] == nil || kc.AuthInfos["other"].Token != "secret" {
		t.Errorf("current context %q, other entry %v: want the cluster's ARN current and the other entry kept", kc.CurrentContext, kc.Contexts["other"])
	}
	c := kc.Clusters[arn]
	if c == nil || !strings.HasPrefix(c.Server, "https://") || len(c.CertificateAuthorityData) == 0 {
		t.Fatalf("cluster entry %+v: want the endpoint and CA of DescribeCluster", c)
	}
	user := kc.AuthInfos[arn]
	if user == nil || user.Exec == nil || user.Exec.APIVersion != "client.authentication.k8s.io/v1beta1" {
		t.Fatalf("user entry %+v: want an exec plugin", user)
	}
	wantArgs := []string{"token", "--cluster-name", name, "--region", region, "--endpoint-url", srv.Endpoint()}
	if strings.Join(user.Exec.Args, " ") != strings.Join(wantArgs, " ") {
		t.Errorf("exec args %q, want %q", user.Exec.Args, wantArgs)
	}
	// client-go builds a client configuration from it.
	if _, err := clientcmd.NewDefaultClientConfig(*kc, &clientcmd.ConfigOverrides{}).ClientConfig(); err != nil {
		t.Errorf("client-go cannot use the entry: %v", err)
	}

	// The plugin, as kubectl runs it.
	res = run(t, runner(srv, region), user.Exec.Args...)
	var ec struct {
		Kind, APIVersion string
		Status           struct {
			ExpirationTimestamp time.Time
			Token               string
		}
	}
	if err := json.Unmarshal([]byte(res.stdout), &ec); err != nil || ec.Kind != "ExecCredential" || ec.APIVersion != "client.authentication.k8s.io/v1beta1" {
		t.Fatalf("eksforge token printed %q (%v), want an ExecCredential", res.stdout, err)
	}
	if until := time.Until(ec.Status.ExpirationTimestamp); until <= 0 || until > 15*time.Minute {
		t.Errorf("expiration %v, want within 15 minutes", ec.Status.ExpirationTimestamp)
	}
	if !strings.HasPrefix(ec.Status.Token, "k8s-aws-v1.") || strings.Contains(ec.Status.Token, "=") {
		t.Fatalf("token %q: want k8s-aws-v1. and unpadded base64url", ec.Status.Token)
	}
	raw, err := auth.DecodeToken(ec.Status.Token)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("Action") != "GetCallerIdentity" || q.Get("X-Amz-Expires") != "60" || !strings.Contains(q.Get("X-Amz-SignedHeaders"), "x-k8s-aws-id") || q.Get("X-Amz-Signature") == "" {
		t.Errorf("the token's URL %s is not a GetCallerIdentity presigned for 60s with x-k8s-aws-id signed", raw)
	}
	res = run(t, nil, "token")
	res.expect(t, 2, "stderr", "--cluster-name is required")
	if _, err := os.Stat(file); err != nil {
		t.Fatal(err)
	}
}

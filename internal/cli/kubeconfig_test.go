package cli_test

import (
	"bytes"
	"encoding/base64"
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
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/handlers/kubectl/auth"
	"github.com/eksforge/eksforge/internal/cli"
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

// TestKubeconfigOfADeployedStack writes the kubeconfig entry of a deployed
// stack that names a cluster made outside it (moto's EKS CreateCluster) in
// a ConfigCommand output, as eks.Cluster with a MastersRole does: "aws eks
// update-kubeconfig --name N --region R --role-arn A". The stack is
// deployed with eksforge deploy. The file is read back with client-go's
// clientcmd: the server and CA are those eks:DescribeCluster returns, and
// the exec plugin is "eksforge token" with the masters role, whose token is
// signed with the role's credentials.
func TestKubeconfigOfADeployedStack(t *testing.T) {
	t.Parallel()
	const region = "eu-west-2"
	srv, cfg, newRunner := bootstrapped(t, region)
	name := strings.ToLower(unique("stackcluster"))
	cl, err := eks.NewFromConfig(cfg).CreateCluster(t.Context(), &eks.CreateClusterInput{
		Name: aws.String(name), RoleArn: aws.String("arn:aws:iam::123456789012:role/eks"),
		ResourcesVpcConfig: &ekstypes.VpcConfigRequest{SubnetIds: []string{"subnet-1", "subnet-2"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	clusterARN := aws.ToString(cl.Cluster.Arn)
	desc, err := eks.NewFromConfig(cfg).DescribeCluster(t.Context(), &eks.DescribeClusterInput{Name: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	wantCA, err := base64.StdEncoding.DecodeString(aws.ToString(desc.Cluster.CertificateAuthority.Data))
	if err != nil || len(wantCA) == 0 {
		t.Fatalf("moto's cluster has no CA: %v", err)
	}
	role, err := iam.NewFromConfig(cfg).CreateRole(t.Context(), &iam.CreateRoleInput{
		RoleName:                 aws.String(unique("masters")),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	roleARN := aws.ToString(role.Role.Arn)

	stack := unique("KubeconfigStack")
	asm := synth(t, func(app *cdk.App) {
		s := cdk.NewStack(app, stack, cdk.StackProps{})
		cdk.NewCfnResource(s, "Topic", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
		cdk.NewCfnOutput(s, "ClusterConfigCommand", cdk.CfnOutputProps{Value: "aws eks update-kubeconfig --name " + name + " --region " + region + " --role-arn " + roleARN})
	})
	ep := "--endpoint-url=" + srv.Endpoint()
	run(t, newRunner(), "deploy", "--app", asm, ep, "--require-approval", "never").expect(t, 0, "stderr", stack+": deployed")

	file := filepath.Join(t.TempDir(), "config")
	res := run(t, runner(srv, region), "kubeconfig", stack, "--app", asm, "--kubeconfig", file, ep)
	res.expect(t, 0, "stderr", "Added context "+clusterARN+" for EKS cluster "+name)
	kc, err := clientcmd.LoadFromFile(file)
	if err != nil {
		t.Fatalf("clientcmd cannot read the kubeconfig: %v", err)
	}
	if kc.CurrentContext != clusterARN {
		t.Errorf("current context %q, want %s", kc.CurrentContext, clusterARN)
	}
	c := kc.Clusters[clusterARN]
	if c == nil || c.Server != aws.ToString(desc.Cluster.Endpoint) || !bytes.Equal(c.CertificateAuthorityData, wantCA) {
		t.Fatalf("cluster entry %+v: want server %s and the CA of DescribeCluster", c, aws.ToString(desc.Cluster.Endpoint))
	}
	user := kc.AuthInfos[clusterARN]
	if user == nil || user.Exec == nil || user.Exec.Command != "eksforge" || user.Exec.APIVersion != "client.authentication.k8s.io/v1beta1" {
		t.Fatalf("user entry %+v: want the eksforge token exec plugin", user)
	}
	wantArgs := []string{"token", "--cluster-name", name, "--region", region, "--role-arn", roleARN, "--endpoint-url", srv.Endpoint()}
	if strings.Join(user.Exec.Args, " ") != strings.Join(wantArgs, " ") {
		t.Errorf("exec args %q, want %q", user.Exec.Args, wantArgs)
	}
	rc, err := clientcmd.NewDefaultClientConfig(*kc, &clientcmd.ConfigOverrides{}).ClientConfig()
	if err != nil || rc.Host != aws.ToString(desc.Cluster.Endpoint) || rc.ExecProvider == nil {
		t.Errorf("client-go's configuration %+v (%v): want the cluster's host and the exec provider", rc, err)
	}

	// The plugin signs with the masters role's credentials (moto's STS
	// AssumeRole hands out ASIA... keys with a session token).
	res = run(t, runner(srv, region), user.Exec.Args...)
	var ec struct{ Status struct{ Token string } }
	if err := json.Unmarshal([]byte(res.stdout), &ec); err != nil {
		t.Fatalf("eksforge token printed %q: %v", res.stdout, err)
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
	if strings.HasPrefix(q.Get("X-Amz-Credential"), motoserver.AccessKeyID+"/") || q.Get("X-Amz-Security-Token") == "" {
		t.Errorf("the token is signed with %s (session token %q): want the assumed role's temporary credentials", q.Get("X-Amz-Credential"), q.Get("X-Amz-Security-Token"))
	}
	if !strings.Contains(q.Get("X-Amz-SignedHeaders"), "x-k8s-aws-id") {
		t.Errorf("x-k8s-aws-id is not signed: %s", raw)
	}

	// A stack with no cluster: a clear error.
	plain := unique("NoClusterStack")
	asm = synth(t, func(app *cdk.App) {
		cdk.NewCfnResource(cdk.NewStack(app, plain, cdk.StackProps{}), "Topic", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	})
	run(t, newRunner(), "deploy", "--app", asm, ep, "--require-approval", "never").expect(t, 0, "stderr", plain+": deployed")
	res = run(t, runner(srv, region), "kubeconfig", plain, "--app", asm, "--kubeconfig", file, ep)
	res.expect(t, 1, "stderr", "no EKS cluster in the deployed stacks selected")
}

// TestKubeconfigOfAStackWithACluster deploys testdata/clusterapp with
// eksforge deploy: a stack holding an AWS::EKS::Cluster (cfn/eks's L1) in
// a VPC of its own, which moto's CloudFormation makes in moto's EKS
// (through the launcher of internal/testenv/motoserver). "eksforge
// kubeconfig STACK" then finds the cluster among the stack's resources
// (DescribeStackResources); the entry, read back with client-go's
// clientcmd, has the server and CA that eks:DescribeCluster and the stack's
// Fn::GetAtt outputs give, and the "eksforge token" exec plugin with the
// caller's credentials (no masters role: the stack names none).
func TestKubeconfigOfAStackWithACluster(t *testing.T) {
	t.Parallel()
	const region = "ap-southeast-2"
	srv, cfg, newRunner := bootstrapped(t, region)
	stack := unique("ClusterStack")
	clusterName := strings.ToLower(unique("cfncluster"))
	asm := filepath.Join(t.TempDir(), "cdk.out")
	r := &cli.Runner{Dir: repoRoot, Env: []string{"STACK_NAME=" + stack, "CLUSTER_NAME=" + clusterName}}
	run(t, r, "synth", "-q", "--app", "go run ./internal/cli/testdata/clusterapp", "--out", asm).expect(t, 0, "stderr")
	ep := "--endpoint-url=" + srv.Endpoint()
	outFile := filepath.Join(t.TempDir(), "outputs.json")
	res := run(t, newRunner(), "deploy", "--app", asm, ep, "--require-approval", "never", "--outputs-file", outFile)
	res.expect(t, 0, "stderr", "ClusterApp: deployed")
	var outputs map[string]map[string]string
	if err := json.Unmarshal(mustRead(t, filepath.Dir(outFile), "outputs.json"), &outputs); err != nil {
		t.Fatal(err)
	}

	desc, err := eks.NewFromConfig(cfg).DescribeCluster(t.Context(), &eks.DescribeClusterInput{Name: aws.String(clusterName)})
	if err != nil {
		t.Fatalf("the stack's cluster is not in EKS: %v", err)
	}
	c := desc.Cluster
	clusterARN, endpoint := aws.ToString(c.Arn), aws.ToString(c.Endpoint)
	if o := outputs["ClusterApp"]; aws.ToString(c.Version) != "1.33" || o["ClusterName"] != clusterName || o["Endpoint"] != endpoint || o["CA"] != aws.ToString(c.CertificateAuthority.Data) {
		t.Fatalf("cluster %s version %s, outputs %v: want version 1.33 and the name, Endpoint and CA of DescribeCluster", clusterName, aws.ToString(c.Version), o)
	}
	wantCA, err := base64.StdEncoding.DecodeString(aws.ToString(c.CertificateAuthority.Data))
	if err != nil || len(wantCA) == 0 {
		t.Fatalf("moto's cluster has no CA: %v", err)
	}

	file := filepath.Join(t.TempDir(), "config")
	res = run(t, runner(srv, region), "kubeconfig", "ClusterApp", "--app", asm, "--kubeconfig", file, ep)
	res.expect(t, 0, "stderr", "Added context "+clusterARN+" for EKS cluster "+clusterName+" ("+endpoint+") to "+file)
	kc, err := clientcmd.LoadFromFile(file)
	if err != nil {
		t.Fatalf("clientcmd cannot read the kubeconfig: %v", err)
	}
	if kc.CurrentContext != clusterARN || kc.Contexts[clusterARN] == nil || kc.Contexts[clusterARN].Cluster != clusterARN || kc.Contexts[clusterARN].AuthInfo != clusterARN {
		t.Errorf("current context %q, contexts %v: want %s, naming its cluster and user", kc.CurrentContext, kc.Contexts, clusterARN)
	}
	cl := kc.Clusters[clusterARN]
	if cl == nil || cl.Server != endpoint || !bytes.Equal(cl.CertificateAuthorityData, wantCA) {
		t.Fatalf("cluster entry %+v: want server %s and the CA of DescribeCluster", cl, endpoint)
	}
	user := kc.AuthInfos[clusterARN]
	wantArgs := []string{"token", "--cluster-name", clusterName, "--region", region, "--endpoint-url", srv.Endpoint()}
	if user == nil || user.Exec == nil || user.Exec.Command != "eksforge" || strings.Join(user.Exec.Args, " ") != strings.Join(wantArgs, " ") {
		t.Fatalf("user entry %+v: want the exec plugin eksforge %q", user, wantArgs)
	}
	rc, err := clientcmd.NewDefaultClientConfig(*kc, &clientcmd.ConfigOverrides{}).ClientConfig()
	if err != nil || rc.Host != endpoint || rc.ExecProvider == nil || !bytes.Equal(rc.CAData, wantCA) {
		t.Errorf("client-go's configuration %+v (%v): want the cluster's host, CA and the exec provider", rc, err)
	}
	// The plugin, as kubectl runs it: a token for this cluster.
	res = run(t, runner(srv, region), user.Exec.Args...)
	var ec struct{ Status struct{ Token string } }
	if err := json.Unmarshal([]byte(res.stdout), &ec); err != nil {
		t.Fatalf("eksforge token printed %q: %v", res.stdout, err)
	}
	if raw, err := auth.DecodeToken(ec.Status.Token); err != nil || !strings.Contains(raw, "Action=GetCallerIdentity") {
		t.Errorf("token %q (%v): want a presigned GetCallerIdentity", raw, err)
	}

	// Destroyed with its stack: kubeconfig then says the stack is not
	// deployed.
	run(t, newRunner(), "destroy", "--app", asm, ep, "--force").expect(t, 0, "stderr", "ClusterApp: destroyed")
	if _, err := eks.NewFromConfig(cfg).DescribeCluster(t.Context(), &eks.DescribeClusterInput{Name: aws.String(clusterName)}); err == nil {
		t.Error("the cluster is still in EKS after its stack was destroyed")
	}
	res = run(t, runner(srv, region), "kubeconfig", "ClusterApp", "--app", asm, "--kubeconfig", file, ep)
	res.expect(t, 1, "stderr", "unable to list the resources of stack "+stack+" (is it deployed?)")
}

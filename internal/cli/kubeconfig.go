package cli

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/eksforge/eksforge/handlers/kubectl/auth"
	"github.com/eksforge/eksforge/internal/assembly"
)

// execCredential is the client.authentication.k8s.io/v1beta1 answer of an
// exec credential plugin.
type execCredential struct {
	Kind       string `json:"kind"`
	APIVersion string `json:"apiVersion"`
	Spec       struct {
	} `json:"spec"`
	Status struct {
		ExpirationTimestamp string `json:"expirationTimestamp"`
		Token               string `json:"token"`
	} `json:"status"`
}

// token prints an ExecCredential holding an EKS bearer token for
// --cluster-name, as `aws eks get-token` and aws-iam-authenticator do.
func (r *Runner) token(ctx context.Context, args []string) error {
	var o options
	pos, err := o.parse("token", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("token takes no arguments; got %q", pos)
	}
	if o.clusterName == "" {
		return usagef("--cluster-name is required: the EKS cluster the token is for")
	}
	cfg, err := r.awsConfig(ctx, &o)
	if err != nil {
		return err
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // STS presigns in any region
	}
	if o.roleARN != "" {
		// As "aws eks get-token --role-arn": the token is signed with the
		// role's credentials, so EKS sees the role.
		cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), o.roleARN, func(ao *stscreds.AssumeRoleOptions) {
			ao.RoleSessionName = "eksforge-token"
		}))
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			return fmt.Errorf("unable to assume role %s for the token: %w", o.roleARN, err)
		}
	}
	tok, err := auth.NewToken(ctx, cfg, o.clusterName)
	if err != nil {
		return err
	}
	var ec execCredential
	ec.Kind, ec.APIVersion = "ExecCredential", "client.authentication.k8s.io/v1beta1"
	ec.Status.Token = tok.Value
	ec.Status.ExpirationTimestamp = tok.Expiration.UTC().Format(time.RFC3339)
	body, err := json.Marshal(ec)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(r.Stdout, "%s\n", body)
	return err
}

// kubeconfig writes or merges a kubeconfig entry (cluster, user with the
// `eksforge token` exec plugin, context) for each cluster named or deployed
// by the stacks named, and makes the last one the current context.
func (r *Runner) kubeconfig(ctx context.Context, args []string) error {
	var o options
	pos, err := o.parse("kubeconfig", args)
	if err != nil {
		return err
	}
	sess, err := r.connect(ctx, &o)
	if err != nil {
		return err
	}
	region := sess.cfg.Region
	var names []clusterRef
	if o.clusterName != "" {
		if len(pos) > 0 {
			return usagef("pass stack names or --cluster-name, not both")
		}
		names = []clusterRef{{name: o.clusterName}}
	} else {
		asm, err := r.load(ctx, &o)
		if err != nil {
			return err
		}
		stacks, err := selectForChange(asm, &o, pos, "read", assembly.ExtendNone)
		if err != nil {
			return err
		}
		for _, s := range stacks {
			env, err := sess.env(s)
			if err != nil {
				return err
			}
			region = env.Region
			found, err := clustersOf(ctx, sess.in(env.Region).cfn, s)
			if err != nil {
				return err
			}
			for i := range found {
				if found[i].region == "" {
					found[i].region = env.Region
				}
			}
			names = append(names, found...)
		}
		if len(names) == 0 {
			return fmt.Errorf("no EKS cluster in the deployed stacks selected: deploy them first, or pass --cluster-name")
		}
	}
	if region == "" {
		return fmt.Errorf("no AWS region: pass --region or set AWS_REGION")
	}
	file := o.kubeconfig
	if file == "" {
		file = defaultKubeconfig()
	}
	file = r.abs(file)
	cfg, err := clientcmd.LoadFromFile(file)
	if errors.Is(err, os.ErrNotExist) {
		cfg = clientcmdapi.NewConfig()
	} else if err != nil {
		return fmt.Errorf("unable to read the kubeconfig %s: %w", file, err)
	}
	self, err := os.Executable()
	if err != nil || strings.HasSuffix(self, ".test") {
		self = "eksforge"
	}
	for _, ref := range names {
		name, region, role := ref.name, orDefault(ref.region, region), orDefault(o.roleARN, ref.role)
		ecfg := sess.cfg.Copy()
		ecfg.Region = region
		out, err := eks.NewFromConfig(ecfg).DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String(name)})
		if err != nil {
			return fmt.Errorf("unable to describe EKS cluster %s in %s: %w", name, region, err)
		}
		c := out.Cluster
		var ca []byte
		if c.CertificateAuthority != nil {
			ca, err = base64.StdEncoding.DecodeString(aws.ToString(c.CertificateAuthority.Data))
		}
		if len(ca) == 0 || err != nil {
			return fmt.Errorf("EKS cluster %s has no readable certificate authority yet (status %s): wait until it is ACTIVE", name, c.Status)
		}
		id := aws.ToString(c.Arn)
		if id == "" {
			id = name
		}
		alias := id
		if o.alias != "" {
			alias = o.alias
			if len(names) > 1 {
				alias = o.alias + "-" + name
			}
		}
		cluster := clientcmdapi.NewCluster()
		cluster.Server, cluster.CertificateAuthorityData = aws.ToString(c.Endpoint), ca
		cfg.Clusters[id] = cluster
		execArgs := []string{"token", "--cluster-name", name, "--region", region}
		if role != "" {
			execArgs = append(execArgs, "--role-arn", role)
		}
		if o.profile != "" {
			execArgs = append(execArgs, "--profile", o.profile)
		}
		if o.endpoint != "" {
			execArgs = append(execArgs, "--endpoint-url", o.endpoint)
		}
		user := clientcmdapi.NewAuthInfo()
		user.Exec = &clientcmdapi.ExecConfig{APIVersion: "client.authentication.k8s.io/v1beta1", Command: self, Args: execArgs, InteractiveMode: clientcmdapi.NeverExecInteractiveMode}
		cfg.AuthInfos[id] = user
		kctx := clientcmdapi.NewContext()
		kctx.Cluster, kctx.AuthInfo = id, id
		cfg.Contexts[alias] = kctx
		cfg.CurrentContext = alias
		fmt.Fprintf(r.Stderr, "Added context %s for EKS cluster %s (%s) to %s\n", alias, name, aws.ToString(c.Endpoint), file)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	if err := clientcmd.WriteToFile(*cfg, file); err != nil {
		return fmt.Errorf("unable to write the kubeconfig %s: %w", file, err)
	}
	return nil
}

// clusterRef is a cluster to write an entry for: its name, and the region
// and role from a ConfigCommand output ("" when not known).
type clusterRef struct {
	name, region, role string
}

// configCommand is how the ConfigCommand output of an EKS cluster
// (eks.Cluster with a MastersRole, and the AWS CDK's) starts.
const configCommand = "aws eks update-kubeconfig "

// clustersOf returns the EKS clusters stack s deployed: the physical IDs of
// its AWS::EKS::Cluster and Custom::AWSCDK-EKS-Cluster resources, and the
// clusters its outputs name with an "aws eks update-kubeconfig --name N
// --region R --role-arn A" command (the ConfigCommand output, which also
// names the masters role the token should be made with; it also covers a
// stack that manages an imported cluster).
func clustersOf(ctx context.Context, cfn *cloudformation.Client, s *assembly.Stack) ([]clusterRef, error) {
	out, err := cfn.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(s.StackName)})
	if err != nil {
		return nil, fmt.Errorf("unable to list the resources of stack %s (is it deployed?): %w", s.StackName, err)
	}
	byName := map[string]*clusterRef{}
	for _, res := range out.StackResources {
		switch aws.ToString(res.ResourceType) {
		case "AWS::EKS::Cluster", "Custom::AWSCDK-EKS-Cluster":
			if id := aws.ToString(res.PhysicalResourceId); id != "" {
				byName[id] = &clusterRef{name: id}
			}
		}
	}
	st, err := cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(s.StackName)})
	if err != nil {
		return nil, fmt.Errorf("unable to read the outputs of stack %s: %w", s.StackName, err)
	}
	for _, stack := range st.Stacks {
		for _, o := range stack.Outputs {
			cmd, ok := strings.CutPrefix(aws.ToString(o.OutputValue), configCommand)
			if !ok {
				continue
			}
			ref := parseConfigCommand(cmd)
			if ref.name == "" {
				continue
			}
			if have := byName[ref.name]; have != nil {
				ref.region, ref.role = orDefault(ref.region, have.region), orDefault(ref.role, have.role)
			}
			byName[ref.name] = &ref
		}
	}
	var refs []clusterRef
	for _, k := range clusterNames(byName) {
		refs = append(refs, *byName[k])
	}
	return refs, nil
}

// parseConfigCommand reads --name, --region and --role-arn from the
// arguments of "aws eks update-kubeconfig" (as "--flag value" or
// "--flag=value").
func parseConfigCommand(args string) clusterRef {
	var ref clusterRef
	f := strings.Fields(args)
	for i := 0; i < len(f); i++ {
		name, value, inline := strings.Cut(f[i], "=")
		if !inline && i+1 < len(f) {
			value = f[i+1]
		}
		var dst *string
		switch name {
		case "--name":
			dst = &ref.name
		case "--region":
			dst = &ref.region
		case "--role-arn":
			dst = &ref.role
		default:
			continue
		}
		*dst = value
		if !inline {
			i++
		}
	}
	return ref
}

func clusterNames(m map[string]*clusterRef) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// defaultKubeconfig is the first file of $KUBECONFIG, else ~/.kube/config.
func defaultKubeconfig() string {
	if k := os.Getenv("KUBECONFIG"); k != "" {
		return filepath.SplitList(k)[0]
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".kube", "config")
}

const kubeconfigHelp = `Kubeconfig writes, or merges into an existing file, a kubeconfig entry for
each EKS cluster of the deployed stacks named (their AWS::EKS::Cluster
resources, and the clusters their ConfigCommand outputs name: "aws eks
update-kubeconfig --name N --region R --role-arn A"), or for
--cluster-name: the cluster's endpoint and CA (from eks:DescribeCluster), a
user whose exec plugin is "eksforge token" (no AWS CLI needed), and a
context (the cluster's ARN, or --alias), made current. The token is made
with the role of --role-arn, else the ConfigCommand's role (the cluster's
masters role), else the caller's credentials. Other entries of the file are
kept. The file is --kubeconfig, else the first of $KUBECONFIG, else
~/.kube/config.

Examples:

	eksforge kubeconfig MyStack
	eksforge kubeconfig --cluster-name demo --region eu-west-1 --alias demo
	kubectl get nodes
`

const tokenHelp = `Token prints an ExecCredential (client.authentication.k8s.io/v1beta1)
holding an EKS bearer token for --cluster-name, as "aws eks get-token" and
aws-iam-authenticator do: "k8s-aws-v1." and the base64url of an
sts:GetCallerIdentity URL presigned for 60 seconds with the header
x-k8s-aws-id: CLUSTER signed. The credentials are those of the default
chain (--profile, --region), or those of the role --role-arn names
(sts:AssumeRole), as "aws eks get-token --role-arn" does. kubectl runs it
through the kubeconfig entry "eksforge kubeconfig" writes.
`

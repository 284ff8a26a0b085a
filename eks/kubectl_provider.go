package eks

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/aws/logs"
	"github.com/eksforge/eksforge/cdk"
)

// KubectlHandlerPackage is the Go main package of the kubectl handler that
// applies manifests, Helm charts, patches and aws-auth entries
// (docs/custom-resources.md). It is built with [lambda.CodeFromGoPackage]
// when its asset is published: with the [KubectlNoHelmTag] build tag for
// the cluster's Handler, without it for the HelmHandler. Tests may point it
// at a stub main package; applications leave it alone
// (KubectlOptions.HandlerCode replaces the code of one cluster's handlers).
var KubectlHandlerPackage = "github.com/eksforge/eksforge/handlers/kubectl/cmd/kubectl"

// KubectlNoHelmTag is the build tag that leaves the Helm SDK out of the
// kubectl handler: the cluster's Handler, which serves manifests, patches,
// object values and aws-auth, is built with it, so a cluster without Helm
// charts deploys a handler about half the size that starts faster.
const KubectlNoHelmTag = "nohelm"

// kubectlNoInline are the packages of the kubectl handler compiled without
// inlining (see [KubectlGCFlags]).
var kubectlNoInline = []string{
	// Generated code run a bounded number of times per invocation: the
	// Kubernetes API types (deep copies, protobuf codecs, defaults), the
	// typed clients and apply configurations, the AWS SDK's service
	// clients (serializers, endpoint rules).
	"k8s.io/api/...",
	"k8s.io/client-go/applyconfigurations/...",
	"k8s.io/client-go/kubernetes/...",
	"github.com/aws/aws-sdk-go-v2/service/...",
	// Linked by the Helm SDK, not run by the handler: the WebAssembly
	// plugin runtime, kustomize (post-renderers), the CRD types and the
	// OpenAPI v2/v3 models (client-side validation, which the API server's
	// field validation replaces).
	"github.com/tetratelabs/wazero/...",
	"sigs.k8s.io/kustomize/...",
	"k8s.io/apiextensions-apiserver/...",
	"github.com/google/gnostic-models/...",
}

// KubectlGCFlags returns the compiler flags of the kubectl handler's builds
// (the cluster's Handler and the HelmHandler): "-l" (no inlining) for the
// generated packages that a handler runs a bounded number of times per
// invocation and for the Helm SDK's dependencies that it does not run;
// every other package (the runtime, encoding/json, YAML, client-go's REST
// client, server-side apply, Helm's template engine) is compiled as usual.
// Inlining in those packages made the Helm handler's binary 5.2 MB larger
// and its zip 1.65 MB larger (20.47 MB, over the 20 MB it must stay under)
// for no measured speed: cold start, a 200-object apply and a Helm install
// take the same time and memory with and without the flags, within the
// machine's noise (docs/architecture.md, "What the Helm handler links").
// The flags enter the assets' hash.
func KubectlGCFlags() []string {
	flags := make([]string, len(kubectlNoInline))
	for i, p := range kubectlNoInline {
		flags[i] = p + "=-l"
	}
	return flags
}

// Handler limits.
const (
	// DefaultKubectlMemoryMiB is the kubectl handler's default memory.
	DefaultKubectlMemoryMiB = 256
	// helmTimeoutMargin is the time the handler keeps for itself after a
	// Helm operation's timeout (answering CloudFormation, recovering).
	helmTimeoutMargin = 60
)

// KubectlPlacement says where the kubectl handler runs.
type KubectlPlacement int

// Kubectl handler placements.
const (
	// KubectlPlacementAuto puts the handler in the cluster VPC's private
	// subnets when the endpoint is private only, else outside any VPC (the
	// zero value).
	KubectlPlacementAuto KubectlPlacement = iota
	// KubectlPlacementVpc puts the handler in the cluster VPC's private
	// subnets (or KubectlOptions.Subnets). The subnets need a route to the
	// EKS, STS and S3 APIs (a NAT gateway or VPC endpoints).
	KubectlPlacementVpc
	// KubectlPlacementOutsideVpc keeps the handler out of any VPC; it then
	// needs the public endpoint.
	KubectlPlacementOutsideVpc
)

// KubectlOptions configure a cluster's kubectl handler: one Go Lambda
// function per cluster, made when the cluster gets its first Kubernetes
// resource, that applies manifests, charts, patches and aws-auth entries.
type KubectlOptions struct {
	// Environment holds environment variables of the handler, e.g.
	// HTTPS_PROXY.
	// Default: none.
	Environment map[string]string
	// Memory is the handler's memory.
	// Default: 256 MiB.
	Memory cdk.Size
	// Timeout is how long one handler invocation may run, at most 15
	// minutes; Helm timeouts and object-value timeouts must fit in it.
	// Default: 15 minutes.
	Timeout cdk.Duration
	// Placement says whether the handler runs in the cluster's VPC.
	// Default: KubectlPlacementAuto.
	Placement KubectlPlacement
	// Subnets select the handler's subnets when it runs in the VPC.
	// Default: the VPC's private subnets.
	Subnets ec2.SubnetSelection
	// SecurityGroups of the handler when it runs in the VPC.
	// Default: the cluster security group.
	SecurityGroups []ec2.ISecurityGroup
	// Role is the handler's execution role. It must trust
	// lambda.amazonaws.com.
	// Default: a new role.
	Role iam.IRole
	// HandlerCode replaces the handler's code.
	// Default: [KubectlHandlerPackage] built for arm64.
	HandlerCode lambda.Code
	// Provider reuses an existing kubectl handler (see
	// [KubectlProviderFromArn]) instead of making one.
	// Default: a new handler under the cluster.
	Provider IKubectlProvider
	// DisablePrune stops manifests from deleting the objects an update
	// removes from them, unless a manifest sets its own Prune (the AWS
	// CDK's `prune: false`).
	// Default: false (manifests prune).
	DisablePrune bool
	// LogRetention is how long the handler's log group, which the library
	// creates, keeps events.
	// Default: logs.RetentionOneMonth.
	LogRetention logs.RetentionDays
	// LogEncryptionKey encrypts the handler's log group with a customer
	// managed KMS key.
	// Default: CloudWatch Logs' own encryption.
	LogEncryptionKey kms.IKey
}

// IKubectlProvider is a kubectl handler: the service token of the
// cluster's Kubernetes custom resources.
type IKubectlProvider interface {
	cdk.Construct
	// ServiceToken is the handler function's ARN.
	ServiceToken() string
	// RoleArn is a role the handler assumes to reach the cluster, or ""
	// when it uses its own role.
	RoleArn() string
	// HandlerRole is the handler's execution role, or nil when unknown;
	// the construct grants it read access to manifest and chart assets.
	HandlerRole() iam.IRole
}

// KubectlProvider is a cluster's kubectl handler: a Go Lambda function
// ("Handler") that answers CloudFormation itself, with cluster-admin
// through an access entry.
type KubectlProvider struct {
	cdk.Base
	// Handler is the handler function: manifests, patches, object values
	// and aws-auth, built without the Helm SDK ([KubectlNoHelmTag]).
	Handler *lambda.Function
	cluster ICluster
	timeout float64
	// ecrLogin, ecrRepos and ecrReadOnly record the ECR permissions
	// granted for charts (grantEcrPull).
	ecrLogin    bool
	ecrRepos    map[string]bool
	ecrReadOnly bool
	served      []ServedCluster
	// roleArn is the role the handler assumes (an imported cluster's
	// KubectlRoleArn), or "".
	roleArn string

	// helm is the Helm handler, made with the first chart from helmProps
	// and helmCode.
	helm      *lambda.Function
	helmProps lambda.FunctionProps
	// long is the waiter of operations longer than one invocation, made
	// with the first such chart.
	long *longOperations
}

// HelmHandler returns the function that installs, upgrades and uninstalls
// the cluster's Helm charts, making it on first use (the first HelmChart
// does): the kubectl handler built with the Helm SDK, with the Handler's
// role, network placement, memory, timeout and environment. A cluster
// without charts has no such function, and its Handler links no Helm code.
func (p *KubectlProvider) HelmHandler() *lambda.Function {
	if p.helm == nil {
		p.helm = lambda.NewFunction(p, "HelmHandler", p.helmProps)
	}
	return p.helm
}

// helmServiceToken is the service token of p's Helm charts: its Helm
// handler when eksforge made p, else its only function.
func helmServiceToken(p IKubectlProvider) string {
	if kp, ok := p.(*KubectlProvider); ok && kp.Handler != nil {
		return kp.HelmHandler().FunctionArn()
	}
	return p.ServiceToken()
}

// ServiceToken is the handler function's ARN.
func (p *KubectlProvider) ServiceToken() string { return p.Handler.FunctionArn() }

// RoleArn is the role the handler assumes to reach its cluster: the
// imported cluster's ClusterAttributes.KubectlRoleArn, else "" (the handler
// uses its own role).
func (p *KubectlProvider) RoleArn() string { return p.roleArn }

// HandlerRole is the handler's execution role.
func (p *KubectlProvider) HandlerRole() iam.IRole { return p.Handler.Role() }

// KubectlProviderAttributes describe an existing kubectl handler.
type KubectlProviderAttributes struct {
	// FunctionArn is the handler's ARN. Required.
	FunctionArn string
	// RoleArn is a role the handler assumes to reach the cluster.
	// Default: the handler's own role.
	RoleArn string
	// HandlerRole is the handler's execution role, granted read access to
	// manifest and chart assets.
	// Default: unknown (large manifests and local charts then fail).
	HandlerRole iam.IRole
	// Timeout is the handler's timeout, for validating Helm and
	// object-value timeouts.
	// Default: 15 minutes.
	Timeout cdk.Duration
}

type importedKubectlProvider struct {
	cdk.Base
	attrs KubectlProviderAttributes
}

func (p *importedKubectlProvider) ServiceToken() string   { return p.attrs.FunctionArn }
func (p *importedKubectlProvider) RoleArn() string        { return p.attrs.RoleArn }
func (p *importedKubectlProvider) HandlerRole() iam.IRole { return p.attrs.HandlerRole }

// KubectlProviderFromArn imports a kubectl handler defined elsewhere (another
// stack or app), to share one handler between stacks or to reach an
// imported cluster. Give it as KubectlOptions.Provider.
func KubectlProviderFromArn(scope cdk.Construct, id string, attrs KubectlProviderAttributes) IKubectlProvider {
	p := &importedKubectlProvider{attrs: attrs}
	cdk.InitConstruct(p, scope, id)
	if attrs.FunctionArn == "" {
		panic(p.Node().Path() + ": KubectlProviderAttributes.FunctionArn is required")
	}
	p.attrs = checkKubectlProviderAttributes(p.Node(), attrs)
	return p
}

// kubectlOptions returns the cluster's kubectl options.
func kubectlOptions(c ICluster) KubectlOptions {
	switch x := c.(type) {
	case *Cluster:
		return x.props.Kubectl
	case *importedCluster:
		return x.attrs.Kubectl
	}
	return KubectlOptions{}
}

// handlerTimeoutSeconds is the handler's timeout.
func handlerTimeoutSeconds(c ICluster) float64 {
	opts := kubectlOptions(c)
	if opts.Provider != nil {
		if p, ok := opts.Provider.(*importedKubectlProvider); ok && !p.attrs.Timeout.IsZero() && !p.attrs.Timeout.IsUnresolved() {
			s, _ := p.attrs.Timeout.ToSeconds()
			return s
		}
		if p, ok := opts.Provider.(*KubectlProvider); ok {
			return p.timeout
		}
		return lambda.MaxTimeoutSeconds
	}
	if !opts.Timeout.IsZero() && !opts.Timeout.IsUnresolved() {
		s, _ := opts.Timeout.ToSeconds()
		return s
	}
	return lambda.MaxTimeoutSeconds
}

// KubectlProviderOf returns the cluster's kubectl handler, making it (and
// the access entry that authorises it) on first use.
func KubectlProviderOf(c ICluster) IKubectlProvider {
	st := stateOf(c)
	if st.provider != nil {
		return st.provider
	}
	opts := kubectlOptions(c)
	if opts.Provider != nil {
		st.provider = opts.Provider
		authoriseSharedProvider(c, opts.Provider)
		return st.provider
	}
	p := &KubectlProvider{cluster: c, timeout: handlerTimeoutSeconds(c)}
	if ic, ok := c.(*importedCluster); ok {
		p.roleArn = ic.attrs.KubectlRoleArn
	}
	cdk.InitConstruct(p, c, "KubectlProvider")
	st.provider = p
	p.serveOwnCluster(c, p.roleArn)

	code, helmCode := opts.HandlerCode, opts.HandlerCode
	if code == nil {
		code = lambda.CodeFromGoPackage(KubectlHandlerPackage, lambda.GoBuildOptions{Dir: moduleBuildDir(), Tags: []string{KubectlNoHelmTag}, GCFlags: KubectlGCFlags()})
		helmCode = lambda.CodeFromGoPackage(KubectlHandlerPackage, lambda.GoBuildOptions{Dir: moduleBuildDir(), GCFlags: KubectlGCFlags()})
	}
	memory := opts.Memory
	if memory.IsZero() {
		memory = cdk.Mebibytes(DefaultKubectlMemoryMiB)
	}
	timeout := opts.Timeout
	if timeout.IsZero() {
		timeout = cdk.Minutes(15)
	}
	env := map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "regional"}
	for k, v := range opts.Environment {
		env[k] = v
	}
	if _, ok := env[KubectlClustersEnvironmentVariable]; ok {
		p.Node().AddError("Kubectl.Environment sets %s, which the library writes to pin the handler to the clusters it serves: remove it (use KubectlProvider.ServeCluster to serve another cluster)", KubectlClustersEnvironmentVariable)
	}
	env[KubectlClustersEnvironmentVariable] = p.servedClustersJSON()
	retention := opts.LogRetention
	if retention == 0 {
		retention = logs.RetentionOneMonth
	}
	fp := lambda.FunctionProps{
		Code:         code,
		Runtime:      lambda.RuntimeProvidedAl2023,
		Handler:      "bootstrap",
		Architecture: lambda.ArchitectureArm64,
		Description:  "eksforge kubectl handler (" + strings.TrimPrefix(c.Node().Path(), "/") + ")",
		MemorySize:   memory,
		Timeout:      timeout,
		Environment:  env,
		Role:         opts.Role,
		LogRetention: retention,
		// The handler's log holds no properties, manifests or values
		// (handlers/provider), but its own errors may quote the cluster's.
		LogEncryptionKey: opts.LogEncryptionKey,
	}
	if len(fp.Description) > 256 {
		fp.Description = fp.Description[:256]
	}
	if inVpc(c, opts) {
		vpc := c.Vpc()
		if vpc == nil {
			p.Node().AddError("the kubectl handler should run in the cluster's VPC, but the imported cluster has no Vpc: set ClusterAttributes.Vpc or Kubectl.Placement")
		} else {
			fp.Vpc = vpc
			sel := ec2.SubnetSelection{SubnetType: ec2.SubnetTypePrivateWithEgress}
			if !opts.Subnets.IsZero() {
				sel = opts.Subnets
			} else if len(vpc.PrivateSubnets()) == 0 {
				sel = ec2.SubnetSelection{SubnetType: ec2.SubnetTypePrivateIsolated}
			}
			fp.VpcSubnets = sel
			fp.SecurityGroups = opts.SecurityGroups
			if len(fp.SecurityGroups) == 0 {
				if oc, ok := c.(*Cluster); ok {
					fp.SecurityGroups = []ec2.ISecurityGroup{oc.ClusterSecurityGroup()}
				}
			}
		}
	}
	p.Handler = lambda.NewFunction(p, "Handler", fp)
	p.helmProps = fp
	p.helmProps.Code = helmCode
	p.helmProps.Description = strings.Replace(fp.Description, "kubectl handler", "Helm handler", 1)
	p.helmProps.Role = p.Handler.Role()
	if fp.Vpc != nil {
		p.helmProps.SecurityGroups = p.Handler.Connections().SecurityGroups()
	}
	p.Handler.AddToRolePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
		Actions:   []string{"eks:DescribeCluster"},
		Resources: []string{c.ClusterArn()},
	}))
	grantLoadBalancerChecks(p.Handler.Role())

	if p.roleArn != "" {
		// The role already administers the cluster (the AWS CDK's
		// kubectlRoleArn): the handler assumes it and needs no entry.
		p.Handler.AddToRolePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
			Actions:   []string{"sts:AssumeRole"},
			Resources: []string{p.roleArn},
		}))
		return p
	}
	if c.AuthenticationMode() == AuthenticationModeConfigMap {
		p.Node().AddError("the cluster's AuthenticationMode is CONFIG_MAP, which ignores access entries, so the kubectl handler cannot be given access to the cluster: use API_AND_CONFIG_MAP (the default); for an imported cluster set ClusterAttributes.KubectlRoleArn to a role mapped to system:masters in aws-auth, or give Kubectl.Provider a handler whose RoleArn is")
		return p
	}
	st.access = grantAccess(c, "ClusterAdminRoleAccess", p.Handler.Role().RoleArn(), AccessEntryTypeStandard,
		[]AccessPolicy{AccessPolicyFromAccessPolicyName("AmazonEKSClusterAdminPolicy", AccessScope{Type: AccessScopeTypeCluster})})
	return p
}

// authoriseSharedProvider lets a handler made elsewhere reach an owned
// cluster: an access entry with cluster-admin for the role it uses (RoleArn,
// else its own role), eks:DescribeCluster, and sts:AssumeRole on RoleArn.
// Imported clusters are left alone: their entries are managed where the
// cluster is, and the provider's role must already have access.
func authoriseSharedProvider(c ICluster, p IKubectlProvider) {
	if own, ok := p.(*KubectlProvider); ok {
		own.serveOwnCluster(c, own.roleArn)
	}
	oc, ok := c.(*Cluster)
	if !ok {
		return
	}
	role := p.HandlerRole()
	principal := p.RoleArn()
	if principal == "" && role != nil {
		principal = role.RoleArn()
	}
	if principal == "" {
		oc.Node().AddWarning("Kubectl.Provider has neither RoleArn nor HandlerRole, so it is given no access entry: give its role access to the cluster yourself")
	} else if oc.AuthenticationMode() != AuthenticationModeConfigMap {
		stateOf(c).access = grantAccess(c, "ClusterAdminRoleAccess", principal, AccessEntryTypeStandard,
			[]AccessPolicy{AccessPolicyFromAccessPolicyName("AmazonEKSClusterAdminPolicy", AccessScope{Type: AccessScopeTypeCluster})})
	}
	if role != nil {
		role.AddToPrincipalPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
			Actions:   []string{"eks:DescribeCluster"},
			Resources: []string{c.ClusterArn()},
		}))
		grantLoadBalancerChecks(role)
		if arn := p.RoleArn(); arn != "" {
			role.AddToPrincipalPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
				Actions:   []string{"sts:AssumeRole"},
				Resources: []string{arn},
			}))
		}
	}
}

// inVpc says whether the handler runs in the VPC.
func inVpc(c ICluster, opts KubectlOptions) bool {
	switch opts.Placement {
	case KubectlPlacementVpc:
		return true
	case KubectlPlacementOutsideVpc:
		return false
	}
	if oc, ok := c.(*Cluster); ok {
		return !oc.EndpointAccess().PublicAccess()
	}
	return false
}

// grantAssetRead lets the handler read an asset object.
func grantAssetRead(scope cdk.Construct, p IKubectlProvider, bucket, key string) {
	role := p.HandlerRole()
	if role == nil {
		scope.Node().AddWarning("the kubectl handler's role is unknown, so it is not granted s3:GetObject on the asset s3://%s/%s: set KubectlProviderAttributes.HandlerRole or grant it yourself", bucket, key)
		return
	}
	role.AddToPrincipalPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
		Actions:   []string{"s3:GetObject"},
		Resources: []string{"arn:" + cdk.Aws.Partition + ":s3:::" + bucket + "/" + key},
	}))
}

// moduleBuildDir is the eksforge module's root when its sources are on
// disk, so the handler is built with the dependency versions eksforge was
// tested with; else "" (the current directory's module).
func moduleBuildDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	root := filepath.Dir(filepath.Dir(file)) // eks/kubectl_provider.go
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !strings.Contains(string(b), "module github.com/eksforge/eksforge\n") {
		return ""
	}
	return root
}

package eks

import (
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
)

// kubernetesState is the per-cluster state of the Kubernetes side: the
// kubectl handler, the access entry authorising it, the manifests (for
// implicit ordering), the aws-auth construct and the OIDC provider.
type kubernetesState struct {
	provider IKubectlProvider
	access   *AccessEntry

	manifests []*KubernetesManifest
	charts    []*HelmChart
	patches   []*KubernetesPatch
	// objects and releases map the cluster's objects (group/kind/
	// namespace/name) and Helm releases (namespace/release) to the path
	// of the construct declaring them, to report duplicates.
	objects  map[string]string
	releases map[string]string

	awsAuth *AwsAuth
	oidc    iam.IOpenIDConnectProvider
}

func stateOf(c ICluster) *kubernetesState {
	in := c.internals()
	if in.k8s == nil {
		in.k8s = &kubernetesState{}
	}
	return in.k8s
}

// initKubernetes runs at the end of the cluster constructors. In CONFIG_MAP
// mode nodes need their aws-auth entries to join, so the AwsAuth construct
// is made as soon as the cluster has a role mapping; in the other modes
// access entries do that job and aws-auth is made only when asked for
// (Cluster.AwsAuth), with every recorded mapping replayed.
func initKubernetes(c ICluster) {
	stateOf(c)
	if c.AuthenticationMode() != AuthenticationModeConfigMap {
		return
	}
	in := c.internals()
	if len(in.roleMappings) > 0 || len(in.mastersRoles) > 0 {
		awsAuthOf(c)
		return
	}
	in.onRoleMapping = append(in.onRoleMapping, func(AwsAuthRoleMapping) {
		if stateOf(c).awsAuth == nil {
			awsAuthOf(c)
		}
	})
}

// kubectlResourceProps are what newKubectlResource needs.
type kubectlResourceProps struct {
	cluster       ICluster
	helm          bool // served by the Helm handler
	typ           string
	properties    map[string]any
	removalPolicy cdk.RemovalPolicy
	// totalSeconds is how long the resource's operation may take, which
	// its ServiceTimeout is just above; 0 means one handler invocation.
	totalSeconds float64
}

// newKubectlResource adds the custom resource "Resource" to scope, served
// by the cluster's kubectl handler, after the access entry that authorises
// the handler.
func newKubectlResource(scope cdk.Construct, p kubectlResourceProps) *cdk.CfnResource {
	prov := KubectlProviderOf(p.cluster)
	token := prov.ServiceToken()
	if p.helm {
		token = helmServiceToken(prov)
	}
	props := map[string]any{
		"ServiceToken": token,
		"ClusterName":  p.cluster.ClusterName(),
		// A handler that dies without answering fails the resource in
		// minutes, not CloudFormation's default hour.
		"ServiceTimeout": serviceTimeout(p.cluster, p.totalSeconds),
	}
	if arn := prov.RoleArn(); arn != "" {
		props["RoleArn"] = arn
	}
	for k, v := range p.properties {
		if v != nil {
			props[k] = v
		}
	}
	if ownsObjects(p.typ) {
		// The owner of what the resource applies: the handler marks objects
		// with it and deletes or prunes only what is still marked as its own,
		// so a renamed construct or an object moved to another resource is
		// not deleted by the old resource (docs/custom-resources.md).
		props["Owner"] = scope.Node().Addr()
	}
	res := cdk.NewCfnResource(scope, "Resource", cdk.CfnResourceProps{Type: p.typ, Properties: props})
	scope.Node().SetDefaultChild(res)
	rp := p.removalPolicy
	if rp == "" {
		rp = cdk.RemovalPolicyDestroy
	}
	res.ApplyRemovalPolicy(rp)
	if st := stateOf(p.cluster); st.access != nil {
		res.Node().AddDependency(st.access)
	}
	cdk.AspectsOf(res).Add(afterFargateProfiles{cluster: p.cluster, res: res})
	return res
}

// ownsObjects reports whether resources of typ own what they apply.
func ownsObjects(typ string) bool {
	return typ == KubernetesManifestResourceType || typ == HelmChartResourceType || typ == KubernetesPatchResourceType
}

// afterFargateProfiles makes a Kubernetes resource depend on the cluster's
// Fargate profiles, whenever they were added: pods of the namespaces they
// select can only be scheduled once the profiles exist, and deleting a
// profile first would strand them (the AWS CDK's KubectlReadyBarrier).
type afterFargateProfiles struct {
	cluster ICluster
	res     *cdk.CfnResource
}

// Visit adds the dependencies once, on the resource itself.
func (a afterFargateProfiles) Visit(c cdk.Construct) {
	if c != cdk.Construct(a.res) {
		return
	}
	for _, p := range a.cluster.internals().fargateProfiles {
		a.res.Node().AddDependency(p)
	}
	if a.res.Type() == AwsAuthResourceType {
		// Self-managed nodes join through aws-auth: it is made before
		// them and outlives them.
		return
	}
	// Teardown order: Kubernetes resources are deleted before the
	// capacity their pods run on (node groups, self-managed Auto Scaling
	// groups), so controllers that delete load balancers and volumes on
	// their objects' Delete still run (docs/custom-resources.md,
	// "Teardown order").
	for _, compute := range addonsOf(a.cluster).computes {
		a.res.Node().AddDependency(compute)
	}
}

// boolProp renders a flag as the contract's "true", or nil when unset.
func boolProp(b bool) any {
	if b {
		return "true"
	}
	return nil
}

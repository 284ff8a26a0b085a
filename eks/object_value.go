package eks

import (
	"strconv"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/optarg"
)

// KubernetesObjectValueResourceType is the custom resource type of values
// read from the cluster.
const KubernetesObjectValueResourceType = "Custom::AWSCDK-EKS-KubernetesObjectValue"

// KubernetesObjectValueProps define a KubernetesObjectValue.
type KubernetesObjectValueProps struct {
	// Cluster holds the object. Required.
	Cluster ICluster
	// ObjectType is the object's type, e.g. "service". Required.
	ObjectType string
	// ObjectName is the object's name. Required.
	ObjectName string
	// ObjectNamespace is the object's namespace.
	// Default: "default".
	ObjectNamespace string
	// JsonPath is a kubectl-style JSONPath, e.g.
	// ".status.loadBalancer.ingress[0].hostname". Required.
	JsonPath string
	// Timeout is how long to wait for a non-empty value, at most 59
	// minutes (CloudFormation's one-hour limit less a minute). Longer than
	// the kubectl handler's timeout less a minute, the wait continues past
	// one invocation in the cluster's kubectl provider's waiter
	// (docs/guide/long-operations.md); a shared handler
	// (Kubectl.Provider) has none and allows no more than that.
	// Default: 5 minutes.
	Timeout cdk.Duration
}

// KubernetesObjectValue reads a value of a Kubernetes object at deploy
// time (custom resource Custom::AWSCDK-EKS-KubernetesObjectValue), e.g. a
// load balancer's address. Value is a token.
type KubernetesObjectValue struct {
	cdk.Base
	// Resource is the custom resource.
	Resource *cdk.CfnResource
}

// NewKubernetesObjectValue adds an object value to scope.
func NewKubernetesObjectValue(scope cdk.Construct, id string, props KubernetesObjectValueProps) *KubernetesObjectValue {
	v := &KubernetesObjectValue{}
	cdk.InitConstruct(v, scope, id)
	requiredCluster(v.Node().Path(), "KubernetesObjectValueProps.Cluster", props.Cluster)
	for _, f := range []struct{ name, val string }{{"ObjectType", props.ObjectType}, {"ObjectName", props.ObjectName}, {"JsonPath", props.JsonPath}} {
		if f.val == "" {
			v.Node().AddError("%s is required: set KubernetesObjectValueProps.%s", f.name, f.name)
		}
	}
	v.checkObjectValueProps(props)
	ns := props.ObjectNamespace
	if ns == "" {
		ns = "default"
	}
	secs, total := 300.0, 0.0
	if !props.Timeout.IsZero() {
		secs, total, _ = operationTimeout(v.Node(), props.Cluster, "Timeout", props.Timeout)
	}
	v.Resource = newKubectlResource(v, kubectlResourceProps{
		cluster: props.Cluster,
		typ:     KubernetesObjectValueResourceType,
		properties: map[string]any{
			"ObjectType":      props.ObjectType,
			"ObjectName":      props.ObjectName,
			"ObjectNamespace": ns,
			"JsonPath":        props.JsonPath,
			"TimeoutSeconds":  strconv.Itoa(int(secs)),
		},
		totalSeconds: total,
	})
	if total > 0 {
		// The wait continues in the provider's waiter, which the kubectl
		// handler must be allowed to start first.
		kp := KubectlProviderOf(props.Cluster).(*KubectlProvider)
		v.Resource.Node().AddDependency(kp.startsWaiter(kp.Handler))
	}
	return v
}

// Value is the value read ({"Fn::GetAtt": [resource, "Value"]}).
func (v *KubernetesObjectValue) Value() string { return v.Resource.GetAttString("Value") }

// LoadBalancerAddressOptions tune [Cluster.GetServiceLoadBalancerAddress]
// and [Cluster.GetIngressLoadBalancerAddress] (the AWS CDK's
// ServiceLoadBalancerAddressOptions and IngressLoadBalancerAddressOptions).
type LoadBalancerAddressOptions struct {
	// Namespace of the Service or Ingress.
	// Default: "default".
	Namespace string
	// Timeout bounds the wait for the address.
	// Default: 5 minutes.
	Timeout cdk.Duration
}

// GetServiceLoadBalancerAddress returns the address (host name) of a
// Service of type LoadBalancer, read at deploy time. Pass at most one
// options value.
func (c *Cluster) GetServiceLoadBalancerAddress(serviceName string, opts ...LoadBalancerAddressOptions) string {
	return loadBalancerAddress(c, "service", serviceName, optarg.One(c.Node().Path()+": GetServiceLoadBalancerAddress", opts))
}

// GetIngressLoadBalancerAddress returns the address of an Ingress's load
// balancer, read at deploy time (see GetServiceLoadBalancerAddress).
func (c *Cluster) GetIngressLoadBalancerAddress(ingressName string, opts ...LoadBalancerAddressOptions) string {
	return loadBalancerAddress(c, "ingress", ingressName, optarg.One(c.Node().Path()+": GetIngressLoadBalancerAddress", opts))
}

func loadBalancerAddress(c ICluster, typ, name string, opts LoadBalancerAddressOptions) string {
	namespace, timeout := opts.Namespace, opts.Timeout
	id := name + "LoadBalancerAddress"
	if typ == "ingress" {
		id = name + "IngressLoadBalancerAddress"
	}
	if namespace != "" && namespace != "default" {
		id = namespace + id
	}
	if existing, ok := c.Node().TryFindChild(id).(*KubernetesObjectValue); ok {
		return existing.Value()
	}
	return NewKubernetesObjectValue(c, id, KubernetesObjectValueProps{
		Cluster:         c,
		ObjectType:      typ,
		ObjectName:      name,
		ObjectNamespace: namespace,
		JsonPath:        ".status.loadBalancer.ingress[0].hostname",
		Timeout:         timeout,
	}).Value()
}

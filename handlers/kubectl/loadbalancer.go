package kubectl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/smithy-go"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes"

	"github.com/eksforge/eksforge/handlers/kubectl/apply"
)

// LoadBalancerLister lists Elastic Load Balancing v2 load balancers and
// their tags; the AWS SDK's *elasticloadbalancingv2.Client implements it.
type LoadBalancerLister interface {
	DescribeLoadBalancers(ctx context.Context, in *elbv2.DescribeLoadBalancersInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeLoadBalancersOutput, error)
	DescribeTags(ctx context.Context, in *elbv2.DescribeTagsInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeTagsOutput, error)
}

// elbv2Lister returns the two methods of c that a [LoadBalancerLister]
// needs, as functions. Storing c itself in the interface would link every
// ELBv2 operation into the Helm build (about 50 of them): the Go linker keeps
// every exported method of a type stored in an interface when the program
// looks methods up by name through reflection, as the Helm SDK's
// text/template does (see docs/architecture.md, "What the Helm handler
// links").
func elbv2Lister(c *elbv2.Client) LoadBalancerLister {
	return lbFuncs{describeLoadBalancers: c.DescribeLoadBalancers, describeTags: c.DescribeTags}
}

type lbFuncs struct {
	describeLoadBalancers func(context.Context, *elbv2.DescribeLoadBalancersInput, ...func(*elbv2.Options)) (*elbv2.DescribeLoadBalancersOutput, error)
	describeTags          func(context.Context, *elbv2.DescribeTagsInput, ...func(*elbv2.Options)) (*elbv2.DescribeTagsOutput, error)
}

func (l lbFuncs) DescribeLoadBalancers(ctx context.Context, in *elbv2.DescribeLoadBalancersInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeLoadBalancersOutput, error) {
	return l.describeLoadBalancers(ctx, in, optFns...)
}

func (l lbFuncs) DescribeTags(ctx context.Context, in *elbv2.DescribeTagsInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeTagsOutput, error) {
	return l.describeTags(ctx, in, optFns...)
}

// Tags by which the controllers that make load balancers for Kubernetes
// objects mark them: the AWS Load Balancer Controller (the cluster, and the
// object's "stack": a Service's, an Ingress's, or a Gateway API Gateway's,
// with an ALB or an NLB) and the in-tree service controller (the cluster,
// and the Service).
const (
	tagLBCCluster     = "elbv2.k8s.aws/cluster"
	tagLBCService     = "service.k8s.aws/stack"
	tagLBCIngress     = "ingress.k8s.aws/stack"
	tagLBCGatewayALB  = "gateway.k8s.aws.alb/stack"
	tagLBCGatewayNLB  = "gateway.k8s.aws.nlb/stack"
	tagLegacyService  = "kubernetes.io/service-name"
	tagLegacyClusterP = "kubernetes.io/cluster/"
	// annIngressGroup is the Ingress annotation that puts several Ingresses
	// behind one ALB, whose stack tag is then the group's name.
	annIngressGroup = "alb.ingress.kubernetes.io/group.name"
)

// cloudResourcesGone returns the check run after a cloud-backed object of
// cluster is deleted (see [apply.Client.CloudResourceGone]): it polls
// [Handler.cloudResourcesLeft] until nothing is left, or the context ends.
func (h *Handler) cloudResourcesGone(cluster string, cs kubernetes.Interface) func(ctx context.Context, u *unstructured.Unstructured) error {
	return func(ctx context.Context, u *unstructured.Unstructured) error {
		for {
			left, err := h.cloudResourcesLeft(ctx, cluster, cs, u)
			if err != nil {
				return err
			}
			if len(left) == 0 {
				return nil
			}
			slog.InfoContext(ctx, "waiting for cloud resources to be deleted", "object", apply.Describe(u), "left", left)
			t := time.NewTimer(h.cloudPollInterval())
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("%s still exist: %w", strings.Join(left, ", "), context.Cause(ctx))
			case <-t.C:
			}
		}
	}
}

func (h *Handler) cloudPollInterval() time.Duration {
	if h.LoadBalancerPollInterval <= 0 {
		return 10 * time.Second
	}
	return h.LoadBalancerPollInterval
}

// cloudResourcesLeft checks once what is left of the cloud resources of
// u, a deleted cloud-backed object of cluster: for a Service, Ingress or
// Gateway, the load balancers tagged for the cluster and the object that
// the ELBv2 API still lists ("load balancer <ARN>"); for a
// PersistentVolumeClaim, the volume bound to it with a Delete reclaim
// policy, until it is gone ("PersistentVolume <name> (<phase>)"). Without
// permission to describe load balancers (a handler role made before this
// check existed) it logs a warning and trusts the object's finalizers.
func (h *Handler) cloudResourcesLeft(ctx context.Context, cluster string, cs kubernetes.Interface, u *unstructured.Unstructured) ([]string, error) {
	if u.GetKind() == "PersistentVolumeClaim" {
		return volumesLeft(ctx, cs, u)
	}
	stacks := lbStacks(u)
	if len(stacks) == 0 {
		return nil, nil
	}
	lister := h.LoadBalancers
	if lister == nil {
		lister = elbv2Lister(elbv2.NewFromConfig(h.AWS))
	}
	left, err := taggedLoadBalancers(ctx, lister, cluster, stacks)
	var ae smithy.APIError
	if errors.As(err, &ae) && (ae.ErrorCode() == "AccessDenied" || ae.ErrorCode() == "AccessDeniedException" || ae.ErrorCode() == "UnauthorizedOperation") {
		slog.WarnContext(ctx, "not allowed to list load balancers: trusting the object's finalizers that its load balancer is gone", "error", err)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("unable to list the cluster's load balancers: %w", err)
	}
	for i, arn := range left {
		left[i] = "load balancer " + arn
	}
	return left, nil
}

// volumesLeft returns the PersistentVolumes still bound to the deleted
// claim pvc (by namespace and name, and by UID when known) whose reclaim
// policy is Delete: the CSI driver deletes the cloud volume and then the
// PersistentVolume, and its controller must still run for that. A volume
// with another policy (Retain) outlives the claim by design and is not
// waited for; one bound to another claim since is not the claim's.
func volumesLeft(ctx context.Context, cs kubernetes.Interface, pvc *unstructured.Unstructured) ([]string, error) {
	ns := pvc.GetNamespace()
	if ns == "" {
		ns = metav1.NamespaceDefault
	}
	list, err := cs.CoreV1().PersistentVolumes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("unable to list PersistentVolumes to check that the volume of PersistentVolumeClaim %s/%s is released: %w", ns, pvc.GetName(), err)
	}
	var left []string
	for _, pv := range list.Items {
		ref := pv.Spec.ClaimRef
		if ref == nil || ref.Namespace != ns || ref.Name != pvc.GetName() || (pvc.GetUID() != "" && ref.UID != "" && ref.UID != pvc.GetUID()) {
			continue
		}
		if pv.Spec.PersistentVolumeReclaimPolicy != corev1.PersistentVolumeReclaimDelete {
			continue
		}
		desc := "PersistentVolume " + pv.Name + " (" + string(pv.Status.Phase)
		if pv.Status.Message != "" {
			desc += ": " + pv.Status.Message
		}
		left = append(left, desc+")")
	}
	return left, nil
}

// lbStacks returns the tag values that name u's load balancers: its
// "namespace/name", and for an Ingress in a group, the group's name.
func lbStacks(u *unstructured.Unstructured) []string {
	switch u.GetKind() {
	case "Service", "Ingress", "Gateway":
	default:
		return nil
	}
	ns := u.GetNamespace()
	if ns == "" {
		ns = "default"
	}
	out := []string{ns + "/" + u.GetName()}
	if g := u.GetAnnotations()[annIngressGroup]; g != "" && u.GetKind() == "Ingress" {
		out = append(out, g)
	}
	return out
}

// taggedLoadBalancers returns the ARNs of the load balancers tagged for
// cluster whose stack or service tag is one of stacks.
func taggedLoadBalancers(ctx context.Context, l LoadBalancerLister, cluster string, stacks []string) ([]string, error) {
	var arns []string
	p := elbv2.NewDescribeLoadBalancersPaginator(l, &elbv2.DescribeLoadBalancersInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, lb := range out.LoadBalancers {
			arns = append(arns, aws.ToString(lb.LoadBalancerArn))
		}
	}
	var left []string
	for i := 0; i < len(arns); i += 20 { // DescribeTags takes at most 20
		out, err := l.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: arns[i:min(i+20, len(arns))]})
		if err != nil {
			return nil, err
		}
		for _, d := range out.TagDescriptions {
			tags := map[string]string{}
			for _, t := range d.Tags {
				tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
			}
			_, legacy := tags[tagLegacyClusterP+cluster]
			if tags[tagLBCCluster] != cluster && !legacy {
				continue
			}
			for _, k := range []string{tagLBCService, tagLBCIngress, tagLBCGatewayALB, tagLBCGatewayNLB, tagLegacyService} {
				if v, ok := tags[k]; ok && slices.Contains(stacks, v) {
					left = append(left, aws.ToString(d.ResourceArn))
					break
				}
			}
		}
	}
	return left, nil
}

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
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// LoadBalancerLister lists Elastic Load Balancing v2 load balancers and
// their tags; the AWS SDK's *elasticloadbalancingv2.Client implements it.
type LoadBalancerLister interface {
	DescribeLoadBalancers(ctx context.Context, in *elbv2.DescribeLoadBalancersInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeLoadBalancersOutput, error)
	DescribeTags(ctx context.Context, in *elbv2.DescribeTagsInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeTagsOutput, error)
}

// Tags by which the controllers that make load balancers for Kubernetes
// objects mark them: the AWS Load Balancer Controller (the cluster, and the
// object's "stack") and the in-tree service controller (the cluster, and
// the Service).
const (
	tagLBCCluster     = "elbv2.k8s.aws/cluster"
	tagLBCService     = "service.k8s.aws/stack"
	tagLBCIngress     = "ingress.k8s.aws/stack"
	tagLegacyService  = "kubernetes.io/service-name"
	tagLegacyClusterP = "kubernetes.io/cluster/"
	// annIngressGroup is the Ingress annotation that puts several Ingresses
	// behind one ALB, whose stack tag is then the group's name.
	annIngressGroup = "alb.ingress.kubernetes.io/group.name"
)

// loadBalancersGone returns the check run after a cloud-backed object of
// cluster is deleted: it polls the ELBv2 API until no load balancer tagged
// for the cluster and the object remains. Without permission to describe
// load balancers (a handler role made before this check existed) it logs a
// warning and trusts the object's finalizers.
func (h *Handler) loadBalancersGone(cluster string) func(ctx context.Context, u *unstructured.Unstructured) error {
	return func(ctx context.Context, u *unstructured.Unstructured) error {
		stacks := lbStacks(u)
		if len(stacks) == 0 {
			return nil // a PersistentVolumeClaim: its finalizers say it all
		}
		lister := h.LoadBalancers
		if lister == nil {
			lister = elbv2.NewFromConfig(h.AWS)
		}
		interval := h.LoadBalancerPollInterval
		if interval <= 0 {
			interval = 10 * time.Second
		}
		for {
			left, err := taggedLoadBalancers(ctx, lister, cluster, stacks)
			var ae smithy.APIError
			if errors.As(err, &ae) && (ae.ErrorCode() == "AccessDenied" || ae.ErrorCode() == "AccessDeniedException" || ae.ErrorCode() == "UnauthorizedOperation") {
				slog.WarnContext(ctx, "not allowed to list load balancers: trusting the object's finalizers that its load balancer is gone", "error", err)
				return nil
			}
			if err != nil {
				return fmt.Errorf("unable to list the cluster's load balancers: %w", err)
			}
			if len(left) == 0 {
				return nil
			}
			slog.InfoContext(ctx, "waiting for load balancers to be deleted", "loadBalancers", left)
			t := time.NewTimer(interval)
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("load balancer(s) %s still exist: %w", strings.Join(left, ", "), context.Cause(ctx))
			case <-t.C:
			}
		}
	}
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
			for _, k := range []string{tagLBCService, tagLBCIngress, tagLegacyService} {
				if v, ok := tags[k]; ok && slices.Contains(stacks, v) {
					left = append(left, aws.ToString(d.ResourceArn))
					break
				}
			}
		}
	}
	return left, nil
}

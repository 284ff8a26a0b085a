package kubectl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/kubectl/auth"
	"github.com/eksforge/eksforge/handlers/provider"
)

// Handler implements the kubectl handler's custom resources. Its zero
// value is not usable: set AWS (see [New]).
type Handler struct {
	// AWS is the configuration of every AWS call (STS, EKS, S3, ECR).
	AWS aws.Config
	// Connect returns the client configuration of a cluster.
	// Default: [auth.RestConfig] with AWS (an EKS token, endpoint and CA
	// from the properties or eks:DescribeCluster).
	Connect func(ctx context.Context, c auth.Cluster) (*rest.Config, error)
	// S3Options adjust the S3 client that reads manifest and chart assets.
	// Default: none.
	S3Options []func(*s3.Options)
	// ValuePollInterval is the pause between reads of an object value.
	// Default: 5 s.
	ValuePollInterval time.Duration
	// TuneApply adjusts each new apply client (tests shorten its waits).
	// Default: none.
	TuneApply func(*apply.Client)
	// HTTPClient talks to OCI registries for Helm charts.
	// Default: Helm's (the proxy from the environment).
	HTTPClient *http.Client
	// HelmPlainHTTP talks to OCI registries over plain HTTP (tests with a
	// local registry).
	// Default: false.
	HelmPlainHTTP bool
	// LoadBalancers lists ELBv2 load balancers, to wait for those of a
	// deleted Service, Ingress or Gateway to be gone.
	// Default: an ELBv2 client with AWS.
	LoadBalancers LoadBalancerLister
	// LoadBalancerPollInterval is the pause between those checks, and
	// between the checks that a deleted PersistentVolumeClaim's volume is
	// gone.
	// Default: 10 s.
	LoadBalancerPollInterval time.Duration
	// Clusters are the only clusters the handler serves: an event naming
	// another cluster, or another role, endpoint or CA for one of them, is
	// answered FAILED before anything is read or applied. The Lambda main
	// reads them from [EnvClusters], which the library sets.
	// Default: nil, any cluster the handler's role can reach.
	Clusters []ServedCluster
	// LongOperations lets a Helm install or upgrade with Wait whose
	// Timeout exceeds what one invocation can hold continue past it: the
	// release is applied, and IsComplete polls its readiness until the
	// Timeout — set when the provider hands unfinished operations to a
	// waiter (provider.Options.Waiter; the Lambda main does so when
	// WAITER_STATE_MACHINE_ARN is set).
	// Default: false; such a Timeout is cut to the invocation.
	LongOperations bool
	// Now is the clock of long operations' deadlines (tests move it).
	// Default: time.Now.
	Now func() time.Time

	mu       sync.Mutex
	clusters map[auth.Cluster]*cluster
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// New returns a Handler that calls AWS with cfg.
func New(cfg aws.Config) *Handler { return &Handler{AWS: cfg} }

var _ provider.Handler = (*Handler)(nil)

// cluster holds the clients of one cluster, reused across invocations of a
// warm Lambda.
type cluster struct {
	rest  *rest.Config
	apply *apply.Client
	cs    kubernetes.Interface
}

// OnEvent dispatches e to the handler of its resource type. A Delete
// whose cluster no longer exists (eks:DescribeCluster says so) succeeds:
// everything in it went with it.
func (h *Handler) OnEvent(ctx context.Context, e provider.Event) (provider.OnEventResult, error) {
	if _, err := h.served(e); err != nil {
		return provider.OnEventResult{PhysicalResourceId: e.PhysicalResourceId}, err
	}
	r, err := h.dispatch(ctx, e)
	if err != nil && e.RequestType == cfnresponse.Delete && errors.Is(err, auth.ErrClusterNotFound) {
		slog.WarnContext(ctx, "the cluster is gone; nothing to delete", "error", err)
		return provider.OnEventResult{PhysicalResourceId: e.PhysicalResourceId}, nil
	}
	return r, err
}

func (h *Handler) dispatch(ctx context.Context, e provider.Event) (provider.OnEventResult, error) {
	switch e.ResourceType {
	case TypeManifest:
		return h.manifest(ctx, e)
	case TypeHelmChart:
		return h.helmChart(ctx, e)
	case TypePatch:
		return h.patch(ctx, e)
	case TypeObjectValue:
		return h.objectValue(ctx, e)
	case TypeAwsAuth:
		return h.awsAuth(ctx, e)
	}
	return provider.OnEventResult{}, fmt.Errorf("resource type %q is not handled by the kubectl handler (known: %s, %s, %s, %s, %s)",
		e.ResourceType, TypeManifest, TypeHelmChart, TypePatch, TypeObjectValue, TypeAwsAuth)
}

// clusterOf reads the common properties.
func clusterOf(p props) (auth.Cluster, error) {
	name, err := p.required("ClusterName")
	if err != nil {
		return auth.Cluster{}, err
	}
	return auth.Cluster{
		Name:     name,
		Endpoint: p.str("ClusterEndpoint"),
		CAData:   p.str("ClusterCertificateAuthorityData"),
		RoleArn:  p.str("RoleArn"),
	}, nil
}

// connect returns the (cached) clients of the cluster the properties name.
func (h *Handler) connect(ctx context.Context, p props) (*cluster, error) {
	c, err := clusterOf(p)
	if err != nil {
		return nil, err
	}
	c = h.pinned(c)
	h.mu.Lock()
	defer h.mu.Unlock()
	if cl, ok := h.clusters[c]; ok {
		return cl, nil
	}
	connect := h.Connect
	if connect == nil {
		connect = func(ctx context.Context, c auth.Cluster) (*rest.Config, error) {
			return auth.RestConfig(ctx, h.AWS, c)
		}
	}
	rc, err := connect(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("unable to reach cluster %s: %w", c.Name, err)
	}
	ac, err := apply.New(rc)
	if err != nil {
		return nil, err
	}
	cs, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return nil, err
	}
	ac.CloudResourceGone = h.cloudResourcesGone(c.Name, cs)
	if h.TuneApply != nil {
		h.TuneApply(ac)
	}
	cl := &cluster{rest: rc, apply: ac, cs: cs}
	if h.clusters == nil {
		h.clusters = map[auth.Cluster]*cluster{}
	}
	h.clusters[c] = cl
	return cl, nil
}

// asset is the {"Bucket", "Key"} of an S3 asset property.
type asset struct {
	Bucket string `json:"Bucket"`
	Key    string `json:"Key"`
}

// fetchAsset reads an S3 object whole.
func (h *Handler) fetchAsset(ctx context.Context, a asset) ([]byte, error) {
	if a.Bucket == "" || a.Key == "" {
		return nil, errors.New("an asset needs Bucket and Key")
	}
	out, err := s3.NewFromConfig(h.AWS, h.S3Options...).GetObject(ctx, &s3.GetObjectInput{Bucket: &a.Bucket, Key: &a.Key})
	if err != nil {
		return nil, fmt.Errorf("unable to read s3://%s/%s: %w", a.Bucket, a.Key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, fmt.Errorf("unable to read s3://%s/%s: %w", a.Bucket, a.Key, err)
	}
	return b, nil
}

package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"k8s.io/client-go/rest"
)

// TokenPrefix starts every EKS bearer token.
const TokenPrefix = "k8s-aws-v1."

// ClusterIDHeader is the signed header that binds a token to one cluster.
const ClusterIDHeader = "x-k8s-aws-id"

// presignExpiry is the X-Amz-Expires of the presigned URL, as
// aws-iam-authenticator sets it. The EKS authenticator accepts a token for
// 15 minutes after signing whatever this says.
const presignExpiry = 60

// TokenLifetime is how long a token is used before a new one is made: 14
// minutes, a minute short of the 15 the EKS authenticator accepts.
const TokenLifetime = 14 * time.Minute

// ErrClusterNotFound is wrapped by the errors of [Describe] and
// [RestConfig] when EKS reports that the cluster does not exist.
var ErrClusterNotFound = errors.New("the cluster does not exist")

// Cluster says which cluster to reach and how.
type Cluster struct {
	// Name is the EKS cluster name; it goes into every token.
	Name string
	// Arn is the cluster's ARN; when set, eks:DescribeCluster must report
	// it, or the cluster is not reached.
	// Default: not checked.
	Arn string
	// Endpoint is the API server URL.
	// Default: read with eks:DescribeCluster.
	Endpoint string
	// CAData is the base64 PEM bundle of the cluster's CA, as EKS reports
	// it. Used only with Endpoint.
	// Default: read with eks:DescribeCluster (with Endpoint: the system roots).
	CAData string
	// RoleArn is a role assumed for every call to the cluster: the tokens
	// are made with its credentials. eks:DescribeCluster is called with the
	// handler's own credentials, as `aws eks update-kubeconfig --role-arn`
	// does (so a role mapped to system:masters needs no IAM permission),
	// and with the role's when those are refused.
	// Default: the handler's own credentials.
	RoleArn string
	// SessionName names the assumed role's session.
	// Default: "eksforge-kubectl".
	SessionName string
}

// Token is an EKS bearer token and the time it should be replaced.
type Token struct {
	// Value is "k8s-aws-v1." followed by the base64url presigned URL.
	Value string
	// Expiration is when the token should no longer be used.
	Expiration time.Time
}

// Credentials returns cfg with the credentials of roleArn when it is set
// (cached, refreshed by the SDK), else cfg unchanged.
func Credentials(cfg aws.Config, roleArn, sessionName string) aws.Config {
	if roleArn == "" {
		return cfg
	}
	if sessionName == "" {
		sessionName = "eksforge-kubectl"
	}
	p := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), roleArn, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = sessionName
	})
	out := cfg.Copy()
	out.Credentials = aws.NewCredentialsCache(p)
	return out
}

// NewToken makes a bearer token for cluster with the credentials of cfg:
// GetCallerIdentity presigned by STS's presign client with the header
// x-k8s-aws-id: cluster among the signed headers.
func NewToken(ctx context.Context, cfg aws.Config, cluster string) (Token, error) {
	if cluster == "" {
		return Token{}, errors.New("unable to make an EKS token: no cluster name")
	}
	now := time.Now()
	pc := sts.NewPresignClient(sts.NewFromConfig(cfg))
	req, err := pc.PresignGetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(po *sts.PresignOptions) {
		po.ClientOptions = append(po.ClientOptions, func(o *sts.Options) {
			o.APIOptions = append(o.APIOptions,
				smithyhttp.SetHeaderValue(ClusterIDHeader, cluster),
				smithyhttp.SetHeaderValue("X-Amz-Expires", fmt.Sprint(presignExpiry)),
			)
		})
	})
	if err != nil {
		return Token{}, fmt.Errorf("unable to presign sts:GetCallerIdentity for cluster %s: %w", cluster, err)
	}
	return Token{
		Value:      TokenPrefix + base64.RawURLEncoding.EncodeToString([]byte(req.URL)),
		Expiration: now.Add(TokenLifetime),
	}, nil
}

// DecodeToken returns the presigned URL inside a token.
func DecodeToken(token string) (string, error) {
	rest, ok := strings.CutPrefix(token, TokenPrefix)
	if !ok {
		return "", fmt.Errorf("token does not start with %q", TokenPrefix)
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return "", fmt.Errorf("token is not base64url: %w", err)
	}
	return string(b), nil
}

// Describe fills in the endpoint and CA of c from eks:DescribeCluster when
// c.Endpoint is empty.
func Describe(ctx context.Context, cfg aws.Config, c Cluster) (Cluster, error) {
	if c.Endpoint != "" {
		return c, nil
	}
	out, err := eks.NewFromConfig(cfg).DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String(c.Name)})
	var nf *ekstypes.ResourceNotFoundException
	if errors.As(err, &nf) {
		return c, fmt.Errorf("unable to describe EKS cluster %s: %w (%w)", c.Name, ErrClusterNotFound, err)
	}
	if err != nil {
		return c, fmt.Errorf("unable to describe EKS cluster %s: %w", c.Name, err)
	}
	if out.Cluster == nil || aws.ToString(out.Cluster.Endpoint) == "" {
		return c, fmt.Errorf("EKS cluster %s has no endpoint yet (status %v)", c.Name, out.Cluster.Status)
	}
	if got := aws.ToString(out.Cluster.Arn); c.Arn != "" && got != c.Arn {
		return c, fmt.Errorf("EKS cluster %s is %s, not the cluster %s the handler serves", c.Name, got, c.Arn)
	}
	c.Endpoint = aws.ToString(out.Cluster.Endpoint)
	if out.Cluster.CertificateAuthority != nil {
		c.CAData = aws.ToString(out.Cluster.CertificateAuthority.Data)
	}
	return c, nil
}

// RestConfig returns a client-go configuration for the cluster: its
// endpoint and CA (from c, else eks:DescribeCluster), a bearer token made
// with the credentials of cfg (after assuming c.RoleArn when set) and
// renewed before it expires, the proxy from the environment
// (HTTPS_PROXY, NO_PROXY), QPS 100 / Burst 300 and a 30 s request timeout.
func RestConfig(ctx context.Context, cfg aws.Config, c Cluster) (*rest.Config, error) {
	own := cfg
	cfg = Credentials(cfg, c.RoleArn, c.SessionName)
	described, err := Describe(ctx, own, c)
	if err != nil && c.RoleArn != "" && !errors.Is(err, ErrClusterNotFound) {
		described, err = Describe(ctx, cfg, c)
	}
	if err != nil {
		return nil, err
	}
	c = described
	rc := &rest.Config{Host: c.Endpoint}
	if c.CAData != "" {
		ca, err := base64.StdEncoding.DecodeString(c.CAData)
		if err != nil {
			return nil, fmt.Errorf("certificate authority data of cluster %s is not base64: %w", c.Name, err)
		}
		rc.TLSClientConfig.CAData = ca
	}
	ts := &tokenSource{cfg: cfg, cluster: c.Name}
	if _, err := ts.token(ctx); err != nil {
		return nil, err
	}
	rc.WrapTransport = func(rt http.RoundTripper) http.RoundTripper { return &bearer{ts: ts, next: rt} }
	Tune(rc)
	return rc, nil
}

// Tune sets the client limits the handler uses on rc: QPS 100, Burst 300
// (client-go's 5/10 would throttle a 200-object apply), a 30 s timeout per
// request, the proxy from the environment, and a user agent.
func Tune(rc *rest.Config) {
	rc.QPS = 100
	rc.Burst = 300
	rc.Timeout = 30 * time.Second
	rc.Proxy = http.ProxyFromEnvironment
	rc.UserAgent = "eksforge-kubectl"
}

type tokenSource struct {
	cfg     aws.Config
	cluster string
	mu      sync.Mutex
	cur     Token
}

func (s *tokenSource) token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur.Value != "" && time.Now().Before(s.cur.Expiration) {
		return s.cur.Value, nil
	}
	t, err := NewToken(ctx, s.cfg, s.cluster)
	if err != nil {
		return "", err
	}
	s.cur = t
	return t.Value, nil
}

type bearer struct {
	ts   *tokenSource
	next http.RoundTripper
}

func (b *bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := b.ts.token(req.Context())
	if err != nil {
		return nil, err
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+tok)
	return b.next.RoundTrip(r)
}

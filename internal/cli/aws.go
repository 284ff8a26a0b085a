package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/eksforge/eksforge/internal/assembly"
	"github.com/eksforge/eksforge/internal/deploy"
)

// session is the AWS access of one command: the configuration, the
// caller's account and partition, and clients per region.
type session struct {
	cfg       aws.Config
	endpoint  string
	account   string
	partition string
	clients   map[string]*clients
}

type clients struct {
	cfn *cloudformation.Client
	s3  *s3.Client
	ssm *ssm.Client
}

// errNoCredentials is wrapped when no credentials were found.
var errNoCredentials = errors.New("no AWS credentials")

// connect loads the AWS configuration (default chain, --profile, --region,
// --endpoint-url) and asks STS who the caller is.
func (r *Runner) connect(ctx context.Context, o *options) (*session, error) {
	opts := []func(*config.LoadOptions) error{}
	if o.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.profile))
	}
	if o.region != "" {
		opts = append(opts, config.WithRegion(o.region))
	}
	if o.endpoint != "" {
		opts = append(opts, config.WithBaseEndpoint(o.endpoint))
	}
	opts = append(opts, r.AWSOptions...)
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("unable to load the AWS configuration: %w", err)
	}
	s := &session{cfg: cfg, endpoint: o.endpoint, clients: map[string]*clients{}}
	stsCfg := cfg.Copy()
	if stsCfg.Region == "" {
		stsCfg.Region = "us-east-1" // STS answers GetCallerIdentity in any region
	}
	id, err := sts.NewFromConfig(stsCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		if isCredentialsError(err) {
			return nil, fmt.Errorf("%w: set AWS_PROFILE (or pass --profile), run 'aws sso login' for an SSO profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n  (%v)", errNoCredentials, err)
		}
		return nil, fmt.Errorf("unable to identify the caller (sts:GetCallerIdentity): %w", err)
	}
	s.account = aws.ToString(id.Account)
	s.partition = "aws"
	if parts := strings.SplitN(aws.ToString(id.Arn), ":", 3); len(parts) == 3 && parts[0] == "arn" {
		s.partition = parts[1]
	}
	return s, nil
}

func isCredentialsError(err error) bool {
	msg := err.Error()
	for _, s := range []string{"failed to retrieve credentials", "get credentials", "no EC2 IMDS role found", "failed to refresh cached credentials", "anonymous credentials", "SSO session", "token has expired"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// env returns the environment stack s deploys to: its own account and
// region when it names them, else the caller's account and the configured
// region.
func (s *session) env(st *assembly.Stack) (deploy.Env, error) {
	e := deploy.Env{Account: s.account, Region: st.Region(), Partition: s.partition}
	if e.Region == "" {
		e.Region = s.cfg.Region
	}
	if e.Region == "" {
		return e, fmt.Errorf("no AWS region for stack %s: pass --region, set AWS_REGION, or give the profile a region", st.DisplayName)
	}
	if a := st.Account(); a != "" && a != s.account {
		return e, fmt.Errorf("stack %s belongs to account %s, but the credentials are for account %s: use a profile of that account (--profile)", st.DisplayName, a, s.account)
	}
	return e, nil
}

func (s *session) in(region string) *clients {
	if c := s.clients[region]; c != nil {
		return c
	}
	cfg := s.cfg.Copy()
	cfg.Region = region
	c := &clients{
		cfn: cloudformation.NewFromConfig(cfg),
		s3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			// Custom endpoints (moto, LocalStack) cannot resolve
			// virtual-hosted bucket names.
			o.UsePathStyle = s.endpoint != ""
		}),
		ssm: ssm.NewFromConfig(cfg),
	}
	s.clients[region] = c
	return c
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/iam"
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
	arn       string
	partition string
	clients   map[string]*clients
}

type clients struct {
	cfn *cloudformation.Client
	s3  *s3.Client
	ssm *ssm.Client
	iam *iam.Client
}

// errNoCredentials is wrapped when no credentials were found.
var errNoCredentials = errors.New("no AWS credentials")

// connect loads the AWS configuration (default chain, --profile, --region,
// --endpoint-url) and asks STS who the caller is. The answer (or error) is
// kept in o for the rest of the command.
func (r *Runner) connect(ctx context.Context, o *options) (*session, error) {
	if o.sess != nil || o.sessErr != nil {
		return o.sess, o.sessErr
	}
	o.sess, o.sessErr = r.connectWith(ctx, o)
	if o.sess != nil {
		r.verbosef(o, "AWS: account %s (%s), region %q, endpoint %q", o.sess.account, o.sess.arn, o.sess.cfg.Region, o.endpoint)
	}
	return o.sess, o.sessErr
}

// defaultEnv returns the account and region the app gets as
// CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION: those of the caller's
// credentials, or "" when there are none. Commands that call AWS connect
// here; the others (synth, ls, graph) try the environment, shared files
// and SSO only, for a few seconds, and never instance metadata.
func (r *Runner) defaultEnv(ctx context.Context, o *options) (account, region string) {
	if o.usesAWS {
		if s, err := r.connect(ctx, o); err == nil {
			return s.account, s.cfg.Region
		}
		return "", ""
	}
	probe := *o
	probe.noIMDS = true
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, err := r.connectWith(ctx, &probe)
	if err != nil {
		r.verbosef(o, "no default account for the app (CDK_DEFAULT_ACCOUNT): %v", err)
		return "", ""
	}
	return s.account, s.cfg.Region
}

// awsConfig loads the AWS configuration: the default chain with --profile,
// --region and --endpoint-url.
func (r *Runner) awsConfig(ctx context.Context, o *options) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{}
	if o.noIMDS {
		opts = append(opts, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
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
		return cfg, fmt.Errorf("unable to load the AWS configuration: %w", err)
	}
	return cfg, nil
}

func (r *Runner) connectWith(ctx context.Context, o *options) (*session, error) {
	cfg, err := r.awsConfig(ctx, o)
	if err != nil {
		return nil, err
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
	s.arn = aws.ToString(id.Arn)
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
		iam: iam.NewFromConfig(cfg),
	}
	s.clients[region] = c
	return c
}

package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/eksforge/eksforge/internal/bootstrap"
	"github.com/eksforge/eksforge/internal/deploy"
)

func (r *Runner) bootstrap(ctx context.Context, args []string) error {
	var o options
	pos, err := o.parse("bootstrap", args)
	if err != nil {
		return err
	}
	if o.showTemplate {
		_, err := r.Stdout.Write(bootstrap.Template)
		return err
	}
	sess, err := r.connect(ctx, &o)
	if err != nil {
		return err
	}
	envs, err := r.bootstrapEnvs(ctx, &o, sess, pos)
	if err != nil {
		return err
	}
	opts := bootstrap.Options{
		StackName:         o.toolkitStackName,
		Qualifier:         o.qualifier,
		Trust:             o.trust,
		TrustForLookup:    o.trustForLookup,
		ExecutionPolicies: o.executionPolicies,
		Force:             o.force,

		KMSKeyID:                           o.kmsKeyID,
		CustomerKey:                        o.customerKey.ptr(),
		PermissionsBoundary:                o.permissionsBoundary,
		ApplyPermissionsBoundaryToAllRoles: o.boundaryAllRoles.ptr(),
		TerminationProtection:              o.terminationProtection.ptr(),
		NoExecute:                          o.noExecute,
	}
	for _, env := range envs {
		fmt.Fprintf(r.Stderr, " ⏳  Bootstrapping environment %s (bootstrap version %d, from aws-cdk %s)...\n", env, bootstrap.Version(), bootstrap.CDKVersion)
		c := sess.in(env.Region)
		if o.examplePermissionsBoundary {
			// The AWS CDK CLI names it after --qualifier, else the default
			// qualifier.
			name, err := bootstrap.ExamplePermissionsBoundary(ctx, c.iam, env, orDefault(o.qualifier, bootstrap.DefaultQualifier))
			if err != nil {
				return fmt.Errorf("%s: %w", env, err)
			}
			opts.PermissionsBoundary = name
		}
		res, err := bootstrap.Deploy(ctx, r.deployer(c), c.ssm, env, opts, r.Stderr)
		if err != nil {
			return fmt.Errorf("%s: %w", env, err)
		}
		switch {
		case res.ChangeSetID != "":
			fmt.Fprintf(r.Stderr, " ✅  Environment %s: change set created, not executed (--no-execute).\n", env)
			fmt.Fprintf(r.Stdout, "%s\tstack=%s\tchange-set=%s\n", env, orDefault(o.toolkitStackName, bootstrap.DefaultStackName), res.ChangeSetID)
			continue
		case res.NoOp && res.Previous > 0:
			fmt.Fprintf(r.Stderr, " ✅  Environment %s bootstrapped (no changes; version %d).\n", env, res.Version)
		case res.Previous == res.Version:
			fmt.Fprintf(r.Stderr, " ✅  Environment %s bootstrapped (version %d, updated).\n", env, res.Version)
		case res.Previous > 0:
			fmt.Fprintf(r.Stderr, " ✅  Environment %s bootstrapped (version %d, upgraded from %d).\n", env, res.Version, res.Previous)
		default:
			fmt.Fprintf(r.Stderr, " ✅  Environment %s bootstrapped (version %d).\n", env, res.Version)
		}
		fmt.Fprintf(r.Stdout, "%s\tstack=%s\tqualifier=%s\tversion=%d\tbucket=cdk-%s-assets-%s-%s\n", env, orDefault(o.toolkitStackName, bootstrap.DefaultStackName), res.Qualifier, res.Version, res.Qualifier, env.Account, env.Region)
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// bootstrapEnvs returns the environments to bootstrap: those named
// (aws://ACCOUNT/REGION, "unknown-account"/"unknown-region" standing for
// the caller's), else those of the app's stacks when there is an app (--app
// or ./cdk.json), else the caller's account and region.
func (r *Runner) bootstrapEnvs(ctx context.Context, o *options, sess *session, pos []string) ([]deploy.Env, error) {
	specs := append([]string(nil), pos...)
	if len(specs) == 0 {
		_, err := os.Stat(filepath.Join(r.dir(), "cdk.json"))
		if o.app != "" || err == nil {
			asm, err := r.load(ctx, o)
			if err != nil {
				return nil, err
			}
			for _, s := range asm.Stacks {
				specs = append(specs, s.Environment)
			}
		}
	}
	if len(specs) == 0 {
		specs = []string{"aws://unknown-account/unknown-region"}
	}
	seen := map[string]bool{}
	var out []deploy.Env
	for _, spec := range specs {
		rest := strings.TrimPrefix(spec, "aws://")
		account, region, ok := strings.Cut(rest, "/")
		if !ok || account == "" || region == "" || strings.Contains(region, "/") {
			return nil, usagef("environment %q: want aws://ACCOUNT/REGION, such as aws://%s/%s", spec, sess.account, orDefault(sess.cfg.Region, "us-east-1"))
		}
		if account == "unknown-account" {
			account = sess.account
		}
		if region == "unknown-region" {
			region = sess.cfg.Region
		}
		if region == "" {
			return nil, fmt.Errorf("no AWS region to bootstrap: name it (aws://%s/REGION), pass --region, or set AWS_REGION", account)
		}
		if account != sess.account {
			return nil, fmt.Errorf("cannot bootstrap %s: the credentials are for account %s; use a profile of account %s (--profile)", spec, sess.account, account)
		}
		env := deploy.Env{Account: account, Region: region, Partition: sess.partition}
		if !seen[env.String()] {
			seen[env.String()] = true
			out = append(out, env)
		}
	}
	return out, nil
}

const bootstrapHelp = `Bootstrap deploys the AWS CDK's bootstrap stack (CDKToolkit) into each
environment named (aws://ACCOUNT/REGION), else into the environments of the
app's stacks (with --app or a ./cdk.json), else into the credentials'
account and region. It is the stack "cdk bootstrap" deploys, from the same
template (embedded in eksforge): the asset bucket
cdk-QUALIFIER-assets-ACCOUNT-REGION, the container asset repository, the
file and image publishing, lookup, deployment and CloudFormation execution
roles, and the SSM parameter /cdk-bootstrap/QUALIFIER/version. eksforge,
the AWS CDK CLI and cdk-assets share it.

An existing bootstrap stack is upgraded in place, keeping its trusted
accounts, execution policies, qualifier and bucket key unless flags change
them; a stack of a newer version, or of another variant, is left alone
unless --force. Without --trust and --cloudformation-execution-policies the
execution role has AdministratorAccess, as with "cdk bootstrap".

The asset bucket is encrypted with the AWS-managed S3 key unless
--bootstrap-kms-key-id names a key or --bootstrap-customer-key makes the
stack create one (alias/cdk-QUALIFIER-assets-key). A permissions boundary
on the execution role (--custom-permissions-boundary NAME, or
--example-permissions-boundary, which creates the AWS CDK's example policy
cdk-QUALIFIER-permissions-boundary when missing) limits what deployments
may create. --termination-protection (--no-termination-protection) turns
the stack's termination protection on (off). --no-execute creates the
change set and leaves it in review: execute it in the console, or run
bootstrap again without the flag.

Examples:

	eksforge bootstrap
	eksforge bootstrap aws://123456789012/eu-west-1
	eksforge bootstrap --trust 111111111111 --cloudformation-execution-policies arn:aws:iam::aws:policy/AdministratorAccess
	eksforge bootstrap --show-template > bootstrap-template.yaml
	eksforge bootstrap --bootstrap-customer-key --termination-protection
	eksforge bootstrap --example-permissions-boundary --no-execute
`

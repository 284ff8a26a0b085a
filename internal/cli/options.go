package cli

import (
	"flag"
	"io"
	"strconv"
	"strings"
)

// options holds every command's flags; each command registers the ones
// it takes.
type options struct {
	app, out                  string
	profile, region, endpoint string
	quiet, long, all          bool
	buildAssets               bool
	exclusively, force, fail  bool
	template                  string
	approval                  string
	parameters                multiFlag
	allowReplace              multiFlag
	format, file              string
	context                   multiFlag
	verbose, noColor          bool
	json                      bool

	// usesAWS says the command calls AWS (it takes --profile, --region
	// and --endpoint-url); noIMDS keeps instance metadata out of a probe.
	usesAWS, noIMDS bool
	// sess and sessErr are the command's AWS access once connected.
	sess        *session
	sessErr     error
	outputsFile string
	kubeconfig  string
	to          string

	qualifier, toolkitStackName string
	trust, trustForLookup       multiFlag
	executionPolicies           multiFlag
	showTemplate                bool
	clusterName, alias, roleARN string

	kmsKeyID, permissionsBoundary string
	customerKey, boundaryAllRoles optBool
	terminationProtection         optBool
	examplePermissionsBoundary    bool
	noExecute                     bool
}

// optBool is a boolean flag that remembers whether it was given, for
// choices whose absence keeps what is deployed.
type optBool struct{ set, v bool }

func (b *optBool) String() string   { return strconv.FormatBool(b.v) }
func (b *optBool) IsBoolFlag() bool { return true }
func (b *optBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	b.set, b.v = true, v
	return nil
}

// ptr is the choice, or nil when the flag was not given.
func (b *optBool) ptr() *bool {
	if !b.set {
		return nil
	}
	return &b.v
}

// notFlag is the --no-X spelling of the optBool flag X.
type notFlag struct{ b *optBool }

func (n notFlag) String() string   { return "false" }
func (n notFlag) IsBoolFlag() bool { return true }
func (n notFlag) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	n.b.set, n.b.v = true, !v
	return nil
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func (o *options) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("eksforge "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.BoolVar(&o.verbose, "verbose", false, "say what runs: the app's command and context, the AWS account, region and endpoint")
	fs.BoolVar(&o.verbose, "v", false, "short for --verbose")
	fs.BoolVar(&o.noColor, "no-color", false, "no colors (eksforge prints none; NO_COLOR=1 is passed to the app)")
	app := func() {
		fs.StringVar(&o.app, "app", "", "`CMD` that runs the app, or a cloud assembly directory (default: \"app\" of cdk.json, else \"go run .\")")
		fs.StringVar(&o.app, "a", "", "short for --app")
		fs.StringVar(&o.out, "output", "", "`DIR` the app writes the cloud assembly to (default \"cdk.out\")")
		fs.StringVar(&o.out, "o", "", "short for --output")
		fs.StringVar(&o.out, "out", "", "same as --output")
		fs.Var(&o.context, "context", "context value `KEY=VALUE` for the app, over cdk.json's \"context\" and cdk.context.json (repeatable)")
		fs.Var(&o.context, "c", "short for --context")
	}
	awsFlags := func() {
		o.usesAWS = true
		fs.StringVar(&o.profile, "profile", "", "AWS shared configuration profile `NAME`")
		fs.StringVar(&o.region, "region", "", "AWS `REGION` for stacks whose environment has none")
		fs.StringVar(&o.endpoint, "endpoint-url", "", "send every AWS call to this `URL` (moto, LocalStack)")
	}
	selection := func(verb string) {
		fs.BoolVar(&o.all, "all", false, verb+" every stack of the app")
		fs.BoolVar(&o.exclusively, "exclusively", false, "only the stacks named, not the stacks they depend on (or that depend on them)")
		fs.BoolVar(&o.exclusively, "e", false, "short for --exclusively")
	}
	switch name {
	case "synth":
		app()
		fs.BoolVar(&o.quiet, "q", false, "print nothing on success")
		fs.BoolVar(&o.quiet, "quiet", false, "print nothing on success")
		fs.BoolVar(&o.json, "json", false, "print the templates of the stacks named as JSON instead of YAML")
		fs.BoolVar(&o.json, "j", false, "short for --json")
		fs.BoolVar(&o.buildAssets, "build-assets", false, "build the assets made at publish time (Go handlers) and stage them in the cloud assembly, so it is self-contained")
	case "ls":
		app()
		fs.BoolVar(&o.long, "l", false, "long listing: stack name, environment, dependencies")
		fs.BoolVar(&o.long, "long", false, "long listing: stack name, environment, dependencies")
	case "diff":
		app()
		awsFlags()
		fs.StringVar(&o.template, "template", "", "compare with this template `FILE` instead of the deployed stack (one stack)")
		fs.BoolVar(&o.fail, "fail", false, "exit 1 when there are differences")
	case "deploy":
		app()
		awsFlags()
		selection("deploy")
		fs.StringVar(&o.approval, "require-approval", "broadening", "when to ask before deploying (`LEVEL`): never, any-change (any IAM, security group or replacement change), broadening (IAM or security group broadening, or a replacement)")
		fs.Var(&o.parameters, "parameters", "stack parameter `KEY=VALUE` or STACK:KEY=VALUE (repeatable)")
		fs.BoolVar(&o.force, "force", false, "deploy even when the template has not changed")
		fs.Var(&o.allowReplace, "allow-replace", "allow replacing or deleting this EKS cluster, node group, add-on or stateful resource: its logical ID or construct `PATH` (repeatable)")
		fs.StringVar(&o.outputsFile, "outputs-file", "", "also write the stacks' outputs to this JSON `FILE` ({\"Stack\": {\"Key\": \"Value\"}})")
	case "drift":
		app()
		awsFlags()
		fs.StringVar(&o.template, "template", "", "read the stack's template from this `FILE` instead of CloudFormation (one stack)")
		fs.StringVar(&o.kubeconfig, "kubeconfig", "", "reach every cluster through this kubeconfig `FILE`'s current context instead of an EKS token")
		fs.BoolVar(&o.fail, "fail", false, "exit 1 when there is drift")
	case "upgrade-plan":
		app()
		awsFlags()
		fs.StringVar(&o.to, "to", "", "the Kubernetes `VERSION` to upgrade to, such as 1.34 (required)")
		fs.StringVar(&o.kubeconfig, "kubeconfig", "", "reach the cluster through this kubeconfig `FILE`'s current context instead of an EKS token")
		fs.BoolVar(&o.fail, "fail", false, "exit 1 when there is a blocker")
	case "destroy":
		app()
		awsFlags()
		selection("destroy")
		fs.BoolVar(&o.force, "force", false, "do not ask for confirmation")
		fs.BoolVar(&o.force, "f", false, "short for --force")
	case "bootstrap":
		app()
		awsFlags()
		fs.StringVar(&o.qualifier, "qualifier", "", "`QUALIFIER` that tells several bootstrap stacks of one environment apart (default: the deployed stack's, else \"hnb659fds\")")
		fs.StringVar(&o.toolkitStackName, "toolkit-stack-name", "", "`NAME` of the bootstrap stack (default \"CDKToolkit\")")
		fs.Var(&o.trust, "trust", "`ACCOUNT` that may deploy into this environment (repeatable; default: the deployed stack's)")
		fs.Var(&o.trustForLookup, "trust-for-lookup", "`ACCOUNT` that may look up values in this environment (repeatable; default: the deployed stack's)")
		fs.Var(&o.executionPolicies, "cloudformation-execution-policies", "managed policy `ARN` for the CloudFormation execution role (repeatable; default: the deployed stack's, else AdministratorAccess)")
		fs.BoolVar(&o.showTemplate, "show-template", false, "print the bootstrap template and exit")
		fs.BoolVar(&o.force, "force", false, "deploy even over a newer bootstrap version or another variant")
		fs.StringVar(&o.kmsKeyID, "bootstrap-kms-key-id", "", "KMS key `ID` that encrypts the asset bucket, or AWS_MANAGED_KEY for the AWS-managed S3 key (default: the deployed stack's, else AWS_MANAGED_KEY)")
		fs.Var(&o.customerKey, "bootstrap-customer-key", "create a customer managed KMS key for the asset bucket (--no-bootstrap-customer-key: the AWS-managed key)")
		fs.Var(notFlag{&o.customerKey}, "no-bootstrap-customer-key", "same as --bootstrap-customer-key=false")
		fs.StringVar(&o.permissionsBoundary, "custom-permissions-boundary", "", "IAM managed policy `NAME` set as permissions boundary of the CloudFormation execution role (default: the deployed stack's)")
		fs.BoolVar(&o.examplePermissionsBoundary, "example-permissions-boundary", false, "use the AWS CDK's example permissions boundary, cdk-QUALIFIER-permissions-boundary, creating the policy when missing")
		fs.Var(&o.boundaryAllRoles, "apply-permissions-boundary-to-all-roles", "set the permissions boundary on every bootstrap role, not only the execution role")
		fs.Var(&o.terminationProtection, "termination-protection", "turn the bootstrap stack's termination protection on (--no-termination-protection: off; default: unchanged)")
		fs.Var(notFlag{&o.terminationProtection}, "no-termination-protection", "same as --termination-protection=false")
		fs.BoolVar(&o.noExecute, "no-execute", false, "create the change set and leave it for review instead of executing it")
	case "kubeconfig":
		app()
		awsFlags()
		fs.StringVar(&o.clusterName, "cluster-name", "", "the EKS cluster `NAME` (instead of the clusters of the stacks named)")
		fs.StringVar(&o.kubeconfig, "kubeconfig", "", "the kubeconfig `FILE` to write or merge into (default: the first of $KUBECONFIG, else ~/.kube/config)")
		fs.StringVar(&o.alias, "alias", "", "the context's `NAME` (default: the cluster's ARN)")
		fs.StringVar(&o.roleARN, "role-arn", "", "IAM role `ARN` the token is made with, as with \"aws eks update-kubeconfig --role-arn\" (default: the role of the stack's ConfigCommand output, else the caller's credentials)")
		fs.BoolVar(&o.all, "all", false, "every stack of the app")
	case "token":
		awsFlags()
		fs.StringVar(&o.clusterName, "cluster-name", "", "the EKS cluster `NAME` the token is for (required)")
		fs.StringVar(&o.roleARN, "role-arn", "", "assume this IAM role `ARN` and make the token with its credentials (default: the caller's credentials)")
	case "graph":
		app()
		fs.StringVar(&o.format, "format", "svg", "output `FORMAT`: svg or dot")
		fs.StringVar(&o.file, "file", "", "write to this `FILE` instead of standard output")
	}
	return fs
}

func (o *options) parse(name string, args []string) ([]string, error) {
	pos, err := parseArgs(o.flags(name), args)
	if err != nil {
		return nil, err
	}
	if name == "deploy" {
		switch o.approval {
		case "never", "any-change", "broadening":
		default:
			return nil, usagef("--require-approval must be never, any-change or broadening, not %q", o.approval)
		}
	}
	if name == "upgrade-plan" && o.to == "" {
		return nil, usagef("--to is required: the Kubernetes version to upgrade to, such as 1.34")
	}
	if name == "bootstrap" {
		if o.examplePermissionsBoundary && o.permissionsBoundary != "" {
			return nil, usagef("pass --custom-permissions-boundary or --example-permissions-boundary, not both")
		}
		if o.kmsKeyID != "" && o.customerKey.set {
			return nil, usagef("pass --bootstrap-kms-key-id or --bootstrap-customer-key, not both: the first names a key, the second makes one")
		}
	}
	if name == "graph" && o.format != "svg" && o.format != "dot" {
		return nil, usagef("--format must be svg or dot, not %q", o.format)
	}
	return pos, nil
}

const synthHelp = `Synth runs the app with CDK_OUTDIR set to the output directory and prints
each stack with the path of its template; with stack names (wildcards
work), it prints their templates instead, in YAML (--json: JSON). When the app fails (a
validation error, a compile error), its output is printed and the exit code
is 1.

The app is the --app command, run by "sh -c" in the current directory; by
default the "app" of ./cdk.json, else "go run .". --app may also name a
directory that already holds a cloud assembly: it is read, not run. A line
on standard error says what runs, and the app's standard error is shown as
it comes.

The app receives, as from the AWS CDK CLI: CDK_OUTDIR; CDK_CONTEXT_JSON,
the context of ./cdk.context.json, then the "context" of ./cdk.json, then
each --context KEY=VALUE, later ones winning (what does not fit in one
environment variable goes to the file CONTEXT_OVERFLOW_LOCATION_ENV
names); CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION, from the caller's
credentials when there are any.

Synthesis does not compile Go Lambda handlers: their assets are built when
they are published (eksforge deploy, cdk deploy), by a command written in
the asset manifest, on this machine. --build-assets builds them now
(progress on standard error) and stages their zips in the assembly, so it
can be deployed from elsewhere (it sets the context eksforge:buildAssets).

Examples:

	eksforge synth
	eksforge synth MyStack > template.yaml
	eksforge synth -a 'go run ./examples/minimal' -o /tmp/cdk.out -c env=prod
	eksforge synth --build-assets
`

const lsHelp = `Ls synthesizes the app and lists its stacks (their construct paths), in
dependency order. -l adds the CloudFormation stack name, the environment and
the stacks each one depends on.
`

const diffHelp = `Diff synthesizes the app and compares each stack's template with the
template of the deployed stack (CloudFormation GetTemplate); a stack that is
not deployed shows every resource as added. For each resource it shows the
properties that change and whether CloudFormation updates it in place or
REPLACES it (from the registry schemas' create-only properties, and from
references to replaced resources). Replacing an EKS cluster, node group or
Fargate profile prints a WARNING line first. IAM statements, managed
policies and security group rules added or removed are summarised.

Kubernetes manifests, patches and Helm values are shown as YAML line diffs
of each object ("apps/v1 Deployment shop/web"). A manifest stored as an S3
asset (over 50 KiB) is read from the cloud assembly for the new side and
from the deployed bootstrap bucket for the old side.

--template FILE compares one stack with a template file instead (no AWS
access, except to read the old side's manifest assets from their bucket).

Examples:

	eksforge diff
	eksforge diff 'Prod*' --fail
	eksforge diff MyStack --template old.template.json
`

const deployHelp = `Deploy synthesizes the app and deploys the stacks named (with the stacks
they depend on, unless --exclusively) in dependency order. For each stack it:

  1. checks the environment is bootstrapped (the SSM parameter that the
     BootstrapVersion parameter reads, when the template has one);
  2. publishes the file assets to the bootstrap bucket, skipping objects
     already there;
  3. shows the template diff and creates a CloudFormation change set
     (CREATE or UPDATE), skipping the stack when nothing changed;
  4. refuses to replace or delete an EKS cluster, node group, add-on,
     Fargate profile or stateful resource (database, table, bucket, file
     system, volume, queue, key, log group, ...) unless --allow-replace
     names it (by logical ID, construct path, or a construct path above
     it), or a person at a terminal approves each one; --require-approval
     never does not waive this;
  5. asks for approval when --require-approval says so; without a terminal
     such a deployment is refused;
  6. executes the change set, printing stack events with a progress bar
     (resources done / total, elapsed), and on failure the first failing
     resource with its reason;
  7. prints the stack's outputs.

With several stacks in the app, name the stacks (wildcards work) or pass
--all. Credentials are used as they are: the bootstrap roles are not
assumed.

Examples:

	eksforge deploy --all
	eksforge deploy MyStack --require-approval never
	eksforge deploy MyStack --parameters InstanceType=t3.large
	eksforge deploy MyStack --allow-replace MyStack/Cluster/Nodegroup
`

const destroyHelp = `Destroy deletes the stacks named (with the stacks that depend on them,
unless --exclusively), dependents first, after asking for confirmation.
Without a terminal, pass --force.

Examples:

	eksforge destroy MyStack
	eksforge destroy --all --force
`

const graphHelp = `Graph synthesizes the app and draws it: the construct tree, and one box
per CloudFormation resource, grouped by stack and by construct, labelled
with its construct path cut at "/" into lines. Dependencies (DependsOn,
Ref, Fn::GetAtt, Fn::Sub) are bundled per construct: one arrow between two
constructs, however many resource-level dependencies join them, labelled
with their count. Stacks joined by exports and Fn::ImportValue (the
references between stacks that synthesis makes, or your own) are joined by
one dashed arrow labelled with the number of exports; a stack dependency
without exports is dotted. EKS clusters, node groups, Fargate profiles,
Kubernetes manifests and Helm charts are emphasised.

--format svg (the default) is drawn by eksforge itself; --format dot
writes Graphviz input ("dot -Tpng") for other layouts.

Examples:

	eksforge graph --file app.svg
	eksforge graph MyStack --format dot | dot -Tpng > app.png
`

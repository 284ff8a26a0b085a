package bootstrap

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/eksforge/eksforge/internal/cfndiff"
	"github.com/eksforge/eksforge/internal/deploy"
)

// Template is the AWS CDK's bootstrap template (YAML), as the aws-cdk
// package [CDKVersion] ships it.
//
//go:embed bootstrap-template.yaml
var Template []byte

// CDKVersion is the version of the aws-cdk npm package that Template comes
// from.
const CDKVersion = "2.1148.1"

// DefaultQualifier is the qualifier of the default bootstrap resources
// (cdk-hnb659fds-assets-ACCOUNT-REGION, ...).
const DefaultQualifier = "hnb659fds"

// DefaultStackName is the name of the bootstrap stack.
const DefaultStackName = "CDKToolkit"

// awsManagedKey is FileAssetsBucketKmsKeyId's value for the AWS-managed
// S3 key, the AWS CDK CLI's default for a new stack.
const awsManagedKey = "AWS_MANAGED_KEY"

// parsed is Template decoded, with what the rules need.
var parsed = func() map[string]any {
	m, err := deploy.ParseTemplate(Template)
	if err != nil {
		panic("bootstrap: the embedded template does not parse: " + err.Error())
	}
	return m
}()

// Version returns the bootstrap version of Template (the value of its
// CdkBootstrapVersion parameter resource).
func Version() int {
	return templateVersion(parsed)
}

func templateVersion(t map[string]any) int {
	res, _ := t["Resources"].(map[string]any)
	r, _ := res["CdkBootstrapVersion"].(map[string]any)
	props, _ := r["Properties"].(map[string]any)
	v, _ := strconv.Atoi(fmt.Sprint(props["Value"]))
	return v
}

// Variant returns the BootstrapVariant default of Template, which says
// whose resources the stack holds.
func Variant() string {
	params, _ := parsed["Parameters"].(map[string]any)
	p, _ := params["BootstrapVariant"].(map[string]any)
	s, _ := p["Default"].(string)
	return s
}

// ResourceCount returns how many resources Template declares.
func ResourceCount() int {
	res, _ := parsed["Resources"].(map[string]any)
	return len(res)
}

func templateParameters() map[string]bool {
	params, _ := parsed["Parameters"].(map[string]any)
	out := map[string]bool{}
	for k := range params {
		out[k] = true
	}
	return out
}

// Options are the choices of one bootstrap.
type Options struct {
	// StackName is the bootstrap stack's name.
	// Default: DefaultStackName.
	StackName string
	// Qualifier tells several bootstraps of one environment apart.
	// Default: the deployed stack's, else DefaultQualifier.
	Qualifier string
	// Trust lists the accounts that may deploy into this environment; nil
	// keeps the deployed stack's.
	// Default: nil.
	Trust []string
	// TrustForLookup lists the accounts that may look up values in this
	// environment; nil keeps the deployed stack's.
	// Default: nil.
	TrustForLookup []string
	// ExecutionPolicies are the managed policy ARNs of the CloudFormation
	// execution role; nil keeps the deployed stack's. Without them and
	// without trusted accounts, the role has AdministratorAccess (as with
	// `cdk bootstrap`).
	// Default: nil.
	ExecutionPolicies []string
	// Force deploys even over a newer bootstrap version or another
	// variant.
	// Default: false.
	Force bool
	// KMSKeyID is the KMS key that encrypts the asset bucket
	// (FileAssetsBucketKmsKeyId): a key ID, or AWS_MANAGED_KEY for the
	// AWS-managed S3 key. Cannot be combined with CustomerKey.
	// Default: "" (the deployed stack's; AWS_MANAGED_KEY for a new stack).
	KMSKeyID string
	// CustomerKey, when not nil, says whether the stack creates a customer
	// managed KMS key for the asset bucket (true: FileAssetsBucketKmsKeyId
	// ""), or uses the AWS-managed key (false: AWS_MANAGED_KEY).
	// Default: nil (the deployed stack's choice).
	CustomerKey *bool
	// PermissionsBoundary is the name of the IAM managed policy set as the
	// permissions boundary of the CloudFormation execution role
	// (InputPermissionsBoundary); see [ExamplePermissionsBoundary].
	// Default: "" (the deployed stack's; none for a new stack).
	PermissionsBoundary string
	// ApplyPermissionsBoundaryToAllRoles, when not nil, says whether the
	// boundary is set on every bootstrap role, not only the execution role.
	// Default: nil (the deployed stack's; false for a new stack).
	ApplyPermissionsBoundaryToAllRoles *bool
	// TerminationProtection, when not nil, turns the stack's termination
	// protection on or off.
	// Default: nil (unchanged; off for a new stack).
	TerminationProtection *bool
	// NoExecute creates the change set and leaves it for review instead of
	// executing it (Result.ChangeSetID).
	// Default: false.
	NoExecute bool
}

// Result is what a bootstrap did.
type Result struct {
	// Stack is the bootstrap stack afterwards (nil when nothing was
	// deployed and no stack exists).
	Stack *types.Stack
	// Qualifier is the qualifier of the stack.
	Qualifier string
	// Previous is the bootstrap version before (0: none).
	Previous int
	// Version is the bootstrap version afterwards.
	Version int
	// NoOp says nothing was deployed (no change, or a newer stack kept).
	NoOp bool
	// ChangeSetID is the change set left for review (Options.NoExecute),
	// or "".
	ChangeSetID string
}

// Deploy creates or updates the bootstrap stack of env through dep (its
// CloudFormation client) and reads versions through ssmc. Notes (trusted
// accounts, the implicit execution policy, a kept newer stack) go to out.
func Deploy(ctx context.Context, dep *deploy.Deployer, ssmc deploy.SSMAPI, env deploy.Env, o Options, out io.Writer) (*Result, error) {
	if o.StackName == "" {
		o.StackName = DefaultStackName
	}
	cur, err := dep.Current(ctx, o.StackName)
	if err != nil {
		return nil, err
	}
	had := map[string]string{}
	if cur != nil {
		for _, p := range cur.Parameters {
			had[aws.ToString(p.ParameterKey)] = aws.ToString(p.ParameterValue)
		}
	}
	qualifier := o.Qualifier
	if qualifier == "" {
		qualifier = had["Qualifier"]
	}
	if qualifier == "" {
		qualifier = DefaultQualifier
	}
	if err := validQualifier(qualifier); err != nil {
		return nil, err
	}
	res := &Result{Stack: cur, Qualifier: qualifier, Version: Version()}
	if cur != nil {
		res.Previous = deployedVersion(ctx, cur, ssmc, qualifier)
		variant := had["BootstrapVariant"]
		if variant == "" {
			variant = "AWS CDK: Default Resources"
		}
		if !o.Force && variant != Variant() {
			fmt.Fprintf(out, "Bootstrap stack %s already exists, containing '%s'. Not overwriting it with a template containing '%s' (use --force if you intend to overwrite)\n", o.StackName, variant, Variant())
			res.NoOp, res.Version = true, res.Previous
			return res, nil
		}
		if !o.Force && res.Previous > Version() {
			fmt.Fprintf(out, "Bootstrap stack %s already at version %d. Not downgrading it to version %d (use --force if you intend to downgrade)\n", o.StackName, res.Previous, Version())
			res.NoOp, res.Version = true, res.Previous
			return res, nil
		}
	}

	if o.CustomerKey != nil && o.KMSKeyID != "" {
		return nil, fmt.Errorf("you cannot pass --bootstrap-kms-key-id and --bootstrap-customer-key together: the first names a key, the second makes one")
	}
	if o.PermissionsBoundary != "" && !validPolicyName(o.PermissionsBoundary) {
		return nil, fmt.Errorf("the permissions boundary %q is not an IAM policy name (letters, digits and +=,.@_-/): pass the policy's name, not its ARN", o.PermissionsBoundary)
	}
	trust := orPrevious(o.Trust, had["TrustedAccounts"])
	lookup := orPrevious(o.TrustForLookup, had["TrustedAccountsForLookup"])
	policies := orPrevious(o.ExecutionPolicies, had["CloudFormationExecutionPolicies"])
	fmt.Fprintf(out, "Trusted accounts for deployment: %s\n", listOrNone(trust))
	fmt.Fprintf(out, "Trusted accounts for lookup: %s\n", listOrNone(lookup))
	switch {
	case len(trust) == 0 && len(policies) == 0:
		fmt.Fprintf(out, "Using default execution policy of 'arn:%s:iam::aws:policy/AdministratorAccess'. Pass '--cloudformation-execution-policies' to customize.\n", env.Partition)
	case len(policies) == 0:
		return nil, fmt.Errorf("pass --cloudformation-execution-policies when using --trust, to say what deployments may do: a managed policy such as 'arn:%s:iam::aws:policy/<PolicyName>'", env.Partition)
	default:
		fmt.Fprintf(out, "Execution policies: %s\n", strings.Join(policies, ", "))
	}
	for _, a := range append(append([]string(nil), trust...), lookup...) {
		if !isAccount(a) {
			return nil, fmt.Errorf("--trust %q is not an AWS account ID (12 digits)", a)
		}
	}

	given := map[string]string{
		"TrustedAccounts":                 strings.Join(trust, ","),
		"TrustedAccountsForLookup":        strings.Join(lookup, ","),
		"CloudFormationExecutionPolicies": strings.Join(policies, ","),
		"PublicAccessBlockConfiguration":  "true",
	}
	if o.Qualifier != "" || cur == nil {
		given["Qualifier"] = qualifier
	}
	switch {
	case o.KMSKeyID != "":
		given["FileAssetsBucketKmsKeyId"] = o.KMSKeyID
	case o.CustomerKey != nil && *o.CustomerKey:
		given["FileAssetsBucketKmsKeyId"] = "" // the template's CreateNewKey
	case o.CustomerKey != nil:
		given["FileAssetsBucketKmsKeyId"] = awsManagedKey
	default:
		if _, ok := had["FileAssetsBucketKmsKeyId"]; !ok {
			given["FileAssetsBucketKmsKeyId"] = awsManagedKey
		}
	}
	if key, ok := given["FileAssetsBucketKmsKeyId"]; ok && (cur == nil || key != had["FileAssetsBucketKmsKeyId"] || o.CustomerKey != nil || o.KMSKeyID != "") {
		fmt.Fprintf(out, "Asset bucket encryption: %s\n", describeKey(key))
	}
	if b := o.PermissionsBoundary; b != "" {
		given["InputPermissionsBoundary"] = b
		switch old := had["InputPermissionsBoundary"]; {
		case old == "":
			fmt.Fprintf(out, "Adding new permissions boundary %s\n", b)
		case old != b:
			fmt.Fprintf(out, "Changing permissions boundary from %s to %s\n", old, b)
		}
	} else if old := had["InputPermissionsBoundary"]; old != "" {
		fmt.Fprintf(out, "Keeping permissions boundary %s\n", old)
	}
	if a := o.ApplyPermissionsBoundaryToAllRoles; a != nil {
		if o.PermissionsBoundary == "" && had["InputPermissionsBoundary"] == "" {
			fmt.Fprintf(out, "--apply-permissions-boundary-to-all-roles has no effect without --custom-permissions-boundary or --example-permissions-boundary\n")
		}
		given["ApplyPermissionsBoundaryToAllRoles"] = strconv.FormatBool(*a)
	}
	var plist []types.Parameter
	names := make([]string, 0)
	for k := range templateParameters() {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if v, ok := given[k]; ok {
			plist = append(plist, types.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
		} else if _, ok := had[k]; ok {
			plist = append(plist, types.Parameter{ParameterKey: aws.String(k), UsePreviousValue: aws.Bool(true)})
		}
	}

	protect := func(st *types.Stack) error {
		if o.TerminationProtection == nil || st == nil || aws.ToBool(st.EnableTerminationProtection) == *o.TerminationProtection {
			return nil
		}
		if err := dep.SetTerminationProtection(ctx, st, *o.TerminationProtection); err != nil {
			return err
		}
		fmt.Fprintf(out, "Termination protection of %s: %s\n", o.StackName, onOff(*o.TerminationProtection))
		return nil
	}
	if cur != nil && !o.NoExecute && sameParameters(had, given) {
		deployed, err := dep.DeployedTemplate(ctx, o.StackName)
		if err != nil {
			return nil, err
		}
		if deployed != nil && cfndiff.Compare(deployed, parsed).IsEmpty() {
			res.NoOp = true
			return res, protect(cur)
		}
	}
	cs, err := dep.CreateChangeSet(ctx, deploy.ChangeSetInput{StackName: o.StackName, TemplateBody: string(Template), Parameters: plist})
	if err != nil {
		return nil, err
	}
	// As the AWS CDK CLI does, termination protection is set once the
	// change set exists (the stack exists then, even a new one).
	if st, err := dep.Current(ctx, o.StackName); err != nil {
		return nil, err
	} else if err := protect(st); err != nil {
		return nil, err
	}
	if cs.Empty {
		res.NoOp = true
		return res, nil
	}
	if o.NoExecute {
		res.NoOp, res.ChangeSetID, res.Version = true, cs.ID, res.Previous
		fmt.Fprintf(out, "Changeset %s created and waiting in review for manual execution (--no-execute)\n", cs.ID)
		return res, nil
	}
	total := len(cs.Changes)
	if cs.Type == types.ChangeSetTypeCreate {
		total = ResourceCount()
	}
	st, err := dep.Execute(ctx, cs, total, nil)
	if err != nil {
		return nil, err
	}
	res.Stack = st
	if v := deployedVersion(ctx, st, ssmc, qualifier); v != Version() {
		return res, fmt.Errorf("the bootstrap stack %s deployed, but its version reads %d (SSM parameter %s), not %d", o.StackName, v, VersionParameter(qualifier), Version())
	}
	return res, nil
}

// VersionParameter returns the name of the SSM parameter that holds the
// bootstrap version of qualifier.
func VersionParameter(qualifier string) string {
	return "/cdk-bootstrap/" + qualifier + "/version"
}

// deployedVersion reads the version of a deployed bootstrap stack: the SSM
// parameter that deployments check, else the stack's BootstrapVersion
// output (which the AWS CDK CLI reads; emulators may leave it stale after
// an update), else 0.
func deployedVersion(ctx context.Context, st *types.Stack, ssmc deploy.SSMAPI, qualifier string) int {
	out, err := ssmc.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(VersionParameter(qualifier))})
	if err == nil && out.Parameter != nil {
		if v, err := strconv.Atoi(aws.ToString(out.Parameter.Value)); err == nil {
			return v
		}
	}
	for _, o := range st.Outputs {
		if aws.ToString(o.OutputKey) == "BootstrapVersion" {
			if v, err := strconv.Atoi(aws.ToString(o.OutputValue)); err == nil {
				return v
			}
		}
	}
	return 0
}

// sameParameters says whether every parameter given has its deployed
// value (lists compared item by item).
func sameParameters(had, given map[string]string) bool {
	for k, v := range given {
		old, ok := had[k]
		if !ok || strings.Join(orPrevious(nil, old), ",") != strings.Join(orPrevious(nil, v), ",") {
			return false
		}
	}
	return true
}

// orPrevious returns the accounts or policies given (split at commas),
// else those of the deployed stack's parameter. The value of a
// CommaDelimitedList parameter is "a,b" from CloudFormation; moto renders it
// as a Python list ("['a', 'b']"), which is read the same.
func orPrevious(given []string, previous string) []string {
	if given == nil {
		given = []string{previous}
		if strings.HasPrefix(previous, "[") && strings.HasSuffix(previous, "]") {
			given = []string{strings.Trim(previous, "[]")}
		}
	}
	var out []string
	for _, g := range given {
		for _, s := range strings.Split(g, ",") {
			if s = strings.Trim(strings.TrimSpace(s), `'"`); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func onOff(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled"
}

// describeKey says what a FileAssetsBucketKmsKeyId value means.
func describeKey(key string) string {
	switch key {
	case "":
		return "a new customer managed KMS key (alias/cdk-QUALIFIER-assets-key)"
	case awsManagedKey:
		return "the AWS-managed S3 key (AWS_MANAGED_KEY)"
	}
	return "KMS key " + key
}

// validPolicyName checks an IAM policy name as the AWS CDK CLI does
// ([\w+/=,.@-]+).
func validPolicyName(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("_+/=,.@-", c)) {
			return false
		}
	}
	return s != ""
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	return strings.Join(s, ", ")
}

func isAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// validQualifier checks Qualifier against the template's AllowedPattern,
// [A-Za-z0-9_-]{1,10}, before CloudFormation is asked.
func validQualifier(q string) error {
	ok := len(q) >= 1 && len(q) <= 10
	for _, c := range q {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("--qualifier %q is not valid: it is part of the bootstrap bucket's and roles' names, so use 1 to 10 letters, digits, '-' or '_' (default %s)", q, DefaultQualifier)
	}
	return nil
}

// IAMAPI is the part of IAM that [ExamplePermissionsBoundary] uses;
// *iam.Client satisfies it.
type IAMAPI interface {
	GetPolicy(context.Context, *iam.GetPolicyInput, ...func(*iam.Options)) (*iam.GetPolicyOutput, error)
	CreatePolicy(context.Context, *iam.CreatePolicyInput, ...func(*iam.Options)) (*iam.CreatePolicyOutput, error)
}

// ExamplePermissionsBoundaryName returns the name of the AWS CDK's example
// permissions boundary policy of qualifier.
func ExamplePermissionsBoundaryName(qualifier string) string {
	return "cdk-" + qualifier + "-permissions-boundary"
}

// ExamplePermissionsBoundary returns the name of the AWS CDK's example
// permissions boundary of qualifier (cdk-QUALIFIER-permissions-boundary),
// creating the policy in env's account when it does not exist, with the
// document `cdk bootstrap --example-permissions-boundary` creates: allow
// everything, except creating users or roles without this boundary,
// changing or deleting the policy, and removing a boundary.
func ExamplePermissionsBoundary(ctx context.Context, iamc IAMAPI, env deploy.Env, qualifier string) (string, error) {
	name := ExamplePermissionsBoundaryName(qualifier)
	arn := fmt.Sprintf("arn:%s:iam::%s:policy/%s", env.Partition, env.Account, name)
	if _, err := iamc.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)}); err == nil {
		return name, nil
	} else if nse := (*iamtypes.NoSuchEntityException)(nil); !errors.As(err, &nse) {
		return "", fmt.Errorf("unable to read the example permissions boundary %s: %w", arn, err)
	}
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{"Action": []string{"*"}, "Resource": "*", "Effect": "Allow", "Sid": "ExplicitAllowAll"},
			map[string]any{
				"Condition": map[string]any{"StringNotEquals": map[string]any{"iam:PermissionsBoundary": arn}},
				"Action":    []string{"iam:CreateUser", "iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary"},
				"Resource":  "*", "Effect": "Deny", "Sid": "DenyAccessIfRequiredPermBoundaryIsNotBeingApplied",
			},
			map[string]any{
				"Action":   []string{"iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"},
				"Resource": arn, "Effect": "Deny", "Sid": "DenyPermBoundaryIAMPolicyAlteration",
			},
			map[string]any{
				"Action":   []string{"iam:DeleteUserPermissionsBoundary", "iam:DeleteRolePermissionsBoundary"},
				"Resource": "*", "Effect": "Deny", "Sid": "DenyRemovalOfPermBoundaryFromAnyUserOrRole",
			},
		},
	}
	body, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	if _, err := iamc.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(string(body))}); err != nil {
		return "", fmt.Errorf("unable to create the example permissions boundary %s: %w", name, err)
	}
	return name, nil
}

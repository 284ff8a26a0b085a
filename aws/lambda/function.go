package lambda

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/aws/logs"
	"github.com/eksforge/eksforge/cdk"
	cfnlambda "github.com/eksforge/eksforge/cfn/lambda"
	"github.com/eksforge/eksforge/internal/nilref"
)

// Limits Lambda enforces, checked at synthesis.
const (
	// MaxTimeoutSeconds is the longest a function may run: 15 minutes.
	MaxTimeoutSeconds = 900
	// MinMemorySize and MaxMemorySize bound MemorySize, in MiB.
	MinMemorySize = 128
	MaxMemorySize = 10240
	// MaxLayers is the most layers a function may use.
	MaxLayers = 5
)

// IFunction is a Lambda function: one defined here ([Function]) or an
// imported one ([FunctionFromFunctionArn], [FunctionFromFunctionAttributes]).
type IFunction interface {
	cdk.Construct
	iam.IGrantable
	ec2.IConnectable
	// FunctionArn is the function's ARN.
	FunctionArn() string
	// FunctionName is the function's name.
	FunctionName() string
	// Role is the function's execution role, or nil when unknown (an
	// imported function without one).
	Role() iam.IRole
	// Architecture is the function's architecture.
	Architecture() Architecture
	// GrantInvoke allows grantee to invoke the function
	// (lambda:InvokeFunction on the function and its versions): through the
	// grantee's identity policy in the same account, else through the
	// function's resource policy (an AWS::Lambda::Permission).
	GrantInvoke(grantee iam.IGrantable) *iam.Grant
	// AddPermission adds a statement to the function's resource policy (an
	// AWS::Lambda::Permission with the given construct id).
	AddPermission(id string, permission Permission)
	// AddToRolePolicy adds a statement to the execution role's policy; it
	// does nothing for a function without a known role.
	AddToRolePolicy(statement *iam.PolicyStatement)
}

// Permission is a statement of a function's resource policy.
type Permission struct {
	// Principal may invoke the function: a service principal
	// ("s3.amazonaws.com"), an account or an ARN. Conditions on the
	// principal (aws:SourceArn with ArnLike, aws:SourceAccount and
	// aws:PrincipalOrgID with StringEquals) become SourceArn, SourceAccount
	// and PrincipalOrgID. Required.
	Principal iam.IPrincipal
	// Action is the action allowed.
	// Default: "lambda:InvokeFunction".
	Action string
	// SourceArn limits the permission to events from this resource.
	// Default: none, or the principal's aws:SourceArn condition.
	SourceArn string
	// SourceAccount limits the permission to resources of this account.
	// Default: none, or the principal's aws:SourceAccount condition.
	SourceAccount string
	// EventSourceToken is the Alexa Smart Home skill token.
	// Default: none.
	EventSourceToken string
}

// FunctionProps define a [Function].
type FunctionProps struct {
	// Code is the deployment package. Required.
	Code Code
	// Runtime is the runtime.
	// Default: RuntimeProvidedAl2023 when Code is a Go package
	// ([CodeFromGoPackage]); required otherwise.
	Runtime Runtime
	// Handler is the entry point, e.g. "index.handler".
	// Default: "bootstrap" for the provided runtimes; required otherwise.
	Handler string
	// Architecture is the instruction set.
	// Default: ArchitectureArm64 when Code is a Go package (or the GOARCH
	// it names), else x86_64 (Lambda's default; not rendered).
	Architecture Architecture
	// Role is the execution role. It must trust lambda.amazonaws.com.
	// Default: a new role, "ServiceRole", trusting lambda.amazonaws.com with
	// the AWSLambdaBasicExecutionRole managed policy, and
	// AWSLambdaVPCAccessExecutionRole when Vpc is set.
	Role iam.IRole
	// Environment holds environment variables (values may be tokens).
	// Default: none.
	Environment map[string]string
	// MemorySize is the memory, a whole number of MiB from 128 MiB to
	// 10240 MiB, e.g. cdk.Mebibytes(512) or cdk.Gibibytes(1) (the same
	// type as the other sizes of the library, such as
	// eks.KubectlOptions.Memory).
	// Default: Lambda's, 128 MiB (not rendered).
	MemorySize cdk.Size
	// Timeout is how long an invocation may run, at most 15 minutes.
	// Default: Lambda's, 3 seconds (not rendered).
	Timeout cdk.Duration
	// Description of the function, at most 256 characters.
	// Default: none.
	Description string
	// FunctionName is the function's physical name (at most 64 of a-z,
	// A-Z, 0-9, '-' and '_'). A name prevents replacing the function.
	// Default: a name CloudFormation generates.
	FunctionName string
	// Vpc places the function's network interfaces in a VPC.
	// Default: not in a VPC.
	Vpc ec2.IVpc
	// VpcSubnets selects the subnets, within Vpc. Public subnets are
	// refused unless AllowPublicSubnet is set (a function in a public
	// subnet has no internet access).
	// Default: the VPC's default selection (private subnets with egress).
	VpcSubnets ec2.SubnetSelection
	// SecurityGroups are the function's security groups, within Vpc.
	// Default: a new security group, "SecurityGroup", allowing all
	// outbound traffic.
	SecurityGroups []ec2.ISecurityGroup
	// AllowAllOutbound sets AllowAllOutbound of the security group made by
	// default; it cannot be combined with SecurityGroups.
	// Default: true.
	AllowAllOutbound *bool
	// AllowPublicSubnet allows VpcSubnets to select public subnets.
	// Default: false.
	AllowPublicSubnet bool
	// Layers are added to the function's execution environment, at most 5.
	// Default: none.
	Layers []ILayerVersion
	// ReservedConcurrentExecutions reserves concurrency for the function
	// (0 stops it from being invoked). cdk.Ptr(n) sets it.
	// Default: none (the account's unreserved pool).
	ReservedConcurrentExecutions *int
	// LogRetention makes the function log to a log group of its own, an
	// AWS::Logs::LogGroup "LogGroup" with this retention, named by
	// CloudFormation and set in the function's LoggingConfig (the native
	// replacement of the AWS CDK's log-retention custom resource). The group
	// exists before the function, so no log event escapes the retention.
	// Default: no log group is created; Lambda logs to
	// /aws/lambda/<function name>, created on first use, kept forever.
	LogRetention logs.RetentionDays
	// LogRemovalPolicy is the removal policy of the log group LogRetention
	// creates.
	// Default: cdk.RemovalPolicyRetain (as the AWS CDK's LogGroup).
	LogRemovalPolicy cdk.RemovalPolicy
	// LogEncryptionKey encrypts the log group LogRetention creates with a
	// customer managed KMS key (see logs.LogGroupProps.EncryptionKey).
	// Default: CloudWatch Logs' own encryption.
	LogEncryptionKey kms.IKey
}

// Function is an AWS::Lambda::Function with its execution role, optional
// security group and log group, built as the AWS CDK's lambda.Function:
// the same construct ids (Resource, ServiceRole, SecurityGroup, LogGroup) and
// so the same logical IDs.
type Function struct {
	cdk.Base
	resource     *cfnlambda.CfnFunction
	role         iam.IRole
	runtime      Runtime
	architecture Architecture
	env          map[string]string
	connections  *ec2.Connections
	logGroup     *logs.LogGroup
	layers       []ILayerVersion
	grants       map[string]*iam.Grant
	timeout      cdk.Duration
}

var (
	functionNamePattern = regexp.MustCompile(`^[a-zA-Z0-9\-_]+$`)
	envKeyPattern       = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]*$`)
)

// reservedEnvKeys are set by Lambda and cannot be defined.
var reservedEnvKeys = []string{
	"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_DEFAULT_REGION",
	"AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_NAME",
	"AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
	"AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "AWS_REGION", "AWS_SECRET_ACCESS_KEY",
	"AWS_SESSION_TOKEN", "LAMBDA_RUNTIME_DIR", "LAMBDA_TASK_ROOT",
}

// NewFunction adds a Lambda function to scope. It panics, naming the
// construct path, when Code is nil, when Runtime or Handler are missing
// where they have no default, or when the VPC settings contradict each
// other; limits (timeout, memory, concurrency, names) are checked at
// synthesis.
func NewFunction(scope cdk.Construct, id string, props FunctionProps) *Function {
	f := &Function{env: map[string]string{}, grants: map[string]*iam.Grant{}, timeout: props.Timeout}
	cdk.InitConstruct(f, scope, id)
	path := f.Node().Path()
	if props.Code == nil {
		panic(fmt.Sprintf("lambda: function %q needs FunctionProps.Code, e.g. lambda.CodeFromGoPackage(\"./cmd/handler\")", path))
	}
	isGo := IsGoCode(props.Code)
	f.runtime = props.Runtime
	if f.runtime == "" {
		if !isGo {
			panic(fmt.Sprintf("lambda: function %q needs FunctionProps.Runtime (it defaults to provided.al2023 only for Go code), e.g. lambda.RuntimePython313", path))
		}
		f.runtime = RuntimeProvidedAl2023
	}
	handler := props.Handler
	if handler == "" {
		if !f.runtime.IsProvided() {
			panic(fmt.Sprintf("lambda: function %q needs FunctionProps.Handler for runtime %s, e.g. \"index.handler\"", path, f.runtime))
		}
		handler = "bootstrap"
	}
	if isGo && !f.runtime.IsProvided() {
		f.Node().AddError("Code is a Go package, which needs an OS-only runtime (provided.al2023), but Runtime is %s", f.runtime)
	}

	f.architecture = props.Architecture
	renderArch := f.architecture != ""
	if renderArch && f.architecture.GOARCH() == "" {
		f.Node().AddError("Architecture %q is not a Lambda architecture; use lambda.ArchitectureArm64 or lambda.ArchitectureX8664", f.architecture)
	}
	if f.architecture == "" {
		if isGo {
			f.architecture = ArchitectureArm64
			if a := goArchitecture(props.Code); a != "" {
				f.architecture = a
			}
			renderArch = true
		} else {
			f.architecture = ArchitectureX8664
		}
	}

	// Role.
	f.role = props.Role
	if f.role == nil {
		policies := []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole")}
		if props.Vpc != nil {
			policies = append(policies, iam.ManagedPolicyFromAwsManagedPolicyName("service-role/AWSLambdaVPCAccessExecutionRole"))
		}
		f.role = iam.NewRole(f, "ServiceRole", iam.RoleProps{
			AssumedBy:       iam.NewServicePrincipal("lambda.amazonaws.com"),
			ManagedPolicies: policies,
		})
	}

	for _, k := range sortedKeys(props.Environment) {
		f.AddEnvironment(k, props.Environment[k])
	}

	code := props.Code.Bind(f, CodeBindOptions{Architecture: f.architecture})
	if (code.S3Location == nil) == (code.InlineCode == "") {
		panic(fmt.Sprintf("lambda: function %q: Code.Bind must return exactly one of S3Location and InlineCode", path))
	}
	if code.InlineCode != "" && !f.runtime.SupportsInlineCode() {
		f.Node().AddError("inline code (CodeFromInline) is not supported by runtime %s; use CodeFromAsset or a Node.js or Python runtime", f.runtime)
	}
	cfnCode := &cfnlambda.CfnFunctionCode{ZipFile: code.InlineCode}
	if l := code.S3Location; l != nil {
		cfnCode.S3Bucket, cfnCode.S3Key, cfnCode.S3ObjectVersion = l.BucketName, l.ObjectKey, l.ObjectVersion
	}

	cfnProps := cfnlambda.CfnFunctionProps{
		Code:         cfnCode,
		Description:  props.Description,
		FunctionName: props.FunctionName,
		Handler:      handler,
		Role:         f.role.RoleArn(),
		Runtime:      string(f.runtime),
	}
	if renderArch {
		cfnProps.Architectures = []string{string(f.architecture)}
	}
	f.validateLimits(props, &cfnProps)
	cfnProps.VpcConfig = f.configureVpc(props)

	f.resource = cfnlambda.NewCfnFunction(f, "Resource", cfnProps)
	if len(f.env) > 0 {
		f.resource.Props.Environment = &cfnlambda.CfnFunctionEnvironment{Variables: f.env}
	}
	props.Code.BindToResource(&f.resource.CfnResource, ResourceBindOptions{ResourceProperty: "Code"})
	f.resource.Node().AddDependency(f.role)
	f.Node().AddValidation(f.validate)

	for _, l := range props.Layers {
		f.AddLayers(l)
	}

	if props.LogRetention != 0 {
		f.logGroup = logs.NewLogGroup(f, "LogGroup", logs.LogGroupProps{Retention: props.LogRetention, RemovalPolicy: props.LogRemovalPolicy, EncryptionKey: props.LogEncryptionKey})
		f.resource.Props.LoggingConfig = &cfnlambda.CfnFunctionLoggingConfig{LogGroup: f.logGroup.LogGroupName()}
	} else if props.LogRemovalPolicy != "" || props.LogEncryptionKey != nil {
		panic(fmt.Sprintf("lambda: function %q: LogRemovalPolicy and LogEncryptionKey apply to the log group LogRetention creates; set LogRetention too", path))
	}
	return f
}

func (f *Function) validateLimits(props FunctionProps, cfn *cfnlambda.CfnFunctionProps) {
	n := f.Node()
	if t := props.Timeout; !t.IsZero() {
		secs, err := t.ToSeconds()
		switch {
		case t.IsUnresolved():
			n.AddError("Timeout must be known at synthesis (it is a token)")
		case err != nil:
			n.AddError("Timeout %s is not a whole number of seconds", t.ToHumanString())
		case secs < 1 || secs > MaxTimeoutSeconds:
			n.AddError("Timeout is %s (%v seconds), but a Lambda function may run from 1 second to 15 minutes (900 seconds)", t.ToHumanString(), secs)
		default:
			cfn.Timeout = cdk.Ptr(int(math.Round(secs)))
		}
	}
	if size := props.MemorySize; !size.IsZero() {
		mib, err := size.ToMebibytes()
		switch {
		case size.IsUnresolved():
			n.AddError("MemorySize is a token, but it must be known at synthesis: give a whole number of MiB, e.g. cdk.Mebibytes(512)")
		case err != nil:
			n.AddError("MemorySize %s: %v; give a whole number of MiB, e.g. cdk.Mebibytes(512)", size, err)
		case mib != math.Trunc(mib):
			n.AddError("MemorySize is %v MiB, not a whole number of MiB: give e.g. cdk.Mebibytes(%v)", mib, math.Round(mib))
		case mib < MinMemorySize || mib > MaxMemorySize:
			n.AddError("MemorySize is %v MiB, but must be between %d and %d MiB", mib, MinMemorySize, MaxMemorySize)
		default:
			cfn.MemorySize = cdk.Ptr(int(mib))
		}
	}
	if r := props.ReservedConcurrentExecutions; r != nil {
		if *r < 0 {
			n.AddError("ReservedConcurrentExecutions is %d, but must be 0 or more", *r)
		} else {
			cfn.ReservedConcurrentExecutions = cdk.Ptr(*r)
		}
	}
	if name := props.FunctionName; name != "" && !cdk.IsUnresolved(name) {
		if len(name) > 64 || !functionNamePattern.MatchString(name) {
			n.AddError("FunctionName %q must be 1 to 64 characters of a-z, A-Z, 0-9, '-' and '_'", name)
		}
	}
	if d := props.Description; len(d) > 256 && !cdk.IsUnresolved(d) {
		n.AddError("Description is %d characters long; Lambda allows at most 256", len(d))
	}
}

func (f *Function) configureVpc(props FunctionProps) *cfnlambda.CfnFunctionVpcConfig {
	path := f.Node().Path()
	if props.Vpc == nil {
		switch {
		case !props.VpcSubnets.IsZero():
			panic(fmt.Sprintf("lambda: function %q: VpcSubnets needs Vpc", path))
		case len(props.SecurityGroups) > 0:
			panic(fmt.Sprintf("lambda: function %q: SecurityGroups needs Vpc", path))
		case props.AllowAllOutbound != nil:
			panic(fmt.Sprintf("lambda: function %q: AllowAllOutbound needs Vpc", path))
		}
		return nil
	}
	groups := props.SecurityGroups
	if len(groups) > 0 && props.AllowAllOutbound != nil {
		panic(fmt.Sprintf("lambda: function %q: set AllowAllOutbound on the SecurityGroups themselves, not on the function", path))
	}
	if len(groups) == 0 {
		groups = []ec2.ISecurityGroup{ec2.NewSecurityGroup(f, "SecurityGroup", ec2.SecurityGroupProps{
			Vpc:              props.Vpc,
			Description:      "Automatic security group for Lambda Function " + cdk.UniqueID(f),
			AllowAllOutbound: props.AllowAllOutbound,
		})}
	}
	f.connections = ec2.NewConnections(ec2.ConnectionsProps{SecurityGroups: groups})
	sel := props.VpcSubnets
	selected, err := ec2.TrySelectSubnets(props.Vpc, sel)
	if err != nil {
		f.Node().AddError("VpcSubnets: %v", err)
		return nil
	}
	if selected.HasPublic && !props.AllowPublicSubnet {
		f.Node().AddError("VpcSubnets selects public subnets, where a Lambda function cannot reach the internet; select private subnets, or set AllowPublicSubnet if that is intended")
	}
	if len(selected.InternetConnectivityEstablished) > 0 {
		f.Node().AddDependency(selected.InternetConnectivityEstablished...)
	}
	cfg := &cfnlambda.CfnFunctionVpcConfig{SubnetIds: selected.SubnetIds}
	for _, g := range groups {
		cfg.SecurityGroupIds = append(cfg.SecurityGroupIds, g.SecurityGroupId())
	}
	return cfg
}

func (f *Function) validate() []string {
	var errs []string
	for _, k := range sortedKeys(f.env) {
		if slices.Contains(reservedEnvKeys, k) {
			errs = append(errs, fmt.Sprintf("environment variable %s is reserved by Lambda and cannot be set", k))
		} else if !envKeyPattern.MatchString(k) {
			errs = append(errs, fmt.Sprintf("environment variable name %q must start with a letter and hold only letters, digits and '_'", k))
		}
	}
	if len(f.layers) > MaxLayers {
		errs = append(errs, fmt.Sprintf("the function uses %d layers; Lambda allows at most %d", len(f.layers), MaxLayers))
	}
	return errs
}

// Resource is the AWS::Lambda::Function resource.
func (f *Function) Resource() *cfnlambda.CfnFunction { return f.resource }

// FunctionArn is the function's ARN ({"Fn::GetAtt": [fn, "Arn"]}).
func (f *Function) FunctionArn() string { return f.resource.AttrArn() }

// FunctionName is the function's name ({"Ref": fn}).
func (f *Function) FunctionName() string { return f.resource.Ref() }

// Role is the execution role.
func (f *Function) Role() iam.IRole { return f.role }

// Runtime is the function's runtime.
func (f *Function) Runtime() Runtime { return f.runtime }

// Architecture is the function's architecture.
func (f *Function) Architecture() Architecture { return f.architecture }

// Timeout is the function's timeout as given; the zero Duration means
// Lambda's default of 3 seconds.
func (f *Function) Timeout() cdk.Duration { return f.timeout }

// LogGroup is the log group LogRetention created, or nil.
func (f *Function) LogGroup() *logs.LogGroup { return f.logGroup }

// GrantPrincipal is the execution role: permissions granted to the
// function are granted to it.
func (f *Function) GrantPrincipal() iam.IPrincipal { return f.role.GrantPrincipal() }

// String returns the construct path.
func (f *Function) String() string { return f.Node().Path() }

// Connections manages the function's security group rules. It panics when
// the function is not in a VPC.
func (f *Function) Connections() *ec2.Connections {
	if f.connections == nil {
		panic(fmt.Sprintf("lambda: function %q is not in a VPC, so it has no security groups to manage; set FunctionProps.Vpc", f.Node().Path()))
	}
	return f.connections
}

// IsBoundToVpc reports whether the function is in a VPC.
func (f *Function) IsBoundToVpc() bool { return f.connections != nil }

// AddEnvironment sets an environment variable (value may be a token).
func (f *Function) AddEnvironment(key, value string) *Function {
	f.env[key] = value
	if f.resource != nil && f.resource.Props.Environment == nil {
		f.resource.Props.Environment = &cfnlambda.CfnFunctionEnvironment{Variables: f.env}
	}
	return f
}

// Environment returns a copy of the function's environment variables.
func (f *Function) Environment() map[string]string {
	out := make(map[string]string, len(f.env))
	for k, v := range f.env {
		out[k] = v
	}
	return out
}

// AddLayers adds layers to the function. A layer whose compatible runtimes
// or architectures exclude the function's is a synthesis error.
func (f *Function) AddLayers(layers ...ILayerVersion) {
	for _, l := range layers {
		if rs := l.CompatibleRuntimes(); len(rs) > 0 && !slices.Contains(rs, f.runtime) {
			f.Node().AddError("layer %s is not compatible with runtime %s (it lists %v)", l.Node().Path(), f.runtime, rs)
		}
		if as := l.CompatibleArchitectures(); len(as) > 0 && !slices.Contains(as, f.architecture) {
			f.Node().AddError("layer %s is not compatible with architecture %s (it lists %v)", l.Node().Path(), f.architecture, as)
		}
		f.layers = append(f.layers, l)
		f.resource.Props.Layers = append(f.resource.Props.Layers, l.LayerVersionArn())
	}
}

// AddToRolePolicy adds a statement to the execution role's default policy.
func (f *Function) AddToRolePolicy(statement *iam.PolicyStatement) {
	f.role.AddToPrincipalPolicy(statement)
}

// GrantInvoke allows grantee to invoke the function; see
// [IFunction.GrantInvoke]. Granting the same principal twice returns the
// first grant.
func (f *Function) GrantInvoke(grantee iam.IGrantable) *iam.Grant {
	return grantInvoke(f, f.grants, true, grantee)
}

// AddPermission adds an AWS::Lambda::Permission with construct id id.
func (f *Function) AddPermission(id string, p Permission) {
	addPermission(f, f, id, p)
}

// grantInvoke is the AWS CDK's FunctionBase.grantInvoke: the permission's
// construct id is "Invoke" + base64(sha256 of the principal and its
// conditions), so it matches the AWS CDK's logical ID.
func grantInvoke(fn IFunction, grants map[string]*iam.Grant, canCreatePermissions bool, grantee iam.IGrantable) *iam.Grant {
	if nilref.Report(fn.Node(), "GrantInvoke: the grantee", "pass a role, user, group or principal", grantee) ||
		nilref.Report(fn.Node(), "GrantInvoke: the grantee's principal (GrantPrincipal())", "pass a grantee that has a principal", grantee.GrantPrincipal()) {
		return iam.GrantDrop(nil, "lambda:InvokeFunction")
	}
	p := grantee.GrantPrincipal()
	conds := map[string]any{}
	if frag := p.PolicyFragment(); frag != nil {
		for k, v := range frag.Conditions {
			conds[k] = v
		}
	}
	b, _ := json.Marshal(struct {
		Principal  string         `json:"principal"`
		Conditions map[string]any `json:"conditions"`
	}{principalString(p), conds})
	sum := sha256.Sum256(b)
	id := "Invoke" + base64.StdEncoding.EncodeToString(sum[:])
	if g, ok := grants[id]; ok {
		return g
	}
	arns := []string{fn.FunctionArn(), fn.FunctionArn() + ":*"}
	g := iam.GrantAddToPrincipalOrResource(iam.GrantWithResourceOptions{
		Grantee:      grantee,
		Actions:      []string{"lambda:InvokeFunction"},
		ResourceArns: arns,
		Resource:     &permissionResource{fn: fn, id: id, principal: p, canCreate: canCreatePermissions},
	})
	grants[id] = g
	return g
}

// principalString is the principal's text as the AWS CDK's toString gives
// it: a principal with conditions reads as the principal it wraps (package
// iam writes "<principal> with conditions").
func principalString(p iam.IPrincipal) string {
	return strings.TrimSuffix(fmt.Sprint(p), " with conditions")
}

// permissionResource is the function as an iam.IResourceWithPolicy: a
// resource-policy statement becomes an AWS::Lambda::Permission.
type permissionResource struct {
	fn        IFunction
	id        string
	principal iam.IPrincipal
	canCreate bool
}

func (r *permissionResource) Node() *cdk.Node { return r.fn.Node() }

func (r *permissionResource) Env() iam.ResourceEnvironment {
	if e, ok := r.fn.(interface {
		env() iam.ResourceEnvironment
	}); ok {
		return e.env()
	}
	return iam.EnvOf(r.fn)
}

func (r *permissionResource) AddToResourcePolicy(*iam.PolicyStatement) iam.AddToResourcePolicyResult {
	if !r.canCreate {
		r.fn.Node().AddWarning("cannot grant invoke permission to %v: the function is imported from another (or an unknown) account, so its resource policy cannot be changed here; set SameEnvironment in FunctionAttributes if it is in this stack's account", r.principal)
		return iam.AddToResourcePolicyResult{}
	}
	addPermission(r.fn, r.fn, r.id, Permission{Principal: r.principal})
	return iam.AddToResourcePolicyResult{StatementAdded: true, PolicyDependable: r.fn.Node().FindChild(sanitizeID(r.id))}
}

// sanitizeID replaces the path separator, as the constructs library does.
func sanitizeID(id string) string { return strings.ReplaceAll(id, "/", "--") }

// addPermission creates the AWS::Lambda::Permission under scope.
func addPermission(fn IFunction, scope cdk.Construct, id string, p Permission) {
	if p.Principal == nil {
		panic(fmt.Sprintf("lambda: %s: AddPermission(%q) needs a Principal", fn.Node().Path(), id))
	}
	principal, conds, err := permissionPrincipal(p.Principal)
	if err != nil {
		fn.Node().AddError("permission %s: %v", id, err)
		return
	}
	action := p.Action
	if action == "" {
		action = "lambda:InvokeFunction"
	}
	props := cfnlambda.CfnPermissionProps{
		Action:           action,
		FunctionName:     fn.FunctionArn(),
		Principal:        principal,
		SourceArn:        firstNonEmpty(p.SourceArn, conds["ArnLike/aws:SourceArn"]),
		SourceAccount:    firstNonEmpty(p.SourceAccount, conds["StringEquals/aws:SourceAccount"]),
		PrincipalOrgID:   conds["StringEquals/aws:PrincipalOrgID"],
		EventSourceToken: p.EventSourceToken,
	}
	cfnlambda.NewCfnPermission(scope, sanitizeID(id), props)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// permissionPrincipal returns the Principal of a Lambda permission and the
// conditions it carries ("Operator/key" → value), as the AWS CDK's
// parsePermissionPrincipal.
func permissionPrincipal(p iam.IPrincipal) (string, map[string]string, error) {
	frag := p.PolicyFragment()
	if frag == nil {
		return "", nil, fmt.Errorf("principal %v cannot be named in a resource policy", p)
	}
	conds := map[string]string{}
	for op, v := range frag.Conditions {
		m, ok := v.(map[string]any)
		if !ok {
			return "", nil, fmt.Errorf("principal %v has a condition %s Lambda permissions cannot express", p, op)
		}
		for k, val := range m {
			s, ok := val.(string)
			key := op + "/" + k
			if !ok || !slices.Contains([]string{"ArnLike/aws:SourceArn", "StringEquals/aws:SourceAccount", "StringEquals/aws:PrincipalOrgID"}, key) {
				return "", nil, fmt.Errorf("principal %v has the condition %s on %s; Lambda permissions support only ArnLike aws:SourceArn, StringEquals aws:SourceAccount and StringEquals aws:PrincipalOrgID", p, op, k)
			}
			conds[key] = s
		}
	}
	switch x := p.(type) {
	case *iam.AccountPrincipal:
		return x.PrincipalAccount(), conds, nil
	case *iam.ArnPrincipal:
		return x.Arn(), conds, nil
	case *iam.ServicePrincipal:
		return x.Service(), conds, nil
	}
	for _, kind := range []string{"Service", "AWS"} {
		if vs := frag.PrincipalJSON[kind]; len(vs) == 1 {
			return vs[0], conds, nil
		}
	}
	return "", nil, fmt.Errorf("principal %v is not a single service, account or ARN, which is all a Lambda permission can name", p)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

package customresources

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/aws/logs"
	"github.com/eksforge/eksforge/cdk"
	cfnstepfunctions "github.com/eksforge/eksforge/cfn/stepfunctions"
	"github.com/eksforge/eksforge/handlers/provider/spec"
)

// FrameworkPackage is the Go main package of the provider framework's
// runtime, which [NewProvider] builds for its functions.
const FrameworkPackage = "github.com/eksforge/eksforge/handlers/provider/cmd/framework"

// frameworkTimeout is the framework functions' Lambda timeout.
const frameworkTimeout = 15 * time.Minute

// ProviderProps define a [Provider].
type ProviderProps struct {
	// OnEventHandler is the user function invoked for every lifecycle
	// event (Create, Update, Delete). It returns the physical ID and data,
	// and starts the operation when IsCompleteHandler is set. Required.
	OnEventHandler lambda.IFunction
	// IsCompleteHandler is the user function polled, through a Step
	// Functions waiter, until it reports the operation complete; the
	// polling may last longer than a Lambda function can (TotalTimeout).
	// Default: none; OnEventHandler must finish the operation itself.
	IsCompleteHandler lambda.IFunction
	// QueryInterval is the time between isComplete polls, whole seconds,
	// at least 1 second. Only with IsCompleteHandler.
	// Default: 5 seconds.
	QueryInterval cdk.Duration
	// TotalTimeout is how long isComplete may be polled before the
	// operation fails, at most 2 hours and a whole multiple of
	// QueryInterval. Only with IsCompleteHandler.
	// Default: 30 minutes.
	TotalTimeout cdk.Duration
	// LogRetention gives each framework function a log group with this
	// retention (see lambda.FunctionProps.LogRetention).
	// Default: no log groups; Lambda keeps the logs forever.
	LogRetention logs.RetentionDays
	// Vpc places the framework functions in a VPC.
	// Default: not in a VPC.
	Vpc ec2.IVpc
	// VpcSubnets selects the framework functions' subnets, within Vpc.
	// Default: the VPC's default selection.
	VpcSubnets ec2.SubnetSelection
	// SecurityGroups are the framework functions' security groups, within
	// Vpc.
	// Default: a new security group for each function.
	SecurityGroups []ec2.ISecurityGroup
	// Role is the execution role of all framework functions. It must trust
	// lambda.amazonaws.com.
	// Default: a role per function.
	Role iam.IRole
	// ProviderFunctionName is the physical name of the onEvent framework
	// function (the service token).
	// Default: a name CloudFormation generates.
	ProviderFunctionName string
	// Architecture is the framework functions' architecture.
	// Default: lambda.ArchitectureArm64.
	Architecture lambda.Architecture
	// ResponseURLParameterPrefix keeps CloudFormation's pre-signed response
	// URL out of the waiter's execution input and history: onEvent stores
	// it in SSM Parameter Store under "<prefix>/<RequestId>" and the waiter
	// carries only the parameter's name (see spec.EnvResponseURLParameterPrefix).
	// It must start with "/". Only with IsCompleteHandler.
	// Default: the URL travels in the waiter's input.
	ResponseURLParameterPrefix string
	// FrameworkCode replaces the framework's runtime, e.g. to build
	// FrameworkPackage from another module directory.
	// Default: lambda.CodeFromGoPackage(FrameworkPackage, …) built in the
	// eksforge module's directory when its sources are on disk, else in the
	// current directory's module.
	FrameworkCode lambda.Code
}

// Provider is the custom-resource provider framework: Lambda functions and,
// with an isComplete handler, a Step Functions waiter, between
// CloudFormation and the user's handlers. It deploys eksforge's Go runtime
// (handlers/provider/cmd/framework) as the AWS CDK's Provider deploys its
// Node.js one, with the same construct ids ("framework-onEvent",
// "framework-isComplete", "framework-onTimeout", "waiter-state-machine"),
// environment variables and permissions, so handlers written for the AWS
// CDK work unchanged. Give [Provider.ServiceToken] to [NewCustomResource].
type Provider struct {
	cdk.Base
	onEventHandler, isCompleteHandler lambda.IFunction
	onEvent, isComplete, onTimeout    *lambda.Function
	waiter                            *WaiterStateMachine
}

// NewProvider adds a provider to scope. It panics, naming the construct
// path, when OnEventHandler is nil, or when waiter settings are given
// without IsCompleteHandler; timing limits are checked at synthesis.
func NewProvider(scope cdk.Construct, id string, props ProviderProps) *Provider {
	p := &Provider{onEventHandler: props.OnEventHandler, isCompleteHandler: props.IsCompleteHandler}
	cdk.InitConstruct(p, scope, id)
	path := p.Node().Path()
	if props.OnEventHandler == nil {
		panic(fmt.Sprintf("customresources: provider %q needs ProviderProps.OnEventHandler", path))
	}
	if props.IsCompleteHandler == nil {
		var given []string
		if !props.QueryInterval.IsZero() {
			given = append(given, "QueryInterval")
		}
		if !props.TotalTimeout.IsZero() {
			given = append(given, "TotalTimeout")
		}
		if props.ResponseURLParameterPrefix != "" {
			given = append(given, "ResponseURLParameterPrefix")
		}
		if len(given) > 0 {
			panic(fmt.Sprintf("customresources: provider %q: %s only apply with IsCompleteHandler (the waiter); set IsCompleteHandler or leave them out", path, strings.Join(given, " and ")))
		}
	}
	if pre := props.ResponseURLParameterPrefix; pre != "" && (!strings.HasPrefix(pre, "/") || strings.HasSuffix(pre, "/")) {
		p.Node().AddError("ResponseURLParameterPrefix %q must start with \"/\" and not end with one, e.g. \"/my-app/responses\"", pre)
	}
	for _, h := range []struct {
		name string
		fn   lambda.IFunction
	}{{"OnEventHandler", props.OnEventHandler}, {"IsCompleteHandler", props.IsCompleteHandler}} {
		warnLongTimeout(p, h.name, h.fn)
	}
	code := props.FrameworkCode
	if code == nil {
		code = lambda.CodeFromGoPackage(FrameworkPackage, lambda.GoBuildOptions{Dir: frameworkBuildDir()})
	}

	p.onEvent = p.createFunction(props, code, spec.EntryOnEvent, props.ProviderFunctionName)
	if props.IsCompleteHandler != nil {
		p.isComplete = p.createFunction(props, code, spec.EntryIsComplete, "")
		p.onTimeout = p.createFunction(props, code, spec.EntryOnTimeout, "")
		p.waiter = NewWaiterStateMachine(p, "waiter-state-machine", WaiterStateMachineProps{
			IsCompleteHandler: p.isComplete,
			TimeoutHandler:    p.onTimeout,
			QueryInterval:     props.QueryInterval,
			TotalTimeout:      props.TotalTimeout,
		})
		p.onEvent.AddEnvironment(spec.EnvWaiterStateMachineARN, p.waiter.StateMachineArn())
		p.waiter.GrantStartExecution(p.onEvent)
	}
	return p
}

func (p *Provider) createFunction(props ProviderProps, code lambda.Code, entry, name string) *lambda.Function {
	desc := fmt.Sprintf("eksforge resource provider framework - %s (%s)", entry, p.Node().Path())
	if len(desc) > 256 {
		desc = desc[:256]
	}
	arch := props.Architecture
	if arch == "" {
		arch = lambda.ArchitectureArm64
	}
	fn := lambda.NewFunction(p, "framework-"+entry, lambda.FunctionProps{
		Code:           code,
		Runtime:        lambda.RuntimeProvidedAl2023,
		Handler:        entry,
		Architecture:   arch,
		Description:    desc,
		Timeout:        cdk.Minutes(frameworkTimeout.Minutes()),
		LogRetention:   props.LogRetention,
		Vpc:            props.Vpc,
		VpcSubnets:     props.VpcSubnets,
		SecurityGroups: props.SecurityGroups,
		Role:           props.Role,
		FunctionName:   name,
	})
	fn.AddEnvironment(spec.EnvOnEventFunctionARN, p.onEventHandler.FunctionArn())
	p.onEventHandler.GrantInvoke(fn)
	if p.isCompleteHandler != nil {
		fn.AddEnvironment(spec.EnvIsCompleteFunctionARN, p.isCompleteHandler.FunctionArn())
		p.isCompleteHandler.GrantInvoke(fn)
	}
	if pre := props.ResponseURLParameterPrefix; pre != "" {
		fn.AddEnvironment(spec.EnvResponseURLParameterPrefix, pre)
		stack := cdk.StackOf(p)
		fn.AddToRolePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
			Actions:   []string{"ssm:PutParameter", "ssm:GetParameter", "ssm:DeleteParameter"},
			Resources: []string{stack.FormatArn(cdk.ArnComponents{Service: "ssm", Resource: "parameter", ResourceName: strings.TrimPrefix(pre, "/") + "/*"})},
		}))
	}
	return fn
}

// guardMargin is the framework's deadline guard for a 15-minute function
// (10 % of the time, see handlers/provider): a user function that may run
// longer than the framework function's timeout minus the margin can be
// answered "timed out" while it still works.
const guardMargin = 90 * time.Second

// warnLongTimeout warns when fn's timeout leaves the framework function no
// time to answer for it.
func warnLongTimeout(p *Provider, name string, fn lambda.IFunction) {
	f, ok := fn.(interface{ Timeout() cdk.Duration })
	if !ok || f.Timeout().IsZero() || f.Timeout().IsUnresolved() {
		return
	}
	secs, err := f.Timeout().ToSeconds()
	if err != nil {
		return
	}
	if limit := (frameworkTimeout - guardMargin).Seconds(); secs > limit {
		p.Node().AddWarning("%s %s has a timeout of %s; the framework function that invokes it answers CloudFormation \"timed out\" after %v, so keep the handler's timeout below that",
			name, fn.Node().Path(), f.Timeout().ToHumanString(), time.Duration(limit)*time.Second)
	}
}

// frameworkBuildDir is the root of the eksforge module, so the framework is
// built with the dependency versions (and go.sum) eksforge was tested with:
// the directory of this source file when the program was built without
// -trimpath (a checkout, a replace directive, the module cache), else the
// directory `go list -m` reports for the eksforge module of the current
// directory's build; "" (the current directory's module) when neither is
// found.
func frameworkBuildDir() string {
	frameworkDirOnce.Do(func() { frameworkDir = findFrameworkDir() })
	return frameworkDir
}

var (
	frameworkDirOnce sync.Once
	frameworkDir     string
)

func findFrameworkDir() string {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		root := filepath.Dir(filepath.Dir(filepath.Dir(file))) // aws/customresources/provider.go
		if isEksforgeRoot(root) {
			return root
		}
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/eksforge/eksforge").Output()
	if dir := strings.TrimSpace(string(out)); err == nil && isEksforgeRoot(dir) {
		return dir
	}
	return ""
}

func isEksforgeRoot(dir string) bool {
	if dir == "" {
		return false
	}
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	return err == nil && strings.Contains(string(b), "module github.com/eksforge/eksforge\n")
}

// ServiceToken is the ARN of the onEvent framework function: the
// ServiceToken of the custom resources this provider serves.
func (p *Provider) ServiceToken() string { return p.onEvent.FunctionArn() }

// OnEventHandler is the user's onEvent function.
func (p *Provider) OnEventHandler() lambda.IFunction { return p.onEventHandler }

// IsCompleteHandler is the user's isComplete function, or nil.
func (p *Provider) IsCompleteHandler() lambda.IFunction { return p.isCompleteHandler }

// FrameworkOnEvent is the onEvent framework function (the service token).
func (p *Provider) FrameworkOnEvent() *lambda.Function { return p.onEvent }

// FrameworkIsComplete is the isComplete framework function, or nil without
// an isComplete handler.
func (p *Provider) FrameworkIsComplete() *lambda.Function { return p.isComplete }

// FrameworkOnTimeout is the onTimeout framework function, or nil without an
// isComplete handler.
func (p *Provider) FrameworkOnTimeout() *lambda.Function { return p.onTimeout }

// Waiter is the waiter state machine, or nil without an isComplete handler.
func (p *Provider) Waiter() *WaiterStateMachine { return p.waiter }

// WaiterStateMachineProps define a [WaiterStateMachine].
type WaiterStateMachineProps struct {
	// IsCompleteHandler is the framework's isComplete function, polled.
	// Required.
	IsCompleteHandler lambda.IFunction
	// TimeoutHandler is the framework's onTimeout function, run when
	// polling gives up. Required.
	TimeoutHandler lambda.IFunction
	// QueryInterval is the time between polls.
	// Default: 5 seconds.
	QueryInterval cdk.Duration
	// TotalTimeout is how long polling may last, at most 2 hours.
	// Default: 30 minutes.
	TotalTimeout cdk.Duration
}

// WaiterStateMachine is the provider framework's waiter: an
// AWS::StepFunctions::StateMachine ("Resource") whose definition is
// spec.WaiterDefinition, and its role ("Role"), which may invoke the two
// functions.
type WaiterStateMachine struct {
	cdk.Base
	role     *iam.Role
	resource *cfnstepfunctions.CfnStateMachine
}

// NewWaiterStateMachine adds a waiter to scope; invalid timings are
// synthesis errors.
func NewWaiterStateMachine(scope cdk.Construct, id string, props WaiterStateMachineProps) *WaiterStateMachine {
	w := &WaiterStateMachine{}
	cdk.InitConstruct(w, scope, id)
	if props.IsCompleteHandler == nil || props.TimeoutHandler == nil {
		panic(fmt.Sprintf("customresources: waiter %q needs IsCompleteHandler and TimeoutHandler", w.Node().Path()))
	}
	w.role = iam.NewRole(w, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("states.amazonaws.com")})
	props.IsCompleteHandler.GrantInvoke(w.role)
	props.TimeoutHandler.GrantInvoke(w.role)

	interval, total, err := waiterTiming(props.QueryInterval, props.TotalTimeout)
	var def string
	if err == nil {
		var attempts int
		attempts, err = spec.RetryPolicy(total, interval, 1)
		if err == nil {
			def, err = spec.WaiterDefinition(props.IsCompleteHandler.FunctionArn(), props.TimeoutHandler.FunctionArn(), interval, 1, attempts)
		}
	}
	if err != nil {
		// The provider's path is the one its user knows.
		scope.Node().AddError("%v", err)
		def = "{}"
	}
	w.resource = cfnstepfunctions.NewCfnStateMachine(w, "Resource", cfnstepfunctions.CfnStateMachineProps{
		DefinitionString: def,
		RoleArn:          w.role.RoleArn(),
	})
	w.resource.Node().AddDependency(w.role)
	return w
}

// waiterTiming converts the waiter's durations, applying the defaults.
func waiterTiming(queryInterval, totalTimeout cdk.Duration) (interval, total time.Duration, err error) {
	interval, total = spec.DefaultQueryInterval, spec.DefaultTotalTimeout
	for _, d := range []struct {
		name string
		v    cdk.Duration
		out  *time.Duration
	}{{"QueryInterval", queryInterval, &interval}, {"TotalTimeout", totalTimeout, &total}} {
		if d.v.IsZero() {
			continue
		}
		if d.v.IsUnresolved() {
			return 0, 0, fmt.Errorf("%s must be known at synthesis (it is a token)", d.name)
		}
		secs, err := d.v.ToSeconds()
		if err != nil {
			return 0, 0, fmt.Errorf("%s %s is not a whole number of seconds", d.name, d.v.ToHumanString())
		}
		*d.out = time.Duration(secs) * time.Second
	}
	if total > spec.MaxTotalTimeout {
		return 0, 0, fmt.Errorf("TotalTimeout is %s, but the provider framework waits at most 2 hours", totalTimeout.ToHumanString())
	}
	return interval, total, nil
}

// Resource is the AWS::StepFunctions::StateMachine resource.
func (w *WaiterStateMachine) Resource() *cfnstepfunctions.CfnStateMachine { return w.resource }

// Role is the state machine's role.
func (w *WaiterStateMachine) Role() *iam.Role { return w.role }

// StateMachineArn is the state machine's ARN ({"Ref": stateMachine}).
func (w *WaiterStateMachine) StateMachineArn() string { return w.resource.Ref() }

// GrantStartExecution allows grantee to start executions
// (states:StartExecution on the state machine).
func (w *WaiterStateMachine) GrantStartExecution(grantee iam.IGrantable) *iam.Grant {
	return iam.GrantAddToPrincipal(iam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      []string{"states:StartExecution"},
		ResourceArns: []string{w.StateMachineArn()},
		Scope:        w,
	})
}

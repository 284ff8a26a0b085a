package eks

import (
	"maps"

	"github.com/eksforge/eksforge/aws/customresources"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/handlers/provider/spec"
)

// Limits of Kubernetes operations that outlive one handler invocation
// (docs/guide/long-operations.md).
const (
	// MaxKubernetesOperationSeconds is the longest a Kubernetes operation
	// may take: CloudFormation waits at most an hour for a custom
	// resource (ServiceTimeout 1–3600 s), less the minute the handler
	// keeps to answer.
	MaxKubernetesOperationSeconds = maxServiceTimeoutSeconds - serviceTimeoutMargin
	// waiterQueryIntervalSeconds is how often the waiter polls an
	// operation handed to it.
	waiterQueryIntervalSeconds = 10
)

// longOperations is a kubectl provider's waiter: the Step Functions state
// machine to which a handler hands an operation still running when its
// invocation ends, and the function its tasks run (the Helm handler's
// code, role and placement, serving the waiter's polls and timeout).
type longOperations struct {
	function *lambda.Function
	waiter   *customresources.WaiterStateMachine
	// policy lets the handlers' role start the waiter; resources that may
	// hand off depend on it.
	policy *iam.Policy
	// starters are the handlers given the waiter's ARN.
	starters map[*lambda.Function]bool
}

// LongOperationsWaiter returns the waiter of p's long operations, making it
// on first use (the first HelmChart, KubernetesObjectValue or
// KubernetesManifest whose timeout is longer than one handler invocation
// does): "WaiterHandler", a function with the Helm handler's code, role,
// placement and environment (it serves every resource type), and
// "Waiter", a state machine polling it every 10 seconds for up to an
// hour, and "WaiterPolicy", states:StartExecution on it for the handlers'
// role. The handler that starts a long operation (the Helm handler, or
// the kubectl handler) gets WAITER_STATE_MACHINE_ARN. The service token of
// every resource stays the handler it was (CloudFormation cannot change a
// custom resource's ServiceToken), so stacks deployed before keep working.
func (p *KubectlProvider) LongOperationsWaiter() *customresources.WaiterStateMachine {
	return p.longOps().waiter
}

func (p *KubectlProvider) longOps() *longOperations {
	if p.long != nil {
		return p.long
	}
	fp := p.helmProps
	fp.Description = "eksforge kubectl waiter: polls operations longer than one invocation (" + p.cluster.Node().Path() + ")"
	if len(fp.Description) > 256 {
		fp.Description = fp.Description[:256]
	}
	// Its own copy: the handlers' environment gets the state machine's
	// ARN, which this function cannot hold (the state machine refers to
	// it).
	fp.Environment = maps.Clone(fp.Environment)
	fn := lambda.NewFunction(p, "WaiterHandler", fp)
	w := customresources.NewWaiterStateMachine(p, "Waiter", customresources.WaiterStateMachineProps{
		IsCompleteHandler: fn,
		TimeoutHandler:    fn,
		QueryInterval:     cdk.Seconds(waiterQueryIntervalSeconds),
		TotalTimeout:      cdk.Seconds(maxServiceTimeoutSeconds),
	})
	// Not the role's default policy, on which the waiter's function
	// depends: that would be a cycle through the state machine.
	pol := iam.NewPolicy(p, "WaiterPolicy", iam.PolicyProps{
		Statements: []*iam.PolicyStatement{iam.NewPolicyStatement(iam.PolicyStatementProps{
			Actions:   []string{"states:StartExecution"},
			Resources: []string{w.StateMachineArn()},
		})},
		Roles: []iam.IRole{p.Handler.Role()},
	})
	p.long = &longOperations{function: fn, waiter: w, policy: pol, starters: map[*lambda.Function]bool{}}
	return p.long
}

// startsWaiter lets fn (p's kubectl or Helm handler) hand operations to
// the waiter, and returns the policy that allows it, on which the
// resources whose operations may be handed off depend.
func (p *KubectlProvider) startsWaiter(fn *lambda.Function) *iam.Policy {
	l := p.longOps()
	if !l.starters[fn] {
		fn.AddEnvironment(spec.EnvWaiterStateMachineARN, l.waiter.StateMachineArn())
		l.starters[fn] = true
	}
	return l.policy
}

// operationTimeout checks d, the timeout of a Kubernetes operation that
// field names, against the handler and CloudFormation: it returns d in
// seconds, how long the operation may take past one handler invocation
// (0 when one invocation, less a minute, holds it), and whether d is
// valid. Longer than one invocation needs the cluster's own kubectl
// provider (it gets a waiter), and at most an hour less a minute.
func operationTimeout(n *cdk.Node, c ICluster, field string, d cdk.Duration) (secs, total float64, ok bool) {
	secs, err := d.ToSeconds()
	if err != nil {
		n.AddError("%s: %v", field, err)
		return 0, 0, false
	}
	handler := handlerTimeoutSeconds(c)
	inOne := handler - helmTimeoutMargin
	if secs <= inOne {
		return secs, 0, true
	}
	if secs > MaxKubernetesOperationSeconds {
		n.AddError("%s %s is longer than CloudFormation waits for a custom resource: at most %s (its one-hour ServiceTimeout less a minute for the handler to answer); shorten it",
			field, d.ToHumanString(), cdk.Seconds(MaxKubernetesOperationSeconds).ToHumanString())
		return secs, 0, false
	}
	if _, own := KubectlProviderOf(c).(*KubectlProvider); !own {
		n.AddError("%s %s is longer than one kubectl handler invocation (%s), and the cluster's kubectl handler is shared (Kubectl.Provider), so it has no waiter to continue the wait: use a %s of at most %s, or let the cluster make its own handler",
			field, d.ToHumanString(), cdk.Seconds(handler).ToHumanString(), field, cdk.Seconds(inOne).ToHumanString())
		return secs, 0, false
	}
	return secs, secs, true
}

// helmTimeout checks a chart's Timeout against the handler and
// CloudFormation and returns how long the operation may take in total (0
// when one invocation holds it), and whether it is valid.
func (h *HelmChart) helmTimeout(c ICluster, o HelmChartOptions) (total float64, ok bool) {
	if o.Timeout.IsZero() {
		return 0, true
	}
	secs, err := o.Timeout.ToSeconds()
	if err != nil {
		h.Node().AddError("Timeout: %v", err)
		return 0, false
	}
	handler := handlerTimeoutSeconds(c)
	inOne := handler - helmTimeoutMargin
	if secs <= inOne {
		return 0, true
	}
	if secs > MaxKubernetesOperationSeconds {
		h.Node().AddError("Timeout %s is longer than CloudFormation waits for a custom resource: at most %s (its one-hour ServiceTimeout less a minute for the handler to answer); shorten it, or install without Wait and check readiness outside the deployment",
			o.Timeout.ToHumanString(), cdk.Seconds(MaxKubernetesOperationSeconds).ToHumanString())
		return 0, false
	}
	if !o.Wait {
		h.Node().AddError("Timeout %s is longer than one kubectl handler invocation (%s) and Wait is false: only a wait for the release's resources can continue past an invocation; set Wait, or a Timeout of at most %s",
			o.Timeout.ToHumanString(), cdk.Seconds(handler).ToHumanString(), cdk.Seconds(inOne).ToHumanString())
		return 0, false
	}
	if _, own := KubectlProviderOf(c).(*KubectlProvider); !own {
		h.Node().AddError("Timeout %s is longer than one kubectl handler invocation (%s), and the cluster's kubectl handler is shared (Kubectl.Provider), so it has no waiter to continue the wait: use a Timeout of at most %s, or let the cluster make its own handler",
			o.Timeout.ToHumanString(), cdk.Seconds(handler).ToHumanString(), cdk.Seconds(inOne).ToHumanString())
		return 0, false
	}
	return secs, true
}

// Package provider is the runtime of eksforge's custom-resource provider
// framework: the deploy-time Go code that stands between CloudFormation and a
// custom resource's handler, and guarantees that CloudFormation always gets
// an answer. It is the Go counterpart of the AWS CDK's provider framework
// (aws-cdk-lib/custom-resources, "Provider"), and the runtime the
// aws/customresources constructs deploy.
//
// It is not a construct library (the constructs live in aws/customresources
// and import only [github.com/eksforge/eksforge/handlers/provider/spec]),
// and it does not implement any resource: users bring handlers.
//
// # Two modes
//
// Framework mode ([Framework], binary handlers/provider/cmd/framework) runs
// as the provider's own Lambda functions and calls the user's onEvent and
// isComplete Lambda functions through the Lambda Invoke API, exactly like the
// AWS CDK's framework, so handlers written for the AWS CDK (in any language)
// work unchanged:
//
//   - onEvent is the service token. CloudFormation invokes it with the
//     request; it invokes USER_ON_EVENT_FUNCTION_ARN synchronously with the
//     same JSON, settles the physical ID, and answers SUCCESS at once — or,
//     when USER_IS_COMPLETE_FUNCTION_ARN is set, starts the waiter state
//     machine (WAITER_STATE_MACHINE_ARN), execution name = RequestId, input =
//     the event merged with the onEvent result, and returns without
//     answering.
//   - isComplete is the waiter's task. It invokes the user's isComplete
//     with that input. IsComplete true: answer SUCCESS, Data merged over
//     onEvent's. False: return the Lambda error [spec.NotCompleteError],
//     which the waiter retries after its interval. A user error: answer
//     FAILED and end the waiter.
//   - onTimeout runs when the waiter gives up and answers FAILED "Operation
//     timed out".
//
// The entry is chosen by PROVIDER_FRAMEWORK_ENTRY, else by the function's
// Handler setting (onEvent, isComplete, onTimeout), else by the event's
// shape. The waiter's definition comes from [spec.WaiterDefinition].
//
// In-process mode ([Serve], [InProcess]) wraps a Go [Handler] into a single
// Lambda function that is itself the service token and answers
// CloudFormation; a handler that also implements [IsCompleteHandler] is
// polled within the same invocation. Our kubectl handler runs this way.
//
// # The user handler contract
//
// onEvent receives the CloudFormation [Event] (scalar properties are strings;
// see [cfnresponse]) and returns an [OnEventResult]: PhysicalResourceId,
// Data, NoEcho, and any further top-level keys, which are handed to
// isComplete. isComplete receives an [IsCompleteRequest] (the event with the
// settled PhysicalResourceId, Data, NoEcho and those keys) and returns an
// [IsCompleteResult]. In JSON these are the AWS CDK's shapes; a Go user
// function can be started with lambda.Start(h.OnEvent) or
// lambda.Start(h.IsComplete).
//
// Physical IDs: on Create an empty PhysicalResourceId defaults to the
// RequestId; on Update it defaults to the current one, and a different one
// means the resource was replaced (CloudFormation then sends a Delete for the
// old ID); on Delete it must not change, or the operation fails. isComplete
// may override the ID (not on Delete). IDs over 1 KB are refused.
//
// # Guarantees
//
// Every delivery of a request gets one answer, from the framework (never from
// the user handler):
//
//   - An error answers FAILED with the error's text as the Reason (a user
//     function's error adds "Logs: /aws/lambda/<function>").
//   - A panic is recovered and answers FAILED "panic: <value> (at
//     <function> <file:line>)"; the full stack goes to the log.
//   - The deadline guard fires a margin before the Lambda's deadline —
//     10 % of the time left at the start, at least 5 s, at most half
//     ([Options]) — and answers FAILED "timed out after X …; see CloudWatch
//     log stream …" while the handler still runs. The handler's context ends
//     at the same moment; one that honours it gets up to a second to return
//     a more telling error.
//   - The answer never exceeds CloudFormation's 4 KB ([cfnresponse.Marshal]).
//   - Nothing secret is logged: per request only its request type, resource
//     type, logical ID, request ID and physical ID
//     ([cfnresponse.Event.LogAttrs]), per answer its status, IDs and the
//     names of its Data keys ([cfnresponse.Response.LogAttrs]) — never
//     properties (manifests, Helm values), Data values or the response URL.
//   - A malformed request is answered FAILED when it has a usable response
//     URL. The entry's own error return is kept for one case: the answer
//     could not be delivered, so that Lambda's retry of the asynchronous
//     invocation tries again.
//
// # Failed creates
//
// When a Create fails and the handler gave no physical ID, the FAILED answer
// carries the marker ID [CreateFailedPhysicalIDPrefix] + RequestId. The
// Delete CloudFormation sends when it rolls the Create back carries that
// marker (or the AWS CDK's marker, for stacks moved from the AWS CDK, or no
// ID at all) and is answered SUCCESS without calling the handler: there is
// nothing the handler could identify to delete. A handler that may leave
// something behind on a failed Create returns its PhysicalResourceId along
// with the error (in-process mode), or makes onEvent succeed and reports the
// failure from isComplete (framework mode); the rollback Delete then reaches
// it with that ID.
//
// # Idempotency
//
// The same request can arrive more than once: Lambda retries asynchronous
// invocations whose answer could not be delivered, and CloudFormation
// re-sends requests it has no answer for. Handlers must therefore treat a
// repeated request (same RequestId) as harmless: Create of something that
// exists converges, Delete of something gone succeeds. The framework helps
// where it can: the waiter's execution name is the RequestId, so a repeated
// onEvent does not start a second waiter (Step Functions returns the running
// execution, or ExecutionAlreadyExists, which is taken as "already
// waiting"), and every delivery is answered, so with an idempotent handler a
// repeated delivery gets the same answer as the first.
//
// # Deploying it (the contract with aws/customresources)
//
// What the Provider construct must create for framework mode, all from the
// one binary handlers/provider/cmd/framework (built for provided.al2023 with
// CGO_ENABLED=0, -trimpath and -tags lambda.norpc; for arm64 with -ldflags=-s
// about 11 MB, 3.9 MB zipped):
//
//   - framework-onEvent: Handler "onEvent" (or PROVIDER_FRAMEWORK_ENTRY),
//     timeout 15 minutes, environment USER_ON_EVENT_FUNCTION_ARN and, with
//     isComplete, USER_IS_COMPLETE_FUNCTION_ARN and WAITER_STATE_MACHINE_ARN;
//     may invoke the user functions (lambda:InvokeFunction) and start the
//     waiter (states:StartExecution). Its ARN is the ServiceToken.
//   - framework-isComplete and framework-onTimeout (only with isComplete):
//     Handler "isComplete" / "onTimeout", same environment (no waiter ARN
//     needed), may invoke the user functions.
//   - optionally RESPONSE_URL_PARAMETER_PREFIX on all three, with
//     ssm:PutParameter/GetParameter/DeleteParameter on "<prefix>/*".
//   - the waiter: AWS::StepFunctions::StateMachine whose DefinitionString is
//     [spec.WaiterDefinition] of the two functions' ARNs, with maxAttempts
//     from [spec.RetryPolicy] (total timeout ≤ 2 h, default 30 min; query
//     interval ≥ 1 s, default 5 s), and a role that may invoke both.
//
// A user function's timeout should be shorter than the framework function's
// minus the guard margin (90 s of 15 minutes), or the guard answers "timed
// out" while the user function still works. In-process mode needs only the
// handler's own function; its Lambda timeout bounds the whole operation.
//
// # The response URL in the waiter
//
// The pre-signed ResponseURL lets whoever holds it answer for the resource.
// By default it travels in the waiter's input, where anyone allowed to read
// the state machine's executions sees it (as in older AWS CDK versions). With
// RESPONSE_URL_PARAMETER_PREFIX set ([spec.EnvResponseURLParameterPrefix]),
// as the current AWS CDK does, onEvent parks it in SSM Parameter Store, the
// waiter input carries only the parameter's name, and the parameter is
// deleted once the answer is sent. User isComplete functions still receive
// the real URL.
//
// # Memory
//
// [SetMemoryLimit], which a Lambda main calls first, gives the Go runtime a
// soft memory limit of [MemoryLimitShare] of the function's configured
// memory (AWS_LAMBDA_FUNCTION_MEMORY_SIZE), unless GOMEMLIMIT is set: the
// garbage collector then works harder as the heap nears the function's
// memory instead of letting it double past it.
package provider

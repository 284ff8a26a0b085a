package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/provider/spec"
)

const (
	errorInfoField            = spec.ErrorInfoField
	responseURLParameterField = spec.ResponseURLParameterField
)

// maxExecutionInput is Step Functions' limit on an execution's input, in
// bytes.
const maxExecutionInput = 256 * 1024

// WaiterDefinition returns the waiter state machine's Amazon States Language
// definition; see [spec.WaiterDefinition], which construct code should call
// directly to avoid linking this package's dependencies.
func WaiterDefinition(isCompleteArn, timeoutArn string, interval time.Duration, backoffRate float64, maxAttempts int) (string, error) {
	return spec.WaiterDefinition(isCompleteArn, timeoutArn, interval, backoffRate, maxAttempts)
}

// FunctionInvoker invokes a Lambda function synchronously; the AWS SDK's
// *lambda.Client implements it.
type FunctionInvoker interface {
	Invoke(ctx context.Context, in *awslambda.InvokeInput, optFns ...func(*awslambda.Options)) (*awslambda.InvokeOutput, error)
}

// ExecutionStarter starts a Step Functions execution; the AWS SDK's
// *sfn.Client implements it.
type ExecutionStarter interface {
	StartExecution(ctx context.Context, in *sfn.StartExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
}

// ExecutionStarterFunc is an [ExecutionStarter] made of one function, such
// as the method value (*sfn.Client).StartExecution. A program that also
// links text/template (the Helm SDK does) should pass the client this way
// rather than store it in an [ExecutionStarter]: the Go linker keeps every
// exported method of a type stored in an interface when the program looks
// methods up by name through reflection, as text/template does, so the
// client itself would bring every Step Functions operation into the binary
// (37 of them, about 0.7 MB of code); a function keeps only the one called
// (see docs/architecture.md, "What the Helm handler links").
type ExecutionStarterFunc func(ctx context.Context, in *sfn.StartExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)

// StartExecution calls f.
func (f ExecutionStarterFunc) StartExecution(ctx context.Context, in *sfn.StartExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	return f(ctx, in, optFns...)
}

// ParameterPutter stores a parameter; the AWS SDK's *ssm.Client implements it.
type ParameterPutter interface {
	PutParameter(ctx context.Context, in *ssm.PutParameterInput, optFns ...func(*ssm.Options)) (*ssm.PutParameterOutput, error)
}

// ParameterGetter reads a parameter; the AWS SDK's *ssm.Client implements it.
type ParameterGetter interface {
	GetParameter(ctx context.Context, in *ssm.GetParameterInput, optFns ...func(*ssm.Options)) (*ssm.GetParameterOutput, error)
}

// ParameterDeleter deletes a parameter; the AWS SDK's *ssm.Client implements
// it.
type ParameterDeleter interface {
	DeleteParameter(ctx context.Context, in *ssm.DeleteParameterInput, optFns ...func(*ssm.Options)) (*ssm.DeleteParameterOutput, error)
}

// ParameterStore is where the framework parks the response URL while the
// waiter runs (see [spec.EnvResponseURLParameterPrefix]).
type ParameterStore interface {
	ParameterPutter
	ParameterGetter
	ParameterDeleter
}

// Framework is the framework mode: the runtime of the provider's own Lambda
// functions, which call the user's onEvent and isComplete Lambda functions
// and answer CloudFormation for them. One value serves all three entries.
type Framework struct {
	// Functions invokes the user functions.
	Functions FunctionInvoker
	// Executions starts the waiter. Needed only with an isComplete function.
	Executions ExecutionStarter
	// OnEventFunction is the user's onEvent function (ARN or name).
	OnEventFunction string
	// IsCompleteFunction is the user's isComplete function.
	// Default: none; onEvent answers CloudFormation at once.
	IsCompleteFunction string
	// WaiterStateMachine is the ARN of the waiter state machine. Required
	// with IsCompleteFunction.
	WaiterStateMachine string
	// ResponseURLParameterPrefix, when set, keeps the response URL out of the
	// waiter's input (see [spec.EnvResponseURLParameterPrefix]).
	// Default: the URL travels in the waiter input.
	ResponseURLParameterPrefix string
	// Parameters stores the response URL. Needed only with
	// ResponseURLParameterPrefix.
	Parameters ParameterStore
	// Entry selects the entry [Framework.Handle] runs: [spec.EntryOnEvent],
	// [spec.EntryIsComplete] or [spec.EntryOnTimeout].
	// Default: chosen by the shape of the event (see Handle).
	Entry string
	// Options tune the guarantees.
	Options
}

// FrameworkFromEnv configures a Framework from the Lambda environment: the
// variables named in [spec], the entry from [spec.EnvEntry] or the function's
// Handler setting, and AWS clients from the default credential chain.
func FrameworkFromEnv(ctx context.Context) (*Framework, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("unable to load the AWS configuration: %w", err)
	}
	f := &Framework{
		Functions:                  awslambda.NewFromConfig(cfg),
		Executions:                 sfn.NewFromConfig(cfg),
		Parameters:                 ssm.NewFromConfig(cfg),
		OnEventFunction:            os.Getenv(spec.EnvOnEventFunctionARN),
		IsCompleteFunction:         os.Getenv(spec.EnvIsCompleteFunctionARN),
		WaiterStateMachine:         os.Getenv(spec.EnvWaiterStateMachineARN),
		ResponseURLParameterPrefix: os.Getenv(spec.EnvResponseURLParameterPrefix),
		Entry:                      entryFromEnv(),
	}
	return f, f.check()
}

// entryFromEnv reads the entry from PROVIDER_FRAMEWORK_ENTRY, else from the
// Handler setting (_HANDLER; "framework.onEvent" and "onEvent" both work).
func entryFromEnv() string {
	e := os.Getenv(spec.EnvEntry)
	if e == "" {
		e = os.Getenv("_HANDLER")
		if i := strings.LastIndex(e, "."); i >= 0 {
			e = e[i+1:]
		}
	}
	switch e {
	case spec.EntryOnEvent, spec.EntryIsComplete, spec.EntryOnTimeout:
		return e
	}
	return ""
}

func (f *Framework) check() error {
	var missing []string
	if f.OnEventFunction == "" {
		missing = append(missing, spec.EnvOnEventFunctionARN)
	}
	if f.IsCompleteFunction != "" && f.WaiterStateMachine == "" && f.Entry != spec.EntryIsComplete && f.Entry != spec.EntryOnTimeout {
		missing = append(missing, spec.EnvWaiterStateMachineARN)
	}
	if f.Entry == spec.EntryIsComplete && f.IsCompleteFunction == "" {
		missing = append(missing, spec.EnvIsCompleteFunctionARN)
	}
	if len(missing) > 0 {
		return fmt.Errorf("provider framework misconfigured: environment variable(s) %s not set", strings.Join(missing, ", "))
	}
	return nil
}

// Handle is the Lambda handler function of all three entries. It runs
// f.Entry or, when that is empty, picks by shape: an event carrying the
// waiter's error record goes to onTimeout, anything else to onEvent (the
// isComplete entry must be selected explicitly). A "not complete" result is
// returned as the Lambda error type [spec.NotCompleteError], which the waiter
// retries.
func (f *Framework) Handle(ctx context.Context, raw json.RawMessage) error {
	entry := f.Entry
	if entry == "" {
		var probe map[string]json.RawMessage
		_ = json.Unmarshal(raw, &probe)
		_, hasInfo := probe[errorInfoField]
		_, hasCause := probe["Cause"]
		_, hasType := probe["RequestType"]
		if hasInfo || (hasCause && !hasType) {
			entry = spec.EntryOnTimeout
		} else {
			entry = spec.EntryOnEvent
		}
	}
	switch entry {
	case spec.EntryOnTimeout:
		return f.OnTimeout(ctx, raw)
	case spec.EntryIsComplete:
		var req IsCompleteRequest
		if err := json.Unmarshal(raw, &req); err != nil {
			return fmt.Errorf("isComplete: unable to decode the waiter input: %w", err)
		}
		err := f.IsComplete(ctx, req)
		var nc *NotCompleteError
		if errors.As(err, &nc) {
			return messages.InvokeResponse_Error{Type: spec.NotCompleteError, Message: nc.Error()}
		}
		return err
	default:
		var e Event
		if err := json.Unmarshal(raw, &e); err != nil {
			return fmt.Errorf("onEvent: unable to decode the CloudFormation event: %w", err)
		}
		return f.OnEvent(ctx, e)
	}
}

// NotCompleteError is returned by [Framework.IsComplete] while the user's
// isComplete reports IsComplete false; the waiter retries on it.
type NotCompleteError struct {
	// LogicalResourceId names the resource being waited for.
	LogicalResourceId string
	// RequestType is the operation being waited for.
	RequestType cfnresponse.RequestType
}

// Error says what is still pending.
func (e *NotCompleteError) Error() string {
	return fmt.Sprintf("%s of %s is not complete yet", e.RequestType, e.LogicalResourceId)
}

// OnEvent is the service token's entry. It invokes the user's onEvent
// function with the event, settles the physical ID, and then either answers
// CloudFormation (no isComplete function) or starts the waiter with the
// event merged with the onEvent result, leaving the answer to it. Failures
// are answered FAILED; the error returned is only about delivering the
// answer.
func (f *Framework) OnEvent(ctx context.Context, e Event) error {
	slog.InfoContext(ctx, "onEvent", e.LogAttrs()...)
	if handled, err := f.preflight(ctx, e); handled {
		return err
	}
	var p progress
	resp, err := guard(ctx, f.Options, func(ctx context.Context) (*cfnresponse.Response, error) {
		var res OnEventResult
		if err := invokeUser(ctx, f.Functions, f.OnEventFunction, e, &res); err != nil {
			return nil, err
		}
		slog.InfoContext(ctx, "user onEvent returned", resultAttrs(res)...)
		phys, err := settlePhysicalID(e, res.PhysicalResourceId)
		if err != nil {
			return nil, err
		}
		p.setPhysicalID(phys)
		if e.RequestType == cfnresponse.Update && phys != e.PhysicalResourceId {
			slog.InfoContext(ctx, "update replaces the resource", "old", e.PhysicalResourceId, "new", phys)
		}
		if f.IsCompleteFunction == "" {
			return &cfnresponse.Response{Status: cfnresponse.Success, PhysicalResourceId: phys, Data: res.Data, NoEcho: res.NoEcho}, nil
		}
		req := IsCompleteRequest{Event: e, Data: res.Data, NoEcho: res.NoEcho, Extra: res.Extra}
		req.PhysicalResourceId = phys
		return nil, f.startWaiter(ctx, req)
	})
	if err != nil {
		slog.ErrorContext(ctx, "onEvent failed", "error", err)
		r := failure(e, p.getPhysicalID(), err)
		resp = &r
	}
	if resp == nil {
		return nil // the waiter answers
	}
	return f.respond(ctx, e, *resp)
}

func (f *Framework) startWaiter(ctx context.Context, req IsCompleteRequest) error {
	if f.Executions == nil || f.WaiterStateMachine == "" {
		return fmt.Errorf("provider framework misconfigured: an isComplete function is set but no waiter state machine (%s)", spec.EnvWaiterStateMachineARN)
	}
	if f.ResponseURLParameterPrefix != "" {
		name, err := f.parkResponseURL(ctx, req.Event)
		if err != nil {
			return err
		}
		req.ResponseURL = spec.ResponseURLRedacted
		req.ResponseURLParameterName = name
	}
	started := false
	defer func() {
		if !started {
			// Nothing will read the parameter if no waiter runs.
			f.forgetResponseURL(ctx, req)
		}
	}()
	input, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("unable to encode the waiter input: %w", err)
	}
	if len(input) > maxExecutionInput {
		return fmt.Errorf("the waiter input is %d bytes, over Step Functions' limit of %d: the resource's properties and "+
			"the onEvent result are too large to wait on (pass large values as S3 assets)", len(input), maxExecutionInput)
	}
	slog.InfoContext(ctx, "starting the waiter", "stateMachine", f.WaiterStateMachine, "name", req.RequestId)
	_, err = f.Executions.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: aws.String(f.WaiterStateMachine),
		Name:            aws.String(req.RequestId),
		Input:           aws.String(string(input)),
	})
	var exists *sfntypes.ExecutionAlreadyExists
	if errors.As(err, &exists) {
		// The same request delivered twice: its waiter already runs (and
		// reads the same parameter).
		started = true
		slog.WarnContext(ctx, "the waiter for this request already exists; leaving the answer to it", "requestId", req.RequestId)
		return nil
	}
	if err != nil {
		return fmt.Errorf("unable to start the waiter state machine %s: %w", f.WaiterStateMachine, err)
	}
	started = true
	return nil
}

// parkResponseURL stores e's response URL in Parameter Store and returns the
// parameter's name.
func (f *Framework) parkResponseURL(ctx context.Context, e Event) (string, error) {
	if f.Parameters == nil {
		return "", fmt.Errorf("provider framework misconfigured: %s is set but there is no Parameter Store client", spec.EnvResponseURLParameterPrefix)
	}
	name := strings.TrimSuffix(f.ResponseURLParameterPrefix, "/") + "/" + e.RequestId
	_, err := f.Parameters.PutParameter(ctx, &ssm.PutParameterInput{
		Name:      aws.String(name),
		Value:     aws.String(e.ResponseURL),
		Type:      ssmtypes.ParameterTypeString,
		Overwrite: aws.Bool(true),
	})
	if err != nil {
		return "", fmt.Errorf("unable to store the response URL in parameter %s: %w", name, err)
	}
	return name, nil
}

// resolveResponseURL puts the real response URL back into a waiter input
// that carries the placeholder.
func (f *Framework) resolveResponseURL(ctx context.Context, req *IsCompleteRequest) error {
	if req.ResponseURLParameterName == "" {
		return nil
	}
	if f.Parameters == nil {
		return fmt.Errorf("provider framework misconfigured: the waiter input names parameter %s but there is no Parameter Store client", req.ResponseURLParameterName)
	}
	out, err := f.Parameters.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(req.ResponseURLParameterName)})
	if err != nil {
		return fmt.Errorf("unable to read the response URL from parameter %s: %w", req.ResponseURLParameterName, err)
	}
	if out.Parameter == nil || aws.ToString(out.Parameter.Value) == "" {
		return fmt.Errorf("parameter %s holds no response URL", req.ResponseURLParameterName)
	}
	req.ResponseURL = aws.ToString(out.Parameter.Value)
	return nil
}

// forgetResponseURL deletes the parameter once no one needs it. Best effort:
// a parameter left behind is harmless next to a failed deployment.
func (f *Framework) forgetResponseURL(ctx context.Context, req IsCompleteRequest) {
	if req.ResponseURLParameterName == "" || f.Parameters == nil {
		return
	}
	sctx, cancel := sendContext(ctx)
	defer cancel()
	if _, err := f.Parameters.DeleteParameter(sctx, &ssm.DeleteParameterInput{Name: aws.String(req.ResponseURLParameterName)}); err != nil {
		slog.WarnContext(ctx, "unable to delete the response URL parameter", "parameter", req.ResponseURLParameterName, "error", err)
	}
}

// IsComplete is the waiter's polling entry. It invokes the user's isComplete
// function; when that reports completion it answers SUCCESS (its Data merged
// over onEvent's), when it fails it answers FAILED, and otherwise it returns
// a *NotCompleteError so that the waiter retries.
func (f *Framework) IsComplete(ctx context.Context, req IsCompleteRequest) error {
	slog.InfoContext(ctx, "isComplete", req.Event.LogAttrs()...)
	if err := f.resolveResponseURL(ctx, &req); err != nil {
		return fmt.Errorf("isComplete: %w", err)
	}
	if err := req.Event.Validate(); err != nil {
		return fmt.Errorf("isComplete: malformed waiter input: %w", err)
	}
	notComplete := &NotCompleteError{LogicalResourceId: req.LogicalResourceId, RequestType: req.RequestType}
	resp, err := guard(ctx, f.Options, func(ctx context.Context) (*cfnresponse.Response, error) {
		var r IsCompleteResult
		if err := invokeUser(ctx, f.Functions, f.IsCompleteFunction, req, &r); err != nil {
			return nil, err
		}
		slog.InfoContext(ctx, "user isComplete returned", "isComplete", r.IsComplete)
		if !r.IsComplete {
			if len(r.Data) > 0 {
				return nil, errDataBeforeComplete
			}
			return nil, notComplete
		}
		resp, err := completed(req, r)
		return &resp, err
	})
	if errors.Is(err, notComplete) {
		return err
	}
	if err != nil {
		slog.ErrorContext(ctx, "isComplete failed", "error", err)
		r := failure(req.Event, req.PhysicalResourceId, err)
		resp = &r
	}
	if err := f.respond(ctx, req.Event, *resp); err != nil {
		return err
	}
	f.forgetResponseURL(ctx, req)
	return nil
}

// OnTimeout is the waiter's final entry, run when polling gave up: it
// answers FAILED "Operation timed out" (or, when the isComplete task failed
// for another reason, with that reason). It accepts the waiter's input with
// the error record under [spec.ErrorInfoField], and also the AWS CDK's shape
// ({"Error", "Cause"} with the event JSON as the Cause's errorMessage).
func (f *Framework) OnTimeout(ctx context.Context, raw json.RawMessage) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("onTimeout panicked: %v", v)
		}
	}()
	slog.InfoContext(ctx, "onTimeout", rawAttrs(raw)...)
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return fmt.Errorf("onTimeout: input is not a JSON object: %w", err)
	}
	var info struct{ Error, Cause string }
	var req IsCompleteRequest
	if ri, ok := top[errorInfoField]; ok {
		_ = json.Unmarshal(ri, &info)
		if err := json.Unmarshal(raw, &req); err != nil {
			return fmt.Errorf("onTimeout: unable to decode the waiter input: %w", err)
		}
	} else {
		_ = json.Unmarshal(raw, &info)
		var cause struct{ ErrorMessage string }
		if err := json.Unmarshal([]byte(info.Cause), &cause); err != nil {
			return fmt.Errorf("onTimeout: the input carries neither %s nor a decodable Cause", errorInfoField)
		}
		if err := json.Unmarshal([]byte(cause.ErrorMessage), &req); err != nil {
			return fmt.Errorf("onTimeout: the Cause does not hold the waiter input: %w", err)
		}
	}
	var reason error
	switch info.Error {
	case spec.NotCompleteError, "", "Retry":
		reason = reasonError(fmt.Sprintf("Operation timed out: %s of %s did not complete before the provider's total timeout", req.RequestType, req.LogicalResourceId))
	default:
		msg := info.Cause
		var cause struct{ ErrorMessage string }
		if json.Unmarshal([]byte(info.Cause), &cause) == nil && cause.ErrorMessage != "" {
			msg = cause.ErrorMessage
		}
		reason = fmt.Errorf("the isComplete step failed: %s: %s", info.Error, msg)
	}
	if err := f.resolveResponseURL(ctx, &req); err != nil {
		return fmt.Errorf("onTimeout: %w", err)
	}
	if err := req.Event.Validate(); err != nil {
		return fmt.Errorf("onTimeout: malformed waiter input: %w", err)
	}
	if err := f.respond(ctx, req.Event, failure(req.Event, req.PhysicalResourceId, reason)); err != nil {
		return err
	}
	f.forgetResponseURL(ctx, req)
	return nil
}

// reasonError is a Reason phrased for CloudFormation's console, where it may
// start with a capital letter.
type reasonError string

func (r reasonError) Error() string { return string(r) }

// UserFunctionError reports that a user function returned an error.
type UserFunctionError struct {
	// Function is the function's name.
	Function string
	// Type and Message are the function's errorType and errorMessage.
	Type, Message string
}

// Error gives the function's message and where its logs are, as the AWS
// CDK's framework does.
func (e *UserFunctionError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = "error"
	}
	if e.Type != "" && !strings.HasPrefix(msg, e.Type) {
		msg = e.Type + ": " + msg
	}
	return fmt.Sprintf("%s\n\nLogs: /aws/lambda/%s", msg, e.Function)
}

// functionName extracts the name from a function ARN
// (arn:aws:lambda:region:account:function:name[:qualifier]).
func functionName(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) >= 7 && parts[5] == "function" {
		return parts[6]
	}
	return arn
}

// Invoke retry timing for a function that is not ready; variables for tests.
var (
	notReadyFirstWait = time.Second
	notReadyMaxWait   = 10 * time.Second
)

// invokeUser calls a user function synchronously with payload and decodes its
// JSON result into out. The SDK retries throttling and service faults; a
// function that is not ready (inactive, being updated) is retried here until
// ctx ends.
func invokeUser(ctx context.Context, fi FunctionInvoker, fn string, payload, out any) error {
	if fi == nil {
		return errors.New("provider framework misconfigured: no Lambda client")
	}
	in, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("unable to encode the payload for %s: %w", fn, err)
	}
	slog.InfoContext(ctx, "invoking user function", "function", fn)
	wait := notReadyFirstWait
	var res *awslambda.InvokeOutput
	for {
		res, err = fi.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String(fn), Payload: in})
		var notReady *lambdatypes.ResourceNotReadyException
		var conflict *lambdatypes.ResourceConflictException
		if err == nil || !(errors.As(err, &notReady) || errors.As(err, &conflict)) {
			break
		}
		slog.WarnContext(ctx, "user function not ready; retrying", "function", fn, "error", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("unable to invoke %s: %w (gave up: %w)", fn, err, context.Cause(ctx))
		case <-t.C:
		}
		wait = min(2*wait, notReadyMaxWait)
	}
	if err != nil {
		return fmt.Errorf("unable to invoke %s: %w", fn, err)
	}
	payloadOut := bytes.TrimSpace(res.Payload)
	if res.FunctionError != nil {
		var fe struct {
			ErrorMessage string `json:"errorMessage"`
			ErrorType    string `json:"errorType"`
		}
		_ = json.Unmarshal(payloadOut, &fe)
		if fe.ErrorMessage == "" && fe.ErrorType == "" {
			fe.ErrorMessage = truncate(string(payloadOut), 1000)
		}
		if fe.ErrorType == "" {
			fe.ErrorType = aws.ToString(res.FunctionError)
		}
		return &UserFunctionError{Function: functionName(fn), Type: fe.ErrorType, Message: fe.ErrorMessage}
	}
	if len(payloadOut) == 0 || string(payloadOut) == "null" {
		return nil
	}
	if payloadOut[0] != '{' {
		return fmt.Errorf("return values from user handlers must be JSON objects; %s returned %s", functionName(fn), truncate(string(payloadOut), 200))
	}
	if err := json.Unmarshal(payloadOut, out); err != nil {
		return fmt.Errorf("unable to decode the result of %s: %w", functionName(fn), err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// Misconfigured returns a Lambda handler function for a framework function
// whose configuration failed: it answers every CloudFormation request (or
// waiter input) FAILED with err as the Reason, so that a deployment fails
// fast instead of waiting an hour for an answer, and returns err.
func Misconfigured(err error, o Options) func(ctx context.Context, raw json.RawMessage) error {
	return func(ctx context.Context, raw json.RawMessage) error {
		var e Event
		if json.Unmarshal(raw, &e) == nil && e.Validate() == nil {
			// A Delete fails too: answering SUCCESS would leak whatever
			// the resource holds without a word.
			if serr := o.respond(ctx, e, failure(e, e.PhysicalResourceId, err)); serr != nil {
				return errors.Join(err, serr)
			}
		}
		return err
	}
}

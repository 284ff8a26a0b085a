package spec

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// Environment variables read by the framework functions.
const (
	// EnvOnEventFunctionARN holds the ARN (or name) of the user's onEvent
	// function. Required by every entry.
	EnvOnEventFunctionARN = "USER_ON_EVENT_FUNCTION_ARN"
	// EnvIsCompleteFunctionARN holds the ARN of the user's isComplete
	// function. When set, onEvent starts the waiter instead of answering.
	EnvIsCompleteFunctionARN = "USER_IS_COMPLETE_FUNCTION_ARN"
	// EnvWaiterStateMachineARN holds the ARN of the waiter state machine.
	// Required when EnvIsCompleteFunctionARN is set.
	EnvWaiterStateMachineARN = "WAITER_STATE_MACHINE_ARN"
	// EnvResponseURLParameterPrefix, when set, keeps CloudFormation's
	// pre-signed response URL out of the waiter's execution input and
	// history: onEvent stores it in SSM Parameter Store under
	// "<prefix>/<RequestId>" (the prefix must start with "/"), passes only
	// the parameter's name on under [ResponseURLParameterField] with
	// ResponseURL set to [ResponseURLRedacted], and isComplete and
	// onTimeout read it back and delete it once they have answered. The
	// framework functions then need ssm:PutParameter, ssm:GetParameter and
	// ssm:DeleteParameter on "<prefix>/*". The AWS CDK uses the same
	// variable name.
	EnvResponseURLParameterPrefix = "RESPONSE_URL_PARAMETER_PREFIX"
	// EnvEntry selects the entry a framework function runs: one of
	// [EntryOnEvent], [EntryIsComplete] and [EntryOnTimeout]. When unset,
	// the Lambda handler setting (_HANDLER) is used, and failing that the
	// shape of the event.
	EnvEntry = "PROVIDER_FRAMEWORK_ENTRY"
)

// Entry names, as values of [EnvEntry] or of the Lambda function's Handler
// setting. They match the AWS CDK's framework handler names.
const (
	// EntryOnEvent is the service token's function: CloudFormation invokes it.
	EntryOnEvent = "onEvent"
	// EntryIsComplete is the waiter's polling task.
	EntryIsComplete = "isComplete"
	// EntryOnTimeout is the waiter's final task when polling gives up.
	EntryOnTimeout = "onTimeout"
)

// NotCompleteError is the Lambda error type (errorType) with which the
// isComplete entry reports "not complete yet"; the waiter retries on it.
const NotCompleteError = "eksforge.NotComplete"

// ResponseURLRedacted stands in for ResponseURL in the waiter input when the
// URL is kept in Parameter Store (see [EnvResponseURLParameterPrefix]).
const ResponseURLRedacted = "eksforge::provider::REDACTED"

// ResponseURLParameterField is the waiter-input key naming the parameter that
// holds the response URL.
const ResponseURLParameterField = "ResponseURLParameterName"

// ContinuationField marks a waiter input made by an in-process provider that
// handed its operation to the waiter (handlers/provider Continuable): the
// same function then receives CloudFormation events, the waiter's polls
// (inputs carrying this key) and its timeout (inputs carrying
// [ErrorInfoField]).
const ContinuationField = "EksforgeContinuation"

// ErrorInfoField is the key under which the waiter adds the last error
// ({"Error": ..., "Cause": ...}) to the event it hands to onTimeout.
const ErrorInfoField = "ErrorInfo"

// State names in the waiter definition (the AWS CDK's, for familiar
// execution histories).
const (
	IsCompleteState = "framework-isComplete-task"
	OnTimeoutState  = "framework-onTimeout-task"
)

// Limits and defaults of the waiter.
const (
	// MaxTotalTimeout is the longest a waiter may poll.
	MaxTotalTimeout = 2 * time.Hour
	// MinQueryInterval is the shortest interval between polls (Step
	// Functions counts retry intervals in whole seconds).
	MinQueryInterval = time.Second
	// DefaultTotalTimeout is the AWS CDK's default total timeout.
	DefaultTotalTimeout = 30 * time.Minute
	// DefaultQueryInterval is the AWS CDK's default query interval.
	DefaultQueryInterval = 5 * time.Second
	// maxRetryAttempts is Step Functions' ceiling on MaxAttempts.
	maxRetryAttempts = 99999999
)

// lambdaTransientErrors are the Lambda service errors worth retrying quickly,
// independent of the polling policy.
var lambdaTransientErrors = []string{
	"Lambda.ClientExecutionTimeoutException",
	"Lambda.ServiceException",
	"Lambda.AWSLambdaException",
	"Lambda.SdkClientException",
	"Lambda.TooManyRequestsException",
}

// crashRetries is how often the waiter re-runs an isComplete task that failed
// for any reason other than "not complete" (a crash, an unanswered response)
// before handing over to onTimeout.
const crashRetries = 2

// RetryPolicy returns the number of polls that fit in totalTimeout when they
// start interval apart and each wait grows by backoffRate.
//
// With backoffRate 1 (the AWS CDK's only choice) totalTimeout must be a whole
// multiple of interval, as the AWS CDK requires, and the result is
// totalTimeout/interval. With a larger rate it is the largest n whose total
// wait, interval·(1 + r + … + r^(n-1)), does not exceed totalTimeout.
// Zero durations mean [DefaultTotalTimeout] and [DefaultQueryInterval]; a
// zero rate means 1.
func RetryPolicy(totalTimeout, interval time.Duration, backoffRate float64) (maxAttempts int, err error) {
	if totalTimeout == 0 {
		totalTimeout = DefaultTotalTimeout
	}
	if interval == 0 {
		interval = DefaultQueryInterval
	}
	if backoffRate == 0 {
		backoffRate = 1
	}
	if err := checkTiming(interval, backoffRate); err != nil {
		return 0, err
	}
	if totalTimeout > MaxTotalTimeout {
		return 0, fmt.Errorf("total timeout %v exceeds the maximum of %v", totalTimeout, MaxTotalTimeout)
	}
	if totalTimeout < interval {
		return 0, fmt.Errorf("total timeout %v is shorter than the query interval %v", totalTimeout, interval)
	}
	if backoffRate == 1 {
		if totalTimeout%interval != 0 {
			return 0, fmt.Errorf("cannot determine the retry count: total timeout %v is not a whole multiple of the query interval %v", totalTimeout, interval)
		}
		return int(totalTimeout / interval), nil
	}
	n := 0
	for n < maxRetryAttempts && totalWait(interval, backoffRate, n+1) <= totalTimeout {
		n++
	}
	return n, nil
}

// totalWait is the sum of the first n retry intervals.
func totalWait(interval time.Duration, rate float64, n int) time.Duration {
	s := interval.Seconds()
	var total float64
	if rate == 1 {
		total = s * float64(n)
	} else {
		total = s * (math.Pow(rate, float64(n)) - 1) / (rate - 1)
	}
	if total > float64(math.MaxInt64/int64(time.Second)) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(total * float64(time.Second))
}

func checkTiming(interval time.Duration, backoffRate float64) error {
	if interval < MinQueryInterval {
		return fmt.Errorf("query interval %v is shorter than the minimum of %v", interval, MinQueryInterval)
	}
	if interval%time.Second != 0 {
		return fmt.Errorf("query interval %v is not a whole number of seconds (Step Functions counts retry intervals in seconds)", interval)
	}
	if math.IsNaN(backoffRate) || math.IsInf(backoffRate, 0) || backoffRate < 1 {
		return fmt.Errorf("backoff rate %v must be at least 1.0", backoffRate)
	}
	return nil
}

// IsResourceRef reports whether s can name a Task's Lambda function in a
// definition: an ARN ("arn:...") or a string holding an unresolved eksforge
// token ("${Token[...]}"), which synthesis replaces with an ARN.
func IsResourceRef(s string) bool {
	return strings.HasPrefix(s, "arn:") || strings.Contains(s, "${Token[")
}

// WaiterDefinition returns the Amazon States Language definition of the
// waiter state machine: a task that runs isCompleteArn, retried while it
// fails with [NotCompleteError] — first after interval, each wait
// backoffRate times the previous, at most maxAttempts times — and, once the
// retries are spent or the task fails otherwise, a task that runs timeoutArn
// with the original input plus the error under [ErrorInfoField].
//
// Lambda service errors (throttling, service faults) are retried separately,
// and any other failure of the isComplete task (a crash) is retried twice
// before giving up. Use [RetryPolicy] to derive maxAttempts from a total
// timeout.
//
// It fails when an ARN is neither an ARN nor a token, interval is below one
// second or not whole seconds, backoffRate is below 1, maxAttempts is below
// 1, or the polls would span more than [MaxTotalTimeout].
func WaiterDefinition(isCompleteArn, timeoutArn string, interval time.Duration, backoffRate float64, maxAttempts int) (string, error) {
	for _, a := range []struct{ name, v string }{{"isComplete", isCompleteArn}, {"onTimeout", timeoutArn}} {
		if !IsResourceRef(a.v) {
			return "", fmt.Errorf("%s function %q is not an ARN or a token", a.name, a.v)
		}
	}
	if err := checkTiming(interval, backoffRate); err != nil {
		return "", err
	}
	if maxAttempts < 1 || maxAttempts > maxRetryAttempts {
		return "", fmt.Errorf("max attempts %d must be between 1 and %d", maxAttempts, maxRetryAttempts)
	}
	if w := totalWait(interval, backoffRate, maxAttempts); w > MaxTotalTimeout {
		return "", fmt.Errorf("%d attempts %v apart with backoff %v wait %v in total, more than the maximum of %v",
			maxAttempts, interval, backoffRate, w.Round(time.Second), MaxTotalTimeout)
	}

	transient := retrier{ErrorEquals: lambdaTransientErrors, IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2}
	def := definition{
		Comment: "eksforge provider framework waiter: polls isComplete, then reports a timeout",
		StartAt: IsCompleteState,
		States: map[string]state{
			IsCompleteState: {
				Type:     "Task",
				Resource: isCompleteArn,
				Retry: []retrier{
					transient,
					{ErrorEquals: []string{NotCompleteError}, IntervalSeconds: int(interval / time.Second), MaxAttempts: maxAttempts, BackoffRate: backoffRate},
					{ErrorEquals: []string{"States.ALL"}, IntervalSeconds: int(interval / time.Second), MaxAttempts: crashRetries, BackoffRate: 1},
				},
				Catch: []catcher{{ErrorEquals: []string{"States.ALL"}, ResultPath: "$." + ErrorInfoField, Next: OnTimeoutState}},
				End:   true,
			},
			OnTimeoutState: {
				Type:     "Task",
				Resource: timeoutArn,
				Retry:    []retrier{transient},
				End:      true,
			},
		},
	}
	b, err := json.Marshal(def)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

type definition struct {
	Comment string           `json:"Comment,omitempty"`
	StartAt string           `json:"StartAt"`
	States  map[string]state `json:"States"`
}

type state struct {
	Type     string    `json:"Type"`
	Resource string    `json:"Resource,omitempty"`
	Retry    []retrier `json:"Retry,omitempty"`
	Catch    []catcher `json:"Catch,omitempty"`
	Next     string    `json:"Next,omitempty"`
	End      bool      `json:"End,omitempty"`
}

type retrier struct {
	ErrorEquals     []string `json:"ErrorEquals"`
	IntervalSeconds int      `json:"IntervalSeconds"`
	MaxAttempts     int      `json:"MaxAttempts"`
	BackoffRate     float64  `json:"BackoffRate"`
}

type catcher struct {
	ErrorEquals []string `json:"ErrorEquals"`
	ResultPath  string   `json:"ResultPath,omitempty"`
	Next        string   `json:"Next"`
}

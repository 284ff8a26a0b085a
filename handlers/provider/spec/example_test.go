package spec_test

import (
	"fmt"
	"time"

	"github.com/eksforge/eksforge/handlers/provider/spec"
)

// The EKS cluster provider's waiter: poll every minute for up to an hour.
func ExampleWaiterDefinition() {
	attempts, err := spec.RetryPolicy(time.Hour, time.Minute, 1)
	if err != nil {
		panic(err)
	}
	def, err := spec.WaiterDefinition(
		"arn:aws:lambda:us-east-1:123456789012:function:framework-isComplete",
		"arn:aws:lambda:us-east-1:123456789012:function:framework-onTimeout",
		time.Minute, 1, attempts)
	if err != nil {
		panic(err)
	}
	fmt.Println(attempts)
	fmt.Println(def)
	// Output:
	// 60
	// {"Comment":"eksforge provider framework waiter: polls isComplete, then reports a timeout","StartAt":"framework-isComplete-task","States":{"framework-isComplete-task":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:framework-isComplete","Retry":[{"ErrorEquals":["Lambda.ClientExecutionTimeoutException","Lambda.ServiceException","Lambda.AWSLambdaException","Lambda.SdkClientException","Lambda.TooManyRequestsException"],"IntervalSeconds":2,"MaxAttempts":6,"BackoffRate":2},{"ErrorEquals":["eksforge.NotComplete"],"IntervalSeconds":60,"MaxAttempts":60,"BackoffRate":1},{"ErrorEquals":["States.ALL"],"IntervalSeconds":60,"MaxAttempts":2,"BackoffRate":1}],"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.ErrorInfo","Next":"framework-onTimeout-task"}],"End":true},"framework-onTimeout-task":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:framework-onTimeout","Retry":[{"ErrorEquals":["Lambda.ClientExecutionTimeoutException","Lambda.ServiceException","Lambda.AWSLambdaException","Lambda.SdkClientException","Lambda.TooManyRequestsException"],"IntervalSeconds":2,"MaxAttempts":6,"BackoffRate":2}],"End":true}}}
}

// A total timeout the interval does not divide is refused, as in the AWS CDK.
func ExampleRetryPolicy() {
	_, err := spec.RetryPolicy(10*time.Minute, 7*time.Second, 1)
	fmt.Println(err)
	n, _ := spec.RetryPolicy(10*time.Minute, 5*time.Second, 1.5)
	fmt.Println(n)
	// Output:
	// cannot determine the retry count: total timeout 10m0s is not a whole multiple of the query interval 7s
	// 10
}

// Package lambdaruntime runs a Lambda function's bootstrap binary the way
// Lambda does, for tests and benchmarks: a new child process whose
// AWS_LAMBDA_RUNTIME_API points at a local stand-in of the Lambda Runtime
// API, which hands out one invocation and records the function's answer,
// the answer it PUT to CloudFormation's response URL, the times to both,
// and the process's peak resident set.
//
// It measures what a deployed function runs (the binary the asset holds),
// not a test binary that links the same packages: the start-up and memory
// figures of docs/benchmarks.md come from it.
//
// It is test tooling only: nothing in the library or the handlers imports
// it. It is not a Lambda emulator either: no sandbox, no memory limit
// enforced, no freeze between invocations, one invocation per process.
package lambdaruntime

// Package cfnresponse is the CloudFormation custom-resource contract in Go:
// the request CloudFormation sends to a custom resource's service token
// ([Event]), the answer it waits for ([Response]), and [Send], which delivers
// that answer to the pre-signed S3 URL in the request.
//
// It is for deploy-time code that answers CloudFormation itself: the provider
// framework in [github.com/eksforge/eksforge/handlers/provider] and anything
// built on it. It is not a handler framework: it never recovers panics or
// guards deadlines — the provider package does that — and it knows nothing of
// Lambda beyond reading the log stream name from the environment.
//
// # The request
//
// CloudFormation invokes the service token (asynchronously, for a Lambda
// function) with an [Event]. RequestType is Create, Update or Delete.
// PhysicalResourceId is absent on Create and present on Update and Delete.
// OldResourceProperties is sent on Update only.
//
// Property values arrive as CloudFormation renders them: every scalar is a
// JSON string ("true", "3", "1.5"), and only lists and maps keep their
// structure (their leaves are strings too). A template value of true or 3
// reaches the handler as "true" or "3"; handlers must parse what they need
// ([strconv.ParseBool], [strconv.Atoi]) and must not type-assert bool or
// float64. ServiceToken is included in ResourceProperties.
//
// # The response
//
// CloudFormation waits (up to an hour, then fails the stack operation) for one
// HTTP PUT of a [Response] to ResponseURL. The body must be JSON of at most
// 4096 bytes ([MaxResponseSize]); a larger body is rejected, which is as bad as
// not answering. [Marshal] enforces the limit:
//
//  1. If the body is too large, Reason is shortened: its beginning is kept
//     and a note "… (truncated; see CloudWatch log stream X)" is appended,
//     where X names the Lambda log stream holding the full text.
//  2. If the body is still too large, Data keys are dropped, largest first,
//     until it fits, and Reason says which keys were dropped. The status is
//     kept: a later Fn::GetAtt of a dropped key fails with CloudFormation's
//     own "doesn't contain key" error, and Reason explains why.
//  3. As a last resort (an oversized physical resource ID, which
//     CloudFormation would reject anyway) the response becomes FAILED with a
//     Reason saying so.
//
// PhysicalResourceId must be non-empty; CloudFormation rejects a response
// without one. [Send] fills StackId, RequestId, LogicalResourceId and, when
// the response has none, PhysicalResourceId from the event (on a Create,
// which has none, the RequestId).
//
// # Delivery
//
// [Send] PUTs the body with an empty Content-Type header (the pre-signed URL
// is signed without one, so S3 refuses any other value) and an explicit
// Content-Length. Network errors, 429 and 5xx answers are retried with
// exponential backoff and jitter for at most [MaxSendDuration] or until the
// context ends; other 4xx answers (an expired or already used URL) are not
// retried. The pre-signed URL is a credential: it is never logged with its
// query string.
package cfnresponse

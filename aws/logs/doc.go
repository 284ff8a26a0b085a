// Package logs has the Amazon CloudWatch Logs constructs the library needs:
// a [LogGroup] with a retention period ([RetentionDays]) and a removal
// policy, as the AWS CDK's aws-logs LogGroup renders it.
//
// It is what a Lambda function's LogRetention creates (package lambda): a
// native AWS::Logs::LogGroup that the function logs to, rather than the AWS
// CDK's older log-retention custom resource.
//
// It is not for metric filters, subscriptions, queries or log delivery;
// use the generated cfn/logs resources for those.
package logs

// Package lambda has the AWS Lambda constructs: [Function], [LayerVersion],
// functions and layers imported by ARN, and the [Code] sources they deploy,
// among them Go main packages compiled when they are published
// ([CodeFromGoPackage]).
// It is a port of the AWS CDK's aws-lambda module for what eksforge needs:
// the same construct ids and so the same logical IDs, the same default role
// and permissions.
//
// # Functions
//
//	fn := lambda.NewFunction(stack, "Handler", lambda.FunctionProps{
//		Code:         lambda.CodeFromGoPackage("./cmd/handler"),
//		Timeout:      cdk.Minutes(5),
//		Environment:  map[string]string{"TABLE": table.TableName()},
//		LogRetention: logs.RetentionOneMonth,
//	})
//	fn.GrantInvoke(otherRole)
//
// A function gets an execution role, "ServiceRole", trusting
// lambda.amazonaws.com with the AWSLambdaBasicExecutionRole managed policy
// (and AWSLambdaVPCAccessExecutionRole in a VPC), unless Role is given. In a
// VPC it gets a security group, "SecurityGroup", unless SecurityGroups are
// given, and [Function.Connections] manages its rules. Timeout (at most 15
// minutes), MemorySize (128 to 10240 MiB), ReservedConcurrentExecutions
// (0 or more), FunctionName, environment variable names and layers are
// checked when the app is synthesized, each problem reported with the
// function's path.
//
// # Go functions
//
// [CodeFromGoPackage] names a main package, compiled with internal/gobuild
// into a zip holding one static executable, bootstrap, for provided.al2023
// on arm64 (or x86_64): CGO_ENABLED=0, -trimpath, -tags lambda.norpc, no
// build ID. Synthesis does not compile it: the asset's hash is the hash of
// the build's inputs (the package graph's sources and go.sum entries, the
// Go version, the flags), found with go list, so two checkouts of the same
// commit produce the same S3 key and the same bytes; the asset manifest
// names, as the asset's "executable" source, the command that builds and
// zips it (go run of cmd/eksforge-asset), which the AWS CDK CLI and
// eksforge deploy run when they publish the asset. The binary and its zip
// are cached under the hash outside the repository ($EKSFORGE_CACHE, else
// ${XDG_CACHE_HOME:-~/.cache}/eksforge/gobuild), so a second publish
// builds nothing. Synthesizing with cdk.BuildAssets (eksforge synth
// --build-assets) builds every Go function concurrently and stages the
// zips, for a cloud assembly deployed from another machine. A package that
// cannot be listed is a synthesis error naming the function; a compile
// error shows when the asset is built. Runtime, handler and architecture
// default to provided.al2023, "bootstrap" and arm64.
//
// # Log retention
//
// LogRetention creates an AWS::Logs::LogGroup ("LogGroup") with that
// retention and points the function's LoggingConfig at it, so the group
// exists before the function first logs. This is the native replacement of
// the AWS CDK's log-retention custom resource (a Node.js Lambda function
// setting the retention of /aws/lambda/<name> after the fact), which
// eksforge does not have; it is also what the AWS CDK's
// @aws-cdk/aws-lambda:useCdkManagedLogGroup flag moves towards, except that
// the group is named by CloudFormation (a group named /aws/lambda/<name>
// can be created by Lambda before the stack creates it).
//
// # Permissions
//
// [Function.GrantInvoke] adds lambda:InvokeFunction on the function and its
// versions to the grantee's policy when the grantee is in the function's
// account, and otherwise (a service principal, another account) an
// AWS::Lambda::Permission whose construct id, "Invoke" plus a hash of the
// principal, is the AWS CDK's.
//
// # Differences from the AWS CDK
//
//   - Directories are zipped at synthesis, deterministically, and their
//     aws:asset:path metadata names the zip ("asset.<hash>.zip").
//   - Go code is built by eksforge itself; the AWS CDK would need
//     aws-lambda-go-alpha and Docker or a local Go to bundle it.
//   - Layers are rendered in the order given, which is the order Lambda
//     applies them in; the AWS CDK with @aws-cdk/aws-lambda:recognizeLayerVersion
//     sorts them by construct path.
//   - Granting invoke on an imported function whose resource policy cannot
//     be changed here is a warning, where the AWS CDK throws.
//   - No versions, aliases, event sources, function URLs, dead-letter
//     queues, tracing or container images: the EKS library does not use
//     them; the generated cfn/lambda resources cover them.
package lambda

// Package deploy ships a synthesized stack to AWS for the eksforge CLI:
// it publishes the stack's file assets to the bootstrap bucket (skipping
// objects already there), creates and executes CloudFormation change sets,
// follows stack events with a progress line, reports the first failing
// resource, reads outputs, and deletes stacks.
//
// It is not a library for users: the CLI (internal/cli) drives it and
// decides what to print around it. AWS calls go through small interfaces
// ([CloudFormationAPI], [S3API], [SSMAPI]) that the aws-sdk-go-v2 clients
// satisfy, so tests run against moto's server or a fake.
//
// Differences from the AWS CDK CLI: no roles are assumed (the bootstrap
// deploy, publishing and execution roles are not used: the caller's own
// credentials publish and deploy); directory assets are expected already
// zipped (eksforge zips at synthesis; "zip" packaging from other tools is
// zipped here); container image assets are not supported.
package deploy

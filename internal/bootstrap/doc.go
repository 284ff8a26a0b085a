// Package bootstrap deploys the AWS CDK's modern bootstrap stack
// (CDKToolkit): the asset bucket, the container asset repository, the
// publishing, lookup, deployment and CloudFormation execution roles, and the
// SSM parameter /cdk-bootstrap/<qualifier>/version, from the very template
// that `cdk bootstrap` deploys, so eksforge, the AWS CDK CLI and cdk-assets
// share one bootstrap per account and region.
//
// bootstrap-template.yaml is lib/api/bootstrap/bootstrap-template.yaml of
// the aws-cdk npm package, version [CDKVersion] (Apache-2.0), embedded
// unchanged; its bootstrap version is [Version]. The parameters passed and
// the rules for an existing stack (keep its trusted accounts, policies,
// qualifier and key unless told otherwise; never downgrade; never overwrite
// another variant) follow the AWS CDK CLI's Bootstrapper.
package bootstrap

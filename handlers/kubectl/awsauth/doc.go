// Package awsauth merges entries into the kube-system/aws-auth ConfigMap
// without overwriting entries it does not own: the AWS CDK's AwsAuth
// rewrote the whole map, and a second writer caused outages (aws-cdk
// #19218, #28333).
//
// Each owner (a custom resource, by physical ID) records the entries it
// added in an annotation; an update removes those and adds the new ones.
// The YAML lists are edited as text, entry by entry, so entries other tools
// wrote keep their exact bytes (comments and formatting included). Writes
// use the ConfigMap's resourceVersion and are retried on conflict.
package awsauth

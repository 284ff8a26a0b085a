// Package parity compares, semantically, what eksforge and aws-cdk-lib
// synthesize for the same app, and checks every difference against the list
// of intended differences in docs/parity.md.
//
// It is test tooling: nothing in the library imports it. The parity test
// (examples_test.go) runs it on every example under examples/ against its
// JavaScript counterpart bench/cdk/<example>/app.js; `make parity` prints the
// report.
//
// # What is compared
//
// Each stack template is reduced to a list of [Resource]s: a kind (the
// CloudFormation type, with aws-cdk-lib's custom-resource spellings of the
// same thing folded in — aws-eks's Custom::AWSCDK-EKS-Cluster is an
// AWS::EKS::Cluster, a launch configuration is a launch template, the
// aws-auth ConfigMap manifest and eksforge's Custom::EksForge-AwsAuth are both
// "aws-auth"), and the key properties that carry meaning, flattened to
// dotted paths: cluster version, endpoint access, logging, encryption,
// whether the creator is bootstrapped as cluster-admin, upgrade policy,
// zonal shift, control-plane tier, deletion protection, forced updates,
// Outpost placement, hybrid node and pod networks; node
// group instance types, scaling, capacity type, labels, taints, AMI type,
// update and repair settings, launch template; Fargate selectors; add-on
// name, version, configuration values, conflict
// resolution, preserve-on-delete, namespace and roles; identity provider
// and capability settings; the launch
// template's instance metadata options, whether its instances join the EKS
// cluster security group, and what its user data asks the node
// bootstrap to do; IAM trust statements and managed policies; every
// Kubernetes object inside a manifest (one Resource per object); Helm chart,
// repository, version, namespace and values; aws-auth entries; outputs.
// Intrinsic functions are rendered as readable placeholders ({Ref X},
// {X.Attr}, {SSM name}); Fn::Join and Fn::Base64 are joined and decoded.
// Kinds without a key-property extractor are compared by presence only.
//
// Resources are paired by logical ID when both sides have it, then by kind
// and identity (a Kubernetes object's apiVersion, kind, namespace and name; a
// Helm release; the aws-auth map). Paired resources are compared path by
// path; unpaired ones are "only in aws-cdk-lib" or "only in eksforge".
//
// # The list of intended differences
//
// docs/parity.md holds a table that [ParseIntended] reads; each row names an
// example, a resource type, a logical ID and a property path (each may use *
// as a wildcard) and the reason. [Classify] marks each [Difference] with the
// first row that matches it; an unmatched difference, or a row that matches
// nothing, fails the parity test.
package parity

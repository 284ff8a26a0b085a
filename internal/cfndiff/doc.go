// Package cfndiff compares two CloudFormation templates the way a person
// deciding whether to deploy wants to read them: resources added, removed
// and modified with property-level detail; which modifications make
// CloudFormation replace the resource (from the registry schemas'
// createOnlyProperties, and through references to replaced resources); an
// explicit warning when an EKS cluster, node group or Fargate profile would
// be replaced; and a summary of IAM and security group changes, the ones
// that widen who may do what.
//
// It is used by the eksforge CLI for `diff` and for deploy's approval. It
// works on decoded JSON templates only and calls no AWS API: what is
// deployed is the caller's business (GetTemplate).
//
// The create-only table is generated from internal/cfngen/schemas by
// internal/gencreateonly (go generate), so a schema refresh updates it.
package cfndiff

//go:generate go run ./internal/gencreateonly -schemas ../cfngen/schemas -out createonly_gen.go

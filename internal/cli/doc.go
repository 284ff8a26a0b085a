// Package cli is the eksforge command line: synth, ls, diff, deploy,
// destroy and graph over a cloud assembly, with AWS access through
// aws-sdk-go-v2's default configuration chain. cmd/eksforge is a thin main
// around [Run]; tests drive a [Runner] in-process with their own standard
// streams and an endpoint such as moto's server.
//
// The commands' logic lives in sibling packages: internal/assembly reads
// cdk.out, internal/cfndiff compares templates, internal/deploy talks to
// CloudFormation and S3, internal/graph draws the app. This package parses
// flags, runs the user's program, picks stacks, asks for approval, and
// turns errors into messages and exit codes.
//
// Exit codes: 0 success; 1 a command failed (synthesis, AWS, a refused
// approval, differences with diff --fail); 2 a usage error.
package cli

// Command eksforge synthesizes, lists, compares, deploys, destroys and
// draws the stacks of an eksforge (or AWS CDK) app, without Node.js:
//
//	eksforge bootstrap [aws://ACCOUNT/REGION...] [--qualifier Q] [--trust ACCOUNT]
//	eksforge synth [--app CMD] [--out DIR] [--build-assets] [-q]
//	eksforge ls [-l]
//	eksforge diff [STACK...] [--template FILE] [--fail]
//	eksforge deploy [STACK...|--all] [--require-approval never|any-change|broadening] [--parameters K=V]
//	eksforge destroy [STACK...|--all] [--force]
//	eksforge graph [STACK...] [--format svg|dot] [-o FILE]
//
// AWS access uses aws-sdk-go-v2's default configuration chain (environment,
// shared configuration and credentials files, SSO), with --profile,
// --region and --endpoint-url. Run "eksforge help COMMAND" for details, and
// see docs/cli.md.
//
// Install it with:
//
//	go install github.com/eksforge/eksforge/cmd/eksforge@latest
package main

import (
	"os"

	"github.com/eksforge/eksforge/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}

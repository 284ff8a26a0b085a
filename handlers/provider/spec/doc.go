// Package spec is the part of the provider framework's contract that the
// construct side needs at synthesis time: the environment variables and entry
// names of the framework functions, the error name the waiter retries on, the
// waiter state machine definition and its retry arithmetic.
//
// It has no dependencies beyond the standard library, so a construct package
// (aws/customresources) can import it without linking the Lambda runtime or
// AWS SDK clients into users' synthesis programs. The runtime that honours
// this contract is [github.com/eksforge/eksforge/handlers/provider].
package spec

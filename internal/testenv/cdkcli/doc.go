// Package cdkcli gives tests the stock AWS CDK CLI (npm package aws-cdk,
// pinned to [Version]), so they can check that the cloud assemblies eksforge
// writes are read by the tool its users deploy with.
//
// It is test tooling only: nothing in the library imports it, and the CLI is
// never needed at run time.
//
// # Getting the CLI
//
// [Path] returns the path of the cdk binary. `make test` installs the CLI
// first and exports it as EKSFORGE_CDK_CLI ([EnvVar]); a plain `go test` run
// installs it itself, once per test process, with scripts/install-npm.sh (package.json beside this file)
// into ${EKSFORGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eksforge}/npm/aws-cdk-<version>/.
// When npm cannot reach its registry the test is skipped with a loud message,
// or fails when CI=true. [Run] and [Command] run the CLI with its version check,
// telemetry and notices turned off, under a timeout.
//
// # What the CLI accepts
//
// Measured with aws-cdk 2.1148.1 (its bundled @aws-cdk/cloud-assembly-schema
// has schema/version.json "revision": 55, so Manifest.version() is "55.0.0"):
//
//   - manifest.json "version" is required (a missing one fails with
//     `Invalid semver string: "undefined"`). Only its major number is checked:
//     any version up to 55.x.x is read (21.0.0 works too); 56.0.0 fails with
//     "Cloud assembly schema version mismatch: Maximum schema version supported
//     is 55.x.x". [SchemaVersion] is that highest version, "55.0.0"; the cdk
//     package writes the same (cdk.CloudAssemblySchemaVersion).
//   - The CLI does not validate the manifest against the JSON schema (not
//     even with TESTING_CDK=1): unknown fields, at the top or in a stack's
//     properties, are accepted by `cdk ls`/`cdk synth`. Passing the CLI is
//     therefore no proof of schema conformance.
//   - A stack is an artifact with "type": "aws:cloudformation:stack"; an
//     artifact without a type is ignored ("This app contains no stacks").
//   - A stack artifact needs "environment" in the form aws://ACCOUNT/REGION
//     (aws://unknown-account/unknown-region for environment-agnostic stacks);
//     a missing one fails with "Missing environment", a malformed one with
//     "Unable to parse environment specification".
//   - A stack artifact needs "properties": {"templateFile": "<file>"}, relative
//     to the assembly directory; a missing property fails with `Missing
//     "templateFile" property`. `cdk ls` does not read the file; `cdk synth`
//     does.
//   - properties.stackName defaults to the artifact id. `cdk ls` prints
//     "displayName" when it is set (the AWS CDK writes the construct path,
//     e.g. "App/Stack"), else the artifact id.
//
// A minimal assembly that `cdk ls --app DIR` and `cdk synth --app DIR Stack`
// accept is therefore:
//
//	{
//	  "version": "55.0.0",
//	  "artifacts": {
//	    "Stack": {
//	      "type": "aws:cloudformation:stack",
//	      "environment": "aws://unknown-account/unknown-region",
//	      "properties": {"templateFile": "Stack.template.json"}
//	    }
//	  }
//	}
//
// To see what a newer CLI accepts, grep its bundle:
//
//	grep -n -A4 'cloud-assembly-schema/schema/version.json' \
//	  "$(dirname "$(readlink -f "$EKSFORGE_CDK_CLI")")/../lib/index.js"
package cdkcli

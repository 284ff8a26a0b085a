// Package cdklib gives tests the AWS CDK construct library (npm packages
// aws-cdk-lib and constructs, pinned to [Version] and [ConstructsVersion]),
// so they can synthesize a small Node.js app with the AWS CDK and compare its
// template with what eksforge synthesizes for the same inputs.
//
// It is test tooling only: nothing in the library imports it, and Node.js is
// never needed at run time.
//
// # Getting the library
//
// [NodeModules] returns the node_modules directory holding both packages.
// When the environment variable EKSFORGE_CDK_LIB ([EnvVar]) names one, it is
// used; otherwise scripts/install-npm.sh installs bench/cdk/package.json's
// packages (aws-cdk-lib, constructs and the kubectl layer: the same
// install the parity suite and the benchmarks use, so aws-cdk-lib is
// downloaded once for all), once per test process, into
// ${EKSFORGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eksforge}/npm/eksforge-bench-cdk-<sha256[:12]>/
// (idempotent and atomic; about 30 s the first time, 0.3 s after). When npm
// cannot reach its registry the test is skipped with a loud message, or fails
// when CI=true.
//
// # Synthesizing
//
// [Synth] runs `node app.js` with NODE_PATH set to that node_modules, so the
// app's require("aws-cdk-lib") needs no package.json next to it, and
// CDK_OUTDIR set to a fresh temporary directory, which new cdk.App() writes
// its cloud assembly to when the app calls app.synth(). [Template] reads one
// stack's template from it:
//
//	dir := cdklib.Synth(t, "testdata/parity/vpc.js")
//	want := cdklib.Template(t, dir, "Stack")
//
// The app runs without a cdk.json, so no feature flags are set: the AWS CDK
// behaves as for an app that sets none (eksforge has no feature flags).
package cdklib

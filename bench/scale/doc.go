// Package scale holds the scale cases of `make bench`, one main package per
// case under bench/scale/<case>, each with its aws-cdk-lib counterpart in
// bench/cdk/scale/<case>/app.js: one cluster with 1,000 manifests
// (manifests-1000), three clusters with 20 managed node groups each
// (clusters-3x20) and one cluster with 200 Helm charts (helm-200).
//
// Each program synthesizes its app into $CDK_OUTDIR (or cdk.out), like the
// examples; scripts/bench-synth.sh builds and times them.
package scale

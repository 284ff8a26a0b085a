#!/usr/bin/env bash
# parity.sh compares every example under examples/ with its aws-cdk-lib
# counterpart bench/cdk/<example>/app.js and prints the report (make parity).
#
# It installs bench/cdk's npm packages into the cache (install-npm.sh bench/cdk),
# then runs the parity test (internal/parity, TestExamplesMatchAwsCdkLib) with
# eksforge's side synthesized by building and running each example
# (EKSFORGE_PARITY_GO=synth; `go test ./...` reads the golden templates
# instead). The report is also written to bench/out/parity.txt.
#
# When npm cannot reach its registry: with CI=true this fails; otherwise it
# says so loudly and exits 0 without comparing.
set -euo pipefail
cd "$(dirname "$0")/.."
GO="${GO:-go}"
out="${BENCH_OUT:-bench/out}"
mkdir -p "$out"

status=0
modules="$(bash scripts/install-npm.sh bench/cdk)" || status=$?
if [ "$status" -eq 3 ]; then
	if [ "${CI:-}" = "true" ]; then
		echo "parity: npm cannot reach its registry; CI=true: this is a FAILURE" >&2
		exit 1
	fi
	{
		echo '!!!!!!!!!!'
		echo '!!! parity: npm cannot reach its registry: aws-cdk-lib is not installed.'
		echo '!!! The comparison with aws-cdk-lib is SKIPPED. (With CI=true this is a failure.)'
		echo '!!!!!!!!!!'
	} >&2
	exit 0
elif [ "$status" -ne 0 ]; then
	echo "parity: unable to install bench/cdk's packages (exit status $status)" >&2
	exit "$status"
fi

report="$out/parity.txt"
rm -f "$report"
status=0
EKSFORGE_BENCH_CDK="$modules" EKSFORGE_PARITY_GO="${EKSFORGE_PARITY_GO:-synth}" \
	EKSFORGE_PARITY_REPORT="$PWD/$report" \
	"$GO" test -count=1 -timeout 20m -run '^TestExamplesMatchAwsCdkLib$' ./internal/parity/ >"$out/parity-test.txt" 2>&1 || status=$?
if [ -f "$report" ]; then
	cat "$report"
fi
if [ "$status" -ne 0 ]; then
	echo
	echo "parity: FAILED (the test's output, with the rows to add to docs/parity.md, is in $out/parity-test.txt):"
	grep -v '^    examples_test.go:[0-9]*: *$' "$out/parity-test.txt" | tail -n 80
	exit "$status"
fi
echo "parity: every difference from aws-cdk-lib is listed in docs/parity.md (report: $report)"

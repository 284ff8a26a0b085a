#!/usr/bin/env bash
# bench-synth.sh measures synthesis side by side with aws-cdk-lib (make bench):
# every example under examples/ and every scale case under bench/scale/,
# eksforge's compiled program against `node bench/cdk/.../app.js`, several
# runs each (BENCH_RUNS, default 3), medians of wall time and peak RSS, and
# the ratios (bench/cmd/synthbench). The table goes to stdout and to
# bench/out/synth.md. BENCH_SAME_OUTDIR=1 synthesizes every run of a side
# into one directory instead (a repeated synth, which keeps staged assets),
# writing bench/out/synth-same-outdir.md; BENCH_ONLY=a,b measures only those.
#
# It installs bench/cdk's npm packages into the cache first
# (install-npm.sh bench/cdk). When npm cannot reach its registry: with CI=true
# this fails; otherwise it says so loudly and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
GO="${GO:-go}"
out="${BENCH_OUT:-bench/out}"
mkdir -p "$out"

status=0
modules="$(bash scripts/install-npm.sh bench/cdk)" || status=$?
if [ "$status" -eq 3 ]; then
	if [ "${CI:-}" = "true" ]; then
		echo "bench-synth: npm cannot reach its registry; CI=true: this is a FAILURE" >&2
		exit 1
	fi
	{
		echo '!!!!!!!!!!'
		echo '!!! bench-synth: npm cannot reach its registry: aws-cdk-lib is not installed.'
		echo '!!! The side-by-side benchmark is SKIPPED. (With CI=true this is a failure.)'
		echo '!!!!!!!!!!'
	} >&2
	exit 0
elif [ "$status" -ne 0 ]; then
	echo "bench-synth: unable to install bench/cdk's packages (exit status $status)" >&2
	exit "$status"
fi

exec "$GO" run ./bench/cmd/synthbench -go "$GO" -node-modules "$modules" \
	-runs "${BENCH_RUNS:-3}" -out "$out/synth${BENCH_SAME_OUTDIR:+-same-outdir}.md" \
	${BENCH_ONLY:+-only "$BENCH_ONLY"} ${BENCH_SAME_OUTDIR:+-same-outdir}

#!/usr/bin/env bash
# with-kube-binaries.sh builds kube-apiserver and etcd (once per version,
# into the cache outside the repo) with build-kube-binaries.sh, exports their
# directory as EKSFORGE_KUBE_BINARIES, where internal/testenv/kubeenv finds
# them, then runs "$@". `make go-test` runs scripts/go-test.sh through it.
#
# If the Go module proxy cannot be reached, this fails when CI=true;
# elsewhere it warns loudly, exports EKSFORGE_KUBE_BINARIES_UNAVAILABLE, and
# the tests that need an API server skip.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${EKSFORGE_KUBE_BINARIES:-}" ]; then
	status=0
	dir="$(bash scripts/build-kube-binaries.sh)" || status=$?
	if [ "$status" -eq 0 ]; then
		export EKSFORGE_KUBE_BINARIES="$dir"
	elif [ "$status" -eq 3 ] && [ "${CI:-}" != "true" ]; then
		{
			echo '!!!!!!!!!!'
			echo '!!! with-kube-binaries: the Go module proxy cannot be reached: kube-apiserver and etcd are not built.'
			echo '!!! Tests that need a Kubernetes API server will be SKIPPED. (With CI=true this is a failure.)'
			echo '!!!!!!!!!!'
		} >&2
		export EKSFORGE_KUBE_BINARIES_UNAVAILABLE="the Go module proxy could not be reached when make test built them"
	else
		echo "with-kube-binaries: unable to build kube-apiserver and etcd (exit status $status)" >&2
		exit "$status"
	fi
fi
echo "with-kube-binaries: EKSFORGE_KUBE_BINARIES=${EKSFORGE_KUBE_BINARIES:-<unavailable>}"
exec "$@"

#!/usr/bin/env bash
# go-test.sh installs what the tests need, then runs `go test "$@"`.
#
# The AWS CDK CLI is installed (once per version, into the cache outside the
# repo) by `install-npm.sh internal/testenv/cdkcli` and its path exported as EKSFORGE_CDK_CLI, where
# internal/testenv/cdkcli finds it. If npm cannot reach its registry, this
# fails when CI=true; elsewhere it warns loudly, exports
# EKSFORGE_CDK_CLI_UNAVAILABLE, and the tests that need the CLI skip.
set -euo pipefail
cd "$(dirname "$0")/.."
GO="${GO:-go}"

export CDK_DISABLE_VERSION_CHECK=1
export CDK_DISABLE_CLI_TELEMETRY=true

if [ -z "${EKSFORGE_CDK_CLI:-}" ]; then
	status=0
	modules="$(bash scripts/install-npm.sh internal/testenv/cdkcli)" || status=$?
	if [ "$status" -eq 0 ]; then
		export EKSFORGE_CDK_CLI="$modules/.bin/cdk"
	elif [ "$status" -eq 3 ] && [ "${CI:-}" != "true" ]; then
		{
			echo '!!!!!!!!!!'
			echo '!!! go-test: npm cannot reach its registry: the AWS CDK CLI is not installed.'
			echo '!!! Tests that need it will be SKIPPED. (With CI=true this is a failure.)'
			echo '!!!!!!!!!!'
		} >&2
		export EKSFORGE_CDK_CLI_UNAVAILABLE="npm could not reach its registry when make test installed the CLI"
	else
		echo "go-test: unable to install the AWS CDK CLI (exit status $status)" >&2
		exit "$status"
	fi
fi
echo "go-test: EKSFORGE_CDK_CLI=${EKSFORGE_CDK_CLI:-<unavailable>}"
echo "go-test: $GO test $*"
exec "$GO" test "$@"

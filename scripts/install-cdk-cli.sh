#!/usr/bin/env bash
# install-cdk-cli.sh installs the pinned AWS CDK CLI (npm package aws-cdk) into
# the eksforge cache, outside the repository, and prints the path of its `cdk`
# binary on stdout. Everything else goes to stderr.
#
# The install is keyed by version:
#   ${EKSFORGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eksforge}/npm/aws-cdk-<version>/
# It is idempotent: when that directory exists and `cdk --version` works there,
# nothing is downloaded. A new install is built in a temporary sibling directory
# and renamed into place only once it works, under an flock(1) lock when
# available, so a half-installed directory is never used.
#
# Environment:
#   EKSFORGE_CACHE            cache root (see above)
#   EKSFORGE_CDK_CLI_VERSION  override the pinned version (default below)
#
# Exit status: 0 on success; 3 when npm cannot reach the registry; 1 otherwise.
set -euo pipefail

version="${EKSFORGE_CDK_CLI_VERSION:-2.1148.1}"
cache="${EKSFORGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eksforge}"
dest="$cache/npm/aws-cdk-$version"
bin="$dest/node_modules/.bin/cdk"

# Never phone home from the CLI we run in tests.
export CDK_DISABLE_VERSION_CHECK=1
export CDK_DISABLE_CLI_TELEMETRY=true

log() { printf 'install-cdk-cli: %s\n' "$*" >&2; }

works() {
	[ -x "$1" ] && "$1" --version >/dev/null 2>&1
}

if works "$bin"; then
	printf '%s\n' "$bin"
	exit 0
fi

for tool in node npm; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		log "error: '$tool' not found in PATH; install Node.js (>= 18) and npm, e.g. 'apt-get install nodejs npm'"
		exit 1
	fi
done

mkdir -p "$cache/npm"

# Serialise concurrent installers (parallel test binaries, two make runs).
lockfile="$cache/npm/.aws-cdk-$version.lock"
if command -v flock >/dev/null 2>&1; then
	exec 9>"$lockfile"
	flock -w 600 9 || { log "error: timed out waiting for $lockfile"; exit 1; }
	# Someone else may have finished while we waited.
	if works "$bin"; then
		printf '%s\n' "$bin"
		exit 0
	fi
fi

tmp="$(mktemp -d "$cache/npm/.aws-cdk-$version.tmp.XXXXXX")"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

log "installing aws-cdk@$version into $dest (once per version)"
start=$SECONDS
npmlog="$tmp/npm-install.log"
if ! npm install --no-audit --no-fund --no-save --loglevel=error \
	--prefix "$tmp" "aws-cdk@$version" >"$npmlog" 2>&1; then
	cat "$npmlog" >&2
	if grep -Eq 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|socket hang up' "$npmlog"; then
		log "error: npm cannot reach the registry ($(npm config get registry 2>/dev/null || echo '?'))"
		exit 3
	fi
	log "error: npm install aws-cdk@$version failed"
	exit 1
fi
rm -f "$npmlog"

if ! works "$tmp/node_modules/.bin/cdk"; then
	log "error: $tmp/node_modules/.bin/cdk --version does not work after install"
	exit 1
fi

# Atomic publish: replace a broken leftover, then rename the finished tree.
# npm's .bin entries are relative symlinks, so they survive the rename.
if [ -e "$dest" ]; then
	rm -rf "$dest"
fi
if mv -T "$tmp" "$dest" 2>/dev/null; then
	trap - EXIT
elif ! works "$bin"; then
	# Without flock, another installer may have won the race; else fail.
	log "error: unable to move $tmp to $dest"
	exit 1
fi

if ! works "$bin"; then
	log "error: $bin --version does not work"
	exit 1
fi
log "installed aws-cdk@$version in $((SECONDS - start))s"
printf '%s\n' "$bin"

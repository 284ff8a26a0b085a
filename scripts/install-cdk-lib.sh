#!/usr/bin/env bash
# install-cdk-lib.sh installs the pinned AWS CDK construct library (npm
# packages aws-cdk-lib and constructs) into the eksforge cache, outside the
# repository, and prints the path of its node_modules directory on stdout.
# Tests run small Node.js apps against it (internal/testenv/cdklib) to compare
# what the AWS CDK synthesizes with what eksforge synthesizes. Everything else
# goes to stderr.
#
# The install is keyed by version:
#   ${EKSFORGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eksforge}/npm/aws-cdk-lib-<version>/
# It is idempotent: when that directory exists and both packages load there at
# the pinned versions, nothing is downloaded. A new install is built in a
# temporary sibling directory and renamed into place only once it works, under
# an flock(1) lock when available, so a half-installed directory is never used.
#
# Environment:
#   EKSFORGE_CACHE                   cache root (see above)
#   EKSFORGE_CDK_LIB_VERSION         override the pinned aws-cdk-lib version
#   EKSFORGE_CONSTRUCTS_VERSION      override the pinned constructs version
#
# Exit status: 0 on success; 3 when npm cannot reach the registry; 1 otherwise.
set -euo pipefail

version="${EKSFORGE_CDK_LIB_VERSION:-2.276.0}"
constructs="${EKSFORGE_CONSTRUCTS_VERSION:-10.8.1}"
cache="${EKSFORGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eksforge}"
dest="$cache/npm/aws-cdk-lib-$version"

log() { printf 'install-cdk-lib: %s\n' "$*" >&2; }

# works DIR: both packages load from DIR/node_modules at the pinned versions.
works() {
	[ -d "$1/node_modules/aws-cdk-lib" ] && [ -d "$1/node_modules/constructs" ] &&
		NODE_PATH="$1/node_modules" node -e '
			const lib = require("aws-cdk-lib/package.json").version;
			const c = require("constructs/package.json").version;
			require("aws-cdk-lib"); require("constructs");
			if (lib !== process.argv[1] || c !== process.argv[2]) {
				console.error(`found aws-cdk-lib ${lib}, constructs ${c}`); process.exit(1);
			}' "$version" "$constructs" >/dev/null 2>&1
}

if works "$dest"; then
	printf '%s\n' "$dest/node_modules"
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
lockfile="$cache/npm/.aws-cdk-lib-$version.lock"
if command -v flock >/dev/null 2>&1; then
	exec 9>"$lockfile"
	flock -w 900 9 || { log "error: timed out waiting for $lockfile"; exit 1; }
	if works "$dest"; then
		printf '%s\n' "$dest/node_modules"
		exit 0
	fi
fi

tmp="$(mktemp -d "$cache/npm/.aws-cdk-lib-$version.tmp.XXXXXX")"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

log "installing aws-cdk-lib@$version and constructs@$constructs into $dest (once per version)"
start=$SECONDS
npmlog="$tmp/npm-install.log"
if ! npm install --no-audit --no-fund --no-save --ignore-scripts --loglevel=error \
	--prefix "$tmp" "aws-cdk-lib@$version" "constructs@$constructs" >"$npmlog" 2>&1; then
	cat "$npmlog" >&2
	if grep -Eq 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|socket hang up' "$npmlog"; then
		log "error: npm cannot reach the registry ($(npm config get registry 2>/dev/null || echo '?'))"
		exit 3
	fi
	log "error: npm install aws-cdk-lib@$version constructs@$constructs failed"
	exit 1
fi
rm -f "$npmlog"

if ! works "$tmp"; then
	log "error: aws-cdk-lib@$version does not load from $tmp/node_modules after install"
	exit 1
fi

# Atomic publish: replace a broken leftover, then rename the finished tree.
if [ -e "$dest" ]; then
	rm -rf "$dest"
fi
if mv -T "$tmp" "$dest" 2>/dev/null; then
	trap - EXIT
elif ! works "$dest"; then
	log "error: unable to move $tmp to $dest"
	exit 1
fi

if ! works "$dest"; then
	log "error: aws-cdk-lib@$version does not load from $dest/node_modules"
	exit 1
fi
log "installed aws-cdk-lib@$version in $((SECONDS - start))s"
printf '%s\n' "$dest/node_modules"

#!/usr/bin/env bash
# install-bench-cdk.sh installs the npm packages that the aws-cdk-lib apps of
# the parity suite and the benchmarks need (bench/cdk/package.json:
# aws-cdk-lib, constructs and @aws-cdk/lambda-layer-kubectl-v33, pinned) into
# the eksforge cache, outside the repository, and prints the path of the
# node_modules directory on stdout. Everything else goes to stderr.
#
# The install is keyed by the content of bench/cdk/package.json:
#   ${EKSFORGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eksforge}/npm/bench-cdk-<sha256[:12]>/
# It is idempotent (when that directory loads every pinned package at its
# pinned version, nothing is downloaded) and atomic (a new install is built in
# a temporary sibling directory, checked, and renamed into place under an
# flock(1) lock, so a half-installed directory is never used).
#
# Exit status: 0 on success; 3 when npm cannot reach its registry; 1 otherwise.
# Callers decide what "offline" means: scripts/parity.sh and the parity test
# skip loudly, or fail when CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."

pkg="bench/cdk/package.json"
cache="${EKSFORGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eksforge}"
key="$(sha256sum "$pkg" | cut -c1-12)"
dest="$cache/npm/bench-cdk-$key"

log() { printf 'install-bench-cdk: %s\n' "$*" >&2; }

# works DIR: every dependency of package.json loads from DIR/node_modules at
# its pinned version.
works() {
	[ -d "$1/node_modules/aws-cdk-lib" ] &&
		NODE_PATH="$1/node_modules" node -e '
			const deps = require(process.argv[1]).dependencies;
			for (const [name, want] of Object.entries(deps)) {
				const got = require(name + "/package.json").version;
				if (got !== want) { console.error(`${name}: found ${got}, want ${want}`); process.exit(1); }
				require(name);
			}' "$PWD/$pkg" >/dev/null 2>&1
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
lockfile="$cache/npm/.bench-cdk.lock"
if command -v flock >/dev/null 2>&1; then
	exec 9>"$lockfile"
	flock -w 900 9 || { log "error: timed out waiting for $lockfile"; exit 1; }
	if works "$dest"; then
		printf '%s\n' "$dest/node_modules"
		exit 0
	fi
fi

tmp="$(mktemp -d "$cache/npm/.bench-cdk-$key.tmp.XXXXXX")"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
cp "$pkg" "$tmp/package.json"

log "installing $(node -e 'const d=require(process.argv[1]).dependencies; console.log(Object.entries(d).map(([n,v])=>n+"@"+v).join(" "))' "$PWD/$pkg") into $dest (once per package.json)"
start=$SECONDS
npmlog="$tmp/npm-install.log"
if ! (cd "$tmp" && npm install --no-audit --no-fund --no-package-lock --ignore-scripts --loglevel=error) >"$npmlog" 2>&1; then
	cat "$npmlog" >&2
	if grep -Eq 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|socket hang up' "$npmlog"; then
		log "error: npm cannot reach the registry ($(npm config get registry 2>/dev/null || echo '?'))"
		exit 3
	fi
	log "error: npm install failed"
	exit 1
fi
rm -f "$npmlog"

if ! works "$tmp"; then
	log "error: the packages of $pkg do not load from $tmp/node_modules after install"
	exit 1
fi

if [ -e "$dest" ]; then
	rm -rf "$dest"
fi
if mv -T "$tmp" "$dest" 2>/dev/null; then
	trap - EXIT
elif ! works "$dest"; then
	log "error: unable to move $tmp to $dest"
	exit 1
fi
log "installed in $((SECONDS - start))s"
printf '%s\n' "$dest/node_modules"

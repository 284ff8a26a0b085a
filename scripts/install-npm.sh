#!/usr/bin/env bash
# install-npm.sh DIR installs the npm packages that DIR/package.json pins
# (its "dependencies", exact versions) into the eksforge cache, outside the
# repository, and prints the path of their node_modules directory on stdout.
# Everything else goes to stderr. It is the one npm installer of the project:
#   bench/cdk                 aws-cdk-lib, constructs and the kubectl layer, for
#                             the parity suite, the benchmarks and every test
#                             that runs an aws-cdk-lib app (internal/testenv/cdklib):
#                             aws-cdk-lib is downloaded once for all of them
#   internal/testenv/cdkcli   the AWS CDK CLI (aws-cdk), for the tests that run
#                             `cdk` against our cloud assemblies
#
# The install is keyed by the content of the package.json:
#   ${EKSFORGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eksforge}/npm/<name>-<sha256[:12]>/
# It is idempotent (when that directory holds every pinned package at its
# pinned version, nothing is downloaded) and atomic (a new install is built in
# a temporary sibling directory, checked, and renamed into place under an
# flock(1) lock, so a half-installed directory is never used).
#
# Exit status: 0 on success; 3 when npm cannot reach its registry; 1 otherwise.
# Callers decide what "offline" means: the tests skip loudly, or fail when
# CI=true.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -f "$1/package.json" ]; then
	echo "usage: install-npm.sh DIR (a directory holding package.json)" >&2
	exit 1
fi
pkg="$(cd "$1" && pwd)/package.json"
cache="${EKSFORGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eksforge}"

log() { printf 'install-npm: %s\n' "$*" >&2; }

for tool in node sha256sum; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		log "error: '$tool' not found in PATH; install Node.js (>= 18) and npm, e.g. 'apt-get install nodejs npm'"
		exit 1
	fi
done

name="$(node -e 'console.log((require(process.argv[1]).name || "npm").replace(/[^A-Za-z0-9._-]/g, "-"))' "$pkg")"
key="$(sha256sum "$pkg" | cut -c1-12)"
dest="$cache/npm/$name-$key"

# works DIR: every dependency of package.json is in DIR/node_modules at its
# pinned version (read from its package.json: some packages export no
# package.json to require).
works() {
	[ -d "$1/node_modules" ] &&
		node -e '
			const fs = require("fs"), path = require("path");
			const deps = require(process.argv[1]).dependencies || {};
			for (const [name, want] of Object.entries(deps)) {
				const got = JSON.parse(fs.readFileSync(path.join(process.argv[2], name, "package.json"), "utf8")).version;
				if (got !== want) { console.error(`${name}: found ${got}, want ${want}`); process.exit(1); }
			}' "$pkg" "$1/node_modules" >/dev/null 2>&1
}

if works "$dest"; then
	printf '%s\n' "$dest/node_modules"
	exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
	log "error: 'npm' not found in PATH; install it, e.g. 'apt-get install npm'"
	exit 1
fi

mkdir -p "$cache/npm"
lockfile="$cache/npm/.$name-$key.lock"
if command -v flock >/dev/null 2>&1; then
	exec 9>"$lockfile"
	flock -w 900 9 || { log "error: timed out waiting for $lockfile"; exit 1; }
	# Someone else may have finished while we waited.
	if works "$dest"; then
		printf '%s\n' "$dest/node_modules"
		exit 0
	fi
fi

tmp="$(mktemp -d "$cache/npm/.$name-$key.tmp.XXXXXX")"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
cp "$pkg" "$tmp/package.json"

what="$(node -e 'const d=require(process.argv[1]).dependencies||{}; console.log(Object.entries(d).map(([n,v])=>n+"@"+v).join(" "))' "$pkg")"
log "installing $what into $dest (once per ${pkg#"$PWD"/})"
start=$SECONDS
npmlog="$tmp/npm-install.log"
if ! (cd "$tmp" && npm install --no-audit --no-fund --no-package-lock --ignore-scripts --loglevel=error) >"$npmlog" 2>&1; then
	cat "$npmlog" >&2
	if grep -Eq 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|socket hang up' "$npmlog"; then
		log "error: npm cannot reach the registry ($(npm config get registry 2>/dev/null || echo '?'))"
		exit 3
	fi
	log "error: npm install of $what failed"
	exit 1
fi
rm -f "$npmlog"

if ! works "$tmp"; then
	log "error: $what not found at the pinned versions in $tmp/node_modules after install"
	exit 1
fi

# Atomic publish: replace a broken leftover, then rename the finished tree.
# npm's .bin entries are relative symlinks, so they survive the rename.
if [ -e "$dest" ]; then
	rm -rf "$dest"
fi
if mv -T "$tmp" "$dest" 2>/dev/null; then
	trap - EXIT
elif ! works "$dest"; then
	# Without flock, another installer may have won the race; else fail.
	log "error: unable to move $tmp to $dest"
	exit 1
fi
log "installed $what in $((SECONDS - start))s"
printf '%s\n' "$dest/node_modules"

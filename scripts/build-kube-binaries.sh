#!/usr/bin/env bash
# build-kube-binaries.sh builds kube-apiserver and etcd from the Go module
# proxy into the eksforge cache, outside the repository, and prints the
# directory that holds them on stdout. Everything else goes to stderr.
#
# internal/testenv/kubeenv starts these binaries on 127.0.0.1 for tests that
# need a real Kubernetes API server. Nothing is downloaded from anywhere but
# the Go module proxy: no release tarballs, no container images.
#
#   kube-apiserver  a `main` calling app.NewAPIServerCommand() from
#                   k8s.io/kubernetes/cmd/kube-apiserver/app at $KUBE_VERSION,
#                   in a temporary module that replaces every staging module
#                   listed in k8s.io/kubernetes's go.mod (k8s.io/api,
#                   apimachinery, apiserver, client-go, ...) by its published
#                   v0.MINOR.PATCH (k8s.io/kubernetes itself points them at
#                   ./staging/src/..., which a module dependency cannot use).
#                   About 4.5 minutes cold on 2 cores.
#   etcd            a `main` calling go.etcd.io/etcd/server/v3/etcdmain.Main
#                   at $ETCD_VERSION. About 30 s.
#
# Output, keyed by the Kubernetes version:
#   ${EKSFORGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eksforge}/kube/<kube-version>/{kube-apiserver,etcd}
# It is idempotent: a binary that exists and reports the expected version
# with --version is not rebuilt. Each binary is built in a temporary sibling
# directory and renamed into place only once it runs, under an flock(1) lock
# when available, so a half-built binary is never used.
#
# Environment:
#   EKSFORGE_CACHE             cache root (see above)
#   EKSFORGE_KUBE_VERSION      k8s.io/kubernetes version (default below)
#   EKSFORGE_ETCD_VERSION      go.etcd.io/etcd/server/v3 version (default below)
#   GO                         the go command (default: go)
#
# Exit status: 0 on success; 3 when the Go module proxy cannot be reached;
# 1 otherwise.
set -euo pipefail

kube_version="${EKSFORGE_KUBE_VERSION:-v1.37.2}"
etcd_version="${EKSFORGE_ETCD_VERSION:-v3.6.6}"
GO="${GO:-go}"
cache="${EKSFORGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eksforge}"
dest="$cache/kube/$kube_version"

log() { printf 'build-kube-binaries: %s\n' "$*" >&2; }

case "$kube_version" in
v1.*.*) ;;
*)
	log "error: EKSFORGE_KUBE_VERSION=$kube_version is not of the form v1.MINOR.PATCH"
	exit 1
	;;
esac
# Staging modules are published as v0.MINOR.PATCH for Kubernetes v1.MINOR.PATCH.
staging_version="v0.${kube_version#v1.}"

# has_version BIN LINE: BIN --version prints LINE. (Not `| grep -q`: grep
# exits at the first match and, under pipefail, the SIGPIPE the binary may
# get for the lines after it would fail the check.)
has_version() {
	local out
	[ -x "$1" ] && out="$("$1" --version 2>/dev/null)" && grep -qxF "$2" <<<"$out"
}
apiserver_ok() { has_version "$1" "Kubernetes $kube_version"; }
etcd_ok() { has_version "$1" "etcd Version: ${etcd_version#v}"; }
all_ok() {
	apiserver_ok "$dest/kube-apiserver" && etcd_ok "$dest/etcd"
}

if all_ok; then
	printf '%s\n' "$dest"
	exit 0
fi

if ! command -v "$GO" >/dev/null 2>&1; then
	log "error: '$GO' not found in PATH"
	exit 1
fi

mkdir -p "$cache/kube"

# Serialise concurrent builders (parallel test binaries, two make runs).
lockfile="$cache/kube/.$kube_version.lock"
if command -v flock >/dev/null 2>&1; then
	exec 9>"$lockfile"
	flock -w 1800 9 || {
		log "error: timed out waiting for $lockfile"
		exit 1
	}
	if all_ok; then
		printf '%s\n' "$dest"
		exit 0
	fi
fi
mkdir -p "$dest"

tmp="$(mktemp -d "$cache/kube/.$kube_version.tmp.XXXXXX")"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

# The builds need no cgo; GOFLAGS from the caller (e.g. -mod=vendor for the
# repo) must not leak into the temporary modules.
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOWORK=off GOTOOLCHAIN="${GOTOOLCHAIN:-local}"

# run LOGFILE CMD... runs CMD with its output in LOGFILE; on failure prints
# the log's tail and exits 3 when the Go module proxy was unreachable.
run() {
	local logfile="$1"
	shift
	if "$@" >>"$logfile" 2>&1; then
		return 0
	fi
	tail -n 60 "$logfile" >&2
	if grep -Eq 'dial tcp|no such host|i/o timeout|connection refused|connection reset|TLS handshake timeout|network is unreachable|proxyconnect' "$logfile"; then
		log "error: the Go module proxy ($("$GO" env GOPROXY)) cannot be reached"
		exit 3
	fi
	log "error: $* failed (log above)"
	exit 1
}

# publish SRC NAME: atomic rename into $dest.
publish() {
	mv -f "$1" "$dest/$2"
}

build_etcd() {
	local dir="$tmp/etcd" log="$tmp/etcd.log" start=$SECONDS
	mkdir -p "$dir"
	log "building etcd $etcd_version into $dest (once per version)"
	cat >"$dir/main.go" <<'EOF'
// Command etcd is etcd's server, built by eksforge's
// scripts/build-kube-binaries.sh for tests.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
	(
		cd "$dir"
		run "$log" "$GO" mod init eksforge.test/build/etcd
		run "$log" "$GO" get "go.etcd.io/etcd/server/v3@$etcd_version"
		run "$log" "$GO" mod tidy
		run "$log" "$GO" build -trimpath -ldflags='-s -w' -o "$dir/etcd.bin" .
	)
	if ! etcd_ok "$dir/etcd.bin"; then
		log "error: the etcd just built does not report version ${etcd_version#v}: $("$dir/etcd.bin" --version 2>&1 | head -3)"
		exit 1
	fi
	publish "$dir/etcd.bin" etcd
	log "built etcd $etcd_version in $((SECONDS - start))s ($(du -h "$dest/etcd" | cut -f1))"
}

build_apiserver() {
	local dir="$tmp/kube-apiserver" log="$tmp/kube-apiserver.log" start=$SECONDS
	mkdir -p "$dir"
	log "building kube-apiserver $kube_version into $dest (once per version; about 9 minutes on 2 idle cores)"
	# The staging modules are the ones k8s.io/kubernetes's go.mod replaces
	# with ./staging/src/<module>.
	(cd "$dir" && run "$log" "$GO" mod download -json "k8s.io/kubernetes@$kube_version")
	local gomod
	gomod="$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p' "$log" | tail -1)"
	if [ -z "$gomod" ] || [ ! -f "$gomod" ]; then
		log "error: unable to find the go.mod of k8s.io/kubernetes@$kube_version"
		exit 1
	fi
	local staging
	staging="$(sed -n 's#^[[:space:]]*\(replace[[:space:]]\{1,\}\)\{0,1\}\(k8s\.io/[^[:space:]]*\)[[:space:]]*=>[[:space:]]*\./staging/src/.*#\2#p' "$gomod" | sort -u)"
	if [ -z "$staging" ]; then
		log "error: no staging replace directives in $gomod"
		exit 1
	fi
	log "replacing $(wc -l <<<"$staging" | tr -d ' ') staging modules by $staging_version"
	{
		echo "module eksforge.test/build/kube-apiserver"
		echo
		echo "go $("$GO" env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')"
		echo
		echo "require k8s.io/kubernetes $kube_version"
		echo
		echo "replace ("
		while read -r m; do
			printf '\t%s => %s %s\n' "$m" "$m" "$staging_version"
		done <<<"$staging"
		echo ")"
	} >"$dir/go.mod"
	cat >"$dir/main.go" <<'EOF'
// Command kube-apiserver is the Kubernetes API server, built by eksforge's
// scripts/build-kube-binaries.sh for tests.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() { os.Exit(cli.Run(app.NewAPIServerCommand())) }
EOF
	local minor="${kube_version#v1.}"
	minor="${minor%%.*}"
	local pkg=k8s.io/component-base/version
	local ldflags="-s -w -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
	(
		cd "$dir"
		run "$log" "$GO" mod tidy
		run "$log" "$GO" build -trimpath -ldflags="$ldflags" -o "$dir/kube-apiserver.bin" .
	)
	if ! apiserver_ok "$dir/kube-apiserver.bin"; then
		log "error: the kube-apiserver just built does not report $kube_version: $("$dir/kube-apiserver.bin" --version 2>&1 | head -3)"
		exit 1
	fi
	publish "$dir/kube-apiserver.bin" kube-apiserver
	log "built kube-apiserver $kube_version in $((SECONDS - start))s ($(du -h "$dest/kube-apiserver" | cut -f1))"
}

etcd_ok "$dest/etcd" || build_etcd
apiserver_ok "$dest/kube-apiserver" || build_apiserver

if ! all_ok; then
	log "error: $dest does not hold working binaries after the build"
	exit 1
fi
printf '%s\n' "$dest"

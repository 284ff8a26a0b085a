#!/usr/bin/env bash
# cli-transcript.sh prints the transcripts that docs/cli.md shows: the
# eksforge binary built from this tree, run with a PATH that holds only
# eksforge, go and sh (no node, npm or cdk) against a moto server started
# as the tests start it (internal/testenv/motoserver/launcher.py), in an
# empty account: bootstrap, synth, ls, deploy, diff, kubeconfig, token,
# destroy, graph. Each command is printed after "$ ", then what it printed
# (standard output and standard error, in order). The temporary
# directory is shown as /tmp/work and the repository as ~/eksforge.
#
#	bash scripts/cli-transcript.sh > /tmp/transcript.txt
#
# MOTO_PORT (default 5000) is the port moto listens on; the commands name
# it with --endpoint-url.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
port=${MOTO_PORT:-5000}
work=$(mktemp -d)
moto=
cleanup() {
	if [ -n "$moto" ]; then kill "$moto" 2>/dev/null || true; wait "$moto" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
go build -o "$work/bin/eksforge" ./cmd/eksforge
ln -s "$(readlink -f "$(command -v go)")" "$work/bin/go"
ln -s "$(readlink -f "$(command -v sh)")" "$work/bin/sh"

"${EKSFORGE_MOTO_PYTHON:-python3}" internal/testenv/motoserver/launcher.py -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
for _ in $(seq 600); do
	if curl -fsS "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1; then break; fi
	if ! kill -0 "$moto" 2>/dev/null; then cat "$work/moto.log" >&2; exit 1; fi
	sleep 0.1
done
ep="http://127.0.0.1:$port"

gocache=$(go env GOCACHE) gomodcache=$(go env GOMODCACHE) gopath=$(go env GOPATH)
home="$work/home"
mkdir -p "$home"
shorten() { sed -e "s|$work|/tmp/work|g" -e "s|$root|~/eksforge|g"; }
run() {
	local line="$" arg
	for arg in "$@"; do
		case $arg in *" "*) line+=" '$arg'" ;; *) line+=" $arg" ;; esac
	done
	printf '%s\n' "$line" | shorten
	set +e
	env -i PATH="$work/bin" HOME="$home" GOCACHE="$gocache" GOMODCACHE="$gomodcache" GOPATH="$gopath" GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-}" GOPROXY="$(go env GOPROXY)" \
		AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=eu-north-1 AWS_EC2_METADATA_DISABLED=true \
		"$@" 2>&1 | shorten
	local status=${PIPESTATUS[0]}
	set -e
	if [ "$status" != 0 ]; then printf '(exit status %d)\n' "$status"; fi
}

echo "# moto: $(head -1 "$work/moto.log")"
echo "# PATH: $(ls "$work/bin" | tr '\n' ' ')"
for tool in node npm npx cdk; do
	if PATH="$work/bin" command -v "$tool" >/dev/null; then echo "$tool is on the PATH" >&2; exit 1; fi
done
out="$work/cdk.out"
run eksforge bootstrap --endpoint-url "$ep"
run eksforge synth --app 'go run ./examples/minimal' --output "$out"
run eksforge ls -l --app "$out"
run eksforge deploy --all --require-approval never --app "$out" --endpoint-url "$ep"
run eksforge diff --app "$out" --endpoint-url "$ep"
run eksforge destroy --all --force --app "$out" --endpoint-url "$ep"
cluster="$work/cluster.out"
run eksforge deploy --require-approval never --app 'go run ./internal/cli/testdata/clusterapp' --output "$cluster" --endpoint-url "$ep"
run eksforge kubeconfig ClusterApp --app "$cluster" --kubeconfig "$work/kubeconfig" --endpoint-url "$ep"
printf '$ cat /tmp/work/kubeconfig\n'
shorten <"$work/kubeconfig"
run eksforge token --cluster-name demo --endpoint-url "$ep"
run eksforge destroy ClusterApp --force --app "$cluster" --endpoint-url "$ep"
run eksforge graph --app "$out" --format dot
run eksforge --version
run eksforge synth --nope

#!/usr/bin/env bash
# check-gofmt.sh lists the Go files that gofmt would change and fails if there
# are any. testdata/ directories (inputs kept as they are on purpose), vendor/,
# node_modules/ and cdk.out/ are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -d '' files < <(find . \
	\( -name .git -o -name testdata -o -name vendor -o -name node_modules -o -name cdk.out \) -prune \
	-o -type f -name '*.go' -print0)
if [ "${#files[@]}" -eq 0 ]; then
	echo "check-gofmt: no Go files"
	exit 0
fi

unformatted="$(gofmt -l "${files[@]}")"
if [ -n "$unformatted" ]; then
	echo "check-gofmt: these files are not gofmt'd:" >&2
	printf '  %s\n' $unformatted >&2
	echo "check-gofmt: fix with: gofmt -w $(echo $unformatted)" >&2
	exit 1
fi
echo "check-gofmt: ${#files[@]} files ok"

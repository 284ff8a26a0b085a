#!/usr/bin/env bash
# check-generate.sh runs `go generate ./...` and fails if that changed the
# working tree: generated code (cfn/*) must be committed as the generator
# writes it. With no //go:generate directives it is a no-op and passes.
#
# On a clean tree (CI's clean clone, or CI=true) it is strict: after
# generating, `git diff --exit-code` must pass and no untracked file may exist
# under cfn/. On a dirty local tree (work in progress, yours or a
# colleague's) it compares the tree before and after generating and fails
# only on files that generating changed, so uncommitted edits do not trip it;
# untracked files under cfn/ are then only a warning.
set -euo pipefail
cd "$(dirname "$0")/.."
GO="${GO:-go}"

if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "check-generate: not a git checkout; running go generate without the diff check" >&2
	"$GO" generate ./...
	exit 0
fi

# snapshot prints "<sha256>  <path>" (or "deleted  <path>") for every file
# that differs from HEAD or is untracked, sorted.
snapshot() {
	{ git diff --name-only -z HEAD -- && git ls-files -z --others --exclude-standard; } |
		sort -zu |
		while IFS= read -r -d '' f; do
			if [ -f "$f" ]; then
				sha256sum -- "$f"
			else
				printf 'deleted  %s\n' "$f"
			fi
		done
}

before="$(snapshot)"
"$GO" generate ./...
after="$(snapshot)"

if [ -z "$before" ] || [ "${CI:-}" = "true" ]; then
	status=0
	if ! git diff --exit-code --stat; then
		echo "check-generate: the tree differs from HEAD after go generate (above); run 'go generate ./...' and commit the result" >&2
		git --no-pager diff | head -n 100 >&2
		status=1
	fi
	untracked="$(git ls-files --others --exclude-standard -- cfn/)"
	if [ -n "$untracked" ]; then
		echo "check-generate: untracked generated files under cfn/; run 'go generate ./...' and commit them:" >&2
		printf '  %s\n' $untracked >&2
		status=1
	fi
	[ "$status" -eq 0 ] && echo "check-generate: ok (go generate changed nothing)"
	exit "$status"
fi

changed="$(diff <(printf '%s\n' "$before") <(printf '%s\n' "$after") | sed -n 's/^[<>] [^ ]*  //p' | sort -u || true)"
if [ -n "$changed" ]; then
	echo "check-generate: go generate changed these files; commit the regenerated code:" >&2
	printf '  %s\n' $changed >&2
	exit 1
fi
untracked="$(git ls-files --others --exclude-standard -- cfn/)"
if [ -n "$untracked" ]; then
	echo "check-generate: warning: untracked files under cfn/ (CI will fail until they are committed):" >&2
	printf '  %s\n' $untracked >&2
fi
echo "check-generate: ok (go generate changed nothing; the tree was already dirty, so only its changes were checked)"

#!/usr/bin/env bash
# cfn-lint.sh runs cfn-lint with the given arguments, found the way the Go
# helper internal/testenv/cfnlint finds it: $EKSFORGE_CFN_LINT, else cfn-lint
# on PATH, else the cfnlint module of python3 (cfn-lint 1.x cannot be run as
# `python3 -m cfnlint`). Exits 127 with a clear message when it is absent.
set -euo pipefail

if [ -n "${EKSFORGE_CFN_LINT:-}" ]; then
	exec "$EKSFORGE_CFN_LINT" "$@"
fi
if command -v cfn-lint >/dev/null 2>&1; then
	exec cfn-lint "$@"
fi
if command -v python3 >/dev/null 2>&1 && python3 -c 'import cfnlint.runner' 2>/dev/null; then
	exec python3 -c 'import sys; from cfnlint.runner import main; sys.exit(main())' "$@"
fi
echo "cfn-lint.sh: cfn-lint not found: neither cfn-lint on PATH nor the cfnlint module of python3;" \
	"install it with 'python3 -m pip install cfn-lint==1.51.0', or set EKSFORGE_CFN_LINT to its path" >&2
exit 127

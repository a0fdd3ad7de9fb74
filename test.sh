#!/usr/bin/env bash
# Install everything the tests need, check style and types, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
export LANG="${LANG:-C.UTF-8}"
. packaging/bootstrap.sh
ensure_packages $QT_OFFSCREEN_PACKAGES $TEST_PACKAGES
ensure_venv "[test]"
say "ruff"
"$VENV/bin/ruff" check d4a_desktop tests benchmarks hatch_build.py
say "mypy"
"$VENV/bin/mypy"
say "pytest"
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"

#!/usr/bin/env bash
# Sets everything up in .venv (created if missing) and runs the whole test suite.
# Extra arguments go to pytest, e.g. ./test.sh -k engine
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
exec .venv/bin/python -m pytest "$@"

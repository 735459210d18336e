#!/usr/bin/env bash
# Sets everything up in .venv (created if missing) and starts Giữ Kín.
# With no arguments: the tray app (needs a desktop session). Any arguments are passed to
# the `giukin` command, e.g. ./run.sh scan letter.txt
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
exec .venv/bin/giukin "$@"

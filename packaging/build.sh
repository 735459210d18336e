#!/usr/bin/env bash
# Builds the one-folder distribution dist/giukin/ (executable dist/giukin/giukin) from a clean
# build venv. Windows twin: packaging/build.ps1. Details: docs/packaging.md.
#
#   bash packaging/build.sh               new .venv-build (deleted and recreated), then build
#   bash packaging/build.sh --reuse-venv  keep .venv-build if it exists (faster iteration)
#
# GIUKIN_BUILD_VENV overrides the venv folder, PYTHON the interpreter used to create it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
VENV="${GIUKIN_BUILD_VENV:-$ROOT/.venv-build}"
PYTHON="${PYTHON:-python3}"
REUSE=0
for arg in "$@"; do
  case "$arg" in
    --reuse-venv) REUSE=1 ;;
    -h|--help) sed -n 2,8p "$0"; exit 0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

if [ "$REUSE" = 0 ] || [ ! -x "$VENV/bin/python" ]; then
  echo "== clean build venv: $VENV"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
fi
# Only the runtime deps and PyInstaller: no test tools, no spaCy model.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[build]'

echo "== pyinstaller"
rm -rf "$ROOT/dist/giukin"
"$VENV/bin/python" -m PyInstaller --noconfirm --clean \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" \
  "$ROOT/packaging/giukin.spec"

EXE="$ROOT/dist/giukin/giukin"
[ -x "$EXE" ] || { echo "build failed: $EXE missing" >&2; exit 1; }
echo "== built $EXE ($(du -sh "$ROOT/dist/giukin" | cut -f1))"
"$EXE" --version

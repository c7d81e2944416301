#!/usr/bin/env bash
# Creates python/.venv for the Python package (python/autofarm_gym) and its tests: gymnasium,
# numpy and pytest from the machine's package index, and autofarm_gym installed in editable
# mode. `pnpm test` runs the Python tests when this venv exists (and fails in CI when it does
# not). Never installs torch or other training libraries: the examples say what they need.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=python/.venv

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "setup-python: $PYTHON not found; install Python >= 3.9 with venv" >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup-python: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
# --retries 1: an unreachable default index costs seconds per package instead of a minute.
# wheel + --no-build-isolation: the editable install builds with the venv's own setuptools
# instead of fetching a fresh one into an isolated build environment.
"$VENV/bin/pip" install --quiet --retries 1 gymnasium numpy pytest wheel
"$VENV/bin/pip" install --quiet --retries 1 --no-build-isolation --no-deps --editable python
"$VENV/bin/python" -c 'import autofarm_gym, gymnasium as g, numpy as n
print("setup-python: autofarm_gym, gymnasium", g.__version__, "numpy", n.__version__)'

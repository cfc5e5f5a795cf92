#!/usr/bin/env bash
# Create .venv and install commitments with everything its tests and demo need.
# torch is pinned to the CPU build that this environment keeps on local disk;
# a looser requirement would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q "torch==2.13.0"
python -m pip install -q -e ".[models,test,dask]"
# CI: headless Chromium for the report page test (skipped where it is absent)
if [ -n "${CI:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium; } || echo "chromium not installed; the browser test will be skipped" >&2
fi
echo "commitments installed in .venv ($(python -c 'import commitments; print(commitments.__version__)'))"

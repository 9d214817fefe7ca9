#!/usr/bin/env bash
# Installs what the comparison benchmarks need beside the SDK: orjson and pydantic (decode),
# and pycallrail from PyPI. pycallrail pins aiohttp~=3.8 (we require the 3.14 security
# release), so it is installed without its dependencies, plus the ones it really uses.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q -e . --group bench
.venv/bin/python -m pip install -q --no-deps 'pycallrail==0.9.0.2'

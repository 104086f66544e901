#!/usr/bin/env bash
# The test suite: real model, real corpus files, headless Chromium for the UI tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${VIRTUAL_ENV:-}" ] || . .venv/bin/activate
python -m pytest -q "$@"

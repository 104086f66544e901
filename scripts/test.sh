#!/usr/bin/env bash
# The whole test suite: real model, real corpus files, headless Chromium for the UI tests.
#   scripts/test.sh                  everything (what CI runs)
#   scripts/test.sh -m "not slow"    the fast tier: no model, server, browser or killed builds (under 30 s)
# Any other pytest arguments pass through (a file, -k NAME, -x …).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${VIRTUAL_ENV:-}" ] || . .venv/bin/activate
python -m pytest -q "$@"

#!/usr/bin/env bash
# The whole test suite: real model, real corpus files, headless Chromium for the UI tests.
#   scripts/test.sh                  everything (what CI runs)
#   scripts/test.sh -m "not slow"    the fast tier: no model, server, browser or killed builds (under 30 s)
# Any other pytest arguments pass through (a file, -k NAME, -x …). The linter and the formatter's check
# run first (ruff, configured in pyproject.toml): a tree they do not pass fails before any test runs.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${VIRTUAL_ENV:-}" ] || . .venv/bin/activate
python -m ruff check .
python -m ruff format --check .
python -m pytest -q "$@"

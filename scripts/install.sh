#!/usr/bin/env bash
# Install into .venv: torch's CPU build first (otherwise pip pulls a multi-GB CUDA build), then the project.
#   scripts/install.sh          the assistant
#   scripts/install.sh --test   plus test tools and the headless Chromium the browser tests drive
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -d .venv ] || "$PY" -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
python -m pip install --quiet "torch==2.13.0"
if [ "${1:-}" = "--test" ]; then
  python -m pip install --quiet -e ".[test,bench,scale]"
  if ! command -v chromium >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    else
      echo "note: install Debian's chromium for the browser tests (they are skipped without it)" >&2
    fi
  fi
else
  python -m pip install --quiet -e .
fi

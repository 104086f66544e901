#!/usr/bin/env bash
# Install into .venv: torch's CPU build first (otherwise pip pulls a multi-GB CUDA build), then the project.
#   scripts/install.sh          the assistant
#   scripts/install.sh --test   plus test tools, the headless Chromium the browser tests drive and a CJK font
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -d .venv ] || "$PY" -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
python -m pip install --quiet "torch==2.13.0"
if [ "${1:-}" = "--test" ]; then
  python -m pip install --quiet -e ".[test,bench,scale]"
  # The browser tests drive Debian's chromium; their screenshots need a CJK font (fonts-noto-cjk),
  # or every Chinese character is drawn as a box.
  missing=""
  command -v chromium >/dev/null 2>&1 || missing="chromium chromium-driver"
  fc-list 2>/dev/null | grep -qi "CJK" || missing="$missing fonts-noto-cjk"
  if [ -n "$missing" ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
      echo "note: install Debian's $missing for the browser tests (they are skipped without chromium;" \
           "without a CJK font Chinese shows as boxes)" >&2
    fi
  fi
else
  python -m pip install --quiet -e .
fi

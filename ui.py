"""The web app: `python ui.py [flags]` runs `assistant serve [flags]` (assistant/cli.py, web/server.py)."""

import sys

from assistant.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))

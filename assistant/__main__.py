"""`python -m assistant`: the same command line as `assistant` (cli.py)."""

import sys

from .cli import main

sys.exit(main())

"""The web app: `python ui.py` (same as `assistant serve`). The app itself lives in `assistant/web/app.py`."""
import sys

from assistant.web.app import main

if __name__ == "__main__":
    sys.exit(main())

"""One exception type for everything a user can cause or fix.

The CLI and the UI turn it into a clean message; anything else that escapes is a bug.
"""


class AssistantError(Exception):
    """A problem the user can act on (bad input, a broken file, an unusable index)."""

"""The last line of defence around every event handler: an unexpected error changes nothing.

A handler returns its outputs keyed by component (or, with one output, the value itself): an output
it leaves out is left as it was (Gradio's own rule for such a dict; an empty one leaves them all). When
it fails, every output of its event is left as it was — the count comes from the event's outputs,
never written by hand.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence

import gradio as gr

log = logging.getLogger("assistant.web")


def unchanged(outputs: Sequence) -> object:
    """What a handler returns to leave every one of `outputs` as it was."""
    return gr.skip() if len(outputs) == 1 else tuple(gr.skip() for _ in outputs)


def guarded(handler: Callable, outputs: Sequence) -> Callable:
    """`handler`, except that an unexpected error is logged in one line (no traceback in the log or
    the page) and changes nothing: all `outputs` are left as they were, the session included."""

    @functools.wraps(handler)  # Gradio reads the signature (a gr.EventData parameter)
    def run(*args, **kwargs):
        try:
            result = handler(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the last line of defence; the inputs were checked
            log.error(
                "%s failed and changed nothing: %s: %s",
                handler.__name__,
                type(exc).__name__,
                str(exc).splitlines()[0][:200] if str(exc) else "",
            )
            return unchanged(outputs)
        return unchanged(outputs) if isinstance(result, dict) and not result and len(outputs) > 1 else result

    return run

"""The components around the tabs, which more than one tab's events read or change.

The chat session, the header, the language switch, the passage viewer in its side panel and the
tabs themselves: made by `assistant.web.page` before the tabs, handed to each tab to wire its events.
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr


@dataclass(frozen=True)
class Frame:
    session: gr.State
    header: gr.HTML
    lang: gr.Radio
    sidebar: gr.Sidebar
    viewer: gr.HTML
    tabs: gr.Tabs

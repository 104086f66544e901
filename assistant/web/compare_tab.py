"""The Compare tab: every company side by side, each cell a fact linked to the passage it came from."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from .companies_view import comparison_table
from .page_text import t
from .templating import CLICK_JS


@dataclass(frozen=True)
class CompareComponents:
    tab: gr.Tab
    table: gr.HTML


def compare_layout(bot, lang0: str) -> CompareComponents:
    """The tab's components, laid out (inside the page's gr.Tabs)."""
    with gr.Tab(t("tab_compare", lang0), id="compare", elem_id="tab-compare") as tab:
        table = gr.HTML(comparison_table(bot.companies(), lang0), elem_id="compare", js_on_load=CLICK_JS)
    return CompareComponents(tab, table)


class CompareTab:
    """The table has no events of its own: its clicks open passages and profiles (the page's)."""

    def __init__(self, ui: CompareComponents):
        self.ui = ui

    def relabel(self, bot, lang: str) -> dict:
        return {
            self.ui.tab: gr.update(label=t("tab_compare", lang)),
            self.ui.table: comparison_table(bot.companies(), lang),
        }
